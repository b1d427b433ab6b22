"""Loading stored state of any schema version: migrate old ones, salvage damaged ones.

Each migration takes the data of version N and returns the data of version N + 1. A stored
state is never trusted blindly: what cannot be read is reset, what can is kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

from skill.engine.deck import text_of_ids
from skill.engine.state import KEEP_RECENT, SCHEMA_VERSION, WEEK_BITS, State


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 kept every completed date and every asked question id; v2 keeps a summary.

    The asked ids are kept in the compact form the whole-history deck reads (v4's `asked`):
    the questions heard are not asked again before the rest of the deck."""
    data = dict(data)
    days = []
    for text in data.pop("days", None) or []:
        try:
            days.append(date.fromisoformat(text))
        except (TypeError, ValueError):
            continue
    asked = data.pop("asked", None)
    if isinstance(asked, list) and asked:
        data["asked"] = text_of_ids(asked)
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


def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """v2 called the couple's preferred plan "length"."""
    data = dict(data)
    if "length" in data:
        data["preferred_plan"] = data.pop("length")
    data["v"] = 3
    return data


def v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """v4 added the meditation, reminder and whole-history deck fields, all optional: a v3
    record reads as it is. (The number moves so that a v3 deploy keeps what v4 wrote.)

    A v3 pass through the deck (deck_seed, deck_pos, deck_sig, deck_early) is not read any
    more: turning it back into the questions heard needs the deck it was drawn from, which
    a migration does not have. Such a couple starts a fresh round once."""
    return {**data, "v": 4}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: v1_to_v2,
    2: v2_to_v3,
    3: v3_to_v4,
}


class Restored(NamedTuple):
    """A stored record read back: the state to continue from, and whether something stored
    had to be dropped (so that the couple can be told, once, in words)."""

    state: State
    damaged: bool


def load_state(data: Any) -> Restored:
    """Anything but a dict (the stores hand over an unreadable record as a typed marker)
    starts afresh, damaged. A record of a newer schema is read for what this version
    understands and keeps the rest (State.foreign): it is not damaged."""
    if not isinstance(data, dict):
        return Restored(State(), True)
    version = data.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        state, _ = State.parse(data)
        return Restored(state, True)
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            return Restored(State(), True)
        try:
            data = migrate(data)
        except (TypeError, ValueError, AttributeError):
            return Restored(State(), True)
        version = data["v"]
    state, dropped = State.parse(data)
    return Restored(state, bool(dropped))
