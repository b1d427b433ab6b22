"""Issue 10, an outside security review: one test per finding, named after it, each of which
failed before its fix. The fault-injection suite for the class behind them is test_faults.py."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill.console.envelopes import Session, launch_request
from skill.store.memory import MemoryStore
from skill.web import create_app
from tests.certs import (
    CERT_BASE,
    NOW,
    FakeFetch,
    Pki,
    make_ca,
    make_leaf,
    new_key,
    pem_chain,
    shared_pki,
    sign,
)

USER = "amzn1.ask.account.security-review-couple"
SKILL_ID = "amzn1.ask.skill.our-checkin-local"  # what skill.console.envelopes.Session sends
GOOD = CERT_BASE + "good.pem"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture(autouse=True)
def no_env_skill_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILL_ID", raising=False)


@pytest.fixture
def fetch(pki: Pki) -> FakeFetch:
    return FakeFetch.for_pki(pki)


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


def launch_body(clock) -> bytes:
    return json.dumps(launch_request(Session(user_id=USER), now=clock())).encode()


def post(client: FlaskClient, body: bytes, key: Any, url: str = GOOD) -> Any:
    headers = {"SignatureCertChainUrl": url, "Signature-256": sign(body, key)}
    return client.post("/alexa", data=body, headers=headers)


# --- finding 2: the certificate URL that is checked is the URL that is fetched -----------


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/evil/%2e%2e/echo.api/cert.pem",
        "https://s3.amazonaws.com/evil/%2E%2E/echo.api/cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/evil/cert.pem",
        "https://s3.amazonaws.com/echo.api/..%2fevil/cert.pem",
        "https://s3.amazonaws.com/echo.api/a/../cert.pem",
        "https://s3.amazonaws.com/echo.api/./cert.pem",
        "https://s3.amazonaws.com/echo.api//cert.pem",
        "https://s3.amazonaws.com//echo.api/cert.pem",
        "https://s3.amazonaws.com/echo.api/%63ert.pem",
        "https://s3.amazonaws.com/echo.api/a\\..\\cert.pem",
        "https://s3.amazonaws.com/echo.api/good.pem?x=1",
        "https://s3.amazonaws.com/echo.api/good.pem#frag",
    ],
)
def test_finding_2_checked_url_is_fetched_url(make_client, pki, clock, url) -> None:
    """A URL whose path means something else once decoded or normalised is refused outright,
    and nothing is downloaded for it."""
    fetch = FakeFetch({url: pki.chains["good.pem"]})  # as if the attacker's bucket served it
    client = make_client(fetch=fetch)
    response = post(client, launch_body(clock), pki.leaf_key, url=url)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert fetch.total == 0


@pytest.mark.parametrize(
    "url",
    [
        GOOD,
        "https://s3.amazonaws.com:443/echo.api/good.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/good.pem",
    ],
)
def test_finding_2_the_fetched_url_is_rebuilt_from_the_checked_parts(
    make_client, pki, clock, fetch, url
) -> None:
    response = post(make_client(), launch_body(clock), pki.leaf_key, url=url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert fetch.calls == {GOOD: 1}


# --- finding 3: the certificate cache cannot be busted -----------------------------------


def test_finding_3_spellings_of_one_url_share_one_download(client, pki, clock, fetch) -> None:
    body = launch_body(clock)
    for url in (
        GOOD,
        "https://s3.amazonaws.com:443/echo.api/good.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/good.pem",
        "https://S3.amazonaws.com:443/echo.api/good.pem",
    ):
        assert post(client, body, pki.leaf_key, url=url).status_code == 200
    assert fetch.total == 1


def test_finding_3_junk_requests_do_not_evict_the_genuine_entry(client, pki, clock, fetch) -> None:
    body = launch_body(clock)
    assert post(client, body, pki.leaf_key).status_code == 200
    host = "s3.amazonaws.com"
    for n in range(40):  # unsigned junk, each spelling the host in another case
        spelled = "".join(c.upper() if n >> i & 1 else c for i, c in enumerate(host[:8]))
        junk = f"https://{spelled}{host[8:]}/echo.api/good.pem"
        fetch.by_url[junk] = pki.chains["good.pem"]
        headers = {"SignatureCertChainUrl": junk, "Signature-256": "AAAA"}
        assert client.post("/alexa", data=body, headers=headers).status_code == 400
    assert post(client, body, pki.leaf_key).status_code == 200
    assert fetch.total == 1


def test_finding_3_a_failed_download_is_not_repeated_at_once(client, pki, clock, fetch) -> None:
    body = launch_body(clock)
    missing = CERT_BASE + "missing.pem"
    for _ in range(5):
        assert post(client, body, pki.leaf_key, url=missing).status_code == 400
    assert fetch.calls[missing] == 1
    clock.advance(minutes=5)  # the negative entry is short-lived
    assert post(client, body, pki.leaf_key, url=missing).status_code == 400
    assert fetch.calls[missing] == 2


def test_finding_3_concurrent_first_requests_download_once(pki, clock) -> None:
    class SlowFetch(FakeFetch):
        def __call__(self, url: str) -> bytes:
            time.sleep(0.3)
            return super().__call__(url)

    fetch = SlowFetch.for_pki(pki)
    app = create_app(
        MemoryStore(), trusted_roots=[pki.root], fetch=fetch, clock=clock, skill_id=SKILL_ID
    )
    body = launch_body(clock)
    statuses: list[int] = []

    def one() -> None:
        statuses.append(post(app.test_client(), body, pki.leaf_key).status_code)

    threads = [threading.Thread(target=one) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert statuses == [200] * 10
    assert fetch.total == 1


# --- finding 5: a cached chain does not outlive its intermediate -------------------------


def test_finding_5_cached_chain_expires_with_its_intermediate(pki, clock) -> None:
    root_key, intermediate_key, leaf_key = new_key(), new_key(), pki.leaf_key
    root = make_ca("Short Root", root_key)
    intermediate = make_ca(
        "Short Intermediate",
        intermediate_key,
        (root, root_key),
        not_before=NOW - timedelta(days=10),
        not_after=NOW + timedelta(days=1),
    )
    leaf = make_leaf(leaf_key, (intermediate, intermediate_key))  # valid 30 more days
    url = CERT_BASE + "short.pem"
    fetch = FakeFetch({url: pem_chain(leaf, intermediate)})
    app = create_app(
        MemoryStore(), trusted_roots=[root], fetch=fetch, clock=clock, skill_id=SKILL_ID
    )
    client = app.test_client()
    assert post(client, launch_body(clock), leaf_key, url=url).status_code == 200
    clock.advance(days=2)  # the intermediate has expired; the leaf has not
    response = post(client, launch_body(clock), leaf_key, url=url)
    assert response.status_code == 400
    assert response.get_json() == {"error": "certificate chain is not valid at this time"}


# --- finding 9: the smaller ones ---------------------------------------------------------


def test_finding_9_a_signed_utf16_body_is_a_400_with_a_reason(client, pki, clock, caplog) -> None:
    body = json.dumps(launch_request(Session(user_id=USER), now=clock())).encode("utf-16")
    with caplog.at_level(logging.WARNING):
        response = post(client, body, pki.leaf_key)
    assert response.status_code == 400
    assert response.get_json() == {"error": "body is not UTF-8 JSON"}


def test_finding_9_a_1024_bit_leaf_key_is_refused(pki, clock) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    root_key, intermediate_key = new_key(), new_key()
    weak_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    root = make_ca("Weak Test Root", root_key)
    intermediate = make_ca("Weak Test Intermediate", intermediate_key, (root, root_key))
    leaf = make_leaf(weak_key, (intermediate, intermediate_key))
    url = CERT_BASE + "weak.pem"
    fetch = FakeFetch({url: pem_chain(leaf, intermediate)})
    app = create_app(
        MemoryStore(), trusted_roots=[root], fetch=fetch, clock=clock, skill_id=SKILL_ID
    )
    response = post(app.test_client(), launch_body(clock), weak_key, url=url)
    assert response.status_code == 400
    assert response.get_json() == {"error": "certificate key is shorter than 2048 bits"}


# --- finding 1: no skill ID, no start --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CHECKIN_TABLE", "SKILL_ID"}}
    env["CHECKIN_DB"] = str(tmp_path / "checkin.db")
    return env


def test_finding_1_the_app_factory_refuses_to_start_without_a_skill_id(pki) -> None:
    from skill.alexa.guard import NoSkillId

    with pytest.raises(NoSkillId, match="SKILL_ID is not set"):
        create_app(MemoryStore(), trusted_roots=[pki.root], fetch=FakeFetch({}))


def test_finding_1_checkin_serve_refuses_to_start_without_a_skill_id(tmp_path: Path) -> None:
    from tests.servers import free_port

    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "serve", "--port", str(free_port())],
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "SKILL_ID is not set" in result.stderr
    assert "listening" not in result.stdout


def test_finding_1_gunicorn_refuses_to_start_without_a_skill_id(tmp_path: Path) -> None:
    from tests.servers import free_port

    command = [str(GUNICORN), "--bind", f"127.0.0.1:{free_port()}", "skill.web:create_app()"]
    result = subprocess.run(
        command, env=server_env(tmp_path), capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode != 0
    assert "SKILL_ID is not set" in result.stdout + result.stderr


def test_finding_1_any_skill_is_refused_off_loopback(tmp_path: Path) -> None:

    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "serve", "--any-skill", "--host", "0.0.0.0"],
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "refusing --any-skill on 0.0.0.0" in result.stderr


def test_finding_1_a_signed_request_for_another_skill_creates_no_household(pki, clock) -> None:
    store = MemoryStore()
    app = create_app(
        store,
        trusted_roots=[pki.root],
        fetch=FakeFetch.for_pki(pki),
        clock=clock,
        skill_id="amzn1.ask.skill.this-one",
    )
    response = post(app.test_client(), launch_body(clock), pki.leaf_key)
    assert response.status_code == 400
    assert response.get_json() == {"error": "wrong skill id"}
    assert store.records == {} and store.reads == 0


ODD_APPLICATION_IDS: list[Any] = [["amzn1.ask.skill.our-checkin-local"], 7, {"a": 1}, ""]


@pytest.mark.parametrize("odd", ODD_APPLICATION_IDS, ids=repr)
@pytest.mark.parametrize("where", ["session", "context"])
def test_finding_1_one_skill_id_rule_for_lambda_and_the_web(
    make_client, clock, db_path, monkeypatch, where: str, odd: Any
) -> None:
    """The same envelopes are refused by the Lambda entry point and the web service, with no
    TypeError anywhere (finding 9: a list applicationId made the Lambda guard raise one)."""
    from skill.alexa.guard import WrongSkill
    from tests.conftest import load_lambda_module

    envelope = launch_request(Session(user_id=USER), now=clock())
    holder = envelope["session"] if where == "session" else envelope["context"]["System"]
    holder["application"]["applicationId"] = odd
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    handler = load_lambda_module("lambda_one_rule").lambda_handler
    with pytest.raises(WrongSkill):
        handler(json.loads(json.dumps(envelope)), None)
    client = make_client(verify=False)
    response = client.post("/alexa", data=json.dumps(envelope).encode())
    assert (response.status_code, response.get_json()) == (400, {"error": "wrong skill id"})


# --- finding 4: every outbound call has an overall deadline ----------------------------------


def test_finding_4_a_dripping_certificate_server_cannot_hold_a_request(pki, clock) -> None:
    """The chain is served over real TLS, one byte every 0.2 s (minutes in all): the request
    is answered, refused, within the deadline."""
    from skill.store.config import TURN_ANSWER_SECONDS
    from skill.web.certs import https_fetch
    from tests.certs import local_tls
    from tests.servers import FaultProxy, HttpsFiles

    context = local_tls().client_context()
    files = {"/echo.api/good.pem": pki.chains["good.pem"]}
    with HttpsFiles(files) as origin, FaultProxy(("127.0.0.1", origin.port), "drip") as proxy:

        def fetch(url: str) -> bytes:
            local = url.replace("https://s3.amazonaws.com", f"https://127.0.0.1:{proxy.port}")
            return https_fetch(local, context=context)

        app = create_app(
            MemoryStore(), trusted_roots=[pki.root], fetch=fetch, clock=clock, skill_id=SKILL_ID
        )
        started = time.monotonic()
        response = post(app.test_client(), launch_body(clock), pki.leaf_key)
        took = time.monotonic() - started
        assert response.get_json() == {"error": "could not fetch the certificate chain"}
        assert took < TURN_ANSWER_SECONDS, took
        proxy.mode = "pass"  # and the same server, answering promptly, is fine
        assert post(app.test_client(), launch_body(clock), pki.leaf_key).status_code == 400
        clock.advance(seconds=61)  # past the negative cache
        assert post(app.test_client(), launch_body(clock), pki.leaf_key).status_code == 200


@pytest.mark.parametrize("client_kind", ["small client", "botocore"])
def test_finding_4_a_dripping_dynamodb_cannot_hold_a_turn(
    dynamo_table, dynalite, clock, client_kind: str
) -> None:
    """DynamoDB behind a proxy that drips its answers one byte every 0.2 s: every turn is
    answered within 3 s, with either client."""
    from skill.store.config import TURN_ANSWER_SECONDS
    from tests.conftest import meet
    from tests.test_faults import proxied_device

    with proxied_device(dynamo_table, dynalite, clock, client_kind) as (proxy, echo, _):
        meet(echo)
        proxy.mode = "drip"
        for line in ("yes", "next", "stop", "Alexa, resume our check-in"):
            started = time.monotonic()
            turn = echo.hear(line)
            took = time.monotonic() - started
            assert took < TURN_ANSWER_SECONDS, (line, took)
            assert turn.speech


# --- finding 9: the smaller ones of the DynamoDB client ----------------------------------


class Recorder:
    """A local HTTP server that records each request's Host header and path and answers {}."""

    def __init__(self, host: str) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                seen.append((self.headers.get("Host"), self.path))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

        self.server = Server((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def test_finding_9_an_ipv6_endpoint_gets_a_bracketed_host_header() -> None:
    from skill.store.dynamo_http import Credentials, HttpDynamo

    recorder = Recorder("::1")
    try:
        client = HttpDynamo("eu-west-1", Credentials("a", "b"), f"http://[::1]:{recorder.port}")
        assert client.call("get_item", TableName="t", Key={}) == {}
    finally:
        recorder.close()
    assert recorder.seen == [(f"[::1]:{recorder.port}", "/")]


def test_finding_9_an_endpoints_path_is_kept() -> None:
    from skill.store.dynamo_http import Credentials, HttpDynamo

    recorder = Recorder("127.0.0.1")
    try:
        endpoint = f"http://127.0.0.1:{recorder.port}/dynamodb-proxy"
        client = HttpDynamo("eu-west-1", Credentials("a", "b"), endpoint)
        assert client.call("get_item", TableName="t", Key={}) == {}
    finally:
        recorder.close()
    assert recorder.seen == [(f"127.0.0.1:{recorder.port}", "/dynamodb-proxy")]


def test_finding_9_the_credentials_repr_holds_no_secret() -> None:
    from skill.store.dynamo_http import Credentials

    text = repr(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", "FwoGZXIvYXdzTOKEN"))
    assert "AKIDEXAMPLE" in text
    assert "wJalrXUtnFEMI" not in text and "FwoGZXIvYXdzTOKEN" not in text


# --- finding 6: a retried write applies its command once ---------------------------------


def test_finding_6_a_retried_write_applies_its_command_once_on_dynalite(
    dynamo_table, dynalite, clock
) -> None:
    """Through the fault proxy: the PutItem lands, its answer is lost, the client retries
    it; the retry's conflict is our own write, so "next" is not applied a second time (the
    couple would skip a turn). Both clients: tests/test_faults.py runs the same case."""
    from tests.test_faults import proxied_device, reference_state, stored_state

    lines = ["Alexa, start our check-in", "we are Sam and Alex", "yes", "yes"]
    with proxied_device(dynamo_table, dynalite, clock, "small client") as (proxy, echo, store):
        for line in lines:
            echo.hear(line)
        proxy.replies_to_lose = 1
        proxy.mode = "lose_reply"
        store.transport.close()  # so that the first attempt is the one that lands
        turn = echo.hear("next")
        assert "Sam" in turn.speech and "Alex, your turn" not in turn.speech
        assert stored_state(store) == reference_state([*lines, "next"], clock)


def test_finding_6_a_retried_write_applies_its_command_once_on_sqlite(
    tmp_path: Path, clock
) -> None:
    """SQLite has no wire for the proxy: the fault is injected at the store's boundary. The
    write commits and its answer is lost (as a timeout would lose it); the household tries it
    again, meets its own write, and does not apply "next" twice."""
    from skill.alexa.skill import skill_builder
    from skill.console.device import Device
    from skill.store.base import StoreUnavailable, household_key
    from skill.store.sqlite import SqliteStore
    from tests.conftest import COUPLE_ID
    from tests.test_faults import reference_state

    class AnswerLost(SqliteStore):
        lose = 0

        def save(self, household: str, state: Any, version: Any, token: Any = None) -> int:
            stored = super().save(household, state, version, token=token)
            if self.lose:
                self.lose -= 1
                raise StoreUnavailable("TimeoutError")  # it landed; nobody heard
            return stored

    store = AnswerLost(tmp_path / "checkin.db")
    echo = Device(skill_builder(store).lambda_handler(), COUPLE_ID, clock=clock)
    lines = ["Alexa, start our check-in", "we are Sam and Alex", "yes", "yes"]
    for line in lines:
        echo.hear(line)
    store.lose = 1
    turn = echo.hear("next")
    assert "Sam" in turn.speech and "Alex, your turn" not in turn.speech
    record = store.load(household_key(COUPLE_ID))
    assert record is not None
    assert record.state == reference_state([*lines, "next"], clock)
    assert "Alex" in echo.hear("next").speech


# --- finding 8: the SQLite file is private -------------------------------------------------


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_finding_8_a_new_sqlite_file_is_0600_in_a_0700_folder(tmp_path: Path, monkeypatch) -> None:
    from skill.store import default_db_path
    from skill.store.sqlite import SqliteStore

    monkeypatch.delenv("CHECKIN_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(os, "umask", os.umask)  # restored below whatever happens
    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755
    try:
        path = default_db_path()
        store = SqliteStore(path)
        store.save("household-a", {"v": 3, "names": ["Sam", "Alex"]}, None)
    finally:
        os.umask(old)
    assert mode_of(path.parent) == 0o700
    for name in (path, *path.parent.glob(path.name + "-*")):  # the WAL and shared-memory files
        assert mode_of(name) == 0o600, name


def test_finding_8_an_existing_sqlite_file_is_tightened_on_open(tmp_path: Path) -> None:
    from skill.store.sqlite import SqliteStore

    folder = tmp_path / "our-checkin"
    folder.mkdir(mode=0o755)
    path = folder / "checkin.db"
    SqliteStore(path).save("household-a", {"v": 3}, None)
    os.chmod(path, 0o644)
    os.chmod(folder, 0o755)
    store = SqliteStore(path)
    assert store.load("household-a") is not None
    assert mode_of(path) == 0o600
    assert mode_of(folder) == 0o700  # the skill's own folder


def test_finding_8_a_folder_the_operator_chose_is_left_as_it_is(tmp_path: Path) -> None:
    """CHECKIN_DB may name a file in a shared folder (/srv, /tmp): the file is made private,
    the folder is not the skill's to change."""
    from skill.store.sqlite import SqliteStore

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    SqliteStore(shared / "household.db")
    assert mode_of(shared / "household.db") == 0o600
    assert mode_of(shared) == 0o755
