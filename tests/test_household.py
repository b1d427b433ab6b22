"""Reading and writing a household's state around the engine: once per session, only on
change, never losing a write to a second device, and carrying on when the store is down."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.engine.state import State
from skill.store.base import StoreUnavailable, household_key
from skill.store.memory import MemoryStore
from tests.conftest import COUPLE_ID, Clock, meet


class CountingStore(MemoryStore):
    """The in-memory store, able to fail on demand."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def load(self, household: str):
        if self.down:
            raise StoreUnavailable("down") from TimeoutError()
        return super().load(household)

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: str | None = None
    ) -> int:
        if self.down:
            raise StoreUnavailable("down") from TimeoutError()
        return super().save(household, state, version, token=token)


def device(store: MemoryStore, device_id: str = "amzn1.ask.device.a") -> Device:
    clock = Clock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    return Device(skill_builder(store).lambda_handler(), COUPLE_ID, device_id, clock=clock)


def stored(store: MemoryStore) -> State:
    """What is stored, read past any simulated outage."""
    return State.from_dict(json.loads(store.records[household_key(COUPLE_ID)][0]))


def test_the_store_is_read_once_per_session_and_written_only_on_change() -> None:
    store = CountingStore()
    echo = device(store)
    meet(echo)
    reads, writes = store.reads, store.writes
    assert reads == 1  # one session so far
    echo.hear("help")
    echo.hear("repeat")
    echo.hear("what is the weather on mars")
    assert (store.reads, store.writes) == (reads, writes)
    echo.hear("yes")
    assert store.writes == writes + 1


def test_two_devices_acting_at_once_lose_no_update() -> None:
    store = CountingStore()
    living_room, kitchen = device(store), device(store, "amzn1.ask.device.kitchen")
    meet(living_room)
    living_room.hear("yes")  # the mindful pause
    kitchen.hear("Alexa, resume our check-in")  # both sessions now hold the same version
    living_room.hear("next")  # Sam's gratitude turn, written first
    kitchen.hear("next")  # stale version: re-read, and "next" applies on top
    state = stored(store)
    assert (state.step, state.beat) == (1, 1)  # Alex's turn: both "next"s counted


def test_when_the_store_is_down_the_check_in_goes_on_and_says_so_at_stop() -> None:
    store = CountingStore()
    echo = device(store)
    meet(echo)
    echo.hear("yes")
    saved = stored(store)
    store.down = True
    turn = echo.hear("next")
    assert "Sam" in turn.speech and "[pause 45s]" in turn.speech and not turn.ended
    turn = echo.hear("stop")
    assert turn.ended and "couldn't save" in turn.speech.replace("wasn't able", "couldn't save")
    assert stored(store) == saved  # nothing saved was lost or rolled back


def test_what_was_unsaved_is_written_at_the_next_chance() -> None:
    store = CountingStore()
    echo = device(store)
    meet(echo)
    echo.hear("yes")
    store.down = True
    echo.hear("next")  # Sam's gratitude turn, not saved
    store.down = False
    echo.close("EXCEEDED_MAX_REPROMPTS")
    assert (stored(store).step, stored(store).beat) == (1, 0)


def test_a_damaged_saved_state_is_reset_with_an_apology() -> None:
    store = CountingStore()
    store.put(household_key(COUPLE_ID), ["not", "a", "state"], 3)  # unreadable
    turn = device(store).hear("Alexa, start our check-in")
    assert "Sorry" in turn.speech and "first names" in turn.speech
    assert stored(store).phase == "names"
