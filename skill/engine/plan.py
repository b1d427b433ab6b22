"""Where a couple is in a plan: the current exercise and beat, whose turn it is, what comes next.

A plan is data (skill/content/exercises.toml). A position is (step, beat), where the beat
index runs over the step's beats once for each round."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.content.model import Beat, Content, Exercise, Plan, Step, Who
from skill.engine.state import State

SINGLE_PREFIX = "ex:"


@dataclass(frozen=True)
class Position:
    step: Step
    exercise: Exercise
    beat: Beat
    beat_index: int
    round: int
    minutes: int  # of a mindful pause


def plan_of(state: State, content: Content) -> Plan:
    """The plan being followed; a single exercise is a plan of one step."""
    if state.plan.startswith(SINGLE_PREFIX):
        exercise_id = state.plan[len(SINGLE_PREFIX) :]
        if exercise_id in content.exercises:
            return Plan(state.plan, content.exercises[exercise_id].title, (Step((exercise_id,)),))
    return content.plans.get(state.plan) or content.plans["quick"]


def is_single(state: State) -> bool:
    return state.plan.startswith(SINGLE_PREFIX)


def exercise_for(step: Step, state: State, content: Content) -> Exercise:
    """Closings alternate from one check-in to the next."""
    choice = step.choices[max(state.started - 1, 0) % len(step.choices)]
    return content.exercises[choice]


def beat_count(step: Step, exercise: Exercise) -> int:
    return len(exercise.beats) * step.rounds


def position(state: State, content: Content, step_index: int, beat_index: int) -> Position | None:
    closing_turn = max(state.started - 1, 0)
    return _position(content, state.plan, closing_turn, step_index, beat_index)


@lru_cache(maxsize=1024)
def _position(
    content: Content, plan_id: str, closing_turn: int, step_index: int, beat_index: int
) -> Position | None:
    """Cached: a turn asks for the same few positions several times."""
    state = State(plan=plan_id, started=closing_turn + 1)
    plan = plan_of(state, content)
    if not 0 <= step_index < len(plan.steps):
        return None
    step = plan.steps[step_index]
    exercise = exercise_for(step, state, content)
    if not 0 <= beat_index < beat_count(step, exercise):
        return None
    beat = exercise.beats[beat_index % len(exercise.beats)]
    minutes = step.minutes or exercise.minutes or 1
    return Position(step, exercise, beat, beat_index, beat_index // len(exercise.beats), minutes)


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
