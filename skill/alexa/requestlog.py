"""One JSON line per request, for operators: what happened, how long it took, never who or
what was said (the callers pass only intent names, phases, outcomes and timings).

The line is written straight to standard output (CloudWatch on Lambda, the service's log
elsewhere) rather than through `logging`: a logging record with its formatter costs about
50 µs, a tenth of a warm turn. Warnings and errors still go through `logging`."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

QUIET_LEVELS = frozenset({"WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "OFF"})


class RequestLog:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream  # None: whatever sys.stdout is when a line is written
        if enabled is None:
            enabled = os.environ.get("LOG_LEVEL", "INFO").strip().upper() not in QUIET_LEVELS
        self.enabled = enabled

    def __call__(self, **fields: Any) -> None:
        if not self.enabled:
            return
        stream = self.stream or sys.stdout
        stream.write(json.dumps(fields) + "\n")
        stream.flush()
