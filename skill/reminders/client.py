"""The edge: the Alexa Reminders API and the device's time zone, through ask-sdk-core's service
clients, each call under a deadline, every outcome a small typed value (never an exception).

- Reminders: ask-sdk-model's ReminderManagementServiceClient on a DefaultApiClient:
  POST /v1/alerts/reminders, GET, PUT and DELETE /v1/alerts/reminders/{alertToken}.
- The time zone: UpsServiceClient.get_system_time_zone, i.e.
  GET /v2/devices/{deviceId}/settings/System.timeZone, which answers a JSON string such as
  "America/Los_Angeles". Never guessed: without it there is no reminder.
- All of them take the request's context.System.apiEndpoint and apiAccessToken.

Deadlines. ask-sdk-core's DefaultApiClient calls `requests.<method>(url, headers, data)` with
no timeout at all, so a hanging API would hold the skill past Alexa's ~8 s. Here the API
client is a DefaultApiClient whose method resolves to a requests.Session call with a
(connect, read) timeout, and whose invoke runs in a worker thread that the caller waits for at
most `timeout` seconds: requests' timeouts bound each socket wait, not the whole call (a
server that trickles bytes defeats them), the wait bounds the whole call. A Reminders object
also has a `budget` for all its calls together (creating a reminder reads the time zone
first), so one turn spends at most `budget` seconds on the API. The DefaultApiClient refuses
http:// endpoints; that check is kept (tests use a local HTTPS server).

Errors: 401/403 -> Denied (no permission, or it was withdrawn), 429 -> Throttled, 404 on
get/update/delete -> Gone (the couple deleted the reminder in the Alexa app), 5xx, other
statuses, timeouts and connection errors -> Unavailable. Logs name the operation, the outcome
and the milliseconds: never names, spoken text, tokens or alert tokens.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import ApiClientRequest, ApiClientResponse, ApiConfiguration
from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient
from ask_sdk_model.services.ups import UpsServiceClient

from skill.reminders.schedule import Weekly, reminder_request

log = logging.getLogger("checkin.reminders")

T = TypeVar("T")

TIMEOUT = 2.5  # seconds, one call at most
BUDGET = 3.0  # seconds, all calls of one Reminders object (one turn) together


# --- outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Denied:
    """401 or 403: the reminders permission is missing or was withdrawn: ask again."""

    status: int


@dataclass(frozen=True)
class Throttled:
    """429: too many calls; try again later."""

    status: int = 429


@dataclass(frozen=True)
class Unavailable:
    """5xx, an unexpected status, a timeout or a connection error (status None)."""

    status: int | None = None


@dataclass(frozen=True)
class Gone:
    """404 on get, update or delete: the reminder no longer exists (deleted in the app)."""

    status: int = 404


Failure = Denied | Throttled | Unavailable | Gone


@dataclass(frozen=True)
class Saved:
    """A reminder created or updated: keep `alert_token` in the household item."""

    alert_token: str
    time_zone: str


@dataclass(frozen=True)
class Reminder:
    """A reminder as the API has it now. `weekly` is None for a rule this skill did not write;
    `active` is False once Alexa reports it other than ON (COMPLETED)."""

    alert_token: str
    weekly: Weekly | None
    time_zone: str | None
    active: bool


@dataclass(frozen=True)
class Deleted:
    alert_token: str


def classify(status: int | None, operation: str) -> Failure:
    """The failure an HTTP status (None: no answer at all) means for an operation."""
    if status in (401, 403):
        return Denied(status)
    if status == 429:
        return Throttled(status)
    if status == 404 and operation in ("get", "update", "delete"):
        return Gone(status)
    return Unavailable(status)


# --- the API client with a deadline -----------------------------------------------------------


class DeadlineApiClient(DefaultApiClient):
    """ask-sdk-core's DefaultApiClient with a timeout on every call and a session that keeps
    connections for the calls of one turn. `last_status` is the HTTP status of the last
    response, None when there was none (timeout, connection error, refused URL)."""

    def __init__(self, session: requests.Session | None = None) -> None:
        self.session = session or requests.Session()
        self.timeout = TIMEOUT
        self.last_status: int | None = None

    def _resolve_method(self, request: ApiClientRequest) -> Callable[..., requests.Response]:
        method = (request.method or "").upper()
        if method not in ("GET", "POST", "PUT", "DELETE"):
            raise ApiClientException(f"Invalid request method: {request.method}")
        seconds = max(self.timeout, 0.01)
        return functools.partial(self.session.request, method, timeout=(min(1.0, seconds), seconds))

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        self.last_status = None
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def call() -> None:
            try:
                outcome["response"] = DefaultApiClient.invoke(self, request)
            except BaseException as error:  # handed to the caller's thread below
                outcome["error"] = error
            finally:
                done.set()

        threading.Thread(target=call, name="reminders-api", daemon=True).start()
        if not done.wait(self.timeout):
            raise ApiClientException("deadline passed")
        if "error" in outcome:
            raise outcome["error"]
        response: ApiClientResponse = outcome["response"]
        self.last_status = response.status_code
        return response


class ReminderSerializer(DefaultSerializer):
    """The SDK's serializer, except that reminder answers stay plain JSON dicts.

    ask-sdk-model 1.82.0 cannot deserialize any reminder that has alertInfo: AlertInfo names
    its spokenInfo type as ask_sdk_model.services.reminder_management.alert_info_spoken_info,
    a module that does not exist (the class lives in spoken_info.py), so get_reminder raises
    SerializationException on every real answer (the same generator bug, other way round, as
    alexa/alexa-apis-for-python#4). The service client still builds the URL, the headers and
    the errors; only its models of our answers are skipped, and `Reminders` reads the JSON."""

    PLAIN = (
        "ask_sdk_model.services.reminder_management.get_reminder_response.GetReminderResponse",
        "ask_sdk_model.services.reminder_management.reminder_response.ReminderResponse",
    )

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if obj_type in self.PLAIN:
            return json.loads(payload) if payload else None
        return super().deserialize(payload, obj_type)


# --- the Reminders edge -------------------------------------------------------------------------


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif obj is not None and hasattr(obj, name):
            return getattr(obj, name)
    return None


class Reminders:
    """The couple's weekly reminder through the Alexa APIs, for one request (one turn).

    Build it from the request: `Reminders.from_envelope(handler_input.request_envelope)`, or
    with the three values. Every method returns a result value, never raises for API trouble.
    """

    def __init__(
        self,
        api_endpoint: str,
        api_access_token: str,
        device_id: str,
        *,
        timeout: float = TIMEOUT,
        budget: float = BUDGET,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        self._device_id = device_id
        self._timeout = timeout
        self._clock = clock
        self._spend_by = clock() + budget
        self._api = DeadlineApiClient(session)
        configuration = ApiConfiguration(
            serializer=ReminderSerializer(),
            api_client=self._api,
            authorization_value=api_access_token,
            api_endpoint=api_endpoint.rstrip("/"),
        )
        self._reminders = ReminderManagementServiceClient(configuration)
        self._settings = UpsServiceClient(configuration)

    @classmethod
    def from_envelope(cls, envelope: Any, **options: Any) -> Reminders:
        """From a request envelope: the JSON dict or ask-sdk-model's RequestEnvelope."""
        system = _field(_field(envelope, "context"), "System", "system")
        return cls(
            _field(system, "apiEndpoint", "api_endpoint") or "",
            _field(system, "apiAccessToken", "api_access_token") or "",
            _field(_field(system, "device"), "deviceId", "device_id") or "",
            **options,
        )

    # --- operations

    def time_zone(self) -> str | Failure:
        """The device's IANA time zone from the settings API."""

        def read() -> str | Failure:
            zone = self._settings.get_system_time_zone(self._device_id)
            return zone if isinstance(zone, str) and zone else Unavailable(self._api.last_status)

        return self._call("time_zone", read)

    def create(
        self,
        weekly: Weekly,
        *,
        names: tuple[str, str],
        locale: str,
        now: datetime | None = None,
        time_zone: str | None = None,
    ) -> Saved | Failure:
        """A new weekly reminder in the device's time zone (read first unless given)."""
        prepared = self._prepare(weekly, names, locale, now, time_zone)
        if not isinstance(prepared, tuple):
            return prepared
        zone, body = prepared

        def post() -> Saved | Failure:
            answer = self._reminders.create_reminder(body)
            token = _field(answer, "alertToken")
            return Saved(token, zone) if token else Unavailable(self._api.last_status)

        return self._call("create", post)

    def _prepare(
        self,
        weekly: Weekly,
        names: tuple[str, str],
        locale: str,
        now: datetime | None,
        time_zone: str | None,
    ) -> tuple[str, dict[str, Any]] | Failure:
        """The time zone (read first unless given) and the body create and update send."""
        zone = time_zone or self.time_zone()
        if not isinstance(zone, str):
            return zone
        return zone, reminder_request(
            weekly, names=names, locale=locale, time_zone=zone, now=now or datetime.now(UTC)
        )

    def get(self, alert_token: str) -> Reminder | Failure:
        """The reminder as Alexa has it; Gone when the couple deleted it in the app."""

        def read() -> Reminder | Failure:
            answer = self._reminders.get_reminder(alert_token)
            if answer is None:
                return Unavailable(self._api.last_status)
            trigger = _field(answer, "trigger")
            rules = _field(_field(trigger, "recurrence"), "recurrenceRules") or []
            return Reminder(
                alert_token=_field(answer, "alertToken") or alert_token,
                weekly=Weekly.from_rule(rules[0]) if len(rules) == 1 else None,
                time_zone=_field(trigger, "timeZoneId"),
                active=_field(answer, "status") == "ON",
            )

        return self._call("get", read)

    def update(
        self,
        alert_token: str,
        weekly: Weekly,
        *,
        names: tuple[str, str],
        locale: str,
        now: datetime | None = None,
        time_zone: str | None = None,
    ) -> Saved | Failure:
        """Move the reminder to a new day and time (PUT replaces the whole reminder)."""
        prepared = self._prepare(weekly, names, locale, now, time_zone)
        if not isinstance(prepared, tuple):
            return prepared
        zone, body = prepared

        def put() -> Saved | Failure:
            answer = self._reminders.update_reminder(alert_token, body)
            return Saved(_field(answer, "alertToken") or alert_token, zone)

        return self._call("update", put)

    def delete(self, alert_token: str) -> Deleted | Failure:
        def remove() -> Deleted:
            self._reminders.delete_reminder(alert_token)
            return Deleted(alert_token)

        return self._call("delete", remove)

    # --- the one place calls are made

    def _call(self, operation: str, call: Callable[[], T]) -> T | Failure:
        started = self._clock()
        left = self._spend_by - started
        if left < 0.05:
            log.warning("reminders %s: no time left in this turn", operation)
            return Unavailable(None)
        self._api.timeout = min(self._timeout, left)
        try:
            result: T | Failure = call()
        except Exception as error:  # the SDK raises ServiceException, SerializationException...
            result = classify(self._api.last_status, operation)
            log.warning(
                "reminders %s: %s (status %s, %s) after %d ms",
                operation,
                type(result).__name__,
                self._api.last_status,
                type(error).__name__,
                (self._clock() - started) * 1000,
            )
            return result
        log.info(
            "reminders %s: %s after %d ms",
            operation,
            type(result).__name__,
            (self._clock() - started) * 1000,
        )
        return result
