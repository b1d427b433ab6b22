"""The content of the skill as plain, immutable data: exercises, plans, questions, phrases.

Named tuples rather than dataclasses: a frozen dataclass costs about 0.5 ms to create at
import, a named tuple a fifth of that, and every Lambda cold start imports these."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple


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


class Beat(NamedTuple):
    """One turn of an exercise: a prompt for someone, then a floor of silence."""

    who: Who
    prompts: tuple[str, ...]
    floor: int | None  # seconds of silence; None means the couple's turn length
    source: Source = Source.PROMPT
    after: tuple[str, ...] = ()


class Exercise(NamedTuple):
    id: str
    title: str
    intro: tuple[str, ...]
    beats: tuple[Beat, ...]
    minutes: int | None = None  # default length of a mindful pause


class Step(NamedTuple):
    """One step of a plan: an exercise, or alternating closings."""

    choices: tuple[str, ...]  # exercise ids; more than one alternate between check-ins
    rounds: int = 1
    minutes: int | None = None


class Plan(NamedTuple):
    id: str
    title: str
    steps: tuple[Step, ...]
    minutes: int = 0  # the length it is known by ("about five minutes"), at the default turns
    meditation: int = 0  # the minutes of the meditation offered to end with (0: none)


class Question(NamedTuple):
    id: str
    category: str
    text: str


#: A question's id: a prefix and a number ("mem23"). A couple's history of questions heard is
#: kept as the numbers heard under each prefix (skill/engine/deck.py); the validator checks it.
QUESTION_ID = re.compile(r"([a-z]+)(\d{1,3})")


class Kind(StrEnum):
    """A kind of question a couple can ask for by voice ("a deep one", "something fun"):
    the ids of the interaction model's QuestionKind slot values."""

    DEEP = "deep"
    FUN = "fun"
    MEMORY = "memory"
    DREAMS = "dreams"
    ROMANCE = "romance"


class Category(NamedTuple):
    id: str
    label: str
    not_after: tuple[str, ...] = ()  # exercise ids its questions must not directly follow
    on_request: bool = False  # a stage of life (parents, long distance): only when asked
    kinds: tuple[Kind, ...] = ()  # the kinds asked for by voice that it answers


class Locale(NamedTuple):
    """What differs between English locales: where to turn for help."""

    emergency: str  # the emergency number, as it is said ("nine one one")
    helpline: str  # a domestic-abuse helpline, as a sentence


class Track(NamedTuple):
    """A guided meditation as the skill needs it at run time (the script itself is the
    renderer's: skill/audio/scripts.py). The file name derives from id and version, so a
    changed script is a new file and no device plays a stale cache."""

    id: str
    title: str
    minutes: int
    version: str

    @property
    def file_name(self) -> str:
        return f"{self.id}.{self.version}.mp3"


def script_of(raw: dict) -> tuple[str, tuple[str | float, ...]]:
    """A [[meditation]] table's title and script as the version is computed over them."""
    script = tuple(s.strip() if isinstance(s, str) else float(s) for s in raw["script"])
    return raw["title"].strip(), script


def version_of(title: str, script: tuple[str | float, ...] | list[str | float]) -> str:
    """First 8 hex digits of SHA-256 over the title and the script as canonical JSON."""
    import hashlib
    import json

    canonical = json.dumps(
        {"title": title, "script": [s if isinstance(s, str) else float(s) for s in script]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


class Content:
    """All of it, loaded once. Compared and hashed by identity (one object per load), so
    that caches can key on it."""

    __slots__ = (
        "categories",
        "exercises",
        "locales",
        "meditations",
        "not_names",
        "pauses",
        "phrases",
        "plans",
        "questions",
    )

    def __init__(
        self,
        exercises: dict[str, Exercise],
        plans: dict[str, Plan],
        questions: dict[str, Question],
        pauses: dict[int, tuple[str | int, ...]],  # minutes -> spoken lines and silences
        phrases: dict[str, tuple[str, ...]],
        categories: dict[str, Category] | None = None,
        locales: dict[str, Locale] | None = None,
        not_names: frozenset[str] = frozenset(),  # words heard as a "name" that are not names
        meditations: dict[str, Track] | None = None,
    ) -> None:
        self.exercises = exercises
        self.plans = plans
        self.questions = questions
        self.pauses = pauses
        self.phrases = phrases
        self.categories = categories if categories is not None else {}
        self.locales = locales if locales is not None else {}
        self.not_names = not_names
        self.meditations = meditations if meditations is not None else {}

    def locale(self, code: str) -> Locale:
        """The locale's data, else the first locale of its language, else en-US."""
        if code in self.locales:
            return self.locales[code]
        language = code.split("-")[0]
        same = [c for c in self.locales if c.split("-")[0] == language]
        return self.locales[same[0] if same else "en-US"]
