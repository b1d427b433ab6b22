"""CheckInSerializer reads every request into the same RequestEnvelope as the SDK's own
DefaultSerializer (with its JSON round trip), timestamps included."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.serializer import CheckInSerializer
from skill.console.envelopes import (
    Session,
    intent_request,
    launch_request,
    screen_error,
    session_ended_request,
    user_event,
    with_screen,
)
from skill.console.matcher import SlotValue

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def envelopes() -> list[dict[str, Any]]:
    session = Session(user_id="amzn1.ask.account.serializer")
    session.attributes = {"state": '{"v": 4}', "version": 3, "dirty": False}
    screen = Session(user_id="amzn1.ask.account.serializer", screen=True)
    length = SlotValue("length", "full", "full", "full", "ER_SUCCESS_MATCH", "LENGTH")
    unheard = SlotValue("length", "huge", None, None, "ER_SUCCESS_NO_MATCH", "LENGTH")
    return [
        launch_request(session, NOW),
        launch_request(screen, NOW),
        intent_request(session, "NextIntent", now=NOW),
        with_screen(intent_request(session, "AMAZON.HelpIntent", now=NOW)),
        intent_request(session, "LengthIntent", {"length": length}, now=NOW),
        intent_request(session, "LengthIntent", {"length": unheard}, now=NOW),
        session_ended_request(session, "ERROR", {"type": "INVALID_RESPONSE"}, now=NOW),
        user_event(screen, ["button", "next"], NOW),
        screen_error(screen, NOW),
    ]


def sdk_reading(event: dict[str, Any]) -> RequestEnvelope:
    return DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)


@pytest.mark.parametrize("event", envelopes(), ids=lambda e: e["request"]["type"])
def test_the_envelope_is_the_sdks_own(event: dict[str, Any]) -> None:
    ours = CheckInSerializer().deserialize_event(event)
    theirs = sdk_reading(event)
    assert ours == theirs
    assert DefaultSerializer().serialize(ours) == DefaultSerializer().serialize(theirs)
    assert ours.request.timestamp.isoformat() == theirs.request.timestamp.isoformat()
    assert ours.request.timestamp.utcoffset() == theirs.request.timestamp.utcoffset()


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-23T20:00:00Z",
        "2026-11-23T20:00:00.123Z",
        "2026-11-23T20:00:00.123456Z",
        "2026-11-23T20:00:00+01:00",  # not Alexa's form: dateutil, as before
        "2026-11-23 20:00:00",
        "2026-11-23T20:00:00.1Z",
    ],
)
def test_a_timestamp_is_the_same_instant_as_the_sdks(stamp: str) -> None:
    event = intent_request(Session(user_id="u"), "NextIntent", now=NOW)
    event["request"]["timestamp"] = stamp
    ours = CheckInSerializer().deserialize_event(event).request.timestamp
    theirs = sdk_reading(event).request.timestamp
    assert ours == theirs
    assert ours.isoformat() == theirs.isoformat()


@pytest.mark.parametrize("stamp", ["2026-02-30T20:00:00Z", "not a time"])
def test_an_impossible_timestamp_fails_as_in_the_sdk(stamp: str) -> None:
    event = intent_request(Session(user_id="u"), "NextIntent", now=NOW)
    event["request"]["timestamp"] = stamp
    with pytest.raises(SerializationException):
        sdk_reading(event)
    with pytest.raises(SerializationException):
        CheckInSerializer().deserialize_event(event)


def test_the_skill_leaves_the_event_it_was_given_as_it_was() -> None:
    """Without the JSON round trip the envelope shares the event's values: the skill must not
    change them (the console and the benchmarks send the same dicts again)."""
    from skill.alexa.skill import skill_builder
    from skill.store.memory import MemoryStore

    handler = skill_builder(MemoryStore()).lambda_handler()
    for event in envelopes():
        before = copy.deepcopy(event)
        handler(event, None)
        assert event == before
