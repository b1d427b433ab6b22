"""The content as each locale spells it: for_locale(content, "en-GB") says "favourite" where
the files say "favorite". Everything the skill says or shows from the content is respelled
(skill/speech/spelling.py): exercise titles, intros, prompts and after lines, pause lines,
questions, category labels, plan titles, phrases and meditation titles. Placeholders such as
{other} and SSML tags are never changed; ids never are either, so a couple's deck, plan and
memory of what was said are the same in every locale.

The content is written as en-US spells it (the source locale, as its interaction model is):
en-US, and any locale that spells the same way, gets the very same object, with nothing
imported and nothing computed, which keeps the Lambda cold start of most requests as it was.
Another spelling is made once per process per content (a few milliseconds) and shared by the
locales that use it (en-GB, en-AU and en-IN)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

from skill.content.model import Beat, Category, Content, Exercise, Plan, Question, Track

#: The locale the content files are written for.
SOURCE_LOCALE = "en-US"
#: The fields of Content that hold words the skill says or shows: each maps to the method of
#: Respeller that respells one of its values.
FIELDS = {
    "exercises": "exercise",
    "plans": "plan",
    "questions": "question",
    "categories": "category",
    "pauses": "lines",
    "phrases": "lines",
    "meditations": "track",
}
#: The fields of Content with nothing to respell: each locale's own safety data (written as
#: that locale spells), and words heard rather than said. Every other field is respelled.
KEPT = ("locales", "not_names")

K = TypeVar("K")
V = TypeVar("V")


def for_locale(content: Content, locale: str) -> Content:
    """``content`` as ``locale`` spells it; ``content`` itself when nothing changes."""
    if locale == SOURCE_LOCALE:
        return content
    from skill.speech.spelling import spelling_of  # not on the en-US path: it reads TOML

    spelling = spelling_of(locale)
    if spelling == spelling_of(SOURCE_LOCALE):
        return content
    return respelled(content, spelling)


@lru_cache(maxsize=16)  # (content, spelling): three spellings, a few contents in tests
def respelled(content: Content, spelling: str) -> Content:
    """``content`` in ``spelling`` ("british"); ``content`` itself when no word differs."""
    from skill.speech.spelling import cached_speller

    every = list(texts(content))
    joined = "\n".join(every)
    speller = cached_speller(spelling).only_for(joined)
    if speller.pattern is None:
        return content
    touched = _containing(every, joined.lower(), tuple(speller.forms))

    def spell(text: str) -> str:
        return speller(text) if text in touched else text

    return Respeller(spell).content(content)


def _containing(every: list[str], lowered: str, words: tuple[str, ...]) -> frozenset[str]:
    """The texts in which one of ``words`` occurs (in any case), found in their lower-cased
    join: a few substring searches instead of a pattern run over every text."""
    if len(lowered) != sum(map(len, every)) + len(every) - 1:  # lower() changed a length
        return frozenset(t for t in every if any(w in t.lower() for w in words))
    ends = list(accumulate(len(t) + 1 for t in every))  # where each text's separator is
    found = set()
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            found.add(every[bisect_right(ends, at)])
            at = lowered.find(word, at + 1)
    return frozenset(found)


def texts(content: Content) -> Iterator[str]:
    """Every text of ``content`` that respelled() may change."""
    for exercise in content.exercises.values():
        yield exercise.title
        yield from exercise.intro
        for beat in exercise.beats:
            yield from beat.prompts
            yield from beat.after
    for plan in content.plans.values():
        yield plan.title
    for question in content.questions.values():
        yield question.text
    for category in content.categories.values():
        yield category.label
    for lines in content.pauses.values():
        yield from (line for line in lines if isinstance(line, str))
    for variants in content.phrases.values():
        yield from variants
    for track in content.meditations.values():
        yield track.title


class Respeller:
    """Rebuilds content with one speller, keeping every object that does not change (so an
    untouched exercise, dict or tuple is the same object as before)."""

    def __init__(self, spell: Callable[[str], str]) -> None:
        self.spell = spell

    def content(self, content: Content) -> Content:
        fields = {
            name: _each(getattr(content, name), getattr(self, one)) for name, one in FIELDS.items()
        }
        if all(fields[name] is getattr(content, name) for name in fields):
            return content
        localized = object.__new__(Content)  # every other field, whatever it is, kept as is
        for name in Content.__slots__:
            setattr(localized, name, fields[name] if name in fields else getattr(content, name))
        return localized

    def lines(self, lines: tuple[str | int, ...]) -> tuple:
        """A tuple of lines (silences, as numbers, kept)."""
        new = tuple(self.spell(line) if isinstance(line, str) else line for line in lines)
        return lines if new == lines else new

    def exercise(self, exercise: Exercise) -> Exercise:
        return _replaced(
            exercise,
            title=self.spell(exercise.title),
            intro=self.lines(exercise.intro),
            beats=self.beats(exercise.beats),
        )

    def beats(self, beats: tuple[Beat, ...]) -> tuple[Beat, ...]:
        new = tuple(self.beat(beat) for beat in beats)
        return beats if _all_same(beats, new) else new

    def beat(self, beat: Beat) -> Beat:
        return _replaced(beat, prompts=self.lines(beat.prompts), after=self.lines(beat.after))

    def plan(self, plan: Plan) -> Plan:
        return _replaced(plan, title=self.spell(plan.title))

    def question(self, question: Question) -> Question:
        return _replaced(question, text=self.spell(question.text))

    def category(self, category: Category) -> Category:
        return _replaced(category, label=self.spell(category.label))

    def track(self, track: Track) -> Track:
        # The version (and so the audio file's name) stays: the recording is the same.
        return _replaced(track, title=self.spell(track.title))


def _replaced(record: V, **fields: object) -> V:
    """``record`` with ``fields``, or ``record`` itself when they are all equal to its own."""
    if all(getattr(record, name) == value for name, value in fields.items()):
        return record
    return record._replace(**fields)  # type: ignore[attr-defined]


def _each(mapping: dict[K, V], change: Callable[[V], V]) -> dict[K, V]:
    """``mapping`` with ``change`` applied to each value; the same dict when none changed."""
    new = {key: change(value) for key, value in mapping.items()}
    return mapping if _all_same(mapping.values(), new.values()) else new


def _all_same(old: Iterable[object], new: Iterable[object]) -> bool:
    return all(a is b for a, b in zip(old, new, strict=True))
