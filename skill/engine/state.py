"""The couple's state: everything the engine needs to continue, and nothing it can derive.

It is stored compactly (fields at their default are left out) with a schema version; older
versions are migrated on load (schema.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SCHEMA_VERSION = 2
PHASES = ("new", "names", "confirm_names", "ready", "beat", "done")
DEFAULT_TURN_SECONDS = 45
MIN_TURN_SECONDS = 15
MAX_TURN_SECONDS = 90
KEEP_RECENT = 8  # dates of the latest completed check-ins
WEEK_BITS = 64  # weeks of history kept for the forgiving streak


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
    question: str = ""  # the question of the current beat
    deck_seed: int = 0  # the order of this pass through the question deck
    deck_pos: int = 0  # questions drawn in this pass
    deck_sig: str = ""  # which deck the pass is over; a changed deck starts a new pass
    completed: int = 0  # check-ins completed, ever
    month: str = ""  # "YYYY-MM" of the latest completed check-in
    month_count: int = 0  # check-ins completed in that month
    week: str = ""  # ISO date of the Monday of the latest week with a completed check-in
    weeks: int = 0  # bit i set: a check-in completed i weeks before `week`
    recent: tuple[str, ...] = ()  # ISO dates of the latest completed check-ins, oldest first
    asking: str = ""  # a pending yes/no question: "forget" or "support"
    updated: str = ""  # ISO timestamp of the last change

    def replace(self, **changes: Any) -> State:
        """A copy with some fields changed (dataclasses.replace, about ten times cheaper:
        the engine makes a few per turn)."""
        unknown = changes.keys() - FIELD_NAMES
        if unknown:
            raise TypeError(f"State has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(State)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    def to_dict(self) -> dict[str, Any]:
        """Compact: only the fields that differ from a new couple's, plus the schema version."""
        data: dict[str, Any] = {"v": SCHEMA_VERSION}
        for name, default in DEFAULTS:
            value = getattr(self, name)
            if value != default:
                data[name] = list(value) if type(value) is tuple else value
        return data

    @classmethod
    def parse(cls, data: dict[str, Any]) -> tuple[State, list[str]]:
        """Rebuild a state from current-schema data, keeping every sound field.

        Returns the state and the names of the fields that had to be dropped or repaired."""
        values: dict[str, Any] = {}
        dropped: list[str] = []
        for name, default in DEFAULTS:
            if name not in data:
                continue
            value = data[name]
            kind = type(default)
            if type(value) is not kind or kind is tuple:  # the common case needs no coercion
                value = coerce(value, default)
            if value is None:
                dropped.append(name)
            else:
                values[name] = value
        state = cls(**values)
        repaired = state.repaired()
        if repaired is not state:
            dropped += [n for n, _ in DEFAULTS if getattr(repaired, n) != getattr(state, n)]
        return repaired, dropped

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        return cls.parse(data)[0]

    def repaired(self) -> State:
        """The same state with anything out of range brought back to a safe value."""
        fixes: dict[str, Any] = {}
        if len(self.names) not in (0, 2):
            fixes["names"] = ()
        if len(self.heard) > 2:
            fixes["heard"] = ()
        if self.phase not in PHASES:
            fixes["phase"] = "ready" if len(self.names) == 2 else "new"
        names = fixes.get("names", self.names)
        if not names and fixes.get("phase", self.phase) in ("ready", "beat", "done"):
            fixes["phase"] = "new"
        if fixes.get("phase", self.phase) == "confirm_names" and len(self.heard) != 2:
            fixes["phase"] = "names"
        if not MIN_TURN_SECONDS <= self.turn_seconds <= MAX_TURN_SECONDS:
            fixes["turn_seconds"] = DEFAULT_TURN_SECONDS
        for name in ("step", "beat", "started", "completed", "seed", "deck_pos", "month_count"):
            if getattr(self, name) < 0:
                fixes[name] = 0
        if not 0 <= self.weeks < 2**WEEK_BITS:
            fixes["weeks"] = 0
        if self.asking not in ("", "forget", "support"):
            fixes["asking"] = ""
        if len(self.recent) > KEEP_RECENT:
            fixes["recent"] = self.recent[-KEEP_RECENT:]
        return self.replace(**fixes) if fixes else self


DEFAULTS: tuple[tuple[str, Any], ...] = tuple(
    (f.name, f.default) for f in dataclasses.fields(State)
)
FIELD_NAMES = frozenset(name for name, _ in DEFAULTS)


def coerce(value: Any, expected: Any) -> Any:
    """The value in the type of the field's default, or None when it cannot be trusted."""
    if isinstance(expected, tuple):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None
    if isinstance(expected, bool):
        return value if isinstance(value, bool) else None
    if isinstance(expected, int):
        if isinstance(value, Decimal) and value.is_finite() and value == int(value):
            return int(value)  # DynamoDB hands numbers back as Decimal
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, float) and not value.is_integer():
            return None
        return int(value)
    return value if isinstance(value, type(expected)) else None
