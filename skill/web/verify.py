"""Alexa request verification for the web service, built on `cryptography`.

Alexa's rules for web-service skills (the Alexa Skills Kit documentation, "Host a custom
skill as a web service"): a web-service skill must verify every request: the
SignatureCertChainUrl (https, s3.amazonaws.com, path under /echo.api/, port 443 if given), the
certificate (dates, SAN echo-api.amazon.com, chain to a trusted root), the Signature-256
header (RSA PKCS#1 v1.5, SHA-256, over the raw body) and the timestamp (150 s tolerance).
flask-ask-sdk / ask-sdk-webservice-support cannot be imported on current OpenSSL (its
dependency oscrypto 1.3.0 cannot parse the version; the README says more), hence this module.

Every failed check raises Rejected with its own short reason; the web app answers it with a
400 and one WARNING log line.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from skill.alexa.guard import field_at
from skill.web.certs import (
    Clock,
    Fetch,
    KeyCache,
    Rejected,
    check_cert_url,
    utc,
)

__all__ = ["TOLERANCE", "AlexaVerifier", "Rejected", "check_timestamp"]

TOLERANCE = timedelta(seconds=150)
CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"


def parse_timestamp(value: Any) -> datetime:
    """request.timestamp: ISO 8601 (as Alexa sends it), or epoch milliseconds."""
    if isinstance(value, bool):
        raise Rejected("request timestamp is not a valid time")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise Rejected("request timestamp is not a valid time") from error
    if not isinstance(value, str):
        raise Rejected("request timestamp is not a valid time")
    try:
        return utc(datetime.fromisoformat(value.strip()))
    except ValueError as error:
        raise Rejected("request timestamp is not a valid time") from error


def check_timestamp(envelope: Mapping[str, Any], now: datetime) -> None:
    """request.timestamp must lie within 150 s of ``now``, either side."""
    value = field_at(envelope, "request", "timestamp")
    if value is None:
        raise Rejected("request timestamp is missing")
    stamp = parse_timestamp(value)
    if abs(utc(now) - stamp) > TOLERANCE:
        raise Rejected("request timestamp is too old or in the future")


class AlexaVerifier:
    """Checks 1 to 5 of a request: headers, cert URL, chain, signature, timestamp."""

    def __init__(
        self,
        *,
        trusted_roots: list[x509.Certificate],
        fetch: Fetch,
        clock: Clock,
        cache_size: int = 32,
    ) -> None:
        self.clock = clock
        self.keys = KeyCache(fetch, trusted_roots, clock, size=cache_size)

    def check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """Headers present, cert URL allowed, chain valid, Signature-256 over ``body``."""
        url = headers.get(CERT_URL_HEADER)
        if not url:
            raise Rejected(f"missing {CERT_URL_HEADER} header")
        signature_b64 = headers.get(SIGNATURE_HEADER)
        if not signature_b64:
            raise Rejected(f"missing {SIGNATURE_HEADER} header")
        url = check_cert_url(url)  # what is fetched (and cached) is what was checked
        try:
            signature = base64.b64decode(signature_b64.strip(), validate=True)
        except (binascii.Error, ValueError) as error:
            raise Rejected("bad signature") from error
        key = self.keys.key_for(url)
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as error:
            raise Rejected("bad signature") from error

    def check_timestamp(self, envelope: Mapping[str, Any]) -> None:
        check_timestamp(envelope, self.clock())
