"""The embedded store: one SQLite file, for local runs and self-hosting on one machine."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.store.base import Conflict, Record, StoreUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS households (
    household TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    writer TEXT
)
"""


class SqliteStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(households)")}
            if "writer" not in columns:  # a file made before writes carried a token
                db.execute("ALTER TABLE households ADD COLUMN writer TEXT")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=5)
        except sqlite3.Error as error:
            raise StoreUnavailable(type(error).__name__) from error
        try:
            with db:
                yield db
        except sqlite3.OperationalError as error:
            raise StoreUnavailable(type(error).__name__) from error
        finally:
            db.close()

    def load(self, household: str) -> Record | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT state, version, writer FROM households WHERE household = ?", (household,)
            ).fetchone()
        if row is None:
            return None
        try:
            state = json.loads(row[0])
        except ValueError:
            state = {"damaged": True}
        return Record(state if isinstance(state, dict) else {"damaged": True}, row[1], row[2])

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: str | None = None
    ) -> int:
        text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.connect() as db:
            if version is None:
                try:
                    db.execute(
                        "INSERT INTO households (household, version, state, updated_at, writer)"
                        " VALUES (?, 1, ?, ?, ?)",
                        (household, text, now, token),
                    )
                except sqlite3.IntegrityError as error:
                    raise Conflict("record exists") from error
                return 1
            cursor = db.execute(
                "UPDATE households SET version = version + 1, state = ?, updated_at = ?,"
                " writer = ? WHERE household = ? AND version = ?",
                (text, now, token, household, version),
            )
            if cursor.rowcount != 1:
                raise Conflict("version changed")
            return version + 1

    def delete(self, household: str) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM households WHERE household = ?", (household,))
