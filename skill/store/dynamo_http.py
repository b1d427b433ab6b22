"""A small DynamoDB client: the JSON protocol over HTTP(S), signed with AWS Signature V4.

Why not botocore for everything: importing botocore and building a client costs about 180 ms
of every Lambda cold start, most of the skill's first response. The store needs three item
operations, which this client speaks directly, with the same short timeouts and single retry
as the botocore configuration. It is used only when the environment holds the credentials
and the region (always so on Lambda); anything else (profiles, SSO, instance roles) goes
through botocore (see dynamodb.py)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from skill.store.config import (
    ATTEMPT_DEADLINE,
    ATTEMPTS,
    CALL_DEADLINE,
    CONNECT_TIMEOUT,
    env_region,
)
from skill.store.deadline import Deadline, Endpoint

API_VERSION = "DynamoDB_20120810"
OPERATIONS = {"get_item": "GetItem", "put_item": "PutItem", "delete_item": "DeleteItem"}
RETRYABLE = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
MAX_RESPONSE_BYTES = 1 << 20  # an item is at most 400 KB; refuse anything far larger


class DynamoError(Exception):
    """DynamoDB answered with an error, e.g. ConditionalCheckFailedException."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status >= 500 or self.code in RETRYABLE


class DynamoUnreachable(Exception):
    """No answer: connection refused or reset, timeout, or an unreadable response."""


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str = field(repr=False)  # never in a log line or a traceback
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls) -> Credentials | None:
        access, secret = (
            os.environ.get("AWS_ACCESS_KEY_ID"),
            os.environ.get("AWS_SECRET_ACCESS_KEY"),
        )
        if not access or not secret:
            return None
        return cls(access, secret, os.environ.get("AWS_SESSION_TOKEN") or None)


def env_endpoint(region: str) -> str:
    """The endpoint boto3 would use: the service-specific override, the global one, or AWS."""
    override = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
    if override:
        return override
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://dynamodb.{region}.{suffix}"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(
    credentials: Credentials,
    region: str,
    host: str,
    target: str,
    body: bytes,
    now: datetime,
    path: str = "/",
) -> dict[str, str]:
    """The headers of a signed DynamoDB request (AWS Signature Version 4, service dynamodb)."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {
        "content-type": "application/x-amz-json-1.0",
        "host": host,
        "x-amz-date": amz_date,
        "x-amz-target": f"{API_VERSION}.{target}",
    }
    if credentials.token:
        headers["x-amz-security-token"] = credentials.token
    names = sorted(headers)
    signed_headers = ";".join(names)
    canonical = "\n".join(
        [
            "POST",
            path,
            "",
            "".join(f"{name}:{headers[name].strip()}\n" for name in names),
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/dynamodb/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(("AWS4" + credentials.secret_key).encode("utf-8"), day)
    for part in (region, "dynamodb", "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
    return headers


def host_header(hostname: str, port: int, https: bool) -> str:
    """The Host header for a URL's host and port: an IPv6 literal in brackets, and the port
    only when it is not the scheme's default."""
    host = f"[{hostname}]" if ":" in hostname else hostname
    return host if port == (443 if https else 80) else f"{host}:{port}"


def pause(attempt: int, deadline: Deadline) -> None:
    """A short, jittered wait before the retry, never past the deadline."""
    time.sleep(min(random.uniform(0.02, 0.1) * attempt, deadline.remaining()))


UNREACHABLE = (OSError, http.client.HTTPException, ValueError)
"""What a failed attempt raises when no readable answer came (timeouts are OSErrors)."""


def with_retries(
    target: str,
    attempt: Callable[[Deadline], dict[str, Any]],
    *,
    attempts: int,
    attempt_seconds: float,
    call_seconds: float,
    listeners: list[Callable[[str], None]],
) -> dict[str, Any]:
    """One store call: up to `attempts` tries of `attempt(deadline)`, each with its own
    deadline and all of them within one overall deadline (the call's, or sooner if the turn's
    budget says so). Used by both clients, so they retry alike."""
    deadline = Deadline.after(call_seconds)
    for number in range(1, attempts + 1):
        if deadline.expired():
            raise DynamoUnreachable("DeadlineExceeded")
        for listener in listeners:
            listener(target)
        last = number == attempts
        try:
            return attempt(deadline.sooner(attempt_seconds))
        except DynamoError as error:
            if not error.retryable or last or deadline.expired():
                raise
        except DynamoUnreachable:
            if last or deadline.expired():
                raise
        except UNREACHABLE as error:
            if last or deadline.expired():
                raise DynamoUnreachable(type(error).__name__) from error
        pause(number, deadline)
    raise DynamoUnreachable("no attempts")  # only with attempts < 1


class HttpDynamo:
    """GetItem, PutItem and DeleteItem over a kept-alive connection (one per thread), each
    call within an overall deadline however the server behaves (see deadline.py)."""

    def __init__(
        self,
        region: str,
        credentials: Credentials,
        endpoint: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        attempt_deadline: float = ATTEMPT_DEADLINE,
        attempts: int = ATTEMPTS,
        call_deadline: float = CALL_DEADLINE,
    ) -> None:
        self.region = region
        self.credentials = credentials
        url = urlsplit(endpoint or env_endpoint(region))
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("the DynamoDB endpoint must be an http or https URL")
        self.https = url.scheme == "https"
        self.hostname = url.hostname
        self.port = url.port or (443 if self.https else 80)
        self.host = host_header(self.hostname, self.port, self.https)
        self.path = url.path or "/"  # an endpoint behind a path prefix keeps it
        self.connect_timeout = connect_timeout
        self.attempt_deadline = attempt_deadline
        self.attempts = attempts
        self.call_deadline = call_deadline
        self.listeners: list[Callable[[str], None]] = []
        self.endpoint = Endpoint(
            self.hostname,
            self.port,
            self.https,
            connect_timeout=connect_timeout,
            context=_ssl_context() if self.https else None,
        )

    @classmethod
    def from_env(cls, endpoint: str | None = None, **options: Any) -> HttpDynamo | None:
        """The client, when credentials and region are in the environment; else None."""
        credentials, region = Credentials.from_env(), env_region()
        if credentials is None or region is None:
            return None
        return cls(region, credentials, endpoint, **options)

    def call(self, operation: str, **request: Any) -> dict[str, Any]:
        target = OPERATIONS[operation]
        body = json.dumps(request, separators=(",", ":")).encode("utf-8")
        return with_retries(
            target,
            lambda deadline: self.attempt(target, body, deadline),
            attempts=self.attempts,
            attempt_seconds=self.attempt_deadline,
            call_seconds=self.call_deadline,
            listeners=self.listeners,
        )

    def attempt(self, target: str, body: bytes, deadline: Deadline) -> dict[str, Any]:
        """One request and its answer: the payload, or DynamoError with DynamoDB's code."""
        now = datetime.now(UTC)
        headers = sign(self.credentials, self.region, self.host, target, body, now, self.path)
        answer = self.endpoint.exchange(
            "POST", self.path, body, headers, deadline, MAX_RESPONSE_BYTES
        )
        payload = json.loads(answer.body) if answer.body else {}
        if not isinstance(payload, dict):
            raise ValueError("the answer is not a JSON object")
        if answer.status == 200:
            return payload
        code = str(payload.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP{answer.status}"
        message = str(payload.get("message") or payload.get("Message") or "")
        raise DynamoError(code, message, answer.status)

    def close(self) -> None:
        self.endpoint.close()


def _ssl_context() -> Any:
    import ssl

    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except (ImportError, OSError):
        return ssl.create_default_context()
