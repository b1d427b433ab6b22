"""Request envelopes have the shape Alexa documents, so the real skill can consume them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from skill.console.envelopes import (
    Session,
    from_match,
    intent_request,
    launch_request,
    session_ended_request,
)
from skill.console.matcher import Match, SlotValue

NOW = datetime(2024, 5, 1, 12, 30, 45, 987654, tzinfo=UTC)
APP_ID = "amzn1.ask.skill.our-checkin-local"

GRATITUDE = SlotValue(
    "exercise", "thanks", "GRATITUDE", "gratitude", "ER_SUCCESS_MATCH", "ExerciseName"
)
UNKNOWN_EXERCISE = SlotValue(
    "exercise", "mindful pause", None, None, "ER_SUCCESS_NO_MATCH", "ExerciseName"
)
ZOE = SlotValue("firstName", "zoë", None, None, None, "AMAZON.FirstName")


@pytest.fixture
def session() -> Session:
    return Session(user_id="amzn1.ask.account.couple")


def _roundtrip(envelope: dict[str, Any]) -> dict[str, Any]:
    """What the skill receives: the envelope as JSON."""
    return json.loads(json.dumps(envelope))


# -- common envelope parts -----------------------------------------------------------------------


def test_a_launch_request_has_the_documented_shape(session: Session) -> None:
    env = _roundtrip(launch_request(session, now=NOW))

    assert env["version"] == "1.0"
    assert set(env) == {"version", "session", "context", "request"}
    assert env["session"] == {
        "new": True,
        "sessionId": session.session_id,
        "application": {"applicationId": APP_ID},
        "user": {"userId": "amzn1.ask.account.couple"},
    }
    assert env["context"] == {
        "System": {
            "application": {"applicationId": APP_ID},
            "user": {"userId": "amzn1.ask.account.couple"},
            "device": {
                "deviceId": "amzn1.ask.device.console",
                "supportedInterfaces": {"AudioPlayer": {}},
            },
            "apiEndpoint": "https://api.amazonalexa.com",
            "apiAccessToken": "console-token",
        }
    }
    request = env["request"]
    assert set(request) == {"type", "requestId", "timestamp", "locale"}
    assert request["type"] == "LaunchRequest"
    assert request["timestamp"] == "2024-05-01T12:30:45Z"
    assert request["locale"] == "en-US"


def test_ids_look_like_alexa_ids_and_requests_get_fresh_ones(session: Session) -> None:
    first = launch_request(session)
    second = intent_request(session, "NextIntent")

    assert re.fullmatch(r"amzn1\.echo-api\.session\.[0-9a-f]{32}", session.session_id)
    assert re.fullmatch(r"amzn1\.echo-api\.request\.[0-9a-f]{32}", first["request"]["requestId"])
    assert first["request"]["requestId"] != second["request"]["requestId"]
    assert first["session"]["sessionId"] == second["session"]["sessionId"]
    assert Session(user_id="u").session_id != Session(user_id="u").session_id


def test_timestamps_are_utc_seconds_with_z(session: Session) -> None:
    plus_two = datetime(2024, 5, 1, 14, 30, 45, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2024, 5, 1, 12, 30, 45, 500000)

    assert launch_request(session, now=plus_two)["request"]["timestamp"] == "2024-05-01T12:30:45Z"
    assert launch_request(session, now=naive)["request"]["timestamp"] == "2024-05-01T12:30:45Z"
    stamp = launch_request(session)["request"]["timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - parsed) < timedelta(minutes=1)


def test_session_and_device_settings_are_used() -> None:
    custom = Session(
        user_id="u2", device_id="dev-2", application_id="amzn1.ask.skill.x", locale="en-GB"
    )

    env = launch_request(custom, now=NOW)

    assert env["context"]["System"]["device"]["deviceId"] == "dev-2"
    assert env["context"]["System"]["application"]["applicationId"] == "amzn1.ask.skill.x"
    assert env["session"]["application"]["applicationId"] == "amzn1.ask.skill.x"
    assert env["request"]["locale"] == "en-GB"


# -- intents and slots ---------------------------------------------------------------------------


def test_an_intent_request_without_slots(session: Session) -> None:
    request = _roundtrip(intent_request(session, "NextIntent", now=NOW))["request"]

    assert request["type"] == "IntentRequest"
    assert "dialogState" not in request
    assert request["intent"] == {"name": "NextIntent", "confirmationStatus": "NONE", "slots": {}}


def test_dialog_state_is_included_only_when_given(session: Session) -> None:
    env = intent_request(session, "NamesIntent", dialog_state="IN_PROGRESS")

    assert env["request"]["dialogState"] == "IN_PROGRESS"


def test_a_built_in_type_slot_has_no_resolutions(session: Session) -> None:
    env = _roundtrip(intent_request(session, "NamesIntent", {"firstName": ZOE}))

    assert env["request"]["intent"]["slots"] == {
        "firstName": {
            "name": "firstName",
            "value": "zoë",
            "confirmationStatus": "NONE",
            "source": "USER",
        }
    }


def test_a_resolved_custom_slot_carries_its_resolution(session: Session) -> None:
    env = _roundtrip(intent_request(session, "StartExerciseIntent", {"exercise": GRATITUDE}))

    assert env["request"]["intent"]["slots"]["exercise"] == {
        "name": "exercise",
        "value": "thanks",
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.{APP_ID}.ExerciseName",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": "gratitude", "id": "GRATITUDE"}}],
                }
            ]
        },
    }


def test_an_unresolved_custom_slot_reports_no_match_without_values(session: Session) -> None:
    env = intent_request(session, "StartExerciseIntent", {"exercise": UNKNOWN_EXERCISE})

    slot = env["request"]["intent"]["slots"]["exercise"]
    assert slot["value"] == "mindful pause"
    assert slot["resolutions"]["resolutionsPerAuthority"] == [
        {
            "authority": f"amzn1.er-authority.echo-sdk.{APP_ID}.ExerciseName",
            "status": {"code": "ER_SUCCESS_NO_MATCH"},
        }
    ]


def test_a_custom_slot_without_its_type_cannot_be_sent(session: Session) -> None:
    typeless = SlotValue("exercise", "thanks", "GRATITUDE", "gratitude", "ER_SUCCESS_MATCH")

    with pytest.raises(ValueError, match="slot_type"):
        intent_request(session, "StartExerciseIntent", {"exercise": typeless})


def test_from_match_sends_the_matched_intent_and_slots(session: Session) -> None:
    match = Match("NamesIntent", {"firstName": ZOE})

    intent = from_match(session, match, now=NOW)["request"]["intent"]

    assert intent["name"] == "NamesIntent"
    assert intent["slots"]["firstName"]["value"] == "zoë"


def test_from_match_without_a_match_sends_fallback(session: Session) -> None:
    env = from_match(session, None, now=NOW)

    assert env["request"]["type"] == "IntentRequest"
    assert env["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    assert env["request"]["intent"]["slots"] == {}


# -- session end ---------------------------------------------------------------------------------


def test_a_session_ended_request_has_a_reason(session: Session) -> None:
    request = session_ended_request(session, now=NOW)["request"]

    assert request["type"] == "SessionEndedRequest"
    assert request["reason"] == "USER_INITIATED"
    assert "error" not in request
    assert request["timestamp"] == "2024-05-01T12:30:45Z"


def test_a_session_ended_request_can_carry_an_error(session: Session) -> None:
    error = {"type": "INVALID_RESPONSE", "message": "bad SSML"}

    request = session_ended_request(session, reason="ERROR", error=error)["request"]

    assert request["reason"] == "ERROR"
    assert request["error"] == {"type": "INVALID_RESPONSE", "message": "bad SSML"}


# -- carrying state between turns ----------------------------------------------------------------


def _response(attributes: dict[str, Any] | None, **response: Any) -> dict[str, Any]:
    envelope: dict[str, Any] = {"version": "1.0", "response": response}
    if attributes is not None:
        envelope["sessionAttributes"] = attributes
    return envelope


def test_absorb_carries_attributes_into_the_next_request(session: Session) -> None:
    session.absorb(_response({"step": "names", "round": 1}, shouldEndSession=False))

    env = intent_request(session, "NamesIntent", {"firstName": ZOE})

    assert session.new is False
    assert session.ended is False
    assert env["session"]["new"] is False
    assert env["session"]["attributes"] == {"step": "names", "round": 1}


def test_attributes_are_replaced_not_merged(session: Session) -> None:
    session.absorb(_response({"step": "names", "round": 1}))
    session.absorb(_response({"step": "exercise"}))

    assert session.attributes == {"step": "exercise"}


def test_attributes_are_copied_not_shared(session: Session) -> None:
    sent = {"names": ["zoë"]}
    session.absorb(_response(sent))
    sent["names"].append("d'arcy")

    env = launch_request(session)
    env["session"]["attributes"]["names"].append("sam")

    assert session.attributes == {"names": ["zoë"]}


def test_attributes_key_is_omitted_only_for_a_new_session_without_attributes(
    session: Session,
) -> None:
    assert "attributes" not in launch_request(session)["session"]

    session.attributes = {"seeded": True}
    assert launch_request(session)["session"]["attributes"] == {"seeded": True}

    session.absorb(_response(None))
    assert launch_request(session)["session"]["attributes"] == {}


@pytest.mark.parametrize(
    ("response", "ended"),
    [
        ({"shouldEndSession": True}, True),
        ({"shouldEndSession": False}, False),
        ({"shouldEndSession": None}, False),
        ({}, False),
    ],
)
def test_absorb_ends_the_session_only_on_should_end_session_true(
    session: Session, response: dict[str, Any], ended: bool
) -> None:
    session.absorb(_response({}, **response))

    assert session.ended is ended
    assert session.new is False
