"""Shared fixtures: the real Lambda entry point on a fresh SQLite file, a clock the tests
move by hand, and simulated Echo devices that turn typed lines into Alexa requests."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.console.device import Device
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
