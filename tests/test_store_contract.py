"""One contract for every store: what a household's record must survive."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from skill.store.base import Conflict, Store, Unreadable, household_key
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore

STATE = {"v": 1, "names": ["Sam", "Alex"], "phase": "beat", "step": 1}


@pytest.fixture(params=["sqlite", "dynamodb", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The same contract for the embedded store, DynamoDB (a real dynalite server on
    127.0.0.1, started by the test session) and the in-memory store of the benchmarks."""
    if request.param == "sqlite":
        return SqliteStore(tmp_path / "nested" / "checkin.db")
    if request.param == "dynamodb":
        return request.getfixturevalue("dynamo_store")
    return MemoryStore()


def test_nothing_is_stored_for_a_new_household(store: Store) -> None:
    assert store.load("household-a") is None


def test_a_saved_state_loads_back_with_its_version(store: Store) -> None:
    version = store.save("household-a", STATE, None)
    record = store.load("household-a")
    assert record is not None
    assert record.state == STATE and record.version == version


def test_households_are_kept_apart(store: Store) -> None:
    store.save("household-a", STATE, None)
    assert store.load("household-b") is None


def test_a_write_over_a_stale_version_is_refused(store: Store) -> None:
    first = store.save("household-a", STATE, None)
    store.save("household-a", {**STATE, "step": 2}, first)
    with pytest.raises(Conflict):
        store.save("household-a", {**STATE, "step": 9}, first)
    assert store.load("household-a").state["step"] == 2


def test_creating_a_record_twice_is_a_conflict(store: Store) -> None:
    store.save("household-a", STATE, None)
    with pytest.raises(Conflict):
        store.save("household-a", STATE, None)


def test_delete_removes_everything_for_the_household(store: Store) -> None:
    store.save("household-a", STATE, None)
    store.save("household-b", STATE, None)
    store.delete("household-a")
    assert store.load("household-a") is None
    assert store.load("household-b") is not None
    store.delete("household-a")  # deleting twice is fine


def test_concurrent_writers_never_lose_an_update(store: Store) -> None:
    """Eight threads each add their mark by read-modify-write, retrying on conflict."""
    store.save("household-a", {"marks": []}, None)

    def add_mark(mark: str) -> None:
        while True:
            record = store.load("household-a")
            marks = [*record.state["marks"], mark]
            try:
                store.save("household-a", {"marks": marks}, record.version)
                return
            except Conflict:
                continue

    threads = [threading.Thread(target=add_mark, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(store.load("household-a").state["marks"]) == sorted(f"t{i}" for i in range(8))


def test_the_household_key_does_not_reveal_the_user_id() -> None:
    key = household_key("amzn1.ask.account.ABC123")
    assert "ABC123" not in key and len(key) == 64
    assert key == household_key("amzn1.ask.account.ABC123")


def test_a_damaged_sqlite_row_loads_as_damaged_not_as_a_crash(tmp_path: Path) -> None:
    import sqlite3

    store = SqliteStore(tmp_path / "checkin.db")
    store.save("household-a", STATE, None)
    with sqlite3.connect(tmp_path / "checkin.db") as db:
        db.execute('UPDATE households SET state = \'{"v": 1, "names": ["Sa\'')
    record = store.load("household-a")
    assert record is not None and record.state == Unreadable("not JSON")
