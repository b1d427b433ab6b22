"""The events the engine understands, one for each thing a couple can say or do."""

from __future__ import annotations

from collections import namedtuple
from enum import StrEnum


class EventKind(StrEnum):
    LAUNCH = "launch"
    START = "start"  # "start our (full) check-in"
    EXERCISE = "exercise"  # one exercise on its own
    NAMES = "names"
    NEXT = "next"
    SKIP = "skip"
    SWITCH = "switch"
    LENGTH = "length"
    TURN_TIME = "turn_time"
    TIME_LEFT = "time_left"  # "how long is this?"
    ACKNOWLEDGE = "acknowledge"  # "thank you", "okay", "hmm": answered in place
    SUPPORT = "support"  # "we need help"
    SAFETY = "safety"  # fear or danger: "I don't feel safe at home"
    FORGET = "forget"
    HELP = "help"
    STOP = "stop"
    CANCEL = "cancel"
    HOME = "home"
    FALLBACK = "fallback"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    START_OVER = "start_over"
    YES = "yes"
    NO = "no"


KINDS = frozenset(EventKind)


class Event(namedtuple("Event", ("kind", "slots"))):
    """kind: an EventKind (its string is taken too); slots holds resolved slot values, None
    when heard but not matched. A named tuple rather than a dataclass: a cheaper import."""

    __slots__ = ()
    kind: EventKind
    slots: dict[str, str | None]

    def __new__(cls, kind: EventKind | str, slots: dict[str, str | None] | None = None) -> Event:
        try:
            checked = EventKind(kind)
        except ValueError:
            raise ValueError(f"unknown event kind {kind!r}") from None
        return super().__new__(cls, checked, {} if slots is None else slots)
