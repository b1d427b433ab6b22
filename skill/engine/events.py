"""The events the engine understands, one for each thing a couple can say or do."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = frozenset(
    {
        "launch",
        "start",
        "exercise",
        "names",
        "next",
        "skip",
        "switch",
        "length",
        "turn_time",
        "support",
        "forget",
        "help",
        "stop",
        "cancel",
        "home",
        "fallback",
        "repeat",
        "pause",
        "resume",
        "start_over",
        "yes",
        "no",
    }
)


@dataclass(frozen=True)
class Event:
    """kind is one of KINDS. slots holds resolved slot values; None when heard but not matched."""

    kind: str
    slots: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
