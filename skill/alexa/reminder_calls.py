"""The Reminders API calls the engine asks for (effects.CallReminders), made with the
client (skill/reminders/client.py, which brings requests and the time zone database: this
module is imported only when a call is made, never at a cold start).

A call's result goes back to the engine as a REMINDER_DONE event, with slots `call` (what
was asked), `result` (reminding.Result), and, when a reminder exists, `token` and `when`
(a schedule.Weekly key). Nothing here speaks: the engine says what the result means.

- No permission in the request (context.System.user.permissions.scopes) means no call: the
  result is "denied", and the engine has Alexa ask for it. The request that answers that
  question (Connections.Response, ACCEPTED) is trusted without the scope, since the docs
  promise ACCEPTED only once the permission is granted; a refusal from the API then is not
  asked about again in a loop, it is "unavailable".
- Setting a reminder reads the device's time zone first (the settings API, never a guess):
  "this day and time" and a day or a time alone are completed on the device's clock.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.household import request_locale, request_time
from skill.alexa.reminding import consent_answer
from skill.alexa.skill import note
from skill.engine.effects import CallReminders, ReminderCall
from skill.engine.events import Event, EventKind
from skill.engine.reminding import Result
from skill.engine.state import State
from skill.reminders.client import (
    Deleted,
    Denied,
    Failure,
    Gone,
    Reminder,
    Reminders,
    Saved,
    Throttled,
    Unavailable,
)
from skill.reminders.consent import has_permission
from skill.reminders.schedule import complete, local_now

FAILURES: dict[type, Result] = {
    Denied: Result.DENIED,
    Throttled: Result.THROTTLED,
    Gone: Result.GONE,
}


def make_call(handler_input: HandlerInput, call: CallReminders, state: State) -> Event:
    """Make the call; its result as a REMINDER_DONE event."""
    slots = carry_out(handler_input, call, state)
    note(handler_input, reminder=f"{call.call}:{slots['result']}")  # never a token or a time
    return Event(EventKind.REMINDER_DONE, slots)


def carry_out(handler_input: HandlerInput, call: CallReminders, state: State) -> dict[str, str]:
    envelope = handler_input.request_envelope
    answered = consent_answer(handler_input)
    slots = {"call": str(call.call), "when": call.when}
    if answered is None and not has_permission(envelope):
        return {**slots, "result": Result.DENIED}
    reminders = Reminders.from_envelope(envelope)
    if call.call == ReminderCall.READ:
        result: object = reminders.get(state.reminder) if state.reminder else Gone()
    elif call.call == ReminderCall.DELETE:
        result = reminders.delete(state.reminder) if state.reminder else Gone()
    else:
        result = save(handler_input, reminders, call, state, slots)
    outcome = described(result)
    if outcome["result"] == Result.DENIED and answered is not None:
        outcome["result"] = Result.UNAVAILABLE  # just allowed, yet refused: do not ask again
    return {**slots, **outcome}


def save(
    handler_input: HandlerInput,
    reminders: Reminders,
    call: CallReminders,
    state: State,
    slots: dict[str, str],
) -> Saved | Failure:
    """Create or move the reminder, on the day and at the time asked, completed on the
    device's clock. `slots["when"]` becomes the whole schedule (a move that finds the
    reminder gone offers a new one there)."""
    if len(state.names) != 2:  # (the engine asks for names first: only a guard)
        return Unavailable()
    zone = reminders.time_zone()
    if not isinstance(zone, str):
        return zone
    now = request_time(handler_input)
    weekly = complete(call.when, local_now(now, zone))
    if weekly is None:
        return Unavailable()
    slots["when"] = weekly.key
    names = (state.names[0], state.names[1])
    locale = request_locale(handler_input)
    if call.call == ReminderCall.MOVE and state.reminder:
        return reminders.update(
            state.reminder, weekly, names=names, locale=locale, now=now, time_zone=zone
        )
    return reminders.create(weekly, names=names, locale=locale, now=now, time_zone=zone)


def described(result: object) -> dict[str, str]:
    """A client result as the event's slots."""
    if isinstance(result, Saved):
        return {"result": Result.SAVED, "token": result.alert_token}
    if isinstance(result, Reminder):
        if not result.active:  # (a weekly reminder never completes: treat it as gone)
            return {"result": Result.GONE}
        return {"result": Result.FOUND, "when": result.weekly.key if result.weekly else ""}
    if isinstance(result, Deleted):
        return {"result": Result.DELETED}
    return {"result": FAILURES.get(type(result), Result.UNAVAILABLE)}
