"""A test PKI for Alexa request verification, made with `cryptography`.

A root CA, an intermediate, and leaf certificates shaped like Amazon's signing certificate (RSA
2048, SAN echo-api.amazon.com, EKU serverAuth), plus the bad variants: expired, not yet valid,
wrong SAN, and one whose chain leads to a root nobody trusts. `shared_pki()` makes them once per
process (RSA key generation is slow-ish); `FakeFetch` serves their chains by URL.
"""

from __future__ import annotations

import base64
import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # the conftest clock: a Monday evening
SIGNING_NAME = "echo-api.amazon.com"
CERT_BASE = "https://s3.amazonaws.com/echo.api/"

Key = rsa.RSAPrivateKey


def new_key() -> Key:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Our Check-In Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(
    common_name: str,
    key: Key,
    issuer: tuple[x509.Certificate, Key] | None = None,
    *,
    not_before: datetime = NOW - timedelta(days=3650),
    not_after: datetime = NOW + timedelta(days=3650),
) -> x509.Certificate:
    """A root CA (issuer None: self-signed) or an intermediate signed by ``issuer``."""
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_cert.subject if issuer_cert else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0),
            critical=True,
        )
        .add_extension(_ca_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def make_leaf(
    key: Key,
    issuer: tuple[x509.Certificate, Key],
    *,
    dns_name: str = SIGNING_NAME,
    not_before: datetime = NOW - timedelta(days=30),
    not_after: datetime = NOW + timedelta(days=30),
) -> x509.Certificate:
    """A signing certificate like Amazon's: SAN ``dns_name``, serverAuth, not a CA."""
    issuer_cert, issuer_key = issuer
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(dns_name))
        .issuer_name(issuer_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def pem_chain(*certs: x509.Certificate) -> bytes:
    """The PEM file Amazon serves: leaf first, then the intermediates."""
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def sign(body: bytes, key: Key) -> str:
    """The Signature-256 header: base64 RSA PKCS#1 v1.5 with SHA-256 over the raw body."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass(frozen=True)
class Pki:
    root: x509.Certificate
    intermediate: x509.Certificate
    leaf_key: Key
    leaf: x509.Certificate
    expired: x509.Certificate
    not_yet_valid: x509.Certificate
    wrong_san: x509.Certificate
    rogue_root: x509.Certificate
    untrusted: x509.Certificate
    chains: dict[str, bytes] = field(default_factory=dict)
    """file name under CERT_BASE -> PEM chain"""

    def url(self, name: str) -> str:
        return CERT_BASE + name


@functools.cache
def shared_pki() -> Pki:
    root_key, intermediate_key, leaf_key, rogue_key = (new_key() for _ in range(4))
    root = make_ca("Test Root CA", root_key)
    intermediate = make_ca("Test Intermediate CA", intermediate_key, (root, root_key))
    issuer = (intermediate, intermediate_key)
    leaf = make_leaf(leaf_key, issuer)
    expired = make_leaf(
        leaf_key, issuer, not_before=NOW - timedelta(days=60), not_after=NOW - timedelta(days=1)
    )
    not_yet_valid = make_leaf(
        leaf_key, issuer, not_before=NOW + timedelta(days=1), not_after=NOW + timedelta(days=60)
    )
    wrong_san = make_leaf(leaf_key, issuer, dns_name="evil.example.com")
    stale_intermediate = make_ca(
        "Test Intermediate CA",
        intermediate_key,
        (root, root_key),
        not_before=NOW - timedelta(days=400),
        not_after=NOW - timedelta(days=2),
    )
    rogue_root = make_ca("Rogue Root CA", rogue_key)
    untrusted = make_leaf(leaf_key, (rogue_root, rogue_key))
    chains = {
        "good.pem": pem_chain(leaf, intermediate),
        "expired.pem": pem_chain(expired, intermediate),
        "not-yet-valid.pem": pem_chain(not_yet_valid, intermediate),
        "wrong-san.pem": pem_chain(wrong_san, intermediate),
        "expired-intermediate.pem": pem_chain(leaf, stale_intermediate),
        "untrusted.pem": pem_chain(untrusted, rogue_root),
        "no-intermediate.pem": pem_chain(leaf),
        "garbage.pem": b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
    }
    return Pki(
        root=root,
        intermediate=intermediate,
        leaf_key=leaf_key,
        leaf=leaf,
        expired=expired,
        not_yet_valid=not_yet_valid,
        wrong_san=wrong_san,
        rogue_root=rogue_root,
        untrusted=untrusted,
        chains=chains,
    )


class FakeFetch:
    """fetch(url) -> PEM from a dict; counts calls; an unknown URL fails like a network error."""

    def __init__(self, by_url: dict[str, bytes]) -> None:
        self.by_url = dict(by_url)
        self.calls: Counter[str] = Counter()

    @classmethod
    def for_pki(cls, pki: Pki) -> FakeFetch:
        return cls({pki.url(name): pem for name, pem in pki.chains.items()})

    def __call__(self, url: str) -> bytes:
        self.calls[url] += 1
        try:
            return self.by_url[url]
        except KeyError:
            raise OSError(f"cannot reach {url}") from None

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@dataclass(frozen=True)
class TlsIdentity:
    """A server certificate for 127.0.0.1 under its own test CA, for local HTTPS servers."""

    ca: x509.Certificate
    cert_pem: bytes
    key_pem: bytes

    def client_context(self) -> Any:
        """An SSL context that trusts this CA only (what a client of the server needs)."""
        import ssl

        context = ssl.create_default_context()
        context.load_verify_locations(
            cadata=self.ca.public_bytes(serialization.Encoding.PEM).decode()
        )
        return context


@functools.cache
def local_tls() -> TlsIdentity:
    import ipaddress

    ca_key, key = new_key(), new_key()
    ca = make_ca("Local TLS Test CA", ca_key)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=1))
        .not_valid_after(datetime.now(UTC) + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return TlsIdentity(ca, cert.public_bytes(serialization.Encoding.PEM), key_pem)
