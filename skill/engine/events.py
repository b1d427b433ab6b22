"""The events the engine understands, one for each thing a couple can say or do."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Event:
    """slots holds resolved slot values; None when heard but not matched."""

    kind: EventKind
    slots: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", EventKind(self.kind))
        except ValueError:
            raise ValueError(f"unknown event kind {self.kind!r}") from None
