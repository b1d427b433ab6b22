"""What stands between the outside world and the SDK, for Lambda and the web alike.

`screen(envelope, skill_id)` is the one screening of a request envelope: its shape, the skill
ID, and its depth. `check_skill_id` is the one skill-ID rule, and `startup_skill_id` the one
rule for starting without one (issue 10, finding 1; issue 14, item 2). The Lambda entry point
(`guarded`) and the web service (skill.web.app) both call them; neither has rules of its own.

On Lambda, requests the SDK cannot take are answered calmly instead of raising (a raise makes
Alexa play an error to the couple); the web service answers them with a 400 and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill import oplog

MAX_DEPTH = 32  # real Alexa requests nest about 8 deep; ours carry flat session attributes
EMPTY_RESPONSE: dict[str, Any] = {"version": "1.0", "response": {}}


class Refused(Exception):
    """A request that must not reach the skill; ``reason`` is short and safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WrongSkill(Refused, PermissionError):
    """The request was meant for another skill."""

    def __init__(self, reason: str = "wrong skill id") -> None:
        super().__init__(reason)


class NoSkillId(RuntimeError):
    """Refusing to start: request verification is on and no skill ID is configured."""


NO_SKILL_ID = (
    "SKILL_ID is not set. With request verification on, the web service checks that every "
    "request is meant for this skill, and without a skill ID it would accept a correctly "
    "signed request meant for any other skill. Set SKILL_ID to the skill's ID "
    "(amzn1.ask.skill.…, in the Alexa developer console); for local development only, "
    "`checkin serve --any-skill` on a loopback host."
)


def startup_skill_id(skill_id: str | None, *, verify: bool, any_skill: bool = False) -> None:
    """The rule for starting the web service: with verification on, a skill ID is required,
    unless `any_skill` says otherwise explicitly (the caller allows that only on loopback)."""
    if verify and not skill_id and not any_skill:
        raise NoSkillId(NO_SKILL_ID)


def field_at(data: Any, *path: str) -> Any:
    """data[path[0]][path[1]]..., or None where a step is not an object."""
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def check_skill_id(envelope: dict[str, Any], skill_id: str) -> None:
    """The skill-ID rule: context.System.application.applicationId must be ``skill_id`` (the
    SDK reads it from there), and so must session.application.applicationId when present.
    Anything else there (missing, a list, a number) is WrongSkill, never a TypeError."""
    in_context = field_at(envelope, "context", "System", "application", "applicationId")
    in_session = field_at(envelope, "session", "application", "applicationId")
    if not isinstance(in_context, str) or in_context != skill_id:
        raise WrongSkill()
    if in_session is not None and (not isinstance(in_session, str) or in_session != skill_id):
        raise WrongSkill()


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (checked without recursion).
    Only lists and objects go on the stack: every request passes here, and most of its
    values are strings."""
    if not isinstance(value, dict | list):
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def without_session_attributes(event: dict[str, Any]) -> dict[str, Any]:
    session = event.get("session")
    if not isinstance(session, dict):
        return event
    return {**event, "session": {**session, "attributes": {}}}


def screen(envelope: Any, skill_id: str | None) -> dict[str, Any]:
    """The envelope the skill may run, or Refused with the reason: a JSON object with a
    request and its type, for this skill (when a skill ID is set), nested no deeper than
    MAX_DEPTH once session attributes too deep to be ours are dropped."""
    if not isinstance(envelope, dict):
        raise Refused("body is not a JSON object")
    request = envelope.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise Refused("malformed Alexa request")
    if skill_id:
        check_skill_id(envelope, skill_id)
    if too_deep(envelope):  # the skill only ever puts flat session attributes
        envelope = without_session_attributes(envelope)
        if too_deep(envelope):
            raise Refused("request is nested too deeply")
    return envelope


def guarded(
    handler: Callable[[Any, Any], dict[str, Any]], skill_id: str | None = None
) -> Callable[[Any, Any], dict[str, Any]]:
    """The Lambda handler, answering what the SDK cannot read with an empty response.

    A request for another skill is refused (raised), as the SDK's own check would."""

    def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
        try:
            event = screen(event, skill_id)
        except WrongSkill:
            raise
        except Refused as refused:
            oplog.warning({"outcome": "rejected", "error": refused.reason})
            return dict(EMPTY_RESPONSE)
        try:
            return handler(event, context)
        except Exception as error:  # the SDK could not read or answer it: never a raise
            oplog.error({"outcome": "error", "error": type(error).__name__})
            return dict(EMPTY_RESPONSE)

    return lambda_handler
