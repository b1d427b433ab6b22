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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

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

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


class DynamoUnreachable(Exception):
    """No answer: connection refused or reset, timeout, or an unreadable response."""


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None = None

    @classmethod
    def from_env(cls) -> Credentials | None:
        access, secret = (
            os.environ.get("AWS_ACCESS_KEY_ID"),
            os.environ.get("AWS_SECRET_ACCESS_KEY"),
        )
        if not access or not secret:
            return None
        return cls(access, secret, os.environ.get("AWS_SESSION_TOKEN") or None)


def env_region() -> str | None:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


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
    credentials: Credentials, region: str, host: str, target: str, body: bytes, now: datetime
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
            "/",
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


class HttpDynamo:
    """GetItem, PutItem and DeleteItem over a kept-alive connection (one per thread)."""

    def __init__(
        self,
        region: str,
        credentials: Credentials,
        endpoint: str | None = None,
        connect_timeout: float = 0.5,
        read_timeout: float = 0.8,
        attempts: int = 2,
    ) -> None:
        self.region = region
        self.credentials = credentials
        url = urlsplit(endpoint or env_endpoint(region))
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("the DynamoDB endpoint must be an http or https URL")
        self.https = url.scheme == "https"
        self.hostname = url.hostname
        self.port = url.port or (443 if self.https else 80)
        default_port = self.port == (443 if self.https else 80)
        self.host = self.hostname if default_port else f"{self.hostname}:{self.port}"
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.attempts = attempts
        self.listeners: list[Callable[[str], None]] = []
        self.local = threading.local()  # one kept-alive connection per thread

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
        for attempt in range(1, self.attempts + 1):
            for listener in self.listeners:
                listener(target)
            try:
                status, data = self.send(target, body)
                payload = json.loads(data) if data else {}
            except (OSError, http.client.HTTPException, ValueError) as error:
                self.close()
                if attempt == self.attempts:
                    raise DynamoUnreachable(type(error).__name__) from error
                self.pause(attempt)
                continue
            if status == 200:
                return payload
            code = str(payload.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP{status}"
            if (status >= 500 or code in RETRYABLE) and attempt < self.attempts:
                self.pause(attempt)
                continue
            raise DynamoError(code, str(payload.get("message") or payload.get("Message") or ""))
        raise DynamoUnreachable("no attempts")  # only with attempts < 1

    def send(self, target: str, body: bytes) -> tuple[int, bytes]:
        connection = self.connect()
        headers = sign(self.credentials, self.region, self.host, target, body, datetime.now(UTC))
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        data = response.read(MAX_RESPONSE_BYTES + 1)
        if len(data) > MAX_RESPONSE_BYTES:
            raise ValueError("response too large")
        if response.will_close:
            self.close()
        return response.status, data

    def connect(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            connection = kind(self.hostname, self.port, timeout=self.connect_timeout)
            connection.connect()
            assert connection.sock is not None
            connection.sock.settimeout(self.read_timeout)
            self.local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self.local, "connection", None)
        if connection is not None:
            connection.close()
            self.local.connection = None

    @staticmethod
    def pause(attempt: int) -> None:
        """A short, jittered wait before the retry (bounded: Alexa is waiting)."""
        time.sleep(random.uniform(0.02, 0.1) * attempt)
