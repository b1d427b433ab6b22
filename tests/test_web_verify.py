"""Alexa request verification, through the Flask test client: one valid signed request, then
one failing case per rule, each answered 400 with its own reason."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography import x509
from flask.testing import FlaskClient

from skill.console.envelopes import Session, launch_request
from skill.store.memory import MemoryStore
from skill.web import MAX_BODY, create_app
from skill.web.certs import KeyCache, Rejected, check_cert_url
from tests.certs import NOW, FakeFetch, Pki, new_key, shared_pki, sign

USER = "amzn1.ask.account.web-verify-couple"
SKILL_ID = "amzn1.ask.skill.our-checkin-local"  # what skill.console.envelopes.Session sends
GOOD = "https://s3.amazonaws.com/echo.api/good.pem"


@pytest.fixture(scope="session")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture(autouse=True)
def no_env_skill_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILL_ID", raising=False)


@pytest.fixture
def fetch(pki: Pki) -> FakeFetch:
    fake = FakeFetch.for_pki(pki)
    # The same chain under spellings the rules must accept.
    fake.by_url["https://s3.amazonaws.com:443/echo.api/good.pem"] = pki.chains["good.pem"]
    fake.by_url["HTTPS://S3.AMAZONAWS.COM/echo.api/good.pem"] = pki.chains["good.pem"]
    return fake


@pytest.fixture
def make_client(pki: Pki, fetch: FakeFetch, clock) -> Callable[..., FlaskClient]:
    def make(**options: Any) -> FlaskClient:
        options.setdefault("trusted_roots", [pki.root])
        options.setdefault("fetch", fetch)
        options.setdefault("clock", clock)
        options.setdefault("skill_id", SKILL_ID)
        return create_app(MemoryStore(), **options).test_client()

    return make


@pytest.fixture
def client(make_client) -> FlaskClient:
    return make_client()


def body_of(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


def launch(clock, **shift: float) -> dict[str, Any]:
    return launch_request(Session(user_id=USER), now=clock() + timedelta(**shift))


def post(
    client: FlaskClient,
    body: bytes,
    pki: Pki,
    *,
    url: str | None = GOOD,
    signature: str | None = None,
    signed_body: bytes | None = None,
):
    """POST /alexa with the headers Alexa sends; the body is signed with the leaf key unless
    ``signature`` is given; ``signed_body`` signs other bytes than those sent."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if url is not None:
        headers["SignatureCertChainUrl"] = url
    if signature is None:
        signature = sign(body if signed_body is None else signed_body, pki.leaf_key)
    if signature:
        headers["Signature-256"] = signature
    return client.post("/alexa", data=body, headers=headers)


def assert_ok(response) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    envelope = response.get_json()
    assert envelope["version"] == "1.0"
    assert "<speak>" in envelope["response"]["outputSpeech"]["ssml"]
    return envelope


def assert_rejected(response, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == 400, text
    assert response.get_json() == {"error": reason}
    assert "Traceback" not in text
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    line = json.loads(warnings[0].getMessage())
    assert line == {"event": "rejected", "reason": reason}
    assert USER not in warnings[0].getMessage()


# --- the valid request -----------------------------------------------------------------


def test_a_signed_launch_request_gets_the_skill_answer(client, pki, clock, fetch) -> None:
    envelope = assert_ok(post(client, body_of(launch(clock)), pki))
    assert "first names" in envelope["response"]["outputSpeech"]["ssml"]
    assert fetch.calls == {GOOD: 1}


def test_post_to_the_root_path_is_the_same_endpoint(client, pki, clock) -> None:
    body = body_of(launch(clock))
    headers = {"SignatureCertChainUrl": GOOD, "Signature-256": sign(body, pki.leaf_key)}
    assert_ok(client.post("/", data=body, headers=headers))


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com:443/echo.api/good.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/good.pem",
    ],
    ids=["port-443", "upper-case-scheme-and-host"],
)
def test_allowed_spellings_of_the_cert_url(client, pki, clock, url) -> None:
    assert_ok(post(client, body_of(launch(clock)), pki, url=url))


@pytest.mark.parametrize("seconds", [-149, 149])
def test_timestamps_within_150_seconds_pass(client, pki, clock, seconds) -> None:
    assert_ok(post(client, body_of(launch(clock, seconds=seconds)), pki))


# --- 1. headers ----------------------------------------------------------------------------


def test_missing_cert_url_header(client, pki, clock, caplog) -> None:
    response = post(client, body_of(launch(clock)), pki, url=None)
    assert_rejected(response, "missing SignatureCertChainUrl header", caplog)


def test_missing_signature_header(client, pki, clock, caplog) -> None:
    response = post(client, body_of(launch(clock)), pki, signature="")
    assert_rejected(response, "missing Signature-256 header", caplog)


# --- 2. the cert URL -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/good.pem", "certificate URL must use https"),
        ("ftp://s3.amazonaws.com/echo.api/good.pem", "certificate URL must use https"),
        (
            "https://notamazon.com/echo.api/good.pem",
            "certificate URL host must be s3.amazonaws.com",
        ),
        (
            "https://s3.amazonaws.com.evil.example/echo.api/good.pem",
            "certificate URL host must be s3.amazonaws.com",
        ),
        (
            "https://s3.amazonaws.com/EcHo.aPi/good.pem",
            "certificate URL path must start with /echo.api/",
        ),
        (
            "https://s3.amazonaws.com/echo.api.evil/good.pem",
            "certificate URL path must start with /echo.api/",
        ),
        (
            "https://s3.amazonaws.com/echo.api/../x",
            "certificate URL path must be plain (no escapes, dot or empty segments)",
        ),
        (
            "https://s3.amazonaws.com/echo.api/%2e%2e/evil/x.pem",
            "certificate URL path must be plain (no escapes, dot or empty segments)",
        ),
        ("https://s3.amazonaws.com/good.pem", "certificate URL path must start with /echo.api/"),
        ("https://s3.amazonaws.com:8443/echo.api/good.pem", "certificate URL port must be 443"),
        ("https://s3.amazonaws.com:99999/echo.api/good.pem", "certificate URL is not a valid URL"),
        (
            "https://me@s3.amazonaws.com/echo.api/good.pem",
            "certificate URL must not carry user info",
        ),
    ],
    ids=[
        "http",
        "ftp",
        "other-host",
        "host-suffix",
        "path-case",
        "echo.api.evil",
        "dot-dot",
        "encoded-dot-dot",
        "no-prefix",
        "port-8443",
        "bad-port",
        "user-info",
    ],
)
def test_cert_url_rules(client, pki, clock, fetch, caplog, url, reason) -> None:
    response = post(client, body_of(launch(clock)), pki, url=url)
    assert_rejected(response, reason, caplog)
    assert fetch.total == 0  # a bad URL is never fetched


# --- 3. the certificate chain ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("expired.pem", "certificate has expired"),
        ("not-yet-valid.pem", "certificate is not yet valid"),
        ("wrong-san.pem", "certificate is not for echo-api.amazon.com"),
        ("untrusted.pem", "certificate chain is not trusted"),
        ("no-intermediate.pem", "certificate chain is not trusted"),
        ("expired-intermediate.pem", "certificate chain is not valid at this time"),
        ("garbage.pem", "could not parse the certificate chain"),
        ("missing.pem", "could not fetch the certificate chain"),
    ],
)
def test_certificate_rules(client, pki, clock, caplog, name, reason) -> None:
    response = post(client, body_of(launch(clock)), pki, url=pki.url(name))
    assert_rejected(response, reason, caplog)


def test_a_chain_is_trusted_only_through_the_given_roots(make_client, pki, clock, caplog) -> None:
    client = make_client(trusted_roots=[pki.rogue_root])
    response = post(client, body_of(launch(clock)), pki)
    assert_rejected(response, "certificate chain is not trusted", caplog)


def test_no_trusted_roots_trusts_nothing(make_client, pki, clock, caplog) -> None:
    response = post(make_client(trusted_roots=[]), body_of(launch(clock)), pki)
    assert_rejected(response, "certificate chain is not trusted", caplog)


# --- 4. the signature ------------------------------------------------------------------


def test_signature_by_another_key(client, pki, clock, caplog) -> None:
    body = body_of(launch(clock))
    response = post(client, body, pki, signature=sign(body, new_key()))
    assert_rejected(response, "bad signature", caplog)


def test_tampered_body(client, pki, clock, caplog) -> None:
    signed = body_of(launch(clock))
    tampered = signed.replace(USER.encode(), b"amzn1.ask.account.someone-else")
    assert tampered != signed
    response = post(client, tampered, pki, signed_body=signed)
    assert_rejected(response, "bad signature", caplog)


def test_signature_over_reserialized_json_is_not_accepted(client, pki, clock, caplog) -> None:
    """The signature covers the raw bytes: the same JSON, spaced differently, fails."""
    envelope = launch(clock)
    sent = json.dumps(envelope, indent=1).encode()
    response = post(client, sent, pki, signed_body=json.dumps(envelope).encode())
    assert_rejected(response, "bad signature", caplog)


def test_signature_that_is_not_base64(client, pki, clock, caplog) -> None:
    response = post(client, body_of(launch(clock)), pki, signature="not*base64!")
    assert_rejected(response, "bad signature", caplog)


# --- 5. the timestamp ------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds", [-151, 151, -3600, 86400], ids=["stale", "future", "hour", "day"]
)
def test_timestamp_outside_150_seconds(client, pki, clock, caplog, seconds) -> None:
    response = post(client, body_of(launch(clock, seconds=seconds)), pki)
    assert_rejected(response, "request timestamp is too old or in the future", caplog)


@pytest.mark.parametrize(
    "value", ["yesterday", "", True, [1]], ids=["word", "empty", "bool", "list"]
)
def test_unparsable_timestamp(client, pki, clock, caplog, value) -> None:
    envelope = launch(clock)
    envelope["request"]["timestamp"] = value
    response = post(client, body_of(envelope), pki)
    assert_rejected(response, "request timestamp is not a valid time", caplog)


def test_missing_timestamp(client, pki, clock, caplog) -> None:
    envelope = launch(clock)
    del envelope["request"]["timestamp"]
    assert_rejected(post(client, body_of(envelope), pki), "request timestamp is missing", caplog)


# --- 6. the skill ID -------------------------------------------------------------------


def test_right_skill_id_passes(make_client, pki, clock) -> None:
    assert_ok(post(make_client(skill_id=SKILL_ID), body_of(launch(clock)), pki))


def test_wrong_skill_id(make_client, pki, clock, caplog) -> None:
    client = make_client(skill_id="amzn1.ask.skill.another-skill")
    assert_rejected(post(client, body_of(launch(clock)), pki), "wrong skill id", caplog)


def test_skill_id_mismatch_in_the_session_alone(make_client, pki, clock, caplog) -> None:
    envelope = launch(clock)
    envelope["session"]["application"]["applicationId"] = "amzn1.ask.skill.another-skill"
    client = make_client(skill_id=SKILL_ID)
    assert_rejected(post(client, body_of(envelope), pki), "wrong skill id", caplog)


def test_skill_id_comes_from_the_environment(make_client, pki, clock, caplog, monkeypatch) -> None:
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.another-skill")
    client = make_client(skill_id=None)  # None: from the environment
    assert_rejected(post(client, body_of(launch(clock)), pki), "wrong skill id", caplog)


# --- 7. the body -----------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"[" * 5000], ids=str)
def test_body_must_be_a_json_object(client, pki, caplog, body) -> None:
    assert_rejected(post(client, body, pki), "body is not a JSON object", caplog)


def test_body_must_be_utf8(client, pki, caplog) -> None:
    assert_rejected(post(client, b"\xff\xfe\x00", pki), "body is not UTF-8 JSON", caplog)


@pytest.mark.parametrize(
    "envelope",
    [{"version": "1.0"}, {"request": {"type": 5}}, {"request": "LaunchRequest"}],
    ids=["no-request", "type-not-text", "request-not-object"],
)
def test_envelope_without_a_request(client, pki, caplog, envelope) -> None:
    assert_rejected(post(client, body_of(envelope), pki), "malformed Alexa request", caplog)


def test_verified_envelope_the_sdk_cannot_read(client, pki, clock, caplog) -> None:
    envelope = launch(clock)
    envelope["session"] = "not an object"
    assert_rejected(post(client, body_of(envelope), pki), "malformed Alexa request", caplog)


def test_oversized_body(client, pki, clock, fetch, caplog) -> None:
    envelope = launch(clock)
    envelope["padding"] = "x" * MAX_BODY
    response = post(client, body_of(envelope), pki)
    assert_rejected(response, "request body too large", caplog)
    assert fetch.total == 0  # refused before any verification work


def test_body_of_exactly_the_limit_is_read(client, pki, clock) -> None:
    envelope = launch(clock)
    envelope["padding"] = ""
    size = len(body_of(envelope))
    envelope["padding"] = "x" * (MAX_BODY - size)
    body = body_of(envelope)
    assert len(body) == MAX_BODY
    assert_ok(post(client, body, pki))


def test_oversized_body_without_content_length(client, pki, caplog) -> None:
    """A body sent without a Content-Length (chunked) is read no further than the limit."""
    import io

    from werkzeug.test import EnvironBuilder, run_wsgi_app
    from werkzeug.wrappers import Response

    body = b"{" + b" " * (MAX_BODY + 10) + b"}"
    headers = {"SignatureCertChainUrl": GOOD, "Signature-256": sign(body, pki.leaf_key)}
    stream = io.BytesIO(body)
    environ = EnvironBuilder(
        method="POST", path="/alexa", headers=headers, input_stream=stream
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True  # what servers set once they de-chunk the input
    # The test client would put a Content-Length back: call the WSGI app itself.
    response = Response(*run_wsgi_app(client.application, environ, buffered=True))
    assert_rejected(response, "request body too large", caplog)
    assert stream.tell() <= MAX_BODY + 1


# --- verification off ------------------------------------------------------------------


def test_verification_off_serves_unsigned_requests(make_client, clock) -> None:
    client = make_client(verify=False)
    assert_ok(client.post("/alexa", data=body_of(launch(clock, days=-3))))


def test_verification_off_keeps_skill_id_body_and_size_checks(make_client, clock, caplog) -> None:
    client = make_client(verify=False, skill_id="amzn1.ask.skill.another-skill")
    assert_rejected(client.post("/alexa", data=body_of(launch(clock))), "wrong skill id", caplog)
    caplog.clear()
    assert_rejected(client.post("/alexa", data=b"[]"), "body is not a JSON object", caplog)
    caplog.clear()
    big = b"{" + b" " * MAX_BODY + b"}"
    assert_rejected(client.post("/alexa", data=big), "request body too large", caplog)


# --- the key cache ---------------------------------------------------------------------


def test_a_warm_request_fetches_nothing(client, pki, clock, fetch) -> None:
    assert_ok(post(client, body_of(launch(clock)), pki))
    clock.advance(seconds=30)
    assert_ok(post(client, body_of(launch(clock)), pki))
    assert fetch.calls == {GOOD: 1}


def test_a_cached_key_is_dropped_once_the_certificate_expires(
    client, pki, clock, fetch, caplog
) -> None:
    assert_ok(post(client, body_of(launch(clock)), pki))
    clock.now = pki.leaf.not_valid_after_utc + timedelta(seconds=1)
    response = post(client, body_of(launch(clock)), pki)
    assert_rejected(response, "certificate has expired", caplog)
    assert fetch.calls == {GOOD: 2}  # fetched and validated again, not served from the cache


def test_a_failed_validation_is_cached_only_briefly(client, pki, clock, fetch, caplog) -> None:
    url = pki.url("late.pem")
    fetch.by_url[url] = pki.chains["untrusted.pem"]
    assert_rejected(
        post(client, body_of(launch(clock)), pki, url=url),
        "certificate chain is not trusted",
        caplog,
    )
    fetch.by_url[url] = pki.chains["good.pem"]
    clock.advance(seconds=61)  # past the negative cache (issue 10, finding 3)
    assert_ok(post(client, body_of(launch(clock)), pki, url=url))
    assert fetch.calls[url] == 2


def test_the_cache_is_bounded_least_recently_used_out(pki, clock) -> None:
    names = ["a.pem", "b.pem", "c.pem"]
    fetch = FakeFetch({pki.url(name): pki.chains["good.pem"] for name in names})
    cache = KeyCache(fetch, [pki.root], clock, size=2)
    for name in ["a.pem", "b.pem", "a.pem", "c.pem", "a.pem", "b.pem"]:
        cache.key_for(pki.url(name))
    assert len(cache) == 2
    # a stayed warm; b was evicted by c, then c by b
    assert fetch.calls == {pki.url("a.pem"): 1, pki.url("b.pem"): 2, pki.url("c.pem"): 1}


def test_the_cache_is_safe_across_threads(pki, clock) -> None:
    fetch = FakeFetch({GOOD: pki.chains["good.pem"]})
    cache = KeyCache(fetch, [pki.root], clock)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                cache.key_for(GOOD)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(cache) == 1
    assert 1 <= fetch.total <= 8  # at most one cold fetch per thread, then all warm


# --- the URL rules on their own ------------------------------------------------------------


def test_check_cert_url_accepts_amazons_real_url() -> None:
    check_cert_url("https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem")


def test_check_cert_url_rejects_with_a_reason() -> None:
    with pytest.raises(Rejected, match="must use https"):
        check_cert_url("http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem")


@pytest.mark.parametrize("url", ["https://s3.amazon\taws.com/echo.api/x.pem", " https://x/"])
def test_check_cert_url_refuses_whitespace_urlsplit_would_hide(url) -> None:
    with pytest.raises(Rejected, match="not a valid URL"):
        check_cert_url(url)


def test_the_test_clock_is_the_pki_clock(clock) -> None:
    assert clock() == NOW


# --- the real fetch and roots, against a local HTTP server -------------------------------


@pytest.fixture
def local_http():
    """A plain-HTTP server on 127.0.0.1 answering /chain, /redirect, /huge and /missing."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes = {
                "/chain": (200, {}, b"PEM"),
                "/redirect": (302, {"Location": "/chain"}, b""),
                "/huge": (200, {}, b"x" * (64 * 1024 + 1)),
            }
            status, headers, body = routes.get(self.path, (404, {}, b"no"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_https_fetch_reads_a_small_body(local_http) -> None:
    from skill.web.certs import https_fetch

    assert https_fetch(local_http + "/chain") == b"PEM"


@pytest.mark.parametrize("path", ["/redirect", "/huge", "/missing"])
def test_https_fetch_refuses_redirects_big_bodies_and_errors(local_http, path) -> None:
    from skill.web.certs import https_fetch

    with pytest.raises(OSError):  # urllib's HTTPError and URLError are OSErrors
        https_fetch(local_http + path)


def test_default_roots_are_a_real_bundle() -> None:
    from skill.web.certs import default_roots

    roots = default_roots()
    assert len(roots) > 50
    assert all(isinstance(root, x509.Certificate) for root in roots)
