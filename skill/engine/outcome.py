"""What a handler returns: the new state and the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.reply import Reply
from skill.engine.state import State
from skill.speech.timing import Part


class Outcome(NamedTuple):
    state: State
    reply: Reply
    forget: bool = False  # the couple confirmed "forget us": delete everything stored


def reply(
    state: State,
    *parts: Part,
    reprompt: str | None = None,
    end: bool = False,
    finished: bool = False,
) -> Outcome:
    """An outcome that keeps the session open (with a reprompt) or ends it; empty lines,
    left by optional parts, are dropped."""
    return Outcome(state, Reply(tuple(p for p in parts if p != ""), reprompt, end, finished))


Handler = Callable[[State, Event, Ctx], Outcome]
"""A route's target: pure, it returns the new state and never changes the one it is given."""
