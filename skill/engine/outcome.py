"""What a handler returns: the new state and the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from skill.engine.context import Ctx
from skill.engine.effects import Effect
from skill.engine.events import Event
from skill.engine.reply import Reply
from skill.engine.state import State
from skill.speech.timing import Part


class Outcome(NamedTuple):
    state: State
    reply: Reply
    forget: bool = False  # the couple confirmed "forget us": delete everything stored
    effect: Effect | None = None  # what the edges must do besides speaking (effects.py)


def reply(
    state: State,
    *parts: Part,
    reprompt: str | None = None,
    end: bool = False,
    finished: bool = False,
    effect: Effect | None = None,
) -> Outcome:
    """An outcome that keeps the session open (with a reprompt) or ends it; empty lines,
    left by optional parts, are dropped."""
    speech = tuple(p for p in parts if p != "")
    return Outcome(state, Reply(speech, reprompt, end, finished), effect=effect)


Handler = Callable[[State, Event, Ctx], Outcome]
"""A route's target: pure, it returns the new state and never changes the one it is given."""
