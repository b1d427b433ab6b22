"""An in-process store with the same rules, for tests and benchmarks."""

from __future__ import annotations

import copy
import threading
from typing import Any

from skill.store.base import Conflict, Record


class MemoryStore:
    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()
        self.writes = 0
        self.reads = 0

    def load(self, household: str) -> Record | None:
        with self.lock:
            self.reads += 1
            record = self.records.get(household)
            return Record(copy.deepcopy(record.state), record.version) if record else None

    def save(self, household: str, state: dict[str, Any], version: int | None) -> int:
        with self.lock:
            current = self.records.get(household)
            if (current.version if current else None) != version:
                raise Conflict("version changed")
            self.writes += 1
            new_version = (version or 0) + 1
            self.records[household] = Record(copy.deepcopy(state), new_version)
            return new_version

    def delete(self, household: str) -> None:
        with self.lock:
            self.records.pop(household, None)
