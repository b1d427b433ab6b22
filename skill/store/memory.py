"""An in-process store with the same rules, for tests and benchmarks.

Like the real stores it keeps the state as JSON text, so that nobody shares a live dict."""

from __future__ import annotations

import json
import threading
from typing import Any

from skill.store.base import Conflict, Record, read_state


class MemoryStore:
    def __init__(self) -> None:
        # household -> (JSON text, version, token of the write)
        self.records: dict[str, tuple[str, int, str | None]] = {}
        self.lock = threading.Lock()
        self.writes = 0
        self.reads = 0

    def load(self, household: str) -> Record | None:
        with self.lock:
            self.reads += 1
            record = self.records.get(household)
            return Record(read_state(record[0]), record[1], record[2]) if record else None

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: str | None = None
    ) -> int:
        with self.lock:
            current = self.records.get(household)
            if (current[1] if current else None) != version:
                raise Conflict("version changed")
            self.writes += 1
            new_version = (version or 0) + 1
            self.records[household] = (json.dumps(state), new_version, token)
            return new_version

    def put(self, household: str, state: Any, version: int) -> None:
        """Store anything as it is (tests use it to plant damaged or foreign records)."""
        with self.lock:
            self.records[household] = (json.dumps(state), version, None)

    def delete(self, household: str) -> None:
        with self.lock:
            self.records.pop(household, None)
