"""The weekly reminder as couples meet it, through the Lambda handler and a local HTTPS
stand-in for the Alexa APIs (the server and the Echo are test_reminders_skill's): the offer
at the end of a check-in (yes, "yes, Sundays at eight", and no: not offered again for 30
days, offered after; before a closing meditation's audio, with Alexa asking permission),
"remind us every Sunday at eight" as a one-shot and mid-check-in, and when / move / stop.
The couple's Echo is in Los Angeles; the clock says Monday noon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer

from skill.console.device import Device, Turn
from tests.conftest import Clock, meet
from tests.test_reminders_skill import (
    ALERT_PATH,
    FRIDAY_AT_SEVEN,
    Account,
    account,
    answer_consent,
    api,
    api_server,
    bodies,
    ca,
    echo,
    new_echo,
    reminder,
    says,
    serve_create,
)

# The stand-in server, the account and the Echo: test_reminders_skill's fixtures.
FIXTURES = (account, api, api_server, ca, echo, new_echo)


def to_the_offer(echo: Device) -> Turn:
    """Tonight's check-in, turn by turn ("next"), to its last answer."""
    turn = echo.hear("Alexa, start our check-in")
    for _ in range(40):
        if turn.ended or turn.state.get("asking") == "reminder":
            return turn
        turn = echo.hear("next")
    raise AssertionError("the check-in never ended")


def hears(turn: Turn, words: str) -> bool:
    """Whether the answer says `words` (a line may begin with them: case aside)."""
    return words.casefold() in turn.speech.casefold()


def rules(api: HTTPServer, method: str = "POST") -> list[list[str]]:
    return [body["trigger"]["recurrence"]["recurrenceRules"] for body in bodies(api, method)]


def test_the_offer_at_the_end_of_a_check_in_yes(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    meet(echo)
    echo.close()

    end = to_the_offer(echo)
    assert says(end, "reminder_offer") and not end.ended
    assert "this time" in end.speech and "this time" in end.reprompt

    done = echo.hear("yes")
    # Monday, noon in Los Angeles: the same day and time, every week
    assert rules(api) == [["FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]]
    assert hears(done, "every Monday at noon") and "Sam and Alex" in done.speech
    assert done.ended  # and goodnight

    echo.clock.advance(days=7)
    nxt = to_the_offer(echo)
    assert nxt.ended and not says(nxt, "reminder_offer")  # set: never offered again


def test_yes_sundays_at_eight(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    meet(echo)
    echo.close()
    to_the_offer(echo)

    done = echo.hear("sunday at eight pm")

    assert rules(api) == [["FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]]
    assert hears(done, "every Sunday at 8 p.m.") and done.ended


def test_no_thanks_is_not_asked_again_for_thirty_days(api: HTTPServer, echo: Device) -> None:
    clock: Clock = echo.clock  # type: ignore[assignment]
    meet(echo)
    echo.close()
    to_the_offer(echo)

    no = echo.hear("no")
    assert says(no, "reminder_no_thanks") and no.ended
    assert bodies(api, "POST") == []

    declined = clock.now
    for days in (7, 14, 29):  # within 30 days of the no: a check-in ends with goodbye
        clock.now = declined + timedelta(days=days)
        end = to_the_offer(echo)
        assert end.ended and not says(end, "reminder_offer"), days

    clock.now = declined + timedelta(days=30)
    again = to_the_offer(echo)
    assert says(again, "reminder_offer") and not again.ended


def test_remind_us_as_a_one_shot(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    meet(echo)
    echo.close()

    turn = echo.hear("Alexa, ask our check in to remind us every sunday at eight pm")

    assert rules(api) == [["FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]]
    assert hears(turn, "every Sunday at 8 p.m.") and "Sam and Alex" in turn.speech
    assert turn.speech.endswith("Ready?")  # then tonight's check-in, if they like


def test_remind_us_before_we_have_names(api: HTTPServer, echo: Device) -> None:
    turn = echo.hear("Alexa, ask our check in to remind us every sunday at eight pm")

    assert says(turn, "reminder_names_first") and "first names" in turn.speech
    assert bodies(api, "POST") == []


def test_remind_us_mid_check_in_and_carry_on(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    meet(echo)
    echo.hear("yes")  # the pause
    turn = echo.hear("next")  # Sam's turn in the gratitude round
    assert "Sam" in turn.speech

    aside = echo.hear("remind us every sunday at eight pm")
    assert hears(aside, "every Sunday at 8 p.m.") and not aside.ended
    assert aside.state["step"] == turn.state["step"] and aside.state.get("beat") == turn.state.get(
        "beat"
    )

    after = echo.hear("next")  # on to Alex, as if nothing happened
    assert "Alex" in after.speech.split("[pause")[0]


def test_when_move_and_stop(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="PUT").respond_with_json({"alertToken": "alert-token-1"})
    api.expect_request(ALERT_PATH, method="DELETE").respond_with_data("")
    meet(echo)

    none_yet = echo.hear("when is our reminder")
    assert says(none_yet, "reminder_none")

    echo.hear("remind us every sunday at eight pm")
    api.expect_request(ALERT_PATH, method="GET").respond_with_json(
        reminder("FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1")
    )
    when = echo.hear("when is our reminder")
    assert hears(when, "every Sunday at 8 p.m.")

    moved = echo.hear("move our reminder to friday at seven pm")
    assert "Friday at 7 p.m." in moved.speech
    assert rules(api, "PUT") == [[FRIDAY_AT_SEVEN]]

    stopped = echo.hear("stop reminding us")
    assert says(stopped, "reminder_stopped")
    assert [req.method for req, _ in api.log][-1] == "DELETE"

    nothing = echo.hear("stop reminding us")
    assert says(nothing, "reminder_stop_none")


def test_a_check_in_ending_with_a_meditation_offers_the_reminder_before_the_audio(
    api: HTTPServer, echo: Device, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing can be said once the audio plays: the reminder is offered, asked permission
    for and set first, and the meditation starts in the answer that confirms it."""
    monkeypatch.setenv("CHECKIN_AUDIO_URL", "https://audio.checkin.test/meditations/")
    account.granted = False
    serve_create(api)
    meet(echo)
    turn = echo.hear("full please")
    turn = echo.hear("yes")
    while turn.state.get("asking") != "meditate":
        assert not turn.ended, "the full check-in ended without offering a meditation"
        turn = echo.hear("next")

    offer = echo.hear("yes")  # to the meditation
    assert says(offer, "reminder_offer") and offer.played is None and not offer.ended

    ask = echo.hear("yes")  # to the reminder: Alexa asks for the permission
    assert ask.directive("Connections.SendRequest") and ask.played is None

    done = answer_consent(echo, "ACCEPTED")
    assert rules(api) == [["FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]]
    assert hears(done, "every Monday at noon")
    assert done.played is not None and done.ended  # and now the meditation plays
