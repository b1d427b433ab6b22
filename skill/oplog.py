"""Warnings and errors for operators: one JSON line each, through `logging` (logger
"checkin"), so that alerting and test captures see them.

`logging` is imported on the first line written, not before: a healthy Lambda container
never writes one, and the import costs every cold start about 14 ms. (The request log line,
written for every request, goes straight to standard output: skill/alexa/requestlog.py.)
Callers pass only outcomes, error types and timings: never a name, a userId or words said."""

from __future__ import annotations

import json
import os
from typing import Any

LOGGER = "checkin"
_logger: Any = None


def logger() -> Any:
    """The "checkin" logger, at $LOG_LEVEL when that is set (and valid)."""
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger(LOGGER)
        level = os.environ.get("LOG_LEVEL", "").strip().upper()
        if level in logging.getLevelNamesMapping():
            _logger.setLevel(level)
    return _logger


def warning(fields: dict[str, Any]) -> None:
    logger().warning(json.dumps(fields))


def error(fields: dict[str, Any]) -> None:
    logger().error(json.dumps(fields))
