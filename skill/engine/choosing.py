"""The question deck by voice: "a deep one", "we love that one", "ask us a favourite",
"never ask that again". (To be written: these answer kindly until then.)"""

from __future__ import annotations

from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.outcome import Outcome
from skill.engine.prompts import not_understood
from skill.engine.state import State


def kind(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def keep(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def favourite(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def never_again(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)
