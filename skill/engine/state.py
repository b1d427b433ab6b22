"""The couple's state: everything the engine needs to continue, and nothing it can derive."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
PHASES = ("new", "names", "confirm_names", "ready", "beat", "done")
DEFAULT_TURN_SECONDS = 45
MIN_TURN_SECONDS = 15
MAX_TURN_SECONDS = 90
KEEP_DAYS = 60  # completed check-in dates kept for the little history


@dataclass(frozen=True)
class State:
    names: tuple[str, ...] = ()  # the two partners, once confirmed
    heard: tuple[str, ...] = ()  # names heard during onboarding, not yet confirmed
    phase: str = "new"
    plan: str = "quick"  # a plan id, or "ex:<exercise id>" for one exercise on its own
    step: int = 0
    beat: int = 0  # index into the step's beats, repeated for each round
    swapped: bool = False  # the couple switched who goes first in this check-in
    started: int = 0  # check-ins begun; its parity rotates who goes first
    length: str = "quick"  # the plan the couple prefers
    turn_seconds: int = DEFAULT_TURN_SECONDS
    seed: int = 0
    asked: tuple[str, ...] = ()  # question ids heard in this pass through the deck
    question: str = ""  # the question of the current beat
    days: tuple[str, ...] = ()  # ISO dates of completed check-ins, oldest first
    completed: int = 0
    asking: str = ""  # a pending yes/no question: "forget" or "support"
    updated: str = ""  # ISO timestamp of the last change

    def replace(self, **changes: Any) -> State:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"v": SCHEMA_VERSION}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        """Rebuild a state, keeping every field that is sound and defaulting the rest.

        Raises ValueError only when nothing usable is there."""
        if not isinstance(data, dict):
            raise ValueError("stored state is not an object")
        default = cls()
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            expected = getattr(default, f.name)
            if isinstance(expected, tuple):
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    values[f.name] = tuple(value)
            elif isinstance(expected, bool):
                if isinstance(value, bool):
                    values[f.name] = value
            elif isinstance(expected, int):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    values[f.name] = int(value)  # DynamoDB hands numbers back as Decimal-like
            elif isinstance(value, type(expected)):
                values[f.name] = value
        state = cls(**values)
        return state.repaired()

    def repaired(self) -> State:
        """The same state with anything out of range brought back to a safe value."""
        fixes: dict[str, Any] = {}
        if len(self.names) not in (0, 2):
            fixes["names"] = ()
        if self.phase not in PHASES:
            fixes["phase"] = "ready" if len(self.names) == 2 else "new"
        names = fixes.get("names", self.names)
        if not names and fixes.get("phase", self.phase) in ("ready", "beat", "done"):
            fixes["phase"] = "new"
        if not MIN_TURN_SECONDS <= self.turn_seconds <= MAX_TURN_SECONDS:
            fixes["turn_seconds"] = DEFAULT_TURN_SECONDS
        for name in ("step", "beat", "started", "completed", "seed"):
            if getattr(self, name) < 0:
                fixes[name] = 0
        if self.asking not in ("", "forget", "support"):
            fixes["asking"] = ""
        if len(self.days) > KEEP_DAYS:
            fixes["days"] = self.days[-KEEP_DAYS:]
        return self.replace(**fixes) if fixes else self
