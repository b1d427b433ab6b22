"""Build Alexa request envelopes (version "1.0") as plain dicts, shaped like the JSON Alexa sends.

The console and the tests feed these to the real skill, so the skill cannot tell them from a
device's requests.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from skill.console.matcher import ER_SUCCESS_NO_MATCH, Match, SlotValue

API_ENDPOINT = "https://api.amazonalexa.com"
API_ACCESS_TOKEN = "console-token"


APL_INTERFACE = "Alexa.Presentation.APL"
AUDIO_INTERFACE = "AudioPlayer"
SHOW_VIEWPORT: dict[str, Any] = {
    "experiences": [{"canRotate": False, "canResize": False}],
    "mode": "HUB",
    "shape": "RECTANGLE",
    "pixelWidth": 1280,
    "pixelHeight": 800,
    "dpi": 160,
    "currentPixelWidth": 1280,
    "currentPixelHeight": 800,
    "touch": ["SINGLE"],
}


def _new_session_id() -> str:
    return "amzn1.echo-api.session." + uuid4().hex


@dataclass
class Session:
    """One Alexa session of one device."""

    user_id: str
    device_id: str = "amzn1.ask.device.console"
    application_id: str = "amzn1.ask.skill.our-checkin-local"
    locale: str = "en-US"
    session_id: str = field(default_factory=_new_session_id)
    attributes: dict[str, Any] = field(default_factory=dict)
    new: bool = True
    ended: bool = False
    screen: bool = False  # an Echo Show: the device renders APL
    audio: bool = True  # the device has an audio player (every Echo but a few)
    # What the audio player holds: its token, offset (ms) and activity, as the
    # context.AudioPlayer of every request says it (None: never played).
    player: dict[str, Any] | None = None

    def absorb(self, response_envelope: dict[str, Any]) -> None:
        """Take in the skill's response: its sessionAttributes become the next request's
        attributes (replacing, as Alexa does), the session is no longer new, and it ends only
        when response.shouldEndSession is exactly True (absent or null keeps it open here).
        """
        self.attributes = copy.deepcopy(response_envelope.get("sessionAttributes") or {})
        self.new = False
        response = response_envelope.get("response") or {}
        if response.get("shouldEndSession") is True:
            self.ended = True


def _timestamp(now: datetime | None) -> str:
    """ISO 8601 UTC, seconds precision, "Z" suffix; a naive ``now`` is taken as UTC."""
    now = now or datetime.now(UTC)
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _envelope(session: Session, request: dict[str, Any]) -> dict[str, Any]:
    application = {"applicationId": session.application_id}
    user = {"userId": session.user_id}
    session_obj: dict[str, Any] = {
        "new": session.new,
        "sessionId": session.session_id,
        "application": dict(application),
        "user": dict(user),
    }
    if session.attributes or not session.new:
        session_obj["attributes"] = copy.deepcopy(session.attributes)
    interfaces: dict[str, Any] = {}
    if session.screen:
        interfaces[APL_INTERFACE] = {"runtime": {"maxVersion": "2023.3"}}
    if session.audio:
        interfaces[AUDIO_INTERFACE] = {}
    envelope: dict[str, Any] = {
        "version": "1.0",
        "session": session_obj,
        "context": {
            "System": {
                "application": dict(application),
                "user": dict(user),
                "device": {"deviceId": session.device_id, "supportedInterfaces": interfaces},
                "apiEndpoint": API_ENDPOINT,
                "apiAccessToken": API_ACCESS_TOKEN,
            }
        },
        "request": request,
    }
    if session.screen:  # a medium Echo Show
        envelope["context"]["Viewport"] = SHOW_VIEWPORT
    if session.player is not None:
        envelope["context"][AUDIO_INTERFACE] = dict(session.player)
    return envelope


def _request(session: Session, request_type: str, now: datetime | None) -> dict[str, Any]:
    return {
        "type": request_type,
        "requestId": "amzn1.echo-api.request." + uuid4().hex,
        "timestamp": _timestamp(now),
        "locale": session.locale,
    }


def _slot(session: Session, slot: SlotValue) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": slot.name,
        "value": slot.value,
        "confirmationStatus": "NONE",
        "source": "USER",
    }
    if slot.status is None:  # built-in AMAZON.* type: no entity resolution
        return out
    if slot.slot_type is None:
        raise ValueError(f"slot {slot.name!r} has a resolution status but no slot_type")
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{session.application_id}.{slot.slot_type}",
        "status": {"code": slot.status},
    }
    if slot.status != ER_SUCCESS_NO_MATCH:
        authority["values"] = [{"value": {"name": slot.resolved_name, "id": slot.resolved_id}}]
    out["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return out


def launch_request(session: Session, now: datetime | None = None) -> dict[str, Any]:
    return _envelope(session, _request(session, "LaunchRequest", now))


def intent_request(
    session: Session,
    intent: str,
    slots: dict[str, SlotValue] | None = None,
    now: datetime | None = None,
    dialog_state: str | None = None,
) -> dict[str, Any]:
    """An IntentRequest; "slots" is always present and holds only the filled slots."""
    request = _request(session, "IntentRequest", now)
    if dialog_state is not None:
        request["dialogState"] = dialog_state
    request["intent"] = {
        "name": intent,
        "confirmationStatus": "NONE",
        "slots": {name: _slot(session, value) for name, value in (slots or {}).items()},
    }
    return _envelope(session, request)


def session_ended_request(
    session: Session,
    reason: str = "USER_INITIATED",
    error: dict[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A SessionEndedRequest; ``error`` (with "type" and "message") goes with reason "ERROR"."""
    request = _request(session, "SessionEndedRequest", now)
    request["reason"] = reason
    if error is not None:
        request["error"] = {"type": error["type"], "message": error.get("message", "")}
    return _envelope(session, request)


def user_event(
    session: Session, arguments: list[Any], now: datetime | None = None
) -> dict[str, Any]:
    """A touch on the screen: an APL UserEvent carrying the SendEvent's arguments."""
    request = _request(session, "Alexa.Presentation.APL.UserEvent", now)
    request.update(token="our-checkin", arguments=list(arguments), source={"type": "TouchWrapper"})
    return _envelope(session, request)


def screen_error(session: Session, now: datetime | None = None) -> dict[str, Any]:
    """The device could not render the document: an APL RuntimeError."""
    request = _request(session, "Alexa.Presentation.APL.RuntimeError", now)
    request.update(
        token="our-checkin",
        errors=[
            {
                "type": "LIST_ERROR",
                "reason": "INVALID_DATASOURCE",
                "message": "the device could not read the data",
                "token": "our-checkin",
            }
        ],
    )
    return _envelope(session, request)


def player_request(
    session: Session,
    request_type: str,
    token: str,
    offset: int = 0,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A report of the audio player ("AudioPlayer.PlaybackStopped") or a press of its
    buttons ("PlaybackController.PauseCommandIssued"): no session, as a device sends them.
    `session` gives the user, device, locale and what the player holds."""
    request = _request(session, request_type, now)
    if request_type == "AudioPlayer.PlaybackFailed":  # where it was, as Alexa says it there
        where = {"token": token, "offsetInMilliseconds": offset, "playerActivity": "PLAYING"}
        request.update(token=token, currentPlaybackState=where)
    elif request_type.startswith("AudioPlayer."):
        request.update(token=token, offsetInMilliseconds=offset)
    envelope = _envelope(session, request)
    del envelope["session"]
    return envelope


def connections_response(
    session: Session,
    status: str,
    token: str = "weekly-reminder",
    code: str = "200",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Alexa's answer to our AskFor permission request: the couple's answer (ACCEPTED,
    DENIED, NOT_ANSWERED) when the voice dialog ran (code 200)."""
    request = _request(session, "Connections.Response", now)
    request.update(
        name="AskFor",
        status={"code": code, "message": "OK" if code == "200" else "Error"},
        token=token,
        payload={"permissionScope": "alexa::alerts:reminders:skill:readwrite", "status": status},
    )
    return _envelope(session, request)


def with_screen(envelope: dict[str, Any]) -> dict[str, Any]:
    """The same request from an Echo Show (for tests that build envelopes by hand)."""
    system = envelope["context"]["System"]
    system["device"]["supportedInterfaces"][APL_INTERFACE] = {"runtime": {"maxVersion": "2023.3"}}
    envelope["context"]["Viewport"] = SHOW_VIEWPORT
    return envelope


def from_match(
    session: Session, match: Match | None, now: datetime | None = None
) -> dict[str, Any]:
    """The IntentRequest for a matcher result; no match becomes AMAZON.FallbackIntent."""
    if match is None:
        return intent_request(session, "AMAZON.FallbackIntent", now=now)
    return intent_request(session, match.intent, match.slots, now=now)
