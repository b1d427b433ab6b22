"""Privacy: what the skill keeps and what it says about itself.

- No log record, from any logger at any level, holds a partner's name, words a partner said
  (slot text) or the Alexa userId: not on SQLite, not on DynamoDB (botocore's own records
  included), not while forgetting, not under fuzzed input.
- "Forget us" removes everything stored for the household, in both stores, and nothing of
  anyone else's.
- "We need help" works from every state: a counsellor, the local emergency number, an offer to
  stop, and never a diagnosis."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.console.device import Device
from skill.console.envelopes import Session, intent_request, session_ended_request
from skill.console.matcher import SlotValue
from skill.store.base import household_key
from skill.store.memory import MemoryStore
from skill.store.table import KEY
from skill.web import create_app
from tests.conftest import Clock, decline_offers, load_lambda_module
from tests.fuzzing import (
    NASTY_TEXT,
    PHRASES,
    Snapshot,
    SqliteRig,
    explore,
    first_name_slot,
    fuzz_settings,
    response_problems,
    say,
    unmatched_slot,
)

USER_ID = "amzn1.ask.account.PRIVACYTESTUSERQX7Z9"
NEIGHBOURS = "amzn1.ask.account.THENEIGHBOURSKW4M2"
PARTNERS = ("Zephyrine", "Quillon")
SLOT_WORDS = ("marmalade", "xylophone", "glockenspiel", "Wobblesworth", "kumquat")
"""Words partners say that fill slots: a length, an exercise and a turn time Alexa could not
match, a name said mid-check-in, the message of a device error."""
SECRETS = (*PARTNERS, *SLOT_WORDS, USER_ID)
DIAGNOSES = ("diagnos", "disorder", "abuse", "you should leave", "therapy will")


# --- capturing every record ---------------------------------------------------------------------


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write for this record: message, raw args, exception."""
    parts = [str(record.msg), repr(record.args)]
    try:
        parts.append(record.getMessage())
    except Exception as error:  # a malformed record still must not leak
        parts.append(repr(error))
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    return "\n".join(parts)


def leaks(
    records: list[logging.LogRecord], secrets: tuple[str, ...] = SECRETS, output: str = ""
) -> list[str]:
    """Secrets found in log records, or in ``output``: what went to standard output and
    error, where the request log lines are written (CloudWatch on Lambda)."""
    texts = [(f"{r.name} {r.levelname}", record_text(r)) for r in records]
    texts += [("output", line) for line in output.splitlines()]
    found = []
    for where, text in texts:
        for secret in secrets:
            if secret.casefold() in text.casefold():
                found.append(f"{where}: {secret!r} in {text[:300]!r}")
    return found


def request_lines(records: list[logging.LogRecord], output: str) -> list[dict[str, Any]]:
    """The skill's per-request log lines, through logging or on standard output."""
    lines = [r.getMessage() for r in records if r.name.split(".")[0] == "checkin"]
    found = []
    for line in [*lines, *output.splitlines()]:
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict) and "outcome" in parsed:
            found.append(parsed)
    return found


def everything(logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]):
    captured = capsys.readouterr()
    return logs.records, captured.out + captured.err


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger at DEBUG and up (the root logger's level; every logger
    propagates to it), with the levels the product itself sets for its loggers."""
    caplog.set_level(logging.DEBUG)
    return caplog


def secret_words(echo: Device) -> None:
    """Slot values no device would log, sent as a device sends them, mid-check-in."""
    for intent, slot in (
        ("LengthIntent", unmatched_slot("length", "CheckInLength", "marmalade")),
        ("StartExerciseIntent", unmatched_slot("exercise", "ExerciseName", "xylophone")),
        ("TurnTimeIntent", unmatched_slot("turnTime", "TurnTime", "glockenspiel")),
        ("NamesIntent", first_name_slot("firstName", "Wobblesworth")),
        ("SwitchIntent", first_name_slot("partner", "Quillon")),
    ):
        if not echo.in_session:
            echo.new_session()
        assert echo.session is not None
        turn = echo.send(intent_request(echo.session, intent, {slot.name: slot}, now=echo.clock()))
        assert response_problems(turn.response, silent=False, spoken=True) == []


def whole_check_in(echo: Device) -> None:
    assert "first names" in echo.hear("Alexa, start our check-in").speech
    assert "Zephyrine and Quillon" in echo.hear("we are Zephyrine and Quillon").speech
    assert "Ready?" in echo.hear("yes").speech
    echo.hear("yes")
    echo.hear("next")
    secret_words(echo)
    echo.hear("purple elephants are dancing")  # a fallback: the words never reach the skill
    echo.close("ERROR", {"type": "DEVICE_COMMUNICATION_ERROR", "message": "kumquat"})
    turn = echo.hear("Alexa, resume our check-in")
    assert "Zephyrine" in turn.speech or "Quillon" in turn.speech
    for _ in range(10):
        if not echo.in_session or turn.state.get("phase") == "done":
            break
        turn = echo.hear("next")
    assert "remind" in turn.speech  # the end of a first check-in offers a weekly reminder
    turn = decline_offers(echo, turn)
    assert turn.ended and "Thank you" in turn.speech


def test_a_whole_check_in_on_sqlite_logs_no_name_no_words_and_no_user_id(
    db_path: Path, clock: Clock, matcher, logs: pytest.LogCaptureFixture, capsys
) -> None:
    echo = Device(load_lambda_module().lambda_handler, USER_ID, matcher=matcher, clock=clock)

    whole_check_in(echo)

    records, output = everything(logs, capsys)
    assert len(request_lines(records, output)) > 10, "the skill's own lines were captured"
    assert leaks(records, (*SECRETS, household_key(USER_ID)), output) == []


@pytest.mark.parametrize("transport", ["lambda-default", "botocore"])
def test_a_whole_check_in_on_dynamodb_logs_no_name_no_words_and_no_user_id(
    dynamo_table: str,
    clock: Clock,
    matcher,
    monkeypatch: pytest.MonkeyPatch,
    logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    transport: str,
) -> None:
    """Through the Lambda entry point (whatever client it picks) and through a botocore
    client, whose own loggers write request and response bodies at DEBUG: the state, names
    included, would be in them unless the skill keeps them out of its logs."""
    monkeypatch.setenv("CHECKIN_TABLE", dynamo_table)
    if transport == "botocore":
        from skill.alexa.skill import skill_builder
        from skill.store.dynamodb import DynamoStore, make_client

        handler = skill_builder(DynamoStore(dynamo_table, client=make_client())).lambda_handler()
    else:
        handler = load_lambda_module().lambda_handler
    echo = Device(handler, USER_ID, matcher=matcher, clock=clock)

    whole_check_in(echo)
    echo.hear("Alexa, ask our check-in to forget us")
    echo.hear("yes")

    records, output = everything(logs, capsys)
    assert len(request_lines(records, output)) > 10
    assert leaks(records, SECRETS, output) == []


# --- forget us: everything goes, in both stores, and nothing of anyone else's -----------------


def sqlite_rows(db_path: Path) -> dict[str, tuple[int, str]]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT household, version, state FROM households").fetchall()
    return {household: (version, state) for household, version, state in rows}


def dynamo_items(table: str) -> dict[str, dict[str, Any]]:
    from skill.store.dynamodb import make_client

    logging.disable(logging.CRITICAL)  # the test's own look into the table is not the skill's
    try:
        items = make_client().scan(TableName=table, ConsistentRead=True)["Items"]
    finally:
        logging.disable(logging.NOTSET)
    return {item[KEY]["S"]: item for item in items}


def forget(echo: Device) -> None:
    turn = echo.hear("Alexa, ask our check-in to forget us")
    assert not turn.ended
    turn = echo.hear("yes")
    assert turn.ended
    assert any(line in turn.speech for line in PHRASES["forget_done"])


def two_households(lambda_handler, clock: Clock, matcher) -> tuple[Device, Device]:
    ours = Device(lambda_handler, USER_ID, "amzn1.ask.device.ours", matcher=matcher, clock=clock)
    theirs = Device(lambda_handler, NEIGHBOURS, "amzn1.ask.device.theirs", matcher, clock)
    for echo, names in ((ours, "we are Zephyrine and Quillon"), (theirs, "we are Robin and Kim")):
        echo.hear("Alexa, start our check-in")
        echo.hear(names)
        echo.hear("yes")
        echo.hear("yes")
        echo.hear("next")
        echo.hear("stop")
    return ours, theirs


def test_forget_us_removes_the_sqlite_row_and_only_that_row(
    db_path: Path, clock: Clock, matcher, logs: pytest.LogCaptureFixture, capsys
) -> None:
    ours, theirs = two_households(load_lambda_module().lambda_handler, clock, matcher)
    before = sqlite_rows(db_path)
    assert household_key(USER_ID) in before and household_key(NEIGHBOURS) in before

    forget(ours)

    after = sqlite_rows(db_path)
    assert household_key(USER_ID) not in after
    assert after == {household_key(NEIGHBOURS): before[household_key(NEIGHBOURS)]}
    with sqlite3.connect(db_path) as db:
        dump = "\n".join(db.iterdump())
    for secret in (*PARTNERS, USER_ID, household_key(USER_ID)):
        assert secret not in dump
    assert "Robin" in theirs.hear("Alexa, start our check-in").speech
    assert "first names" in ours.hear("Alexa, start our check-in").speech
    records, output = everything(logs, capsys)
    assert leaks(records, SECRETS, output) == []


def test_forget_us_removes_the_dynamodb_item_and_only_that_item(
    dynamo_table: str,
    clock: Clock,
    matcher,
    monkeypatch: pytest.MonkeyPatch,
    logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CHECKIN_TABLE", dynamo_table)
    ours, theirs = two_households(load_lambda_module().lambda_handler, clock, matcher)
    before = dynamo_items(dynamo_table)
    assert set(before) == {household_key(USER_ID), household_key(NEIGHBOURS)}

    forget(ours)

    after = dynamo_items(dynamo_table)
    assert after == {household_key(NEIGHBOURS): before[household_key(NEIGHBOURS)]}
    kept = json.dumps(after)
    for secret in (*PARTNERS, USER_ID):
        assert secret not in kept
    assert "Robin" in theirs.hear("Alexa, start our check-in").speech
    assert "first names" in ours.hear("Alexa, start our check-in").speech
    records, output = everything(logs, capsys)
    assert leaks(records, SECRETS, output) == []


# --- a short fuzz run: hostile words never reach the logs --------------------------------------

MARKER = "Snorkelwhistle"
MARKED_TEXT = st.tuples(NASTY_TEXT, NASTY_TEXT).map(lambda pair: pair[0] + MARKER + pair[1])


@st.composite
def marked_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A device-shaped request whose every slot holds the marker, amid hostile text."""
    user = f"amzn1.ask.account.{MARKER}{draw(st.integers(0, 9))}"
    session = Session(user_id=user, new=True)
    intent = draw(
        st.sampled_from(
            [
                "NamesIntent",
                "SwitchIntent",
                "LengthIntent",
                "StartExerciseIntent",
                "TurnTimeIntent",
                "StartCheckInIntent",
                "AMAZON.FallbackIntent",
            ]
        )
    )
    slots: dict[str, SlotValue] = {}
    for name in ("firstName", "secondName", "partner"):
        if draw(st.booleans()):
            slots[name] = first_name_slot(name, draw(MARKED_TEXT))
    for name, slot_type in (
        ("length", "CheckInLength"),
        ("exercise", "ExerciseName"),
        ("turnTime", "TurnTime"),
    ):
        if draw(st.booleans()):
            slots[name] = unmatched_slot(name, slot_type, draw(MARKED_TEXT))
    if draw(st.booleans()):
        return session_ended_request(
            session, "ERROR", {"type": "INVALID_RESPONSE", "message": draw(MARKED_TEXT)}
        )
    return intent_request(session, intent, slots)


@pytest.fixture
def web(clock: Clock):
    return create_app(MemoryStore(), verify=False, clock=clock).test_client()


@fuzz_settings(0.05)
@given(request=marked_requests())
def test_fuzzed_words_and_user_ids_never_reach_any_log(
    lambda_handler,
    web,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    request: dict[str, Any],
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capsys.readouterr()
    body = json.dumps(request).encode()
    response = lambda_handler(json.loads(body), None)
    assert response["version"] == "1.0"
    assert web.post("/alexa", data=body, content_type="application/json").status_code == 200
    records, output = everything(caplog, capsys)
    assert leaks(records, (MARKER,), output) == []


# --- support, from every state ------------------------------------------------------------------


def test_no_support_line_in_the_content_diagnoses() -> None:
    for key in ("support", "support_offer_stop", "support_reprompt"):
        for line in PHRASES[key]:
            assert not any(word in line.lower() for word in DIAGNOSES), line
    for line in PHRASES["support"]:
        assert "counselor" in line and "local emergency number" in line


@pytest.fixture
def states(
    lambda_handler, db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> tuple[SqliteRig, list[Snapshot]]:
    # Every state, a meditation playing among them: the meditations are hosted, as in the
    # state-by-intent matrix.
    monkeypatch.setenv("CHECKIN_AUDIO_URL", "https://audio.example.com/checkin/")
    rig = SqliteRig(lambda_handler, db_path, USER_ID)
    return rig, explore(rig, clock.now)


def test_support_works_from_every_state(states: tuple[SqliteRig, list[Snapshot]]) -> None:
    rig, snapshots = states
    names = {s.name for s in snapshots}
    assert {"new household", "confirm_names"} <= names
    assert any("mindful_pause" in n and "quick" in n for n in names)  # during the pause
    assert any("[gratitude]" in n for n in names)  # mid-turn
    assert any(n.startswith("done") for n in names)
    offers = PHRASES["support_offer_stop"]
    failures = []
    for snapshot in snapshots:
        response = rig.send(snapshot, say("SupportIntent"))
        speech = " ".join(
            (response.get("response") or {}).get("outputSpeech", {}).get("ssml", "").split()
        )
        problems = response_problems(response, silent=False, spoken=True)
        if "counselor" not in speech or "local emergency number" not in speech:
            problems.append("no counselor or no local emergency number")
        problems += [f"says {word!r}" for word in DIAGNOSES if word in speech.lower()]
        if not any(offer in speech for offer in offers):
            problems.append("no offer to stop")
        if response["response"].get("shouldEndSession") is True:
            problems.append("the session ends before the couple can answer")
        else:
            asked = Snapshot(
                snapshot.name, response["sessionAttributes"], rig.record(), snapshot.now
            )
            stopped = rig.send(asked, say("AMAZON.YesIntent"))
            if stopped["response"].get("shouldEndSession") is not True:
                problems.append("yes to stopping does not stop")
            problems += response_problems(stopped, silent=False, spoken=True)
        failures += [f"{snapshot.name}: {p}" for p in problems]
    assert failures == []
