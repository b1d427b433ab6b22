"""The outbound-call settings, defined once for both DynamoDB clients and the web service.

Alexa waits about 8 s for an answer (the Alexa Skills Kit documentation); we promise the couple
far less: every turn answers within TURN_ANSWER_SECONDS whatever a dependency does. So every
outbound call has an overall deadline (not a per-read timeout: a server dripping one byte a
second never trips a per-read timeout), and all the store work of one turn shares one budget.
"""

from __future__ import annotations

import os

TURN_ANSWER_SECONDS = 3.0
"""The promise: a turn is answered within this long, whatever a dependency does."""

TURN_BUDGET_SECONDS = 2.0
"""All outbound work of one turn (certificate fetch, store reads and writes) ends by then;
the rest is for the skill itself and the response."""

CONNECT_TIMEOUT = 0.5
"""Seconds to open a connection (TCP, and TLS for https)."""

ATTEMPT_DEADLINE = 0.8
"""Overall seconds for one attempt of one DynamoDB request, from connect to the last byte."""

CALL_DEADLINE = 1.2
"""Overall seconds for one store call, its retry included."""

ATTEMPTS = 2
"""The first try and one retry."""

CERT_FETCH_DEADLINE = 1.5
"""Overall seconds to download Alexa's signing certificate chain."""

SQLITE_BUSY_SECONDS = 1.0
"""How long SQLite waits for another writer's lock before the call fails."""


def env_region() -> str | None:
    """The AWS region, read as boto3 reads it."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
