"""One request's I/O: read the household's state once per session, run the engine, write
only when the state changed, and carry the state in session attributes between requests."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content
from skill.engine.conversation import Outcome, handle
from skill.engine.events import Event
from skill.engine.schema import load_state
from skill.engine.state import State
from skill.engine.variants import pick
from skill.store.base import Conflict, Store, StoreUnavailable, household_key

log = logging.getLogger("checkin")
MAX_CONFLICT_RETRIES = 3


@dataclass
class Loaded:
    state: State
    version: int | None
    damaged: bool = False  # the stored state could not be read and was reset
    dirty: bool = False  # changed since the last successful write


def request_time(handler_input: HandlerInput) -> datetime:
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.now(UTC)


def user_id(handler_input: HandlerInput) -> str:
    envelope = handler_input.request_envelope
    system = getattr(getattr(envelope, "context", None), "system", None)
    user = getattr(system, "user", None) or getattr(
        getattr(envelope, "session", None), "user", None
    )
    return getattr(user, "user_id", None) or "anonymous"


def from_record(state: Any, version: int | None) -> Loaded:
    loaded, damaged = load_state(state)
    return Loaded(loaded, version, damaged=damaged)


def load(handler_input: HandlerInput, store: Store) -> Loaded:
    """Session attributes first; the store only at the first request of a session."""
    attributes = handler_input.attributes_manager.session_attributes
    if isinstance(attributes.get("state"), dict):
        loaded = from_record(attributes["state"], attributes.get("version"))
        loaded.dirty = bool(attributes.get("dirty"))
        return loaded
    try:
        record = store.load(household_key(user_id(handler_input)))
    except StoreUnavailable as error:
        log.warning('{"store": "load failed", "error": "%s"}', type(error.__cause__).__name__)
        return Loaded(State(), None)
    if record is None:
        return Loaded(State(), None)
    loaded = from_record(record.state, record.version)
    # A yes/no question left unanswered belongs to its session: a "yes" in a later session
    # must not confirm it (least of all "forget us").
    loaded.state = loaded.state.replace(asking="")
    return loaded


class Household:
    """Runs one event for the household behind a request."""

    def __init__(self, handler_input: HandlerInput, store: Store, content: Content) -> None:
        self.input = handler_input
        self.store = store
        self.content = content
        self.key = household_key(user_id(handler_input))
        self.now = request_time(handler_input)

    def run(self, event: Event) -> tuple[Outcome, Loaded]:
        loaded = load(self.input, self.store)
        damaged = loaded.damaged
        outcome = handle(loaded.state, event, self.now, self.content)
        if outcome.forget:
            self.forget(loaded)
        elif outcome.state != loaded.state or loaded.dirty:
            outcome, loaded = self.save(event, outcome, loaded)
        if damaged:
            apology = pick(self.content.phrases["state_reset"], self.key)
            outcome = replace(
                outcome, reply=replace(outcome.reply, speech=(apology, *outcome.reply.speech))
            )
        self.remember(outcome.state, loaded)
        return outcome, loaded

    def save(self, event: Event, outcome: Outcome, loaded: Loaded) -> tuple[Outcome, Loaded]:
        """Write over the version read; on a conflict, re-read and re-apply the event."""
        for _ in range(MAX_CONFLICT_RETRIES):
            try:
                version = self.store.save(self.key, outcome.state.to_dict(), loaded.version)
                return outcome, Loaded(outcome.state, version)
            except Conflict:
                record = self.store.load(self.key)
                loaded = (
                    from_record(record.state, record.version) if record else Loaded(State(), None)
                )
                outcome = handle(loaded.state, event, self.now, self.content)
            except StoreUnavailable as error:
                log.warning(
                    '{"store": "save failed", "error": "%s"}', type(error.__cause__).__name__
                )
                break
        if outcome.reply.end_session:
            note = pick(self.content.phrases["save_failed"], self.key)
            outcome = replace(
                outcome, reply=replace(outcome.reply, speech=(*outcome.reply.speech, note))
            )
        return outcome, Loaded(outcome.state, loaded.version, dirty=True)

    def forget(self, loaded: Loaded) -> None:
        try:
            self.store.delete(self.key)
        except StoreUnavailable as error:
            log.warning('{"store": "delete failed", "error": "%s"}', type(error.__cause__).__name__)
            raise
        loaded.version = None

    def remember(self, state: State, loaded: Loaded) -> None:
        attributes = self.input.attributes_manager.session_attributes
        attributes["state"] = state.to_dict()
        attributes["version"] = loaded.version
        attributes["dirty"] = loaded.dirty

    def flush(self) -> None:
        """At session end: write what an earlier failure left unsaved."""
        loaded = load(self.input, self.store)
        if not loaded.dirty:
            return
        try:
            self.store.save(self.key, loaded.state.to_dict(), loaded.version)
        except Conflict:
            pass  # a newer state is stored: never overwrite it with an older one
        except StoreUnavailable as error:
            log.warning('{"store": "save failed", "error": "%s"}', type(error.__cause__).__name__)
