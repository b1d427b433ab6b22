"""The property behind issue 10, finding 6: any sequence of commands, with writes failing or
timing out at random (before they land, or after, their answer lost), leaves the store
equal to applying each command exactly once, once the store answers again."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.store.base import StoreUnavailable, household_key
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.conftest import COUPLE_ID, Clock

START = ["Alexa, start our check-in", "we are Sam and Alex", "yes", "yes"]
COMMANDS = ["next", "skip", "repeat", "help", "longer turns", "shorter turns"]
MOVES = {"next", "skip"}  # four moves from the pause end tonight's quick check-in: keep to 3
WRITES = ["ok", "fails", "lands unanswered"]


class Faulty:
    """A store whose writes go as `plan` says, in order, while `faulty` is on."""

    plan: list[str]
    faulty: bool

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: Any = None
    ) -> int:
        what = self.plan.pop(0) if self.faulty and self.plan else "ok"
        if what == "fails":
            raise StoreUnavailable("TimeoutError")  # never reached the store
        stored = super().save(household, state, version, token=token)  # type: ignore[misc]
        if what == "lands unanswered":
            raise StoreUnavailable("TimeoutError")  # it landed; its answer was lost
        return stored


class FaultyMemory(Faulty, MemoryStore):
    pass


class FaultySqlite(Faulty, SqliteStore):
    pass


def run(store: Any, commands: list[str]) -> dict[str, Any]:
    clock = Clock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    echo = Device(skill_builder(store).lambda_handler(), COUPLE_ID, clock=clock)
    for line in START:
        echo.hear(line)
    store.faulty = True
    for line in commands:
        turn = echo.hear(line)
        assert turn.speech and not turn.ended, (line, turn.speech)
    store.faulty = False
    echo.hear("stop")  # the store answers again: the session's end writes what it holds
    record = store.load(household_key(COUPLE_ID))
    assert record is not None
    return record.state


def reference(commands: list[str]) -> dict[str, Any]:
    store = FaultyMemory()
    store.plan, store.faulty = [], False
    return run(store, commands)


command_lists = st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=7).filter(
    lambda commands: sum(command in MOVES for command in commands) <= 3
)
write_plans = st.lists(st.sampled_from(WRITES), max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=command_lists, plan=write_plans, kind=st.sampled_from(["memory", "sqlite"]))
def test_every_command_is_applied_exactly_once_whatever_the_writes_do(
    commands: list[str], plan: list[str], kind: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store: Any = FaultyMemory() if kind == "memory" else FaultySqlite(Path(folder) / "c.db")
        store.plan, store.faulty = list(plan), False
        got = run(store, commands)
    assert json.dumps(got, sort_keys=True) == json.dumps(reference(commands), sort_keys=True)
