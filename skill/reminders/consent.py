"""Asking the couple for the reminders permission, and reading their answer. Pure dicts in
the shapes Alexa documents; the adapter adds them to a response (the SDK's serializer takes
dicts as they are) or uses the ask-sdk-model objects `as_sdk_directive` / `as_sdk_card` make.

Facts (Alexa docs, "Set Up Voice Permissions for Reminders"; ask-sdk-model's
interfaces.connections and ui.AskForPermissionsConsentCard name the same fields):
- Voice consent: a `Connections.SendRequest` directive named `AskFor`, payload
  {"@type": "AskForPermissionsConsentRequest", "@version": "2", "permissionScopes":
  [{"permissionScope": ..., "consentLevel": "ACCOUNT"}]} (version 2: the scopes are a list;
  version 1, a single `permissionScope`, "still works" but is not for new skills) and a token
  the skill gets back. Alexa then asks in its own words ("Do you give ... permission to update
  your reminders?"); the docs' example response holds the directive alone, no reprompt.
- The answer comes back as a `Connections.Response` request: name "AskFor", status
  {code: "200", message: "OK"} when the dialog ran, payload {permissionScopes, status} with
  status ACCEPTED (granted now or before), DENIED or NOT_ANSWERED, and the token. Version 1
  answers carry `permissionScope` instead: both are read.
- Without voice consent (the status code is not 200, or the skill chooses a card), a home
  card of type `AskForPermissionsConsent` lists the permission for the Alexa app.
- A granted permission shows in every later request under
  context.System.user.permissions.scopes[<scope>].status == "GRANTED".
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

PERMISSION = "alexa::alerts:reminders:skill:readwrite"
CONSENT_LEVEL = "ACCOUNT"  # the account holder, not only the recognised speaker
DEFAULT_TOKEN = "weekly-reminder"


class Consent(StrEnum):
    ACCEPTED = "ACCEPTED"
    DENIED = "DENIED"
    NOT_ANSWERED = "NOT_ANSWERED"


class ConsentAnswer(NamedTuple):
    """What a Connections.Response to our AskFor says. `voiced` is False when Alexa could not
    hold the consent dialog (status code other than 200): send the card then. A named
    tuple: this module loads at every cold start (the answer's handler is registered)."""

    status: Consent
    token: str
    voiced: bool = True


def ask_for_permission(token: str = DEFAULT_TOKEN) -> dict[str, Any]:
    """The Connections.SendRequest directive that has Alexa ask for the reminders permission."""
    return {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": PERMISSION, "consentLevel": CONSENT_LEVEL}],
        },
        "token": token,
    }


def permissions_card() -> dict[str, Any]:
    """The home card that asks for the permission in the Alexa app."""
    return {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}


def _get(obj: Any, *names: str) -> Any:
    """A field of a dict (Alexa's JSON names) or of an ask-sdk-model object (snake_case)."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return None


def parse_consent_response(request: Any) -> ConsentAnswer | None:
    """The answer in a `Connections.Response` request (the JSON dict or the SDK's
    ConnectionsResponse), or None when the request is not the answer to our AskFor.
    Anything unreadable counts as NOT_ANSWERED: no reminder is created without a yes."""
    if request is None:
        return None
    kind = _get(request, "type", "object_type")
    if kind not in (None, "Connections.Response") or _get(request, "name") != "AskFor":
        return None
    payload = _get(request, "payload") or {}
    scopes = _scopes(payload)
    if scopes and PERMISSION not in scopes:
        return None
    code = str(_get(_get(request, "status") or {}, "code") or "")
    raw = str(_status(payload) or "").upper()
    status = Consent(raw) if raw in Consent.__members__ else Consent.NOT_ANSWERED
    return ConsentAnswer(status=status, token=_get(request, "token") or "", voiced=code == "200")


def _listed(payload: Any) -> list[Any]:
    listed = _get(payload, "permissionScopes", "permission_scopes")
    return list(listed) if isinstance(listed, list | tuple) else []


def _scopes(payload: Any) -> set[str]:
    """The scopes an answer is about: version 2's list, or version 1's single scope."""
    found = {_get(item, "permissionScope", "permission_scope") for item in _listed(payload)}
    found.add(_get(payload, "permissionScope", "permission_scope"))
    return {scope for scope in found if isinstance(scope, str)}


def _status(payload: Any) -> Any:
    """The answer's status: on the payload, or (as one example in the docs shows it) beside
    the scope in the list."""
    status = _get(payload, "status")
    if status:
        return status
    return next((_get(item, "status") for item in _listed(payload) if _get(item, "status")), None)


def has_permission(envelope: Any) -> bool:
    """Whether a request envelope (dict or SDK RequestEnvelope) shows the permission granted."""
    system = _get(_get(envelope, "context"), "System", "system")
    permissions = _get(_get(system, "user"), "permissions")
    scopes = _get(permissions, "scopes") or {}
    grant = scopes.get(PERMISSION) if isinstance(scopes, Mapping) else None
    status = _get(grant, "status")
    return str(getattr(status, "value", status) or "").upper() == "GRANTED"


def as_sdk_directive(token: str = DEFAULT_TOKEN) -> Any:
    """ask_for_permission as ask-sdk-model's SendRequestDirective."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    directive = ask_for_permission(token)
    return SendRequestDirective(name="AskFor", payload=directive["payload"], token=token)


def as_sdk_card() -> Any:
    """permissions_card as ask-sdk-model's AskForPermissionsConsentCard."""
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[PERMISSION])
