"""Alexa's signing certificate: where it may come from, how it is fetched, how its chain is
validated, and a small cache of validated keys.

Alexa's rules (the Alexa Skills Kit documentation, "Host a custom skill as a web service"):
the SignatureCertChainUrl must be https, host
s3.amazonaws.com, path under /echo.api/, port 443 if given; the certificate must be within its
validity dates, name echo-api.amazon.com in its SAN, and chain to a trusted root.
"""

from __future__ import annotations

import http.client
import re
import ssl
import threading
import urllib.parse
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification

from skill.alexa.guard import Refused
from skill.store.config import CERT_FETCH_DEADLINE, CONNECT_TIMEOUT
from skill.store.deadline import Deadline, Endpoint

SIGNING_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
MAX_CHAIN_BYTES = 64 * 1024
MIN_RSA_BITS = 2048  # the signing key; Amazon's is 2048 bits
SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

Fetch = Callable[[str], bytes]
Clock = Callable[[], datetime]


class Rejected(Refused):
    """A request that failed verification; ``reason`` is short and safe to show."""


def utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*|[A-Za-z0-9._~-]*[A-Za-z0-9_~-]")
"""A path segment as Amazon names its files: unreserved characters only (no percent-escapes,
no backslash), and not "." or ".."."""


def check_cert_url(url: str) -> str:
    """The URL to fetch, rebuilt from the checked parts of ``url``; Rejected unless ``url`` is
    a place Amazon publishes its signing chain.

    The URL fetched must be the URL checked (issue 10, finding 2): S3 path-style addressing
    reads the first segment as the bucket, so a path that means something else once decoded
    or normalised (%2e%2e, %2f, dot segments, //) is refused outright rather than normalised,
    and what is fetched is https://s3.amazonaws.com + the checked path, nothing else.
    """
    # urlsplit quietly drops tabs and newlines: refuse them before it sees them.
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise Rejected("certificate URL is not a valid URL")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Rejected("certificate URL is not a valid URL") from error
    if parts.scheme.lower() != "https":
        raise Rejected("certificate URL must use https")
    if (parts.hostname or "").lower() != CERT_HOST:
        raise Rejected(f"certificate URL host must be {CERT_HOST}")
    if parts.username is not None or parts.password is not None:
        raise Rejected("certificate URL must not carry user info")
    if port is not None and port != 443:
        raise Rejected("certificate URL port must be 443")
    if "?" in url or "#" in url:
        raise Rejected("certificate URL must not carry a query or fragment")
    if not parts.path.startswith(CERT_PATH_PREFIX):
        raise Rejected(f"certificate URL path must start with {CERT_PATH_PREFIX}")
    segments = parts.path[len(CERT_PATH_PREFIX) :].split("/")
    if not all(PLAIN_SEGMENT.fullmatch(segment) for segment in segments):
        raise Rejected("certificate URL path must be plain (no escapes, dot or empty segments)")
    return f"https://{CERT_HOST}{parts.path}"


def _ssl_context() -> ssl.SSLContext:
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except (ImportError, OSError):
        return ssl.create_default_context()


def https_fetch(
    url: str, deadline: Deadline | None = None, context: ssl.SSLContext | None = None
) -> bytes:
    """GET ``url``: no redirects, at most 64 KB, and over by the deadline (CERT_FETCH_DEADLINE,
    or sooner if the turn's budget says so), however slowly the server drips its answer.
    ``context`` defaults to one trusting certifi's roots (tests give their own)."""
    parts = urllib.parse.urlsplit(url)
    https = parts.scheme == "https"
    endpoint = Endpoint(
        parts.hostname or "",
        parts.port or (443 if https else 80),
        https,
        connect_timeout=CONNECT_TIMEOUT,
        context=(context or _ssl_context()) if https else None,
        keep_alive=False,
    )
    path = parts.path or "/"
    deadline = (deadline or Deadline.after(CERT_FETCH_DEADLINE)).sooner(CERT_FETCH_DEADLINE)
    try:
        answer = endpoint.exchange("GET", path, None, {}, deadline, MAX_CHAIN_BYTES)
    except http.client.HTTPException as error:
        raise OSError(f"bad answer: {type(error).__name__}") from error
    if answer.status != 200:
        raise OSError(f"HTTP {answer.status}")
    return answer.body


def default_roots() -> list[x509.Certificate]:
    """The trusted roots: certifi's bundle, else the system bundle.

    Each certificate is loaded on its own, so one that a newer `cryptography` refuses (the
    bundles hold a few old roots with non-positive serial numbers) does not lose the rest.
    """
    try:
        import certifi

        pem = Path(certifi.where()).read_bytes()
    except (ImportError, OSError):
        pem = SYSTEM_BUNDLE.read_bytes()
    end = b"-----END CERTIFICATE-----"
    roots = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in pem.split(end)[:-1]:
            try:
                roots.append(x509.load_pem_x509_certificate(block + end))
            except ValueError:
                continue
    return roots


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]


@dataclass(frozen=True)
class SigningKey:
    """A leaf's public key, valid (as validated) from not_before to not_after."""

    key: RSAPublicKey
    not_before: datetime
    not_after: datetime

    def valid_at(self, now: datetime) -> bool:
        return self.not_before <= now <= self.not_after


def validate_chain(pem: bytes, roots: list[x509.Certificate], now: datetime) -> SigningKey:
    """The leaf's key, once the chain (leaf first) is valid at ``now`` for echo-api.amazon.com
    and leads to one of ``roots``; otherwise Rejected with the first reason found."""
    try:
        chain = x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise Rejected("could not parse the certificate chain") from error
    leaf, intermediates = chain[0], chain[1:]
    now = utc(now)
    # Dates and name first, each with its own reason; the verifier below checks them too.
    if now < leaf.not_valid_before_utc:
        raise Rejected("certificate is not yet valid")
    if now > leaf.not_valid_after_utc:
        raise Rejected("certificate has expired")
    if SIGNING_NAME not in _dns_names(leaf):
        raise Rejected(f"certificate is not for {SIGNING_NAME}")
    key = leaf.public_key()
    if not isinstance(key, RSAPublicKey):
        raise Rejected("certificate key is not RSA")
    if key.key_size < MIN_RSA_BITS:
        raise Rejected(f"certificate key is shorter than {MIN_RSA_BITS} bits")
    if not roots:
        raise Rejected("certificate chain is not trusted")
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(roots))
        .time(now)
        .build_server_verifier(verification.DNSName(SIGNING_NAME))
    )
    try:
        path = verifier.verify(leaf, intermediates)
    except verification.VerificationError as error:
        # The leaf's own dates and name were checked above, so what is left is the chain:
        # an intermediate out of its dates, or no path to a trusted root.
        if "not valid at validation time" in str(error):
            raise Rejected("certificate chain is not valid at this time") from error
        raise Rejected("certificate chain is not trusted") from error
    # The key is good only while every certificate of the validated path is (issue 10,
    # finding 5): a cached key must not outlive its intermediate.
    return SigningKey(
        key,
        max(cert.not_valid_before_utc for cert in path),
        min(cert.not_valid_after_utc for cert in path),
    )


NEGATIVE_SECONDS = 60.0
"""How long a URL whose chain could not be fetched or validated is refused without a retry."""


@dataclass(frozen=True)
class _Refusal:
    reason: str
    until: datetime


class _Flight:
    """One download under way; the others asking for the same URL wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()


class KeyCache:
    """Canonical cert URL -> validated SigningKey: least recently used out first, expired ones
    dropped, one download per URL at a time, and a failed URL refused for NEGATIVE_SECONDS.

    Issue 10, finding 3: the key is the canonical URL (check_cert_url's), so spellings cannot
    multiply entries; failures are kept apart from the validated keys, so junk requests cannot
    evict a genuine entry; concurrent first requests share one download. Thread-safe. A warm
    request does no network I/O and no chain validation.
    """

    def __init__(
        self,
        fetch: Fetch,
        roots: list[x509.Certificate],
        clock: Clock,
        size: int = 32,
        negative_size: int = 256,
    ) -> None:
        self.fetch = fetch
        self.roots = list(roots)
        self.clock = clock
        self.size = size
        self.negative_size = negative_size
        self._entries: OrderedDict[str, SigningKey] = OrderedDict()
        self._refused: OrderedDict[str, _Refusal] = OrderedDict()
        self._flights: dict[str, _Flight] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _cached(self, url: str, now: datetime) -> RSAPublicKey | None:
        """The cached key, or None; raises Rejected for a recently refused URL. Lock held."""
        cached = self._entries.get(url)
        if cached is not None:
            if cached.valid_at(now):
                self._entries.move_to_end(url)
                return cached.key
            del self._entries[url]
        refusal = self._refused.get(url)
        if refusal is not None:
            if now < refusal.until:
                raise Rejected(refusal.reason)
            del self._refused[url]
        return None

    def key_for(self, url: str) -> RSAPublicKey:
        now = utc(self.clock())
        with self._lock:
            key = self._cached(url, now)
            if key is not None:
                return key
            flight = self._flights.get(url)
            leader = flight is None
            if flight is None:
                flight = self._flights[url] = _Flight()
        if not leader:
            flight.done.wait(Deadline.after(CERT_FETCH_DEADLINE).remaining())
            with self._lock:
                key = self._cached(url, now)
            if key is None:
                raise Rejected("could not fetch the certificate chain")
            return key
        try:
            # Outside the lock: a slow download must not stall warm requests.
            signing = self._download(url, now)
        except Rejected as rejected:
            with self._lock:
                until = now + timedelta(seconds=NEGATIVE_SECONDS)
                self._refused[url] = _Refusal(rejected.reason, until)
                self._refused.move_to_end(url)
                while len(self._refused) > self.negative_size:
                    self._refused.popitem(last=False)
            raise
        else:
            with self._lock:
                self._entries[url] = signing
                self._entries.move_to_end(url)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return signing.key
        finally:
            with self._lock:
                self._flights.pop(url, None)
            flight.done.set()

    def _download(self, url: str, now: datetime) -> SigningKey:
        try:
            pem = self.fetch(url)
        except Exception as error:  # any network, HTTP or size failure
            raise Rejected("could not fetch the certificate chain") from error
        return validate_chain(pem, self.roots, now)
