"""Shared fixtures: the real Lambda entry point on a fresh SQLite file, a clock the tests
move by hand, and simulated Echo devices that turn typed lines into Alexa requests."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.console.device import Device, Turn
from skill.console.matcher import UtteranceMatcher

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "interaction_models" / "en-US.json"
COUPLE_ID = "amzn1.ask.account.test-couple"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def load_lambda_module(name: str = "lambda_function_under_test") -> Any:
    """A fresh import of lambda/lambda_function.py, as a new Lambda container would do."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "lambda" / "lambda_function.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "checkin.db"
    monkeypatch.setenv("CHECKIN_DB", str(path))
    monkeypatch.delenv("CHECKIN_TABLE", raising=False)
    monkeypatch.delenv("SKILL_ID", raising=False)
    return path


@pytest.fixture
def lambda_handler(db_path: Path) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    return load_lambda_module().lambda_handler


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content files, for tests that edit them as a writer would."""
    from skill.content.lint import FILES
    from skill.content.loader import CONTENT_DIR

    folder = tmp_path / "content"
    folder.mkdir()
    for name in FILES:
        shutil.copy(CONTENT_DIR / name, folder / name)
    return folder


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))  # a Monday evening


@pytest.fixture(scope="session")
def matcher() -> UtteranceMatcher:
    return UtteranceMatcher.from_file(MODEL)


@pytest.fixture
def new_device(lambda_handler, clock, matcher) -> Callable[..., Device]:
    """Another Echo of the same household (or of another, with user_id)."""

    def make(device_id: str = "amzn1.ask.device.kitchen", user_id: str = COUPLE_ID) -> Device:
        return Device(lambda_handler, user_id, device_id, matcher=matcher, clock=clock)

    return make


@pytest.fixture
def echo(new_device) -> Device:
    return new_device("amzn1.ask.device.living-room")


def meet(echo: Device, names: str = "we are Sam and Alex") -> None:
    """First run: launch, give the names, confirm them. Leaves the couple at 'Ready?'."""
    assert "first names" in echo.hear("Alexa, start our check-in").speech
    assert "right" in echo.hear(names).speech
    assert "Ready?" in echo.hear("yes").speech


END_OFFERS = ("meditate", "reminder")  # the questions the end of a check-in may leave open


def decline_offers(device: Device, turn: Turn, limit: int = 2) -> Turn:
    """After the last beat of a check-in, the couple say "no" to each offer (ten minutes of
    meditation to end with, then a weekly reminder) while the session is open and one is
    asked. Returns the last turn: the goodbye, or `turn` itself when nothing was offered."""
    for _ in range(limit + 1):
        if not device.in_session or turn.state.get("asking") not in END_OFFERS:
            return turn
        turn = device.hear("no")
    raise AssertionError(f"still offering after {limit} no's: {turn.speech}")


# --- DynamoDB: one dynalite server per test session, a fresh table per test -------------


@pytest.fixture(scope="session")
def dynalite():
    from tests.servers import Dynalite

    with Dynalite() as server:
        yield server


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, dynalite) -> str:
    """Fake credentials and the local endpoint, through the variables boto3 reads."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint)
    return dynalite.endpoint


@pytest.fixture
def dynamo_table(aws_env, request: pytest.FixtureRequest) -> str:
    import re
    import uuid

    from skill.store.dynamodb import make_client
    from skill.store.table import create_table

    name = "checkin-" + re.sub(r"[^A-Za-z0-9]", "-", request.node.name)[:40] + uuid.uuid4().hex[:6]
    create_table(make_client(), name)
    return name


@pytest.fixture
def dynamo_store(dynamo_table: str):
    from skill.store.dynamodb import DynamoStore

    return DynamoStore(dynamo_table)


# --- a local HTTPS stand-in for the request's apiEndpoint (the reminders tests) -------------


@pytest.fixture(scope="module")
def ca() -> Any:
    """A trustme CA: it issues the stand-in's certificate."""
    import trustme

    return trustme.CA()


@pytest.fixture(scope="module")
def ca_bundle(ca: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CA's certificate as a PEM file, for REQUESTS_CA_BUNDLE."""
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def api_server(ca: Any) -> Iterator[Any]:
    from tests.servers import https_stand_in

    with https_stand_in(ca) as server:
        yield server


@pytest.fixture
def api(api_server: Any, ca_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The stand-in, empty, its CA trusted by every request of the test."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_bundle))
    api_server.clear()
    yield api_server
    api_server.clear()
