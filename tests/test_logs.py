"""What the logs say: one JSON line per request on standard output, useful to an operator,
and never a name or anything a partner said, there or in any logging record."""

from __future__ import annotations

import json
import logging

import pytest

from skill.console.device import Device
from tests.conftest import meet

NAMES = ("Zoë", "Bartholomew")


def json_lines(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """The request lines the skill wrote to standard output."""
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_every_request_logs_one_json_line_with_intent_phase_outcome_and_latency(
    echo: Device, capsys: pytest.CaptureFixture[str]
) -> None:
    meet(echo, "we are Zoë and Bartholomew")
    echo.hear("yes")
    echo.hear("next")
    echo.hear("skip")
    echo.hear("stop")
    lines = json_lines(capsys)
    assert len(lines) == 7
    intents = [line.get("intent") for line in lines]
    assert intents[:3] == [None, "NamesIntent", "AMAZON.YesIntent"]
    assert intents[-1] == "AMAZON.StopIntent"
    for line in lines:
        assert {"request", "event", "phase", "outcome", "ms"} <= set(line)
        assert isinstance(line["ms"], float)


def test_no_log_line_holds_a_name_or_what_was_said(
    echo: Device, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    meet(echo, "we are Zoë and Bartholomew")
    echo.hear("yes")
    echo.hear("next")
    echo.hear("Bartholomew wants to go first")
    echo.hear("purple elephants dancing")
    echo.hear("forget us")
    echo.hear("yes")
    everything = "\n".join(r.getMessage() for r in caplog.records) + capsys.readouterr().out
    assert everything.count('"request"') >= 8  # the request lines are there to be read
    for secret in (*NAMES, "bartholomew", "elephants", "test-couple"):
        assert secret not in everything
