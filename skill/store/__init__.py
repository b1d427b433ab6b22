"""Persistence behind one small interface (see base.py), chosen by the environment."""

from __future__ import annotations

import os
from pathlib import Path

from skill.store.base import Conflict, Record, Store, StoreUnavailable, Unreadable

__all__ = [
    "Conflict",
    "Record",
    "Store",
    "StoreUnavailable",
    "Unreadable",
    "default_db_path",
    "store_from_env",
]


def default_db_path() -> Path:
    """CHECKIN_DB, else a per-user file under the XDG data directory."""
    if os.environ.get("CHECKIN_DB"):
        return Path(os.environ["CHECKIN_DB"]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    from skill.store.sqlite import APP_FOLDER

    return Path(data_home) / APP_FOLDER / "checkin.db"


def store_from_env() -> Store:
    """DynamoDB when CHECKIN_TABLE names a table; otherwise the embedded SQLite file."""
    table = os.environ.get("CHECKIN_TABLE", "").strip()
    if table:
        from skill.store.dynamodb import DynamoStore

        return DynamoStore(table)
    from skill.store.sqlite import SqliteStore

    return SqliteStore(default_db_path())
