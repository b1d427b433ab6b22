"""How long a pause and a whole plan last when spoken: words at 150 a minute plus every
silence, the couple's turns included. The validator holds each to what it announces, and
the engine announces a plan's length from the same figures (it changes with the turns).

Variants are counted at their mean length; a name counts as one word, a question as the
deck's mean question."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from skill.content.lint import Problem
from skill.content.model import Beat, Content, Exercise, Plan, Source, Step
from skill.content.rules import DEFAULT_TURN_SECONDS, DURATION_TOLERANCE
from skill.speech.timing import WORDS_PER_SECOND

PLACEHOLDER = re.compile(r"\{(\w+)\}")
NAME_SLOTS = frozenset({"speaker", "other", "first", "second", "name", "next"})


def words(text: str, question_words: float = 0.0, title_words: float = 0.0) -> float:
    """Spoken words in a text whose placeholders are not filled in yet."""
    count = float(len(PLACEHOLDER.sub(" ", text).split()))
    for name in PLACEHOLDER.findall(text):
        if name in NAME_SLOTS:
            count += 1
        elif name == "question":
            count += question_words
        elif name in ("title", "plan"):
            count += title_words
        else:
            count += 2  # minutes, a count
    return count


def fmean(values: Iterable[float]) -> float:
    """The mean (statistics.fmean would cost a cold start about 2 ms of imports)."""
    items = list(values)
    return sum(items) / len(items)


def mean_seconds(variants: tuple[str, ...], **fill: float) -> float:
    if not variants:
        return 0.0
    return fmean(words(v, **fill) for v in variants) / WORDS_PER_SECOND


@lru_cache(maxsize=8)
def question_words(content: Content) -> float:
    return fmean(words(q.text) for q in content.questions.values()) if content.questions else 0


def script_seconds(content: Content, minutes: int) -> float:
    lines = content.pauses[minutes]
    spoken = sum(len(line.split()) for line in lines if isinstance(line, str))
    return spoken / WORDS_PER_SECOND + sum(x for x in lines if isinstance(x, int))


def pause_seconds(content: Content, minutes: int, exercise: Exercise | None = None) -> float:
    """A mindful pause from its first word to "welcome back": intro, script, closing line."""
    exercise = exercise or content.exercises["mindful_pause"]
    beat = exercise.beats[0]
    return (
        mean_seconds(exercise.intro, title_words=2)
        + script_seconds(content, minutes)
        + mean_seconds(beat.after)
    )


def beat_seconds(content: Content, beat: Beat, minutes: int, turn_seconds: int) -> float:
    """One beat: its prompt (or breathing script), its silence and its closing line."""
    if beat.source == Source.PAUSE:
        spoken = script_seconds(content, minutes)
    else:
        spoken = mean_seconds(beat.prompts, question_words=question_words(content))
    floor = turn_seconds if beat.floor is None else beat.floor
    return spoken + floor + mean_seconds(beat.after)


def step_seconds(
    content: Content, step: Step, exercise: Exercise, turn_seconds: int, last: bool
) -> float:
    """One step: its intro, each beat with its silence, and the hand-over after each beat."""
    minutes = step.minutes or exercise.minutes or 1
    total = mean_seconds(exercise.intro, title_words=2)
    beats = [beat for _ in range(step.rounds) for beat in exercise.beats]
    for index, beat in enumerate(beats):
        total += beat_seconds(content, beat, minutes, turn_seconds)
        if index + 1 < len(beats):
            total += mean_seconds(content.phrases.get("ready_turn", ()))
        elif not last:
            total += mean_seconds(content.phrases.get("ready_next", ()), title_words=3)
    return total


def plan_seconds(content: Content, plan: Plan, turn_seconds: int, closing: int = 0) -> float:
    """The whole plan as the couple hear it, with the closing of the given turn."""
    total = mean_seconds(content.phrases.get("goodbye_done", ()))
    for index, step in enumerate(plan.steps):
        exercise = content.exercises[step.choices[closing % len(step.choices)]]
        total += step_seconds(content, step, exercise, turn_seconds, index + 1 == len(plan.steps))
    return total


def plan_minutes(content: Content, plan: Plan, turn_seconds: int) -> int:
    """The whole minutes to announce: the mean over the plan's closings, rounded."""
    closings = max(len(step.choices) for step in plan.steps)
    seconds = fmean(plan_seconds(content, plan, turn_seconds, c) for c in range(closings))
    return max(1, round(seconds / 60))


def check_durations(content: Content) -> list[Problem]:
    """Every pause lasts its minutes, and every plan (with each closing) the minutes it is
    known by, at the default turn length, within the tolerance."""
    problems = []
    for minutes in sorted(content.pauses):
        seconds = pause_seconds(content, minutes)
        if abs(seconds - minutes * 60) > minutes * 60 * DURATION_TOLERANCE:
            problems.append(
                Problem(
                    "pauses.toml",
                    f"scripts (minutes = {minutes})",
                    f"lasts about {seconds:.0f} seconds spoken, with the intro and the closing"
                    f" line; it announces {minutes * 60} (within {DURATION_TOLERANCE:.0%})",
                )
            )
    for plan in content.plans.values():
        target = plan.minutes * 60
        closings = max(len(step.choices) for step in plan.steps)
        for closing in range(closings):
            seconds = plan_seconds(content, plan, DEFAULT_TURN_SECONDS, closing)
            if abs(seconds - target) > target * DURATION_TOLERANCE:
                problems.append(
                    Problem(
                        "exercises.toml",
                        f"plans.{plan.id}",
                        f"lasts about {seconds / 60:.1f} minutes spoken (closing {closing + 1},"
                        f" {DEFAULT_TURN_SECONDS} s turns); it announces {plan.minutes}",
                    )
                )
    return problems
