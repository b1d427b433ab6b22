"""The content of the skill as plain, immutable data: exercises, plans, questions, phrases."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Who(StrEnum):
    """Who a beat is for: tonight's first speaker, the second, or both together."""

    FIRST = "first"
    SECOND = "second"
    BOTH = "both"


class Source(StrEnum):
    """Where a beat's words come from besides its prompt."""

    PROMPT = ""  # the prompt alone
    QUESTION = "question"  # a question drawn from the deck
    PAUSE = "pause"  # a breathing script of the step's length


@dataclass(frozen=True)
class Beat:
    """One turn of an exercise: a prompt for someone, then a floor of silence."""

    who: Who
    prompts: tuple[str, ...]
    floor: int | None  # seconds of silence; None means the couple's turn length
    source: Source = Source.PROMPT
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:  # the loader passes the files' strings
        object.__setattr__(self, "who", Who(self.who))
        object.__setattr__(self, "source", Source(self.source))


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    intro: tuple[str, ...]
    beats: tuple[Beat, ...]
    minutes: int | None = None  # default length of a mindful pause


@dataclass(frozen=True)
class Step:
    """One step of a plan: an exercise, or alternating closings."""

    choices: tuple[str, ...]  # exercise ids; more than one alternate between check-ins
    rounds: int = 1
    minutes: int | None = None


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    steps: tuple[Step, ...]
    minutes: int = 0  # the length it is known by ("about five minutes"), at the default turns


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    not_after: tuple[str, ...] = ()  # exercise ids its questions must not directly follow
    on_request: bool = False  # a stage of life (parents, long distance): only when asked


@dataclass(frozen=True)
class Locale:
    """What differs between English locales: where to turn for help."""

    emergency: str  # the emergency number, as it is said ("nine one one")
    helpline: str  # a domestic-abuse helpline, as a sentence


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per load
class Content:
    exercises: dict[str, Exercise]
    plans: dict[str, Plan]
    questions: dict[str, Question]
    pauses: dict[int, tuple[str | int, ...]]  # minutes -> spoken lines and silences
    phrases: dict[str, tuple[str, ...]]
    categories: dict[str, Category] = field(default_factory=dict)
    locales: dict[str, Locale] = field(default_factory=dict)
    not_names: frozenset[str] = frozenset()  # words heard as a "name" that are not names

    def locale(self, code: str) -> Locale:
        """The locale's data, else the first locale of its language, else en-US."""
        if code in self.locales:
            return self.locales[code]
        language = code.split("-")[0]
        same = [c for c in self.locales if c.split("-")[0] == language]
        return self.locales[same[0] if same else "en-US"]
