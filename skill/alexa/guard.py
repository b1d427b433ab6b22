"""What stands between the outside world and the SDK: requests the SDK cannot take are
answered calmly instead of raising (a raise makes Alexa play an error to the couple)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("checkin")

MAX_DEPTH = 32  # real Alexa requests nest about 8 deep; ours carry flat session attributes
EMPTY_RESPONSE: dict[str, Any] = {"version": "1.0", "response": {}}


class WrongSkill(PermissionError):
    """The request was meant for another skill."""


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def without_session_attributes(event: dict[str, Any]) -> dict[str, Any]:
    session = event.get("session")
    if not isinstance(session, dict):
        return event
    return {**event, "session": {**session, "attributes": {}}}


def application_ids(event: dict[str, Any]) -> set[Any]:
    session = event.get("session") if isinstance(event.get("session"), dict) else {}
    context = event.get("context") if isinstance(event.get("context"), dict) else {}
    system = context.get("System") if isinstance(context.get("System"), dict) else {}
    ids = set()
    for holder in (session, system):
        application = holder.get("application")
        if isinstance(application, dict):
            ids.add(application.get("applicationId"))
    return ids


def guarded(
    handler: Callable[[Any, Any], dict[str, Any]], skill_id: str | None = None
) -> Callable[[Any, Any], dict[str, Any]]:
    """The Lambda handler, answering what the SDK cannot read with an empty response.

    A request for another skill is refused (raised), as the SDK's own check would."""

    def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
        if skill_id and isinstance(event, dict) and application_ids(event) - {skill_id}:
            raise WrongSkill("the request is not for this skill")
        if isinstance(event, dict) and too_deep(event):
            event = without_session_attributes(event)  # the skill only ever puts flat ones
        if not isinstance(event, dict) or too_deep(event):
            log.warning(json.dumps({"outcome": "rejected", "error": "unreadable request"}))
            return dict(EMPTY_RESPONSE)
        try:
            return handler(event, context)
        except Exception as error:  # the SDK could not read or answer it: never a raise
            log.error(json.dumps({"outcome": "error", "error": type(error).__name__}))
            return dict(EMPTY_RESPONSE)

    return lambda_handler
