"""The store interface: one record per household, written with optimistic concurrency.

Every write names the version it read; a store refuses a write whose version is stale
(Conflict), so that two devices of one household never silently overwrite each other.

Every write also carries a token naming its writer (the Alexa session), kept with the record:
when a write's answer is lost (it timed out, yet landed) and the write is tried again, the
retry meets a Conflict caused by our own write. The token read back tells the two cases
apart, so that a command is never applied twice (issue 10, finding 6)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, NamedTuple, Protocol


class Conflict(Exception):
    """Someone else wrote this household's record since it was read."""


class StoreUnavailable(Exception):
    """The store could not be reached or did not answer in time."""


class Unreadable(NamedTuple):
    """What a store hands over for a record it cannot read as a JSON object (cut short, not
    JSON, a list...): the engine starts afresh and says sorry, once. `why` is short and holds
    nothing of the record."""

    why: str


class Record(NamedTuple):
    state: dict[str, Any] | Unreadable
    version: int
    token: str | None = None  # the token of the write that stored it


class Store(Protocol):
    def load(self, household: str) -> Record | None:
        """The household's record, or None when nothing is stored."""

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: str | None = None
    ) -> int:
        """Write the state over `version` (None: the record must not exist yet), marked with
        `token` (the writer's).

        Returns the new version. Raises Conflict when the stored version differs."""

    def delete(self, household: str) -> None:
        """Remove everything stored for the household."""


def read_state(text: Any) -> dict[str, Any] | Unreadable:
    """A stored state's JSON text as a dict, or Unreadable saying why not."""
    if not isinstance(text, str):
        return Unreadable("not text")
    try:
        state = json.loads(text)
    except (ValueError, RecursionError):
        return Unreadable("not JSON")
    return state if isinstance(state, dict) else Unreadable("not a JSON object")


@lru_cache(maxsize=256)
def household_key(user_id: str) -> str:
    """The key a household is stored under: a hash, so the raw Alexa userId is not stored.
    (Cached: every request of a session asks for it.)"""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()
