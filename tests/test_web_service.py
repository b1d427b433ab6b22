"""The web service as a service: its routes and error pages, a whole dialogue through the
verified endpoint, and real servers (`checkin serve`, gunicorn) started as subprocesses."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill.console.envelopes import Session, intent_request, launch_request
from skill.console.matcher import SlotValue
from skill.store.memory import MemoryStore
from skill.web import MAX_BODY, create_app
from tests.certs import FakeFetch, Pki, shared_pki, sign
from tests.servers import free_port, stop_process_group

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHECKIN = BIN / "checkin"
GUNICORN = BIN / "gunicorn"
USER = "amzn1.ask.account.web-service-couple"
NO_VERIFY_WARNING = "Alexa request verification is OFF: development only"
SKILL_ID = "amzn1.ask.skill.our-checkin-local"  # what skill.console.envelopes.Session sends


@pytest.fixture(scope="session")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def client(pki: Pki, store: MemoryStore, clock, monkeypatch) -> FlaskClient:
    monkeypatch.delenv("SKILL_ID", raising=False)
    app = create_app(
        store,
        trusted_roots=[pki.root],
        fetch=FakeFetch.for_pki(pki),
        clock=clock,
        skill_id=SKILL_ID,
    )
    return app.test_client()


def signed_post(client: FlaskClient, pki: Pki, envelope: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(envelope).encode()
    response = client.post(
        "/alexa",
        data=body,
        headers={
            "SignatureCertChainUrl": pki.url("good.pem"),
            "Signature-256": sign(body, pki.leaf_key),
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def speech(envelope: dict[str, Any]) -> str:
    return envelope["response"]["outputSpeech"]["ssml"]


def first_name(slot: str, value: str) -> SlotValue:
    return SlotValue(slot, value, None, None, None, "AMAZON.FirstName")


# --- routes and error pages ----------------------------------------------------------------


def test_health(client: FlaskClient, store: MemoryStore) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert (store.reads, store.writes) == (0, 0)


def test_get_on_the_skill_endpoint_is_405_json(client: FlaskClient) -> None:
    response = client.get("/alexa")
    assert response.status_code == 405
    assert response.get_json() == {"error": "method not allowed"}
    assert "POST" in response.headers["Allow"]


def test_unknown_path_is_404_json(client: FlaskClient) -> None:
    response = client.post("/nowhere", data=b"{}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_dialogue_through_the_verified_endpoint(client, pki, clock, store) -> None:
    session = Session(user_id=USER)
    reply = signed_post(client, pki, launch_request(session, now=clock()))
    assert "first names" in speech(reply)
    session.absorb(reply)

    clock.advance(seconds=5)
    slots = {"firstName": first_name("firstName", "Sam")}
    slots["secondName"] = first_name("secondName", "Alex")
    reply = signed_post(client, pki, intent_request(session, "NamesIntent", slots, now=clock()))
    assert "right" in speech(reply)
    assert "Sam" in speech(reply) and "Alex" in speech(reply)
    assert reply["sessionAttributes"], "the state rides in the session attributes"
    session.absorb(reply)

    clock.advance(seconds=5)
    reply = signed_post(client, pki, intent_request(session, "AMAZON.YesIntent", now=clock()))
    assert "Ready?" in speech(reply)
    assert reply["response"].get("shouldEndSession") is not True
    assert store.writes >= 1  # the couple's names were kept


class FailingStore(MemoryStore):
    def load(self, household: str):
        raise RuntimeError("the disk is on fire")


def test_a_failing_skill_still_answers_in_words(pki, clock) -> None:
    app = create_app(
        FailingStore(),
        skill_id=SKILL_ID,
        trusted_roots=[pki.root],
        fetch=FakeFetch.for_pki(pki),
        clock=clock,
    )
    reply = signed_post(app.test_client(), pki, launch_request(Session(user_id=USER), clock()))
    assert "<speak>" in speech(reply)
    assert "fire" not in json.dumps(reply)


def test_an_unexpected_server_error_is_a_short_500(client, pki, clock, caplog) -> None:
    skill = client.application.extensions["checkin"]["skill"]

    def broken(**_: Any) -> None:
        raise RuntimeError("secret details")

    skill.invoke = broken
    body = json.dumps(launch_request(Session(user_id=USER), now=clock())).encode()
    headers = {
        "SignatureCertChainUrl": pki.url("good.pem"),
        "Signature-256": sign(body, pki.leaf_key),
    }
    response = client.post("/alexa", data=body, headers=headers)
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error"}
    text = response.get_data(as_text=True) + caplog.text
    assert "secret details" not in text and "Traceback" not in text


# --- real servers ----------------------------------------------------------------------


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CHECKIN_TABLE", "SKILL_ID"}}
    env["CHECKIN_DB"] = str(tmp_path / "checkin.db")
    env["PYTHONUNBUFFERED"] = "1"
    env["SKILL_ID"] = SKILL_ID  # with verification on, the service refuses to start without
    return env


def get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def running(
    command: list[str],
    port: int,
    tmp_path: Path,
    timeout: float = 20.0,
    env: dict[str, str] | None = None,
) -> Iterator[Path]:
    """Start ``command``, wait until GET /health answers 200, yield its log file, stop it."""
    log_path = tmp_path / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env if env is not None else server_env(tmp_path),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text()}")
            with contextlib.suppress(OSError):
                if get(f"http://127.0.0.1:{port}/health", timeout=1)[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"server did not answer /health in {timeout} s:\n{log_path.read_text()}"
                )
            time.sleep(0.1)
        yield log_path
    finally:
        stop_process_group(process)


def test_serve_without_verification_refuses_a_public_host(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CHECKIN), "serve", "--no-verify", "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=ROOT,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert NO_VERIFY_WARNING in result.stderr
    assert "refusing to serve without request verification on 0.0.0.0" in result.stderr
    assert "listening" not in result.stdout


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2", "::1"])
def test_loopback_hosts_are_loopback(host: str) -> None:
    from skill.cli import is_loopback

    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com", ""])
def test_other_hosts_are_not_loopback(host: str) -> None:
    from skill.cli import is_loopback

    assert not is_loopback(host)


def test_serve_without_verification_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    command = [str(CHECKIN), "serve", "--no-verify", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port, tmp_path) as log:
        envelope = launch_request(Session(user_id=USER))
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/alexa",
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = json.loads(response.read())
        assert "first names" in speech(reply)
        output = log.read_text()
    assert f"WARNING: {NO_VERIFY_WARNING}" in output
    assert f"http://127.0.0.1:{port}/alexa" in output


def test_serve_any_skill_on_loopback_starts_without_a_skill_id(tmp_path: Path) -> None:
    """Issue 10, finding 1: --any-skill is the explicit way to develop without SKILL_ID."""
    port = free_port()
    command = [str(CHECKIN), "serve", "--any-skill", "--host", "127.0.0.1", "--port", str(port)]
    env = {k: v for k, v in server_env(tmp_path).items() if k != "SKILL_ID"}
    with running(command, port, tmp_path, env=env) as log:
        assert get(f"http://127.0.0.1:{port}/health")[0] == 200
        output = log.read_text()
    assert "verification on" in output


def test_serve_verifies_requests_over_real_http(tmp_path: Path) -> None:
    port = free_port()
    command = [str(CHECKIN), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port, tmp_path) as log:
        envelope = launch_request(Session(user_id=USER))
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/alexa", data=json.dumps(envelope).encode()
        )
        status, body = post_for_status(request)
        assert status == 400
        assert json.loads(body) == {"error": "missing SignatureCertChainUrl header"}

        # A chunked body (no Content-Length) is cut off at the limit too.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            chunks = [b"{", b" " * MAX_BODY, b"}"]
            connection.request("POST", "/alexa", body=iter(chunks), encode_chunked=True)
            response = connection.getresponse()
            assert response.status == 400
            assert json.loads(response.read()) == {"error": "request body too large"}
        finally:
            connection.close()
        output = log.read_text()
    assert "verification on" in output
    assert NO_VERIFY_WARNING not in output
    assert '{"event": "rejected", "reason": "missing SignatureCertChainUrl header"}' in output
    assert USER not in output


def post_for_status(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_serves_the_app_factory(tmp_path: Path) -> None:
    port = free_port()
    command = [
        str(GUNICORN),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "skill.web:create_app()",
    ]
    with running(command, port, tmp_path):
        status, body = get(f"http://127.0.0.1:{port}/health")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/alexa", data=b"{}")
        status, body = post_for_status(request)
        assert (status, json.loads(body)) == (
            400,
            {"error": "missing SignatureCertChainUrl header"},
        )
    assert (tmp_path / "checkin.db").exists()  # the store came from CHECKIN_DB
