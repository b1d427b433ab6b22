"""Where a couple is in a plan: the current exercise and beat, whose turn it is, what comes next.

A plan is data (skill/content/exercises.toml). A position is (step, beat), where the beat
index runs over the step's beats once for each round."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from skill.content.model import Beat, Content, Exercise, Plan, Step, Who
from skill.engine.state import State

SINGLE_PREFIX = "ex:"


class Position(NamedTuple):
    step: Step
    exercise: Exercise
    beat: Beat
    beat_index: int
    round: int
    minutes: int  # of a mindful pause
    step_index: int = 0


def plan_of(state: State, content: Content) -> Plan:
    """The plan being followed; a single exercise is a plan of one step."""
    if state.plan.startswith(SINGLE_PREFIX):
        exercise_id = state.plan[len(SINGLE_PREFIX) :]
        if exercise_id in content.exercises:
            return Plan(state.plan, content.exercises[exercise_id].title, (Step((exercise_id,)),))
    return content.plans.get(state.plan) or content.plans["quick"]


def is_single(state: State) -> bool:
    return state.plan.startswith(SINGLE_PREFIX)


def exercise_for(step: Step, last_closing: str, content: Content) -> Exercise:
    """Closings alternate from one check-in to the next, whatever the plan: the choice after
    the one that closed the last check-in."""
    choices = step.choices
    index = (choices.index(last_closing) + 1) % len(choices) if last_closing in choices else 0
    return content.exercises[choices[index]]


def beat_count(step: Step, exercise: Exercise) -> int:
    return len(exercise.beats) * step.rounds


def position(state: State, content: Content, step_index: int, beat_index: int) -> Position | None:
    return _position(content, state.plan, state.last_closing, step_index, beat_index)


@lru_cache(maxsize=1024)
def _position(
    content: Content, plan_id: str, last_closing: str, step_index: int, beat_index: int
) -> Position | None:
    """Cached: a turn asks for the same few positions several times."""
    plan = plan_of(State(plan=plan_id), content)
    if not 0 <= step_index < len(plan.steps):
        return None
    step = plan.steps[step_index]
    exercise = exercise_for(step, last_closing, content)
    if not 0 <= beat_index < beat_count(step, exercise):
        return None
    beat = exercise.beats[beat_index % len(exercise.beats)]
    minutes = step.minutes or exercise.minutes or 1
    return Position(
        step, exercise, beat, beat_index, beat_index // len(exercise.beats), minutes, step_index
    )


def current(state: State, content: Content) -> Position:
    """The current position; a damaged index falls back to the start of the plan."""
    return position(state, content, state.step, state.beat) or position(state, content, 0, 0)


def following(state: State, content: Content) -> tuple[int, int] | None:
    """The (step, beat) after the current one, or None at the end of the plan."""
    pos = current(state, content)
    if pos.beat_index + 1 < beat_count(pos.step, pos.exercise):
        return state.step, pos.beat_index + 1
    if position(state, content, state.step + 1, 0):
        return state.step + 1, 0
    return None


def order(state: State) -> tuple[str, str]:
    """Tonight's speaking order. Who goes first rotates with each check-in begun."""
    first = (max(state.started - 1, 0) + int(state.swapped)) % 2
    return state.names[first], state.names[1 - first]


def speaker(state: State, beat: Beat) -> str | None:
    if beat.who == Who.BOTH or len(state.names) != 2:
        return None
    first, second = order(state)
    return first if beat.who == Who.FIRST else second


def listener(state: State, beat: Beat) -> str | None:
    name = speaker(state, beat)
    if name is None:
        return None
    first, second = order(state)
    return second if name == first else first


def previous(state: State, content: Content) -> Position | None:
    """The beat before the current one in tonight's plan, if any."""
    if state.beat > 0:
        return position(state, content, state.step, state.beat - 1)
    if state.step == 0:
        return None
    step = plan_of(state, content).steps[state.step - 1]
    last = beat_count(step, exercise_for(step, state.last_closing, content)) - 1
    return position(state, content, state.step - 1, last)


def remaining(state: State, content: Content) -> list[Position]:
    """The beats after the current one, in order."""
    beats = []
    at: tuple[int, int] | None = following(state, content)
    while at is not None:
        pos = position(state, content, *at)
        assert pos is not None
        beats.append(pos)
        at = following(state.replace(step=at[0], beat=at[1]), content)
    return beats


def first_turn(state: State, content: Content) -> tuple[int, int] | None:
    """The (step, beat) of the plan's first turn with the couple's own floor of silence;
    None for a single exercise."""
    if is_single(state):
        return None
    return _first_turn(content, state.plan, state.last_closing)


@lru_cache(maxsize=64)
def _first_turn(content: Content, plan_id: str, last_closing: str) -> tuple[int, int] | None:
    at: tuple[int, int] | None = (0, 0)
    probe = State(plan=plan_id, last_closing=last_closing)
    while at is not None:
        pos = position(probe, content, *at)
        if pos is not None and pos.beat.floor is None:
            return at
        at = following(probe.replace(step=at[0], beat=at[1]), content)
    return None
