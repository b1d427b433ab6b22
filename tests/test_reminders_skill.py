"""The weekly reminder through the Lambda handler (issue 13, item 1), against a real local
HTTPS server standing in for the request's apiEndpoint (trustme certificate; the client
trusts it through REQUESTS_CA_BUNDLE). A simulated Echo says what a couple says; its
requests carry the server's address, and the reminders permission when the account has
granted it.

Covered: create (the exact JSON posted: the weekly rule, the device's time zone, the text
naming both partners), read, move, stop; consent by voice accepted, denied and unanswered,
and Alexa unable to hold the dialog (the card); a reminder deleted in the Alexa app; each
error status (401, 403, 429, 500, 503) and a timeout, mid-check-in, with the check-in
going on; and a write conflict that runs the engine again but not the call."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from skill.console import envelopes
from skill.console.device import Device, Turn
from skill.content.loader import default_content
from skill.reminders.client import TIMEOUT
from skill.reminders.consent import PERMISSION
from tests.conftest import COUPLE_ID, api_server, ca, meet  # noqa: F401 (test_reminders_dialogue takes them here)
from tests.test_reminders_api import POSTED_SUNDAY_AT_EIGHT

DEVICE = "amzn1.ask.device.living-room"
ZONE_PATH = f"/v2/devices/{DEVICE}/settings/System.timeZone"
REMINDERS = "/v1/alerts/reminders"
ALERT = "alert-token-1"
ALERT_PATH = f"{REMINDERS}/{ALERT}"
SUNDAY_AT_EIGHT = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
FRIDAY_AT_SEVEN = "FREQ=WEEKLY;BYDAY=FR;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
TEXT = "Sam and Alex, it's time for your check-in. A few quiet minutes, just the two of you."


# --- the stand-in for apiEndpoint, and the couple's Echo ---------------------------------------


@pytest.fixture
def api(api: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """conftest's stand-in (empty, its CA trusted), with every request's apiEndpoint
    pointing at it."""
    monkeypatch.setattr(envelopes, "API_ENDPOINT", f"https://127.0.0.1:{api.port}")
    return api


@dataclass
class Account:
    """The couple's Alexa account: whether it has granted the reminders permission, which
    every request then shows in context.System.user.permissions."""

    granted: bool = True


def with_account(handler: Callable[..., dict[str, Any]], account: Account) -> Callable:
    def handle(envelope: dict[str, Any], context: Any) -> dict[str, Any]:
        if account.granted:
            envelope["context"]["System"]["user"]["permissions"] = {
                "consentToken": "consent-token",
                "scopes": {PERMISSION: {"status": "GRANTED"}},
            }
        return handler(envelope, context)

    return handle


@pytest.fixture
def account() -> Account:
    return Account()


@pytest.fixture
def new_echo(lambda_handler, clock, matcher, account: Account) -> Callable[..., Device]:
    def make(device_id: str = DEVICE) -> Device:
        handler = with_account(lambda_handler, account)
        return Device(handler, COUPLE_ID, device_id, matcher=matcher, clock=clock)

    return make


@pytest.fixture
def echo(new_echo) -> Device:
    return new_echo()


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown, so that a handler made to hang lets its server thread go."""
    event = threading.Event()
    yield event
    event.set()


def serve_zone(api: HTTPServer, zone: str = "America/Los_Angeles") -> None:
    api.expect_request(ZONE_PATH, method="GET").respond_with_json(zone)


def serve_create(api: HTTPServer) -> None:
    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_json(
        {"alertToken": ALERT, "status": "ON", "version": "1", "href": ALERT_PATH}
    )


def reminder(rule: str) -> dict[str, Any]:
    """A GET /v1/alerts/reminders/{alertToken} answer, as the API reference shows one."""
    return {
        "alertToken": ALERT,
        "status": "ON",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "timeZoneId": "America/Los_Angeles",
            "recurrence": {"recurrenceRules": [rule]},
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": TEXT}]}},
        "pushNotification": {"status": "ENABLED"},
        "version": "1",
    }


def bodies(api: HTTPServer, method: str) -> list[dict[str, Any]]:
    return [json.loads(req.get_data()) for req, _ in api.log if req.method == method]


def calls(api: HTTPServer) -> list[str]:
    return [f"{req.method} {req.path}" for req, _ in api.log]


def says(turn: Turn, key: str) -> bool:
    """Whether the answer says one of the variants of a reminder line."""
    for variant in default_content().phrases[key]:
        pieces = re.split(r"\{[^{}]*\}", variant)
        if re.search(".+?".join(re.escape(piece) for piece in pieces), turn.speech):
            return True
    return False


def answer_consent(device: Device, status: str | None, code: str = "200") -> Turn:
    """Alexa's Connections.Response to the skill's AskFor, in the same session."""
    assert device.session is not None, "the AskFor answer must keep the session"
    envelope = envelopes.launch_request(device.session, now=device.clock())
    payload: dict[str, Any] = {
        "permissionScopes": [{"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}]
    }
    if status is not None:
        payload["status"] = status
    envelope["request"].update(
        type="Connections.Response",
        name="AskFor",
        status={"code": code, "message": "OK" if code == "200" else "Internal error"},
        token="weekly-reminder",
        payload=payload,
    )
    return device.send(envelope)


def met_and_asked(echo: Device) -> Turn:
    """Meet the couple, who then ask for a weekly reminder on Sundays at eight."""
    meet(echo)
    return echo.hear("remind us every sunday at eight pm")


def asked_without_permission(echo: Device, account: Account) -> Turn:
    """The same, from an account that has not granted the reminders permission: Alexa is
    asked for the couple's consent."""
    account.granted = False
    return met_and_asked(echo)


def at_a_turn(echo: Device) -> Turn:
    """Meet the couple and start tonight's check-in: after the pause, at a partner's turn."""
    meet(echo)
    echo.hear("yes")
    turn = echo.hear("next")
    assert turn.state["phase"] == "beat" and not turn.ended
    return turn


def position(turn: Turn) -> tuple[Any, ...]:
    state = turn.state
    return state.get("phase"), state.get("plan"), state.get("step"), state.get("beat")


def asks_for_consent(turn: Turn) -> bool:
    directive = turn.directive("Connections.SendRequest")
    return directive is not None and directive["name"] == "AskFor"


# --- create, read, move, stop -------------------------------------------------------------------


def test_remind_us_every_sunday_at_eight_posts_the_weekly_reminder(
    api: HTTPServer, echo: Device
) -> None:
    serve_create(api)
    meet(echo)

    turn = echo.hear("remind us every sunday at eight pm")

    assert calls(api) == [f"GET {ZONE_PATH}", f"POST {REMINDERS}"]
    (body,) = bodies(api, "POST")
    assert body == POSTED_SUNDAY_AT_EIGHT
    (post,) = [req for req, _ in api.log if req.method == "POST"]
    assert post.headers["Authorization"] == f"Bearer {envelopes.API_ACCESS_TOKEN}"
    assert "Sunday at 8 p.m." in turn.speech and "Sam and Alex" in turn.speech
    assert turn.state["reminder"] == ALERT and turn.state["reminder_when"] == "SU20:00"
    # back to tonight's question, the session open
    assert turn.speech.endswith("Ready?") and not turn.ended


def test_when_is_our_reminder_reads_it_from_alexa(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    met_and_asked(echo)
    # changed in the Alexa app since: Alexa's answer is what the couple hear
    api.expect_request(ALERT_PATH, method="GET").respond_with_json(reminder(FRIDAY_AT_SEVEN))

    turn = echo.hear("when is our reminder")

    assert calls(api)[-1] == f"GET {ALERT_PATH}"
    assert "Friday at 7 p.m." in turn.speech and "Sunday" not in turn.speech
    assert turn.state["reminder_when"] == "FR19:00" and not turn.ended


def test_move_our_reminder_to_friday_at_seven_puts_the_new_rule(
    api: HTTPServer, echo: Device
) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="PUT").respond_with_json(
        {"alertToken": ALERT, "status": "ON", "version": "2"}
    )
    met_and_asked(echo)

    turn = echo.hear("move our reminder to friday at seven pm")

    (body,) = bodies(api, "PUT")
    assert body["trigger"]["recurrence"]["recurrenceRules"] == [FRIDAY_AT_SEVEN]
    assert body["trigger"]["timeZoneId"] == "America/Los_Angeles"
    assert body["trigger"]["scheduledTime"] == "2026-11-27T19:00:00.000"
    assert body["alertInfo"]["spokenInfo"]["content"][0]["text"] == TEXT
    assert len(bodies(api, "POST")) == 1  # moved, not a second reminder
    assert "Friday at 7 p.m." in turn.speech
    assert turn.state["reminder"] == ALERT and turn.state["reminder_when"] == "FR19:00"


def test_a_day_alone_keeps_the_time_of_the_reminder_it_moves(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="PUT").respond_with_json({"alertToken": ALERT})
    met_and_asked(echo)

    turn = echo.hear("move our reminder to friday")

    (body,) = bodies(api, "PUT")
    rule = "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    assert body["trigger"]["recurrence"]["recurrenceRules"] == [rule]
    assert "Friday at 8 p.m." in turn.speech


def test_stop_reminding_us_deletes_it(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="DELETE").respond_with_data("", status=200)
    met_and_asked(echo)

    turn = echo.hear("stop reminding us")

    assert calls(api)[-1] == f"DELETE {ALERT_PATH}"
    assert says(turn, "reminder_stopped")
    assert "reminder" not in turn.state and "reminder_when" not in turn.state
    again = echo.hear("when is our reminder")
    assert says(again, "reminder_none") and calls(api)[-1] == f"DELETE {ALERT_PATH}"


def test_a_reminder_deleted_in_the_alexa_app_is_not_reported(api: HTTPServer, echo: Device) -> None:
    serve_create(api)
    met_and_asked(echo)
    api.expect_request(ALERT_PATH, method="GET").respond_with_json(
        {"code": "ALERT_NOT_FOUND", "message": "Alert not found"}, status=404
    )

    turn = echo.hear("when is our reminder")

    assert says(turn, "reminder_gone") and "Sunday" not in turn.speech
    assert "reminder" not in turn.state  # the token is forgotten
    gets = len([c for c in calls(api) if c.startswith("GET /v1")])
    assert says(echo.hear("when is our reminder"), "reminder_none")
    assert len([c for c in calls(api) if c.startswith("GET /v1")]) == gets  # no call now


def test_moving_a_reminder_deleted_in_the_app_offers_a_new_one_there(
    api: HTTPServer, echo: Device
) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="PUT").respond_with_json(
        {"code": "ALERT_NOT_FOUND", "message": "Alert not found"}, status=404
    )
    met_and_asked(echo)

    offer = echo.hear("move our reminder to friday at seven pm")
    assert says(offer, "reminder_gone") and says(offer, "reminder_new_offer")
    turn = echo.hear("yes")

    _sunday, friday = bodies(api, "POST")
    assert friday["trigger"]["recurrence"]["recurrenceRules"] == [FRIDAY_AT_SEVEN]
    assert "Friday at 7 p.m." in turn.speech and turn.state["reminder"] == ALERT


# --- consent ------------------------------------------------------------------------------------


def test_consent_by_voice_accepted_then_the_reminder_is_set(
    api: HTTPServer, echo: Device, account: Account
) -> None:
    serve_create(api)

    ask = asked_without_permission(echo, account)

    assert calls(api) == []  # nothing is tried without the permission
    directive = ask.directive("Connections.SendRequest")
    assert directive == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}],
        },
        "token": "weekly-reminder",
    }
    body = ask.response["response"]
    assert "reprompt" not in body and body.get("shouldEndSession") is not True
    assert says(ask, "reminder_permission")

    turn = answer_consent(echo, "ACCEPTED")

    (posted,) = bodies(api, "POST")
    assert posted["trigger"]["recurrence"]["recurrenceRules"] == [SUNDAY_AT_EIGHT]
    assert "Sunday at 8 p.m." in turn.speech and "Sam and Alex" in turn.speech
    assert turn.state["reminder"] == ALERT and "reminder_pending" not in turn.state
    assert "card" not in turn.response["response"]


def test_consent_denied_sets_nothing_and_the_evening_goes_on(
    api: HTTPServer, echo: Device, account: Account
) -> None:
    serve_create(api)
    asked_without_permission(echo, account)

    turn = answer_consent(echo, "DENIED")

    assert calls(api) == []
    assert says(turn, "reminder_consent_denied") and turn.speech.endswith("Ready?")
    assert "card" not in turn.response["response"]  # a no is respected: no card either
    assert "reminder" not in turn.state and "reminder_pending" not in turn.state
    assert echo.hear("yes").state["phase"] == "beat"  # tonight's check-in begins


def test_consent_unanswered_leaves_a_card_in_the_alexa_app(
    api: HTTPServer, echo: Device, account: Account
) -> None:
    asked_without_permission(echo, account)

    turn = answer_consent(echo, "NOT_ANSWERED")

    assert calls(api) == []
    assert says(turn, "reminder_consent_unanswered")
    card = turn.response["response"]["card"]
    assert card == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}


def test_without_a_voice_dialog_the_card_asks_instead(
    api: HTTPServer, echo: Device, account: Account
) -> None:
    asked_without_permission(echo, account)

    turn = answer_consent(echo, None, code="500")

    assert calls(api) == []
    assert says(turn, "reminder_consent_card")
    assert turn.response["response"]["card"]["type"] == "AskForPermissionsConsent"


def test_a_refusal_right_after_a_yes_is_not_asked_about_again(
    api: HTTPServer, echo: Device, account: Account
) -> None:
    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_json({"code": "X"}, status=401)
    asked_without_permission(echo, account)

    turn = answer_consent(echo, "ACCEPTED")

    assert not asks_for_consent(turn)
    assert says(turn, "reminder_unavailable")


# --- errors, mid-check-in ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "heard"),
    [
        (401, "reminder_permission"),
        (403, "reminder_permission"),
        (429, "reminder_busy"),
        (500, "reminder_unavailable"),
        (503, "reminder_unavailable"),
    ],
)
def test_each_error_status_gets_a_short_answer_and_the_check_in_goes_on(
    api: HTTPServer, echo: Device, status: int, heard: str
) -> None:
    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_json(
        {"code": "ERROR", "message": "no"}, status=status
    )
    before = at_a_turn(echo)

    turn = echo.hear("remind us every sunday at eight pm")

    assert says(turn, heard)
    assert "reminder" not in turn.state
    assert position(turn) == position(before) and not turn.ended
    if status in (401, 403):  # the permission was withdrawn: ask again
        assert asks_for_consent(turn)
        assert turn.state["reminder_pending"] == "SU20:00"
    else:
        assert not asks_for_consent(turn) and turn.reprompt
        following = echo.hear("next")
        assert position(following) != position(before) and not following.ended


def test_a_hanging_api_is_answered_within_the_deadline(
    api: HTTPServer, echo: Device, release: threading.Event
) -> None:
    def hang(request: Request) -> Response:
        release.wait(10)
        return Response("{}", content_type="application/json")

    serve_zone(api)
    api.expect_request(REMINDERS, method="POST").respond_with_handler(hang)
    before = at_a_turn(echo)

    started = time.perf_counter()
    turn = echo.hear("remind us every sunday at eight pm")
    took = time.perf_counter() - started

    assert took < TIMEOUT + 1.5, took
    assert says(turn, "reminder_unavailable")
    assert position(turn) == position(before) and not turn.ended and turn.reprompt


def test_a_turn_goes_back_to_the_same_partner_after_a_reminder(
    api: HTTPServer, echo: Device
) -> None:
    serve_create(api)
    before = at_a_turn(echo)

    turn = echo.hear("remind us every sunday at eight pm")

    assert "Sunday at 8 p.m." in turn.speech
    assert position(turn) == position(before) and turn.reprompt and not turn.ended
    assert says(turn, "reminder_set_tip")  # one line, then the turn they were on


# --- the session: nothing applied twice ----------------------------------------------------------


def test_a_write_conflict_runs_the_engine_again_not_the_call(
    api: HTTPServer, echo: Device, new_echo
) -> None:
    """While the reminder is being created, the kitchen Echo of the same household changes
    the turn length: the living room's write then conflicts, the engine runs again on the
    newer state, and the reminder is not posted a second time."""
    serve_zone(api)
    kitchen = new_echo("amzn1.ask.device.kitchen")

    posts: list[Request] = []

    def create(request: Request) -> Response:
        posts.append(request)
        if len(posts) == 1:
            kitchen.hear("Alexa, ask our check in for longer turns")
        answer = {"alertToken": ALERT, "status": "ON", "version": "1"}
        return Response(json.dumps(answer), content_type="application/json")

    api.expect_request(REMINDERS, method="POST").respond_with_handler(create)
    meet(echo)

    turn = echo.hear("remind us every sunday at eight pm")

    assert len(posts) == 1
    assert turn.state["reminder"] == ALERT
    assert turn.state["turn_seconds"] == 60  # the kitchen's change is kept
    assert "Sunday at 8 p.m." in turn.speech
    assert turn.speech.count("Sunday at 8 p.m.") == 1


# --- logs -----------------------------------------------------------------------------------------


def test_the_logs_name_no_partner_no_time_and_no_token(
    api: HTTPServer,
    echo: Device,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve_create(api)
    api.expect_request(ALERT_PATH, method="GET").respond_with_json(reminder(SUNDAY_AT_EIGHT))
    meet(echo)
    capsys.readouterr()
    caplog.clear()
    caplog.set_level("INFO")

    echo.hear("remind us every sunday at eight pm")
    echo.hear("when is our reminder")

    ours = [r.getMessage() for r in caplog.records if r.name.startswith("checkin")]
    assert any("reminders create" in message for message in ours)  # (the server's own log,
    logged = capsys.readouterr().out + "\n".join(ours)  # werkzeug's, is not the skill's)
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    assert [line.get("reminder") for line in lines] == ["create:saved", "read:found"]
    for secret in ("Sam", "Alex", ALERT, "SU20:00", "20:00", "Sunday", "api-access", TEXT):
        assert secret not in logged, secret
