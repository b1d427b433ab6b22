"""A couple's long history, simulated through the engine (used by tests and benchmarks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from skill.content.loader import default_content
from skill.engine.conversation import handle
from skill.engine.events import Event
from skill.engine.state import State

CONTENT = default_content()
FIRST_EVENING = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)


def nightly_check_ins(days: int, first_evening: datetime = FIRST_EVENING) -> State:
    """Meet a couple with long names, then hold a whole quick check-in every evening."""
    state = State()
    for event in (
        Event("launch"),
        Event("names", {"firstName": "Maximiliana", "secondName": "Bartholomew"}),
        Event("yes"),
    ):
        state = handle(state, event, first_evening, CONTENT).state
    for day in range(days):
        evening = first_evening + timedelta(days=day)
        state = handle(state, Event("launch" if day else "yes"), evening, CONTENT).state
        while state.phase == "beat":
            state = handle(state, Event("next"), evening, CONTENT).state
    return state
