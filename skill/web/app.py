"""The Flask app: POST /alexa (and POST /) runs the skill on a verified request; GET /health.

Every rejection is a 400 with {"error": "<short reason>"} and one WARNING log line (JSON, no
body content, no user ids). No response ever carries a stack trace.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from flask import Flask, Response, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from skill.alexa.guard import Refused, screen, startup_skill_id
from skill.alexa.skill import skill_builder, with_documents
from skill.store import Store, store_from_env
from skill.store.config import TURN_BUDGET_SECONDS
from skill.store.deadline import turn_budget
from skill.web.audio import audio_blueprint
from skill.web.certs import Rejected, default_roots, https_fetch
from skill.web.verify import AlexaVerifier

log = logging.getLogger("checkin.web")

MAX_BODY = 64 * 1024
"""Largest request body accepted; Alexa's requests are a few KB."""


def _json(payload: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _reject(reason: str) -> Response:
    log.warning(json.dumps({"event": "rejected", "reason": reason}))
    return _json({"error": reason}, 400)


def _read_body() -> bytes:
    """The raw body, never reading more than MAX_BODY + 1 bytes of it.

    Alexa always sends a Content-Length, checked first. Without one (a chunked body), Flask's
    stream stops at MAX_CONTENT_LENGTH and raises on a read past it: a chunked body of
    exactly MAX_BODY bytes is refused too, as it cannot be told from a longer one.
    """
    length = request.content_length
    if length is not None and length > MAX_BODY:
        raise Rejected("request body too large")
    body = bytearray()
    try:
        while len(body) <= MAX_BODY:  # a read may return less than asked: loop to the end
            chunk = request.stream.read(MAX_BODY + 1 - len(body))
            if not chunk:
                break
            body += chunk
    except RequestEntityTooLarge as error:
        raise Rejected("request body too large") from error
    except ClientDisconnected as error:
        raise Rejected("request body is incomplete") from error
    if len(body) > MAX_BODY:
        raise Rejected("request body too large")
    return bytes(body)


def _parse(body: bytes) -> tuple[str, Any]:
    """The body as text and as JSON: decoded strictly as UTF-8 once (Alexa sends UTF-8; a
    UTF-16 body that json.loads would guess its way through is refused), then parsed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Rejected("body is not UTF-8 JSON") from error
    try:
        return text, json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Rejected("body is not a JSON object") from error


def create_app(
    store: Store | None = None,
    *,
    verify: bool = True,
    skill_id: str | None = None,
    trusted_roots: list[x509.Certificate] | None = None,
    fetch: Callable[[str], bytes] | None = None,
    clock: Callable[[], datetime] | None = None,
    any_skill: bool = False,
) -> Flask:
    """The web service. ``store`` defaults to store_from_env(), ``skill_id`` to $SKILL_ID,
    ``trusted_roots`` to the certifi bundle, ``fetch`` to a real HTTPS GET, ``clock`` to now.

    ``verify=False`` skips the signature, certificate and timestamp checks (development only);
    the skill ID, size and JSON checks stay.

    With verification on, a skill ID is required (NoSkillId, saying why, otherwise), unless
    ``any_skill`` says explicitly that any skill's requests are welcome: `checkin serve
    --any-skill` allows that on a loopback host only.
    """
    skill_id = skill_id if skill_id is not None else (os.environ.get("SKILL_ID") or None)
    startup_skill_id(skill_id, verify=verify, any_skill=any_skill)
    store = store if store is not None else store_from_env()
    clock = clock or (lambda: datetime.now(UTC))
    skill = skill_builder(store).create()  # the skill ID is screen()'s to check
    serializer = skill.serializer
    verifier = (
        AlexaVerifier(
            trusted_roots=trusted_roots if trusted_roots is not None else default_roots(),
            fetch=fetch or https_fetch,
            clock=clock,
        )
        if verify
        else None
    )

    app = Flask("skill.web")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # a backstop; _read_body answers first
    app.extensions["checkin"] = {"verifier": verifier, "skill_id": skill_id, "skill": skill}

    @app.get("/health")
    def health() -> Response:
        return _json({"status": "ok"}, 200)

    app.register_blueprint(audio_blueprint())  # GET /audio/<file>: rendered meditations

    @app.post("/alexa")
    @app.post("/")
    def alexa() -> Response:
        # Every outbound call of the request (certificate, store) shares one budget, so that
        # the answer comes within TURN_ANSWER_SECONDS whatever a dependency does.
        with turn_budget(TURN_BUDGET_SECONDS):
            try:
                body = _read_body()
                if verifier is not None:
                    verifier.check_signature(request.headers, body)
                text, parsed = _parse(body)
                envelope = screen(parsed, skill_id)
                if verifier is not None:
                    verifier.check_timestamp(envelope)
                if envelope is not parsed:
                    text = json.dumps(envelope)
                try:
                    request_envelope = serializer.deserialize(text, "ask_sdk_model.RequestEnvelope")
                except Exception as error:  # the SDK raises several kinds on a bad shape
                    raise Rejected("malformed Alexa request") from error
            except Refused as refused:
                return _reject(refused.reason)
            response_envelope = skill.invoke(request_envelope=request_envelope, context=None)
        return _json(with_documents(serializer.serialize(response_envelope)), 200)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: HTTPException) -> Response:
        return _reject("request body too large")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status == 400:
            return _reject("bad request")
        response = _json({"error": (error.name or "error").lower()}, status)
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.error(json.dumps({"event": "error", "error": type(error).__name__}))
        return _json({"error": "internal error"}, 500)

    return app
