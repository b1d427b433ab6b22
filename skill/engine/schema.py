"""Loading stored state of any schema version: migrate old ones, salvage damaged ones.

Each migration takes the data of version N and returns the data of version N + 1. A stored
state is never trusted blindly: what cannot be read is reset, what can is kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from skill.engine.state import KEEP_RECENT, SCHEMA_VERSION, WEEK_BITS, State


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 kept every completed date and every asked question id; v2 keeps a summary.

    The asked ids become a new pass through the deck (some questions may come again)."""
    data = dict(data)
    days = []
    for text in data.pop("days", None) or []:
        try:
            days.append(date.fromisoformat(text))
        except (TypeError, ValueError):
            continue
    data.pop("asked", None)
    if days:
        days.sort()
        latest = days[-1]
        anchor = week_start(latest)
        bits = 0
        for day in days:
            offset = (anchor - week_start(day)).days // 7
            if 0 <= offset < WEEK_BITS:
                bits |= 1 << offset
        data["month"] = f"{latest.year:04d}-{latest.month:02d}"
        data["month_count"] = sum(
            1 for d in days if (d.year, d.month) == (latest.year, latest.month)
        )
        data["week"] = anchor.isoformat()
        data["weeks"] = bits
        data["recent"] = [d.isoformat() for d in days[-KEEP_RECENT:]]
    data["v"] = 2
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: v1_to_v2}


def load_state(data: Any) -> tuple[State, bool]:
    """The state to continue from, and whether something stored had to be dropped
    (so that the couple can be told, once, in words)."""
    if not isinstance(data, dict) or data.get("damaged"):
        return State(), True
    version = data.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        state, _ = State.parse(data)
        return state, True
    damaged = version > SCHEMA_VERSION  # written by a newer skill: keep what we understand
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            return State(), True
        try:
            data = migrate(data)
        except (TypeError, ValueError, AttributeError):
            return State(), True
        version = data["v"]
    state, dropped = State.parse(data)
    return state, damaged or bool(dropped)
