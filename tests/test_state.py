"""The stored state: round trips, old schemas that still load, damage that is repaired,
and a size that stays small however long a couple keeps checking in."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from skill.engine.history import milestone, record_completion, week_streak, weeks_ago
from skill.engine.schema import load_state
from skill.engine.state import SCHEMA_VERSION, State
from tests.simulate import nightly_check_ins

V1_ITEM = {
    "v": 1,
    "names": ["Sam", "Alex"],
    "phase": "beat",
    "plan": "quick",
    "step": 1,
    "beat": 1,
    "started": 3,
    "seed": 99,
    "asked": ["mem01", "dre04"],
    "question": "dre04",
    "days": ["2026-10-05", "2026-10-12", "2026-11-02", "2026-11-09", "2026-11-16"],
    "completed": 5,
    "updated": "2026-11-22T20:00:00+00:00",
}


def test_a_state_survives_a_round_trip_through_its_dict() -> None:
    state = State(names=("Sam", "Alex"), phase="beat", step=2, beat=1, seed=7, weeks=5)
    assert State.from_dict(state.to_dict()) == state
    assert state.to_dict()["v"] == SCHEMA_VERSION


def test_the_stored_form_leaves_out_what_a_new_couple_has_anyway() -> None:
    assert State().to_dict() == {"v": SCHEMA_VERSION}
    assert set(State(names=("Sam", "Alex")).to_dict()) == {"v", "names"}


def test_a_version_1_item_still_loads_with_its_place_and_history() -> None:
    state, damaged = load_state(V1_ITEM)
    assert not damaged
    assert state.names == ("Sam", "Alex") and (state.phase, state.step, state.beat) == (
        "beat",
        1,
        1,
    )
    assert state.completed == 5 and state.month == "2026-11" and state.month_count == 3
    assert state.recent[-1] == "2026-11-16"
    # the three November check-ins make tonight's the fourth this month; the one before
    # that week by week is still remembered for the streak
    assert milestone(state, date(2026, 11, 23)) == ("week_streak", {"count": "4"})


def test_finding_7_a_newer_record_is_kept_as_it_is() -> None:
    """A record written by a newer version (a rollback, a mixed deploy) is read for what this
    version understands, without an apology; what it does not understand is written back
    untouched, and its version is never lowered."""
    newer = {"v": 99, "names": ["Sam", "Alex"], "hologram": {"x": [1, 2]}, "phase": "ready"}
    state, damaged = load_state(newer)
    assert not damaged and state.names == ("Sam", "Alex")
    written = state.replace(turn_seconds=60).to_dict()
    assert written["v"] == 99 and written["hologram"] == {"x": [1, 2]}
    assert written["turn_seconds"] == 60 and written["names"] == ["Sam", "Alex"]


def test_damaged_items_are_reset_or_salvaged_never_crash() -> None:
    assert load_state({"damaged": True}) == (State(), True)
    assert load_state("not an object") == (State(), True)
    state, damaged = load_state({"names": ["Sam", "Alex"], "phase": "ready"})  # no version
    assert damaged and state.names == ("Sam", "Alex")


def test_wrong_types_fall_back_to_defaults_and_keep_the_good_parts() -> None:
    data = State(names=("Sam", "Alex"), phase="beat").to_dict()
    data.update(step="two", recent="2026-11-01", swapped="yes", turn_seconds=None)
    state, damaged = load_state(data)
    assert damaged
    assert state.names == ("Sam", "Alex") and state.phase == "beat"
    assert state.step == 0 and state.recent == () and state.swapped is False
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


def test_numbers_from_dynamodb_come_back_as_whole_numbers() -> None:
    data = State(names=("Sam", "Alex"), phase="beat").to_dict()
    data.update(step=Decimal("1"), completed=3.0, weeks=Decimal("12345678901234567"))
    state, damaged = load_state(data)
    assert not damaged and state.step == 1 and state.completed == 3
    assert state.weeks == 12345678901234567
    assert load_state({**data, "step": Decimal("1.5")})[0].step == 0


def test_after_365_check_ins_the_state_stays_under_2_kb() -> None:
    state = nightly_check_ins(365)
    assert state.completed == 365
    size = len(json.dumps(state.to_dict(), separators=(",", ":")).encode())
    assert size <= 2048, size


def test_streaks_forgive_one_missed_week() -> None:
    state = State(names=("Sam", "Alex"))
    start = date(2026, 9, 7)
    for week in (0, 1, 3, 4):  # week 2 missed
        state = record_completion(state, start + timedelta(weeks=week))
    today = start + timedelta(weeks=5)
    # this week, and weeks 4, 3, (2 forgiven), 1, 0 before it
    assert week_streak(weeks_ago(state, today)) == 5
    two_missed = record_completion(State(), start)
    assert week_streak(weeks_ago(two_missed, start + timedelta(weeks=3))) == 1
