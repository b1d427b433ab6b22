"""The weekly reminder's API layer (issue 13, item 1) against a real local HTTPS server that
stands in for the request's apiEndpoint: the SDK's DefaultApiClient refuses http://, so the
server has a trustme certificate and the client trusts its CA through REQUESTS_CA_BUNDLE.

Covered: the time zone from the settings API, create (the exact JSON posted), read, update
(moved to Friday at seven), delete, a reminder deleted in the Alexa app (404 -> Gone), each
error status on each call, a hanging server (the deadline holds), the turn's budget across
two calls, refused and plain-http endpoints; the consent directive, the card, and
Connections.Response for ACCEPTED, DENIED and NOT_ANSWERED; the pure schedule and its words.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from skill.reminders import client as reminders_client
from skill.reminders.client import (
    Deleted,
    Denied,
    Gone,
    Reminder,
    Reminders,
    Saved,
    Throttled,
    Unavailable,
)
from skill.reminders.consent import (
    PERMISSION,
    Consent,
    as_sdk_card,
    as_sdk_directive,
    ask_for_permission,
    has_permission,
    parse_consent_response,
    permissions_card,
)
from skill.reminders.schedule import (
    Day,
    Weekly,
    describe,
    first_occurrence,
    format_when,
    locales,
    parse_day,
    parse_time,
    parse_weekly,
    reminder_request,
    say_when,
)

TOKEN = "api-access-token-xyz"
DEVICE = "amzn1.ask.device.test-echo"
ZONE_PATH = f"/v2/devices/{DEVICE}/settings/System.timeZone"
REMINDERS = "/v1/alerts/reminders"
ALERT = "alert-token-1"
NAMES = ("Sam", "Alex")
# Monday 23 November 2026, 20:00 UTC: noon in Los Angeles, the reminder is for Sunday.
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
SUNDAY_AT_EIGHT = Weekly(Day.SU, 20, 0)
# The reminder posted for Sam and Alex, every Sunday at eight, when it is Monday 23 November
# 2026, 20:00 UTC: noon in Los Angeles, so the first is Sunday's (test_reminders_skill posts
# the same through the skill).
POSTED_SUNDAY_AT_EIGHT = {
    "requestTime": "2026-11-23T12:00:00.000",
    "trigger": {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-11-29T20:00:00.000",
        "timeZoneId": "America/Los_Angeles",
        "recurrence": {
            "startDateTime": "2026-11-29T20:00:00.000",
            "recurrenceRules": ["FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
        },
    },
    "alertInfo": {
        "spokenInfo": {
            "content": [
                {
                    "locale": "en-US",
                    "text": "Sam and Alex, it's time for your check-in. "
                    "A few quiet minutes, just the two of you.",
                }
            ]
        }
    },
    "pushNotification": {"status": "ENABLED"},
}


# --- the stand-in for apiEndpoint ---------------------------------------------------------


# ca, ca_bundle, api_server and api (the stand-in, empty, its CA trusted): tests/conftest.py


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown, so a handler that hangs lets its server thread go."""
    event = threading.Event()
    yield event
    event.set()


def endpoint(server: HTTPServer) -> str:
    return f"https://127.0.0.1:{server.port}"


def reminders(server: HTTPServer, **options: Any) -> Reminders:
    return Reminders(endpoint(server), TOKEN, DEVICE, **options)


def serve_zone(server: HTTPServer, zone: str = "America/Los_Angeles") -> None:
    server.expect_request(ZONE_PATH, method="GET").respond_with_json(zone)


def posted(server: HTTPServer, method: str) -> list[dict[str, Any]]:
    return [json.loads(req.get_data()) for req, _ in server.log if req.method == method]


def get_answer(rule: str, status: str = "ON") -> dict[str, Any]:
    """A GET /v1/alerts/reminders/{alertToken} answer, shaped as the API reference shows."""
    return {
        "alertToken": ALERT,
        "createdTime": "2026-11-23T12:00:00.000Z",
        "updatedTime": "2026-11-23T12:00:00.000Z",
        "status": status,
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": "2026-11-29T20:00:00.000",
            "timeZoneId": "America/Los_Angeles",
            "recurrence": {"recurrenceRules": [rule]},
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "..."}]}},
        "pushNotification": {"status": "ENABLED"},
        "version": "1",
    }


# --- create, read, update, delete ---------------------------------------------------------


def test_create_posts_the_weekly_reminder_in_the_devices_time_zone(api: HTTPServer) -> None:
    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_json(
        {"alertToken": ALERT, "status": "ON", "version": "1", "href": f"{REMINDERS}/{ALERT}"}
    )

    result = reminders(api).create(SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW)

    assert result == Saved(ALERT, "America/Los_Angeles")
    (body,) = posted(api, "POST")
    assert body == POSTED_SUNDAY_AT_EIGHT
    (post,) = [req for req, _ in api.log if req.method == "POST"]
    assert post.headers["Authorization"] == f"Bearer {TOKEN}"
    assert post.headers["Content-Type"] == "application/json"
    zone_read = [req for req, _ in api.log if req.path == ZONE_PATH]
    assert len(zone_read) == 1 and zone_read[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_the_time_zone_comes_from_the_settings_api_never_a_guess(api: HTTPServer) -> None:
    serve_zone(api, "Europe/London")
    api.expect_request(REMINDERS, method="POST").respond_with_json({"alertToken": ALERT})

    assert reminders(api).time_zone() == "Europe/London"
    result = reminders(api).create(SUNDAY_AT_EIGHT, names=NAMES, locale="en-GB", now=NOW)

    assert result == Saved(ALERT, "Europe/London")
    (body,) = posted(api, "POST")
    assert body["trigger"]["timeZoneId"] == "Europe/London"
    assert body["requestTime"] == "2026-11-23T20:00:00.000"  # London's wall clock, no offset
    assert body["alertInfo"]["spokenInfo"]["content"][0]["locale"] == "en-GB"


def test_no_time_zone_means_no_reminder(api: HTTPServer) -> None:
    api.expect_request(ZONE_PATH).respond_with_data("", status=204)

    result = reminders(api).create(SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW)

    assert isinstance(result, Unavailable)
    assert posted(api, "POST") == []


def test_read_gives_the_schedule_back(api: HTTPServer) -> None:
    api.expect_request(f"{REMINDERS}/{ALERT}", method="GET").respond_with_json(
        get_answer("FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1")
    )

    result = reminders(api).get(ALERT)

    assert result == Reminder(ALERT, SUNDAY_AT_EIGHT, "America/Los_Angeles", active=True)
    assert describe(result.weekly, "en-US") == "every Sunday at eight in the evening"


def test_read_of_a_rule_this_skill_did_not_write(api: HTTPServer) -> None:
    api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_json(
        get_answer("FREQ=DAILY;BYHOUR=6;BYMINUTE=10;BYSECOND=0;INTERVAL=1", status="COMPLETED")
    )

    result = reminders(api).get(ALERT)

    assert isinstance(result, Reminder) and result.weekly is None and not result.active


def test_update_moves_the_reminder_to_friday_at_seven(api: HTTPServer) -> None:
    serve_zone(api)
    api.expect_request(f"{REMINDERS}/{ALERT}", method="PUT").respond_with_json(
        {"alertToken": ALERT, "status": "ON", "version": "2"}
    )
    friday_at_seven = parse_weekly("friday", "19:00")
    assert friday_at_seven == Weekly(Day.FR, 19, 0)

    result = reminders(api).update(ALERT, friday_at_seven, names=NAMES, locale="en-US", now=NOW)

    assert result == Saved(ALERT, "America/Los_Angeles")
    (body,) = posted(api, "PUT")
    assert body["trigger"] == {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-11-27T19:00:00.000",
        "timeZoneId": "America/Los_Angeles",
        "recurrence": {
            "startDateTime": "2026-11-27T19:00:00.000",
            "recurrenceRules": ["FREQ=WEEKLY;BYDAY=FR;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
        },
    }
    assert "Sam and Alex" in body["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert describe(friday_at_seven, "en-US") == "every Friday at seven in the evening"


def test_delete(api: HTTPServer) -> None:
    api.expect_request(f"{REMINDERS}/{ALERT}", method="DELETE").respond_with_data("", status=200)

    assert reminders(api).delete(ALERT) == Deleted(ALERT)
    assert [req.method for req, _ in api.log] == ["DELETE"]


@pytest.mark.parametrize("operation", ["get", "update", "delete"])
def test_a_reminder_deleted_in_the_alexa_app_is_gone(api: HTTPServer, operation: str) -> None:
    serve_zone(api)
    api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_json(
        {"code": "ALERT_NOT_FOUND", "message": "Alert not found"}, status=404
    )

    result = call(reminders(api), operation)

    assert result == Gone()


# --- errors ---------------------------------------------------------------------------------


def call(edge: Reminders, operation: str) -> Any:
    if operation == "time_zone":
        return edge.time_zone()
    if operation == "create":
        return edge.create(SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW)
    if operation == "get":
        return edge.get(ALERT)
    if operation == "update":
        return edge.update(ALERT, SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW)
    return edge.delete(ALERT)


EXPECTED = {
    401: Denied(401),
    403: Denied(403),
    429: Throttled(),
    500: Unavailable(500),
    503: Unavailable(503),
}


@pytest.mark.parametrize("status", sorted(EXPECTED))
@pytest.mark.parametrize("operation", ["time_zone", "create", "get", "update", "delete"])
def test_each_error_status_is_a_typed_result(api: HTTPServer, operation: str, status: int) -> None:
    body = {"code": "ERROR", "message": "from the stand-in"}
    if operation == "time_zone":
        api.expect_request(ZONE_PATH).respond_with_json(body, status=status)
    else:
        serve_zone(api)
        api.expect_request(REMINDERS).respond_with_json(body, status=status)
        api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_json(body, status=status)

    assert call(reminders(api), operation) == EXPECTED[status]


@pytest.mark.parametrize("status", [401, 500])
def test_an_error_without_a_json_body_keeps_its_status(api: HTTPServer, status: int) -> None:
    """The SDK fails to parse a non-JSON error body; the status still decides."""
    api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_data("<html>oops</html>", status=status)

    assert reminders(api).get(ALERT) == EXPECTED[status]


def test_a_hanging_server_answers_unavailable_within_the_deadline(
    api: HTTPServer, release: threading.Event
) -> None:
    serve_zone(api)

    def hang(request: Request) -> Response:
        release.wait(10)
        return Response("{}", status=200, content_type="application/json")

    api.expect_request(REMINDERS, method="POST").respond_with_handler(hang)

    started = time.monotonic()
    result = reminders(api).create(SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW)
    elapsed = time.monotonic() - started

    assert result == Unavailable(None)
    assert reminders_client.TIMEOUT - 0.1 <= elapsed < 3.3


def test_the_turn_has_one_budget_for_all_its_calls(
    api: HTTPServer, release: threading.Event
) -> None:
    """A slow time zone leaves the create call only what is left of the turn's budget."""

    def slow_zone(request: Request) -> Response:
        release.wait(0.8)
        return Response('"America/Los_Angeles"', content_type="application/json")

    def hang(request: Request) -> Response:
        release.wait(10)
        return Response("{}", content_type="application/json")

    api.expect_request(ZONE_PATH).respond_with_handler(slow_zone)
    api.expect_request(REMINDERS, method="POST").respond_with_handler(hang)

    started = time.monotonic()
    result = reminders(api, timeout=1.5, budget=2.0).create(
        SUNDAY_AT_EIGHT, names=NAMES, locale="en-US", now=NOW
    )
    elapsed = time.monotonic() - started

    assert result == Unavailable(None)
    assert 1.9 <= elapsed < 2.6  # 0.8 s for the zone, then the 1.2 s left, not 1.5 s more


def test_a_spent_budget_makes_no_call(api: HTTPServer) -> None:
    now = [100.0]
    edge = reminders(api, budget=1.0, clock=lambda: now[0])
    now[0] += 1.0

    assert edge.get(ALERT) == Unavailable(None)
    # (an earlier test's hanging request may be logged late, once its handler is let go)
    assert [req for req, _ in api.log if req.path == f"{REMINDERS}/{ALERT}"] == []


def test_connection_refused_is_unavailable(ca_bundle: Path, monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    edge = Reminders(f"https://127.0.0.1:{port}", TOKEN, DEVICE)
    assert edge.delete(ALERT) == Unavailable(None)


def test_plain_http_is_refused_by_the_sdk_client(api: HTTPServer) -> None:
    api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_json(get_answer("x"))

    edge = Reminders(f"http://127.0.0.1:{api.port}", TOKEN, DEVICE)

    assert edge.get(ALERT) == Unavailable(None)
    # (an earlier test's hanging request may be logged late, once its handler is let go)
    assert [req for req, _ in api.log if req.path == f"{REMINDERS}/{ALERT}"] == []


def test_a_certificate_from_another_ca_is_refused(
    api: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    serve_zone(api)

    assert reminders(api).time_zone() == Unavailable(None)
    assert api.log == []


def test_logs_name_no_partner_no_text_no_token(
    api: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_json({"alertToken": ALERT})
    api.expect_request(f"{REMINDERS}/{ALERT}").respond_with_json({}, status=403)

    with caplog.at_level(logging.DEBUG, logger="checkin.reminders"):
        reminders(api).create(SUNDAY_AT_EIGHT, names=("Marisol", "Teodor"), locale="en-US", now=NOW)
        reminders(api).get(ALERT)

    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "checkin.reminders")
    assert "reminders create: Saved" in text and "reminders get: Denied" in text
    for secret in ("Marisol", "Teodor", "check-in", ALERT, TOKEN, DEVICE):
        assert secret not in text


def test_from_envelope_reads_the_request(api: HTTPServer) -> None:
    from ask_sdk_core.serialize import DefaultSerializer

    serve_zone(api, "Australia/Sydney")
    envelope = {
        "version": "1.0",
        "context": {
            "System": {
                "application": {"applicationId": "skill"},
                "user": {"userId": "u"},
                "apiEndpoint": endpoint(api),
                "apiAccessToken": TOKEN,
                "device": {"deviceId": DEVICE, "supportedInterfaces": {}},
            }
        },
        "request": {"type": "LaunchRequest", "requestId": "r", "locale": "en-AU"},
    }
    model = DefaultSerializer().deserialize(
        json.dumps(envelope), "ask_sdk_model.request_envelope.RequestEnvelope"
    )

    assert Reminders.from_envelope(envelope).time_zone() == "Australia/Sydney"
    assert Reminders.from_envelope(model).time_zone() == "Australia/Sydney"
    assert Reminders.from_envelope({"context": {"System": {}}}).time_zone() == Unavailable(None)


# --- consent ----------------------------------------------------------------------------------


def test_the_voice_consent_directive() -> None:
    assert ask_for_permission("reminder-offer") == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [
                {
                    "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                    "consentLevel": "ACCOUNT",
                }
            ],
        },
        "token": "reminder-offer",
    }
    from ask_sdk_core.serialize import DefaultSerializer

    serializer = DefaultSerializer()
    assert serializer.serialize(as_sdk_directive("reminder-offer")) == ask_for_permission(
        "reminder-offer"
    )
    assert serializer.serialize(as_sdk_card()) == permissions_card()
    assert permissions_card() == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}


def connections_response(status: str | None, code: str = "200", version: int = 2) -> dict[str, Any]:
    """A Connections.Response to our AskFor: version 2's scope list (the docs' current form),
    or version 1's single scope."""
    payload: dict[str, Any] = (
        {"permissionScopes": [{"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}]}
        if version == 2
        else {"permissionScope": PERMISSION}
    )
    if status is not None:
        payload["status"] = status
    return {
        "type": "Connections.Response",
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": "2026-11-23T20:00:00Z",
        "locale": "en-US",
        "name": "AskFor",
        "status": {"code": code, "message": "OK" if code == "200" else "error"},
        "payload": payload,
        "token": "reminder-offer",
    }


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("status", ["ACCEPTED", "DENIED", "NOT_ANSWERED"])
def test_connections_response(status: str, version: int) -> None:
    answer = parse_consent_response(connections_response(status, version=version))

    assert answer is not None
    assert answer.status == Consent(status) and answer.token == "reminder-offer"
    assert answer.voiced


@pytest.mark.parametrize("status", ["ACCEPTED", "DENIED", "NOT_ANSWERED"])
def test_connections_response_as_the_sdk_reads_it(status: str) -> None:
    from ask_sdk_core.serialize import DefaultSerializer

    envelope = {
        "version": "1.0",
        "context": {"System": {"application": {"applicationId": "x"}, "user": {"userId": "u"}}},
        "request": connections_response(status),
    }
    parsed = DefaultSerializer().deserialize(
        json.dumps(envelope), "ask_sdk_model.request_envelope.RequestEnvelope"
    )

    answer = parse_consent_response(parsed.request)

    assert answer is not None and answer.status == Consent(status)


def test_a_status_beside_the_scope_is_read_as_the_docs_example_places_it() -> None:
    request = connections_response(None)
    request["payload"]["permissionScopes"].append({"status": "DENIED"})

    answer = parse_consent_response(request)

    assert answer is not None and answer.status is Consent.DENIED


def test_consent_without_a_voice_dialog_or_a_status_is_not_a_yes() -> None:
    failed = parse_consent_response(connections_response(None, code="500"))
    assert failed is not None and failed.status is Consent.NOT_ANSWERED and not failed.voiced
    odd = parse_consent_response(connections_response("MAYBE"))
    assert odd is not None and odd.status is Consent.NOT_ANSWERED


def test_other_connections_responses_are_not_ours() -> None:
    other = connections_response("ACCEPTED")
    other["name"] = "Buy"
    assert parse_consent_response(other) is None
    other = connections_response("ACCEPTED")
    other["payload"]["permissionScopes"][0]["permissionScope"] = "alexa::profile:given_name:read"
    assert parse_consent_response(other) is None
    other = connections_response("ACCEPTED", version=1)
    other["payload"]["permissionScope"] = "alexa::profile:given_name:read"
    assert parse_consent_response(other) is None
    assert parse_consent_response({"type": "IntentRequest"}) is None


def test_has_permission_reads_the_granted_scope() -> None:
    granted = {
        "context": {
            "System": {
                "user": {
                    "userId": "u",
                    "permissions": {"scopes": {PERMISSION: {"status": "GRANTED"}}},
                }
            }
        }
    }
    assert has_permission(granted)
    denied = json.loads(json.dumps(granted))
    denied["context"]["System"]["user"]["permissions"]["scopes"][PERMISSION]["status"] = "DENIED"
    assert not has_permission(denied)
    assert not has_permission({"context": {"System": {"user": {"userId": "u"}}}})


# --- the schedule, pure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20:00", (20, 0)),
        ("7:05", (7, 5)),
        ("EV", (19, 0)),
        ("NI", (21, 0)),
        ("MO", (9, 0)),
        ("AF", (15, 0)),
        ("ev", (19, 0)),
        ("24:00", None),
        ("", None),
        (None, None),
        ("eight", None),
    ],
)
def test_amazon_time_values(value: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("sunday", Day.SU), ("Sundays", Day.SU), ("fri", Day.FR), ("TH", Day.TH), ("someday", None)],
)
def test_amazon_day_of_week_values(value: str, expected: Day | None) -> None:
    assert parse_day(value) == expected


def test_parse_weekly_needs_both_parts() -> None:
    assert parse_weekly("sunday", "EV") == Weekly(Day.SU, 19, 0)
    assert parse_weekly("sunday", None) is None
    assert parse_weekly(None, "20:00") is None


def test_first_occurrence_is_strictly_ahead() -> None:
    monday_noon = datetime(2026, 11, 23, 12, 0)
    assert first_occurrence(Weekly(Day.MO, 20, 0), monday_noon) == datetime(2026, 11, 23, 20, 0)
    assert first_occurrence(Weekly(Day.MO, 12, 0), monday_noon) == datetime(2026, 11, 30, 12, 0)
    assert first_occurrence(Weekly(Day.MO, 9, 0), monday_noon) == datetime(2026, 11, 30, 9, 0)
    assert first_occurrence(Weekly(Day.SU, 9, 0), monday_noon) == datetime(2026, 11, 29, 9, 0)


def test_the_rule_and_the_key_read_back() -> None:
    for weekly in (SUNDAY_AT_EIGHT, Weekly(Day.FR, 19, 30), Weekly(Day.WE, 0, 5)):
        assert Weekly.from_rule(weekly.rule) == weekly
        assert Weekly.from_key(weekly.key) == weekly
    assert Weekly.from_rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0") == (
        SUNDAY_AT_EIGHT
    )
    assert Weekly.from_rule("FREQ=WEEKLY;BYDAY=SU,MO;BYHOUR=20") is None
    assert Weekly.from_rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;INTERVAL=2") is None
    assert Weekly.from_key("SU25:00") is None
    assert len(SUNDAY_AT_EIGHT.key) <= 8  # the household item stays small


def test_times_are_written_and_said_per_locale() -> None:
    friday = Weekly(Day.FR, 19, 30)
    assert format_when(SUNDAY_AT_EIGHT, "en-US") == "Sunday at 8:00 PM"
    assert format_when(SUNDAY_AT_EIGHT, "en-GB") == "Sunday at 20:00"
    assert format_when(friday, "en-CA") == "Friday at 7:30 p.m."
    assert format_when(friday, "en-AU") == "Friday at 7:30 pm"
    assert format_when(SUNDAY_AT_EIGHT, "xx-XX") == "Sunday at 8:00 PM"  # falls back to en-US
    assert say_when(SUNDAY_AT_EIGHT, "en-GB") == "Sunday at 8 p.m."
    assert say_when(friday, "en-US") == "Friday at 7:30 p.m."
    assert set(locales()) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}


def test_times_are_said_per_locale() -> None:
    half_past = Weekly(Day.FR, 20, 30)
    assert describe(SUNDAY_AT_EIGHT, "en-GB") == "every Sunday at eight in the evening"
    assert describe(half_past, "en-US") == "every Friday at eight thirty in the evening"
    assert describe(half_past, "en-GB") == "every Friday at half past eight in the evening"
    assert describe(Weekly(Day.FR, 20, 45), "en-AU") == (
        "every Friday at quarter to nine in the evening"
    )
    assert (
        describe(Weekly(Day.TU, 7, 5), "en-US") == "every Tuesday at seven oh five in the morning"
    )
    assert describe(Weekly(Day.SA, 12, 0), "en-US") == "every Saturday at noon"
    assert describe(Weekly(Day.SA, 0, 0), "en-US") == "every Saturday at midnight"
    assert describe(Weekly(Day.SA, 22, 0), "en-US") == "every Saturday at ten at night"


def test_the_reminder_names_both_partners_in_every_locale() -> None:
    for locale in locales():
        body = reminder_request(
            SUNDAY_AT_EIGHT, names=(" Sam ", "Alex"), locale=locale, time_zone="UTC", now=NOW
        )
        (content,) = body["alertInfo"]["spokenInfo"]["content"]
        assert content["locale"] == locale
        assert content["text"].startswith("Sam and Alex, ") and len(content["text"]) < 120
    with pytest.raises(ValueError):
        reminder_request(
            SUNDAY_AT_EIGHT, names=("Sam", " "), locale="en-US", time_zone="UTC", now=NOW
        )
    with pytest.raises(ValueError):
        reminder_request(
            SUNDAY_AT_EIGHT,
            names=NAMES,
            locale="en-US",
            time_zone="UTC",
            now=NOW.replace(tzinfo=None),
        )


def test_local_times_carry_no_offset_across_a_clock_change() -> None:
    """Sunday 1 November 2026 is the US change back to standard time: the first occurrence is
    still 20:00 on the wall clock, written without an offset."""
    body = reminder_request(
        SUNDAY_AT_EIGHT,
        names=NAMES,
        locale="en-US",
        time_zone="America/New_York",
        now=datetime(2026, 10, 31, 18, 0, tzinfo=UTC),
    )
    assert body["trigger"]["scheduledTime"] == "2026-11-01T20:00:00.000"
    assert body["requestTime"] == "2026-10-31T14:00:00.000"
    for value in (body["requestTime"], body["trigger"]["scheduledTime"]):
        assert not value.endswith("Z") and "+" not in value
