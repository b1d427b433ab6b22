"""The weekly reminder in words: offering it, setting, reading, moving and stopping it, and
what the Reminders API's answers mean to the couple. The calls themselves are effects
(effects.CallReminders), carried out by the adapter. (To be written.)"""

from __future__ import annotations

from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.outcome import Outcome
from skill.engine.prompts import not_understood
from skill.engine.state import State
from skill.speech.timing import Part


def offer_due(state: State, ctx: Ctx) -> bool:
    """Whether the end of tonight's check-in offers a weekly reminder."""
    return False


def offer(state: State, ctx: Ctx, lead: list[Part]) -> Outcome:
    """Say `lead`, then offer the reminder (Asking.REMINDER)."""
    raise NotImplementedError


def remind(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def when(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def move(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def stop_reminding(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def done(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def consent(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def offer_accepted(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def offer_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)
