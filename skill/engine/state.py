"""The couple's state: everything the engine needs to continue, and nothing it can derive.

It is stored compactly (fields at their default are left out) with a schema version; older
versions are migrated on load (schema.py). A record written by a newer version is kept as it
is: the fields this version does not know ride along untouched, and its version is never
lowered (a rollback or a mixed deploy must not lose what the newer code wrote)."""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from skill.content.rules import DEFAULT_TURN_SECONDS

SCHEMA_VERSION = 4
MIN_TURN_SECONDS = 15
MAX_TURN_SECONDS = 90
KEEP_RECENT = 8  # dates of the latest completed check-ins
WEEK_BITS = 64  # weeks of history kept for the forgiving streak
KEEP_FAVOURITES = 12  # questions kept by "we love that one"; the oldest goes first


class Phase(StrEnum):
    NEW = "new"  # nothing known yet
    NAMES = "names"  # asking for the two first names
    CONFIRM_NAMES = "confirm_names"  # "So that's Sam and Alex?"
    READY = "ready"  # names known, nothing started
    BEAT = "beat"  # inside a plan: an exercise's turn
    DONE = "done"  # tonight's plan is finished
    MEDITATION = "meditation"  # a meditation was handed to the audio player (or paused)


PHASES = tuple(Phase)


class Asking(StrEnum):
    """A yes/no question left open for the next answer."""

    NOTHING = ""
    FORGET = "forget"  # "forget us?"
    SUPPORT = "support"  # "stop for tonight?" after the support answer
    MEDITATE = "meditate"  # "end with ten minutes of meditation together?"
    REMINDER = "reminder"  # "shall I remind you both every week at this time?"


@dataclass(frozen=True, eq=False, repr=False)  # (eq, hash and repr are written below:
class State:  # the generated ones would cost a Lambda cold start about 0.4 ms more)
    names: tuple[str, ...] = ()  # the two partners, once confirmed
    heard: tuple[str, ...] = ()  # names heard during onboarding, not yet confirmed
    phase: Phase = Phase.NEW
    plan: str = "quick"  # a plan id, or "ex:<exercise id>" for one exercise on its own
    step: int = 0
    beat: int = 0  # index into the step's beats, repeated for each round
    swapped: bool = False  # the couple switched who goes first in this check-in
    started: int = 0  # check-ins begun; its parity rotates who goes first
    preferred_plan: str = "quick"  # the plan id the couple chose last
    turn_seconds: int = DEFAULT_TURN_SECONDS
    seed: int = 0
    question: str = ""  # the question of the current beat
    completed: int = 0  # check-ins completed, ever
    month: str = ""  # "YYYY-MM" of the latest completed check-in
    month_count: int = 0  # check-ins completed in that month
    week: str = ""  # ISO date of the Monday of the latest week with a completed check-in
    weeks: int = 0  # bit i set: a check-in completed i weeks before `week`
    recent: tuple[str, ...] = ()  # ISO dates of the latest completed check-ins, oldest first
    asking: Asking = Asking.NOTHING
    updated: str = ""  # ISO timestamp of the last change
    said: str = ""  # ids of the variants said in this check-in (words.py), for no repeats
    said_mark: int = 0  # how many of them were said before the current beat began
    another: bool = False  # the current question was drawn by "skip": said in its own words
    switched_at: int = 0  # 1 + the beat (step * 64 + beat) where the couple last switched
    last_closing: str = ""  # the closing exercise of the last finished check-in
    # A check-in set aside for a single exercise: plan, step, beat, swapped, question, started.
    held: tuple[str, ...] = ()
    # The question deck over the couple's whole history (deck.py). `asked` and `never` are
    # sets of question ids written compactly: "dre:6,mem:1fffe" (hex bits of the numbers).
    asked: str = ""  # the questions asked since the deck was last exhausted
    kept: tuple[str, ...] = ()  # questions the couple loved, for "ask us a favourite"
    never: str = ""  # questions the couple never want again
    wish: str = ""  # a kind (or "favourite") asked for outside a question turn, for the next
    # A meditation handed to the audio player: its id, the offset (ms) it stopped at, whether
    # a failed stream was tried again, and how many the couple finished.
    meditation: str = ""
    offset: int = 0
    retried: bool = False
    meditated: int = 0
    then_play: str = ""  # a meditation to play once tonight's last question is answered
    # The weekly reminder (reminding.py): the Alexa alert token, when it rings (Weekly.key),
    # the day an offer was declined, and a reminder waiting for the couple's permission.
    reminder: str = ""
    reminder_when: str = ""
    reminder_declined: str = ""
    reminder_pending: str = ""
    # Written by a newer version: its schema number and the fields this version does not
    # know, stored again exactly as read.
    newer_schema: int = 0
    foreign: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name, kind in (("phase", Phase), ("asking", Asking)):
            value = getattr(self, name)
            if type(value) is not kind:
                object.__setattr__(self, name, kind(value))

    def __eq__(self, other: object) -> bool:
        """The dataclass's equality (every field but `foreign`), about three times cheaper:
        the same object is equal at once, and the fields are fetched in C. Every turn asks
        twice whether the state changed."""
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _compared(self) == _compared(other)

    def __hash__(self) -> int:
        return hash(_compared(self))

    def __repr__(self) -> str:
        """The fields that differ from a new couple's (the stored form), for tests and
        debugging: a state holds about fifty fields."""
        return f"State({self.to_dict()!r})"

    def replace(self, **changes: Any) -> State:
        """A copy with some fields changed (dataclasses.replace, about ten times cheaper:
        the engine makes a few per turn)."""
        unknown = changes.keys() - FIELD_NAMES
        if unknown:
            raise TypeError(f"State has no field {sorted(unknown)[0]!r}")
        for name, kind in (("phase", Phase), ("asking", Asking)):
            if name in changes and type(changes[name]) is not kind:
                changes[name] = kind(changes[name])
        copy = object.__new__(State)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    def to_dict(self) -> dict[str, Any]:
        """Compact: only the fields that differ from a new couple's, plus the schema version
        (and, for a record a newer version wrote, what that version kept)."""
        data: dict[str, Any] = {**self.foreign, "v": max(SCHEMA_VERSION, self.newer_schema)}
        for name, default in DEFAULTS:
            value = getattr(self, name)
            if value != default:
                data[name] = stored_form(value)
        return data

    @classmethod
    def parse(cls, data: dict[str, Any]) -> tuple[State, list[str]]:
        """Rebuild a state from current-schema data, keeping every sound field.

        Returns the state and the names of the fields that had to be dropped or repaired."""
        values, dropped = sound_fields(data)
        if "phase" in dropped and len(values.get("names", ())) == 2:
            values["phase"] = Phase.READY  # an unknown phase: start tonight's check-in afresh
        version = data.get("v")
        if type(version) is int and version > SCHEMA_VERSION:
            values["newer_schema"] = version
            values["foreign"] = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
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
        fixes = self.people_fixes()
        if not MIN_TURN_SECONDS <= self.turn_seconds <= MAX_TURN_SECONDS:
            fixes["turn_seconds"] = DEFAULT_TURN_SECONDS
        numbers = ("step", "beat", "started", "completed", "seed", "month_count")
        for name in (*numbers, "offset", "meditated"):
            if getattr(self, name) < 0:
                fixes[name] = 0
        if not 0 <= self.weeks < 2**WEEK_BITS:
            fixes["weeks"] = 0
        if len(self.recent) > KEEP_RECENT:
            fixes["recent"] = self.recent[-KEEP_RECENT:]
        if len(self.kept) > KEEP_FAVOURITES:
            fixes["kept"] = self.kept[-KEEP_FAVOURITES:]
        return self.replace(**fixes) if fixes else self

    def people_fixes(self) -> dict[str, Any]:
        """Two names or none, two heard at most, and a phase that fits what is known."""
        fixes: dict[str, Any] = {}
        if len(self.names) not in (0, 2):
            fixes["names"] = ()
        if len(self.heard) > 2:
            fixes["heard"] = ()
        names = fixes.get("names", self.names)
        if not names and self.phase in (Phase.READY, Phase.BEAT, Phase.DONE):
            fixes["phase"] = Phase.NEW
        if fixes.get("phase", self.phase) == Phase.CONFIRM_NAMES and len(self.heard) != 2:
            fixes["phase"] = Phase.NAMES
        return fixes


def sound_fields(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The fields of `data` this version knows, in their types, and the names of those that
    could not be trusted."""
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
    return values, dropped


DEFAULTS: tuple[tuple[str, Any], ...] = tuple(
    (f.name, f.default)
    for f in dataclasses.fields(State)
    if f.name not in ("foreign", "newer_schema")
)
FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(State))
_compared = operator.attrgetter(*(f.name for f in dataclasses.fields(State) if f.compare))
KNOWN_KEYS = frozenset({"v", *(name for name, _ in DEFAULTS)})


def stored_form(value: Any) -> Any:
    """A field's value as JSON and DynamoDB take it: lists, plain strings, numbers."""
    if type(value) is tuple:
        return list(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def coerce(value: Any, expected: Any) -> Any:
    """The value in the type of the field's default, or None when it cannot be trusted."""
    for kind, convert in COERCIONS:  # bool before int: a bool is an int too
        if isinstance(expected, kind):
            return convert(value, expected)
    return value if isinstance(value, type(expected)) else None


def member(value: Any, expected: StrEnum) -> StrEnum | None:
    try:
        return type(expected)(value)
    except ValueError:
        return None


def strings(value: Any, expected: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def flag(value: Any, expected: bool) -> bool | None:
    return value if isinstance(value, bool) else None


def whole_number(value: Any, expected: int = 0) -> int | None:
    """An int from JSON or DynamoDB (which hands numbers back as Decimal), or None."""
    if type(value).__name__ == "Decimal":
        return int(value) if value.is_finite() and value == int(value) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


COERCIONS: tuple[tuple[type, Any], ...] = (
    (StrEnum, member),
    (tuple, strings),
    (bool, flag),
    (int, whole_number),
)
