"""What the logs say: one JSON line per request, useful to an operator, and never a name or
anything a partner said."""

from __future__ import annotations

import json
import logging

import pytest

from skill.console.device import Device
from tests.conftest import meet

NAMES = ("Zoë", "Bartholomew")


def json_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "checkin"]


def test_every_request_logs_one_json_line_with_intent_phase_outcome_and_latency(
    echo: Device, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="checkin")
    meet(echo, "we are Zoë and Bartholomew")
    echo.hear("yes")
    echo.hear("next")
    echo.hear("skip")
    echo.hear("stop")
    lines = json_lines(caplog)
    assert len(lines) == 7
    intents = [line.get("intent") for line in lines]
    assert intents[:3] == [None, "NamesIntent", "AMAZON.YesIntent"]
    assert intents[-1] == "AMAZON.StopIntent"
    for line in lines:
        assert {"request", "event", "phase", "outcome", "ms"} <= set(line)
        assert isinstance(line["ms"], float)


def test_no_log_line_holds_a_name_or_what_was_said(
    echo: Device, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    meet(echo, "we are Zoë and Bartholomew")
    echo.hear("yes")
    echo.hear("next")
    echo.hear("Bartholomew wants to go first")
    echo.hear("purple elephants dancing")
    echo.hear("forget us")
    echo.hear("yes")
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (*NAMES, "bartholomew", "elephants", "test-couple"):
        assert secret not in everything
