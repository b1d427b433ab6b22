"""The stored state: what survives a round trip, and what is repaired when it is damaged."""

from __future__ import annotations

from skill.engine.state import SCHEMA_VERSION, State


def test_a_state_survives_a_round_trip_through_its_dict() -> None:
    state = State(names=("Sam", "Alex"), phase="beat", step=2, beat=1, asked=("mem01",), seed=7)
    assert State.from_dict(state.to_dict()) == state
    assert state.to_dict()["v"] == SCHEMA_VERSION


def test_wrong_types_fall_back_to_defaults_and_keep_the_good_parts() -> None:
    data = State(names=("Sam", "Alex"), phase="beat").to_dict()
    data.update(step="two", asked="mem01", swapped="yes", turn_seconds=None)
    state = State.from_dict(data)
    assert state.names == ("Sam", "Alex") and state.phase == "beat"
    assert state.step == 0 and state.asked == () and state.swapped is False
    assert state.turn_seconds == 45


def test_out_of_range_values_are_repaired() -> None:
    data = State(names=("Sam", "Alex")).to_dict()
    data.update(phase="dancing", turn_seconds=5000, step=-3, asking="maybe")
    state = State.from_dict(data)
    assert state.phase == "ready" and state.turn_seconds == 45
    assert state.step == 0 and state.asking == ""


def test_a_state_without_two_names_cannot_be_mid_check_in() -> None:
    state = State.from_dict({"names": ["Sam"], "phase": "beat"})
    assert state.names == () and state.phase == "new"


def test_numbers_stored_as_floats_come_back_as_whole_numbers() -> None:
    data = State(names=("Sam", "Alex"), phase="beat").to_dict()
    data.update(step=1.0, completed=3.0)
    state = State.from_dict(data)
    assert state.step == 1 and state.completed == 3
