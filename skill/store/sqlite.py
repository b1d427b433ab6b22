"""The embedded store: one SQLite file, for local runs and self-hosting on one machine.

The file holds the couple's names: it is private to the user running the skill (issue 10,
finding 8). It is created 0600 (SQLite gives its -wal and -shm files the same mode) in a
folder created 0700; an existing file is tightened to 0600 on open, and so is the skill's
own folder (APP_FOLDER). A folder the operator chose with CHECKIN_DB is left as it is."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.store.base import Conflict, Record, StoreUnavailable, read_state
from skill.store.config import SQLITE_BUSY_SECONDS
from skill.store.deadline import turn_left

APP_FOLDER = "our-checkin"  # the skill's own folder under the XDG data directory
FILE_MODE = 0o600
FOLDER_MODE = 0o700

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
        make_private(self.path)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(households)")}
            if "writer" not in columns:  # a file made before writes carried a token
                db.execute("ALTER TABLE households ADD COLUMN writer TEXT")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            # The lock wait is bounded by the turn's budget too (store/config.py).
            db = sqlite3.connect(self.path, timeout=min(SQLITE_BUSY_SECONDS, turn_left()))
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
        return Record(read_state(row[0]), row[1], row[2])

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


def make_private(path: Path) -> None:
    """Create `path` (and its folder) readable by this user only, or tighten them."""
    folder = path.parent
    created = not folder.exists()
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if created or folder.name == APP_FOLDER:
        with contextlib.suppress(PermissionError):
            os.chmod(folder, FOLDER_MODE)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
    for name in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(name, FILE_MODE)
