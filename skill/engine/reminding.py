"""The weekly reminder in words: offering it, setting, reading, moving and stopping it, and
what the Reminders API's answers mean to the couple.

The calls themselves are effects (effects.CallReminders), carried out by the adapter; the
result comes back as a REMINDER_DONE event (slots: `call`, `result`, and for a reminder
that exists, `token` and `when`). A missing permission comes back as result "denied": the
engine then asks for consent (effects.AskConsent) and keeps what it was about to do in
`reminder_pending` until the answer (a CONSENT event) arrives.

After a reminder answer the couple go back to where they were: their turn mid-check-in,
the phase's question before one, or, at the end of a check-in, the goodbye (or the
meditation they chose to end with: farewell.close)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from skill.engine import beats
from skill.engine.context import Ctx
from skill.engine.effects import AskConsent, CallReminders, ReminderCall
from skill.engine.events import Event
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import context_reprompt, prompt
from skill.engine.state import Asking, Phase, State
from skill.engine.words import say
from skill.speech.timing import Part

# (skill.reminders.schedule is imported where a schedule is read or said: it brings the time
# zone database, which no check-in needs at a cold start)

OFFER_PAUSE = timedelta(days=30)  # a declined offer is not made again for this long


class Result(StrEnum):
    """What a call came back with (the REMINDER_DONE event's `result` slot)."""

    SAVED = "saved"  # created or moved: `token` and `when` say what is set
    FOUND = "found"  # read: `when` ("" for a schedule this skill did not write)
    DELETED = "deleted"
    GONE = "gone"  # the couple deleted it in the Alexa app
    DENIED = "denied"  # no permission (none asked yet, or withdrawn)
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"  # 5xx, a timeout, no time zone, anything else


# What reminder_pending holds besides a schedule key: the call to make once allowed.
NOW = "now"  # create (or move) at this day and time
READ = "read"
STOP = "stop"


# --- the offer at the end of a check-in ----------------------------------------------------


def offer_due(state: State, ctx: Ctx) -> bool:
    """Whether the end of tonight's check-in offers a weekly reminder: not when one is set,
    not within 30 days of a declined offer, and not before the couple have names."""
    if len(state.names) != 2 or state.reminder:
        return False
    declined = declined_on(state)
    return declined is None or ctx.now.date() - declined >= OFFER_PAUSE


def declined_on(state: State) -> date | None:
    try:
        return date.fromisoformat(state.reminder_declined) if state.reminder_declined else None
    except ValueError:  # a damaged date: the offer may be made again
        return None


def offer(state: State, ctx: Ctx, lead: list[Part]) -> Outcome:
    """Say `lead`, then offer the reminder (Asking.REMINDER)."""
    asking = state.replace(asking=Asking.REMINDER, reminder_pending="")
    return reply(
        asking,
        *lead,
        say(ctx, state, "reminder_offer"),
        reprompt=say(ctx, state, "reminder_offer_reprompt"),
    )


def offer_accepted(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Yes" (this day and time), or "yes, Sundays at eight": set it. A new reminder offered
    after a move found none keeps the day and time asked for then."""
    from skill.reminders.schedule import wanted

    asked = wanted(event.slots.get("day"), event.slots.get("time"))
    pending = "" if state.reminder_pending == NOW else state.reminder_pending
    return call(state, set_call(state), asked or pending)


def offer_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    declined = state.replace(reminder_declined=ctx.now.date().isoformat(), reminder_pending="")
    return back(declined, ctx, say(ctx, state, "reminder_no_thanks"))


# --- what the couple ask for ---------------------------------------------------------------


def remind(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Remind us every Sunday at eight" (a missing day or time is taken from now); with a
    reminder already set, it moves."""
    from skill.reminders.schedule import wanted

    if len(state.names) != 2:
        return names_first(state, ctx)
    slots = event.slots
    return call(state, set_call(state), wanted(slots.get("day"), slots.get("time")))


def when(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "When is our reminder?": read it from Alexa (it may have been changed or deleted in
    the app since it was set)."""
    if not state.reminder:
        return back(state, ctx, say(ctx, state, "reminder_none"))
    return call(state, ReminderCall.READ, state.reminder_when)


def move(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Move our reminder to Friday at seven": a day alone keeps the time, a time alone the
    day. Without a reminder, offer to set one there."""
    from skill.reminders.schedule import wanted

    if len(state.names) != 2:
        return names_first(state, ctx)
    slots = event.slots
    asked = wanted(slots.get("day"), slots.get("time"), state.reminder_when)
    if not slots.get("day") and not slots.get("time"):
        return back(state, ctx, say(ctx, state, "reminder_move_what"))
    if not state.reminder:
        return offer_new(state, ctx, asked, say(ctx, state, "reminder_move_none"))
    return call(state, ReminderCall.MOVE, asked)


def stop_reminding(state: State, event: Event, ctx: Ctx) -> Outcome:
    if not state.reminder:
        return back(state, ctx, say(ctx, state, "reminder_stop_none"))
    return call(state, ReminderCall.DELETE)


# --- what came back ------------------------------------------------------------------------


def done(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A call's result, in words; then back to where the couple were."""
    slots = event.slots
    result, made, key = slots.get("result"), slots.get("call"), slots.get("when") or ""
    if result == Result.SAVED:
        return saved(state, ctx, slots.get("token") or state.reminder, key)
    if result == Result.FOUND:
        return found(state, ctx, key)
    if result in (Result.DELETED, Result.GONE):
        return gone(state, ctx, made, key, deleted=result == Result.DELETED)
    if result == Result.DENIED:
        return ask_permission(state, ctx, made, key)
    busy = "reminder_busy" if result == Result.THROTTLED else "reminder_unavailable"
    return back(state.replace(reminder_pending=""), ctx, say(ctx, state, busy))


def gone(state: State, ctx: Ctx, made: str | None, key: str, deleted: bool) -> Outcome:
    """Deleted by us, or found gone (deleted in the Alexa app): forgotten either way. A move
    that finds it gone offers a new one at the time asked."""
    if deleted or made == ReminderCall.DELETE:
        return back(cleared(state), ctx, say(ctx, state, "reminder_stopped"))
    lost = say(ctx, state, "reminder_gone")
    if made == ReminderCall.MOVE:
        return offer_new(cleared(state), ctx, key, lost, say(ctx, state, "reminder_new_offer"))
    return back(cleared(state), ctx, lost, say(ctx, state, "reminder_none"))


def saved(state: State, ctx: Ctx, token: str, key: str) -> Outcome:
    from skill.reminders.schedule import Weekly, say_when

    weekly = Weekly.from_key(key)
    state = state.replace(
        reminder=token, reminder_when=key, reminder_pending="", reminder_declined=""
    )
    if weekly is None or len(state.names) != 2:  # (the adapter always says when: a guard)
        return back(state, ctx, say(ctx, state, "reminder_is_elsewhere"))
    first, second = state.names
    done_line = say(ctx, state, "reminder_set", when=say_when(weekly), first=first, second=second)
    return back(state, ctx, done_line, say(ctx, state, "reminder_set_tip"))


def found(state: State, ctx: Ctx, key: str) -> Outcome:
    from skill.reminders.schedule import Weekly, say_when

    weekly = Weekly.from_key(key)
    if weekly is None:  # changed in the app to a schedule this skill does not write
        return back(state, ctx, say(ctx, state, "reminder_is_elsewhere"))
    state = state.replace(reminder_when=key)
    return back(state, ctx, say(ctx, state, "reminder_is", when=say_when(weekly)))


def cleared(state: State) -> State:
    return state.replace(reminder="", reminder_when="", reminder_pending="")


def ask_permission(state: State, ctx: Ctx, made: str | None, key: str) -> Outcome:
    """No permission: Alexa asks for it by voice (the adapter sends the AskFor directive)
    after our one line; what was about to be done waits in reminder_pending."""
    if made == ReminderCall.READ:
        pending = READ
    elif made == ReminderCall.DELETE:
        pending = STOP
    else:
        pending = key or NOW
    waiting = state.replace(reminder_pending=pending)
    return reply(waiting, say(ctx, state, "reminder_permission"), effect=AskConsent())


def consent(state: State, event: Event, ctx: Ctx) -> Outcome:
    """The answer to Alexa's permission question: on a yes, what was waiting is done now."""
    from skill.reminders.consent import Consent  # (only when an answer comes)

    status = event.slots.get("status")
    pending = state.reminder_pending
    state = state.replace(reminder_pending="")
    if status != Consent.ACCEPTED:
        key = {
            Consent.DENIED: "reminder_consent_denied",
            Consent.NOT_ANSWERED: "reminder_consent_unanswered",
        }.get(status or "", "reminder_consent_card")  # None: no voice dialog, a card instead
        return back(state, ctx, say(ctx, state, key))
    if pending == READ:
        return when(state, event, ctx)
    if pending == STOP:
        return stop_reminding(state, event, ctx)
    if not pending or len(state.names) != 2:
        return back(state, ctx, say(ctx, state, "reminder_allowed"))
    return call(state, set_call(state), "" if pending == NOW else pending)


# --- shared ---------------------------------------------------------------------------------


def set_call(state: State) -> ReminderCall:
    """Setting a reminder when one exists moves it: a couple has one weekly reminder."""
    return ReminderCall.MOVE if state.reminder else ReminderCall.CREATE


def call(state: State, made: ReminderCall, key: str = "") -> Outcome:
    """Ask the adapter for the call; the words come with its result (done)."""
    return reply(state.replace(reminder_pending=""), effect=CallReminders(made, key))


def offer_new(state: State, ctx: Ctx, key: str, *lines: str) -> Outcome:
    """Offer to set a reminder (at `key`, or this day and time) after a move found none."""
    asking = state.replace(asking=Asking.REMINDER, reminder_pending=key or NOW)
    return reply(asking, *lines, reprompt=say(ctx, state, "reminder_new_reprompt"))


def names_first(state: State, ctx: Ctx) -> Outcome:
    return prompt(state, ctx, say(ctx, state, "reminder_names_first"))


def back(state: State, ctx: Ctx, *lines: Part) -> Outcome:
    """Say `lines`, then go back to where the couple were: the turn they were on, the
    question of the phase, or (after a check-in) goodbye or the chosen meditation."""
    if state.phase == Phase.BEAT:
        again = beats.ready_again(state, ctx)
        return reply(state, *lines, again, reprompt=context_reprompt(state, ctx))
    if state.phase == Phase.DONE:
        from skill.engine.farewell import close  # (farewell offers the reminder: a cycle)

        return close(state, ctx, *lines)
    if state.phase == Phase.MEDITATION:  # asked during the audio: answer, and let it be
        return reply(state, *lines, end=True)
    return prompt(state, ctx, *lines)
