"""The reminder's pure parts, as properties: whatever a call comes back with, in whatever
place the couple are, they hear a line and are never left hanging (and the engine never asks
for a second call in the same turn: the adapter makes one); "this time" never moves the
day; a day or a time said alone keeps the rest of the reminder being moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.content.loader import default_content
from skill.engine.conversation import handle
from skill.engine.effects import AskConsent, CallReminders, ReminderCall
from skill.engine.events import Event
from skill.engine.reminding import Result
from skill.engine.state import Asking, Phase, State
from skill.reminders.consent import Consent
from skill.reminders.schedule import Day, Weekly, complete, wanted

CONTENT = default_content()
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
NAMES = ("Sam", "Alex")
PLACES = {
    "ready": State(names=NAMES, phase=Phase.READY),
    "mid-check-in": State(names=NAMES, phase=Phase.BEAT, step=1, started=1, seed=7),
    "after a check-in": State(names=NAMES, phase=Phase.DONE, completed=1),
}
KEYS = st.sampled_from(["SU20:00", "FR19:00", "MO12:00", ""])


@settings(max_examples=200, deadline=None)
@given(
    place=st.sampled_from(sorted(PLACES)),
    made=st.sampled_from(list(ReminderCall)),
    result=st.sampled_from(list(Result)),
    when=KEYS,
    had_one=st.booleans(),
)
def test_every_result_is_said_and_the_couple_are_never_left_hanging(
    place: str, made: ReminderCall, result: Result, when: str, had_one: bool
) -> None:
    state = PLACES[place].replace(
        reminder="token" if had_one else "", reminder_when="SU20:00" if had_one else ""
    )
    slots = {"call": str(made), "result": str(result), "when": when, "token": "token"}

    outcome = handle(state, Event("reminder_done", slots), NOW, CONTENT)

    reply = outcome.reply
    assert reply.text.strip()
    assert not isinstance(outcome.effect, CallReminders)  # one call a turn
    if isinstance(outcome.effect, AskConsent):
        assert result == Result.DENIED and outcome.state.reminder_pending
    else:  # a question open with a reprompt, or the end of the evening
        assert reply.end_session or reply.reprompt
        assert not outcome.state.reminder_pending or outcome.state.asking == Asking.REMINDER
    if result in (Result.SAVED,) and Weekly.from_key(when):
        assert outcome.state.reminder == "token" and outcome.state.reminder_when == when
    if result in (Result.GONE, Result.DELETED):
        assert not outcome.state.reminder  # never reported as existing again


@settings(max_examples=100, deadline=None)
@given(
    place=st.sampled_from(sorted(PLACES)),
    status=st.sampled_from([*Consent, None]),
    pending=st.sampled_from(["SU20:00", "now", "read", "stop", ""]),
)
def test_every_consent_answer_is_said_or_makes_the_call_that_waited(
    place: str, status: Consent | None, pending: str
) -> None:
    state = PLACES[place].replace(reminder="token", reminder_pending=pending)

    outcome = handle(state, Event("consent", {"status": status}), NOW, CONTENT)

    assert not outcome.state.reminder_pending
    if isinstance(outcome.effect, CallReminders):  # the words come with the call's result
        assert status == Consent.ACCEPTED and pending
        expected = {"read": ReminderCall.READ, "stop": ReminderCall.DELETE}
        assert outcome.effect.call == expected.get(pending, ReminderCall.MOVE)
    else:
        assert outcome.reply.text.strip()
        assert outcome.reply.end_session or outcome.reply.reprompt


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)))
def test_this_time_never_moves_the_day(local: datetime) -> None:
    for when in ("", "SU", "20:30"):
        weekly = complete(when, local)
        assert weekly is not None
        if when != "SU":
            assert weekly.day == list(Day)[local.weekday()]
    now = complete("", local)
    assert now is not None and now.minute % 15 == 0
    assert (
        timedelta(0)
        <= local - local.replace(hour=now.hour, minute=now.minute)
        < timedelta(minutes=15)
    )


def test_a_day_or_a_time_alone_keeps_the_rest_of_the_reminder_moved() -> None:
    assert wanted("friday", None, "SU20:00") == "FR20:00"
    assert wanted(None, "07:30", "SU20:00") == "SU07:30"
    assert wanted("friday", "19:00", "SU20:00") == "FR19:00"
    assert wanted("friday", None) == "FR"  # completed from the device's clock
    assert wanted(None, "EV") == "19:00"
    assert wanted(None, None) == ""


def test_a_day_slot_that_caught_words_around_the_day_is_read_for_it() -> None:
    """On a device a slot can take in words no sample names ("every sunday"); the day (and a
    part of the day beside it) is still what the couple said, never today by mistake."""
    assert wanted("every sunday", "20:00") == "SU20:00"
    assert wanted("sunday evenings", None) == "SU19:00"
    assert wanted("thursday night", None) == "TH21:00"
    assert wanted("week", None) == ""  # "every week": no day named, this day then


def test_offered_again_thirty_days_after_a_no() -> None:
    from skill.engine.context import Ctx
    from skill.engine.reminding import offer_due

    declined = State(names=NAMES, phase=Phase.DONE, reminder_declined="2026-11-23")
    for days, due in ((0, False), (29, False), (30, True), (90, True)):
        ctx = Ctx(CONTENT, NOW + timedelta(days=days), "en-US", [])
        assert offer_due(declined, ctx) is due, days
    ctx = Ctx(CONTENT, NOW, "en-US", [])
    assert not offer_due(declined.replace(reminder_declined="", reminder="t"), ctx)
    assert not offer_due(State(), ctx)  # no names yet
    assert offer_due(declined.replace(reminder_declined="not a date"), ctx)
