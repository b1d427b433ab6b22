"""Stored state that is damaged or foreign, in the SQLite file and in DynamoDB, written
straight into the store the way a bad disk, a bad deploy or a hand edit would leave it.

Whatever is stored, the couple hear a kind answer and never the error apology: an unreadable
state is reset with a spoken "Sorry" (once), a readable one keeps every sound part (their
names above all), and an older schema is migrated without a word."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from skill.console.device import Device, Turn
from skill.engine.state import SCHEMA_VERSION
from skill.store.base import household_key
from skill.store.table import KEY
from tests.conftest import COUPLE_ID, Clock, load_lambda_module, meet
from tests.fuzzing import RESET_PHRASES, response_problems

OTHER_ID = "amzn1.ask.account.the-neighbours"


@dataclass
class Home:
    """One household on one store, with a way to write its stored state behind its back."""

    store: str
    device: Callable[[], Device]
    write_state_text: Callable[[str], None]  # the state column / attribute, version kept
    read_item: Callable[[], dict[str, Any] | None]  # what is stored, as the store holds it
    put_raw_item: Callable[[dict[str, Any]], None] | None = None  # DynamoDB: a whole item


def sqlite_home(db_path: Path, clock: Clock, matcher) -> Home:
    handler = load_lambda_module().lambda_handler
    key = household_key(COUPLE_ID)

    def write(text: str) -> None:
        with sqlite3.connect(db_path) as db:
            changed = db.execute(
                "UPDATE households SET state = ? WHERE household = ?", (text, key)
            ).rowcount
        assert changed == 1

    def read() -> dict[str, Any] | None:
        with sqlite3.connect(db_path) as db:
            row = db.execute(
                "SELECT version, state FROM households WHERE household = ?", (key,)
            ).fetchone()
        return {"version": row[0], "state": row[1]} if row else None

    return Home(
        "sqlite", lambda: Device(handler, COUPLE_ID, matcher=matcher, clock=clock), write, read
    )


def dynamo_home(table: str, clock: Clock, matcher, monkeypatch: pytest.MonkeyPatch) -> Home:
    from skill.store.dynamodb import make_client

    monkeypatch.setenv("CHECKIN_TABLE", table)
    handler = load_lambda_module().lambda_handler  # the Lambda entry point, on DynamoDB
    client = make_client()
    key = {KEY: {"S": household_key(COUPLE_ID)}}

    def read() -> dict[str, Any] | None:
        return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def put(item: dict[str, Any]) -> None:
        client.put_item(TableName=table, Item={**key, **item})

    def write(text: str) -> None:
        item = read()
        assert item is not None
        put({"version": item["version"], "state": {"S": text}})

    return Home(
        "dynamodb",
        lambda: Device(handler, COUPLE_ID, matcher=matcher, clock=clock),
        write,
        read,
        put,
    )


@pytest.fixture(params=["sqlite", "dynamodb"])
def home(request: pytest.FixtureRequest, db_path: Path, clock: Clock, matcher, monkeypatch) -> Home:
    if request.param == "sqlite":
        return sqlite_home(db_path, clock, matcher)
    return dynamo_home(request.getfixturevalue("dynamo_table"), clock, matcher, monkeypatch)


@pytest.fixture
def dynamo(dynamo_table: str, clock: Clock, matcher, monkeypatch) -> Home:
    monkeypatch.delenv("CHECKIN_DB", raising=False)
    return dynamo_home(dynamo_table, clock, matcher, monkeypatch)


def settle(home: Home) -> Device:
    """Sam and Alex meet the skill, start, and stop in the gratitude round."""
    echo = home.device()
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    echo.hear("stop")
    return echo


def assert_kind(turn: Turn) -> None:
    """A sound answer: never the generic error apology, never a crash."""
    assert response_problems(turn.response, silent=False, spoken=True) == [], turn.speech


def apologised(turn: Turn) -> bool:
    return "Sorry" in turn.speech and any(line in turn.speech for line in RESET_PHRASES)


def good_state(clock: Clock, **changes: Any) -> dict[str, Any]:
    """Sam and Alex in the gratitude round of their first quick check-in, Alex's turn."""
    state = {
        "v": 2,
        "names": ["Sam", "Alex"],
        "phase": "beat",
        "plan": "quick",
        "step": 1,
        "beat": 1,
        "started": 1,
        "seed": 7,
        "updated": clock.now.isoformat(timespec="seconds"),
    }
    state.update(changes)
    return state


V1_STATE = {
    "v": 1,
    "names": ["Sam", "Alex"],
    "phase": "beat",
    "plan": "quick",
    "step": 1,
    "beat": 1,
    "started": 1,
    "seed": 7,
    "asked": ["mem01", "dre04"],
    "days": ["2026-11-02", "2026-11-09", "2026-11-16"],
    "completed": 3,
}

UNREADABLE = {
    "truncated JSON": lambda clock: json.dumps(good_state(clock))[:37],
    "not JSON": lambda clock: "names=Sam,Alex; phase=beat \x00\x01",
    "empty": lambda clock: "",
    "a JSON list": lambda clock: json.dumps(["Sam", "Alex"]),
    "a JSON string": lambda clock: json.dumps("Sam and Alex"),
    "names as a string": lambda clock: json.dumps(good_state(clock, names="Sam and Alex")),
    "one name only": lambda clock: json.dumps(good_state(clock, names=["Sam"])),
}
"""Damage that leaves no sound pair of names: a fresh start, with an apology."""

SALVAGEABLE = {
    "step as 'two'": lambda clock: json.dumps(good_state(clock, step="two")),
    "several wrong types": lambda clock: json.dumps(
        good_state(clock, beat=[1], swapped="yes", turn_seconds=None, recent="2026-11-01", seed="7")
    ),
    "no version field": lambda clock: json.dumps(
        {k: v for k, v in good_state(clock).items() if k != "v"}
    ),
    "unknown phase": lambda clock: json.dumps(good_state(clock, phase="dancing")),
}
"""Damage around sound names: they are kept, with an apology for the rest."""


@pytest.mark.parametrize("damage", UNREADABLE)
def test_unreadable_state_is_reset_with_an_apology(home: Home, clock: Clock, damage: str) -> None:
    settle(home)
    home.write_state_text(UNREADABLE[damage](clock))
    echo = home.device()

    turn = echo.hear("Alexa, start our check-in")

    assert_kind(turn)
    assert apologised(turn)
    assert "first names" in turn.speech and not turn.ended
    # the couple can start again straight away, and the apology is not repeated
    assert "right" in echo.hear("we are Sam and Alex").speech
    assert "Ready?" in echo.hear("yes").speech
    echo.hear("stop")
    again = echo.hear("Alexa, start our check-in")
    assert_kind(again)
    assert not apologised(again) and "Sam" in again.speech


@pytest.mark.parametrize("damage", SALVAGEABLE)
def test_damage_around_sound_names_keeps_the_names(home: Home, clock: Clock, damage: str) -> None:
    settle(home)
    home.write_state_text(SALVAGEABLE[damage](clock))
    echo = home.device()

    turn = echo.hear("Alexa, start our check-in")

    assert_kind(turn)
    assert apologised(turn)
    assert "Sam" in turn.speech and "Alex" in turn.speech
    assert "first names" not in turn.speech and not turn.ended
    echo.hear("next")  # the couple carry on: what is saved now is the repaired state
    stored = json.loads(_state_text(home.read_item()))
    assert stored["names"] == ["Sam", "Alex"] and stored["v"] == SCHEMA_VERSION
    echo.hear("stop")
    again = echo.hear("Alexa, start our check-in")
    assert_kind(again)
    assert not apologised(again) and "Sam" in again.speech


def _state_text(item: dict[str, Any] | None) -> str:
    assert item is not None
    state = item["state"]
    return state["S"] if isinstance(state, dict) else state


def test_a_version_1_item_is_migrated_without_a_word_and_resumes(home: Home, clock: Clock) -> None:
    settle(home)
    home.write_state_text(json.dumps({**V1_STATE, "updated": clock.now.isoformat()}))
    echo = home.device()

    turn = echo.hear("Alexa, resume our check-in")

    assert_kind(turn)
    assert "Sorry" not in turn.speech
    assert "gratitude round, Alex's turn" in turn.speech
    echo.hear("next")
    stored = json.loads(_state_text(home.read_item()))
    assert stored["v"] == SCHEMA_VERSION and stored["names"] == ["Sam", "Alex"]
    assert stored["completed"] == 3
    assert "days" not in stored and isinstance(stored.get("asked", ""), str)  # v4: a set of ids


@pytest.mark.parametrize(
    ("damage", "first_words"),
    [
        ("not JSON", "Alexa, ask our check-in for help"),
        ("step as 'two'", "Alexa, start our check-in"),  # resuming changes nothing either
    ],
)
def test_the_apology_is_said_once_even_when_the_first_request_changes_nothing(
    home: Home, clock: Clock, damage: str, first_words: str
) -> None:
    """Help, or resuming where the couple stopped, changes nothing; the repaired state must
    still be what is stored afterwards, or the couple hear "Sorry, I lost track" at the start
    of every session from then on."""
    settle(home)
    home.write_state_text({**UNREADABLE, **SALVAGEABLE}[damage](clock))
    echo = home.device()

    first = echo.hear(first_words)
    assert_kind(first)
    assert apologised(first)
    echo.hear("stop")

    later = echo.hear("Alexa, start our check-in")
    assert_kind(later)
    assert not apologised(later), later.speech


@pytest.mark.parametrize(
    "first_words",
    ["Alexa, start our check-in", "Alexa, ask our check-in to forget us", "Alexa, we need help"],
)
def test_any_first_request_on_damaged_state_gets_a_kind_answer(
    home: Home, clock: Clock, first_words: str
) -> None:
    settle(home)
    home.write_state_text("{not json")
    echo = home.device()

    turn = echo.hear(first_words)

    assert_kind(turn)
    assert apologised(turn)


def test_damage_to_one_household_leaves_another_untouched(home: Home, clock: Clock) -> None:
    settle(home)
    neighbours = home.device()
    neighbours.user_id = OTHER_ID
    meet(neighbours, "we are Robin and Kim")
    neighbours.hear("stop")
    home.write_state_text("]]]")

    turn = neighbours.hear("Alexa, start our check-in")

    assert_kind(turn)
    assert not apologised(turn) and "Robin" in turn.speech


# --- items DynamoDB can hold that the skill never writes -------------------------------------


def test_dynamodb_item_without_a_version_keeps_its_names_and_can_be_saved_again(
    dynamo: Home, clock: Clock
) -> None:
    """A hand-made or restored item with a sound state but no version attribute."""
    settle(dynamo)
    assert dynamo.put_raw_item is not None
    dynamo.put_raw_item({"state": {"S": json.dumps(good_state(clock, phase="ready"))}})
    echo = dynamo.device()

    turn = echo.hear("Alexa, start our check-in")

    assert_kind(turn)
    assert "Sam" in turn.speech and "first names" not in turn.speech
    echo.hear("stop")
    again = echo.hear("Alexa, start our check-in")
    assert_kind(again)
    assert not apologised(again)
    assert "couldn't save" not in echo.hear("stop").speech
    assert "version" in (dynamo.read_item() or {})


@pytest.mark.parametrize(
    "state_attribute",
    [{"N": "42"}, {"M": {"names": {"L": [{"S": "Sam"}, {"S": "Alex"}]}}}, {"B": b"\x00\x01"}],
    ids=["number", "map", "binary"],
)
def test_dynamodb_state_of_the_wrong_type_is_reset_with_an_apology(
    dynamo: Home, clock: Clock, state_attribute: dict[str, Any]
) -> None:
    settle(dynamo)
    assert dynamo.put_raw_item is not None
    dynamo.put_raw_item({"version": {"N": "9"}, "state": state_attribute})
    echo = dynamo.device()

    turn = echo.hear("Alexa, start our check-in")

    assert_kind(turn)
    assert apologised(turn) and "first names" in turn.speech
    echo.hear("we are Sam and Alex")
    echo.hear("yes")
    echo.hear("stop")
    stored = json.loads(_state_text(dynamo.read_item()))
    assert stored["names"] == ["Sam", "Alex"]


def test_finding_7_a_newer_record_is_kept_as_it_is(home: Home, clock: Clock) -> None:
    """Issue 10, finding 7, through each store: a record written by a newer version of the
    skill (a rollback, a mixed deploy) is understood as far as it can be, the couple hear no
    "I lost track", and what is written back keeps the fields this version does not know
    and the newer version number."""
    settle(home)
    newer = good_state(
        clock, v=SCHEMA_VERSION + 1, hologram={"x": [1, 2]}, moods=["calm", "sleepy"]
    )
    home.write_state_text(json.dumps(newer))
    echo = home.device()

    turn = echo.hear("Alexa, resume our check-in")

    assert_kind(turn)
    assert not apologised(turn), turn.speech
    assert "Alex" in turn.speech and "first names" not in turn.speech
    echo.hear("next")  # a change: the record is written back
    stored = json.loads(_state_text(home.read_item()))
    assert stored["v"] == SCHEMA_VERSION + 1  # never lowered
    assert stored["hologram"] == {"x": [1, 2]} and stored["moods"] == ["calm", "sleepy"]
    assert stored["names"] == ["Sam", "Alex"]
    echo.hear("stop")
    again = echo.hear("Alexa, start our check-in")
    assert_kind(again)
    assert not apologised(again)
