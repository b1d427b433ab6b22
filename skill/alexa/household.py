"""One request's I/O: read the household's state once per session, run the engine, write
only when the state changed, and carry the state in session attributes between requests.

Every turn's store work shares one budget (TURN_BUDGET_SECONDS, skill/store/config.py), so
that the couple hears an answer within TURN_ANSWER_SECONDS whatever the store does. Every
write carries a token: a conflict caused by our own earlier write (it landed, its answer was
lost) is recognised and the command is not applied again."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ask_sdk_core.handler_input import HandlerInput

from skill import oplog
from skill.content.model import Content
from skill.engine.conversation import Outcome, after_call, handle
from skill.engine.effects import CallReminders
from skill.engine.events import Event
from skill.engine.reply import Reply
from skill.engine.schema import load_state
from skill.engine.state import State
from skill.engine.variants import pick
from skill.store.base import Conflict, Store, StoreUnavailable, household_key
from skill.store.config import CALL_DEADLINE, TURN_BUDGET_SECONDS
from skill.store.deadline import turn_budget, turn_left

MAX_CONFLICT_RETRIES = 3

Calls = Callable[[CallReminders, State], Event]
"""Carries out a call the engine asked for (the Reminders API) and returns its result as the
engine event that reports it (REMINDER_DONE)."""


def log_store_error(operation: str, error: Exception) -> None:
    """The operation and the error's type only: never a key, a name or a state."""
    cause = str(error) or type(error.__cause__).__name__
    oplog.warning({"store": f"{operation} failed", "error": cause})


class Loaded(NamedTuple):
    state: State
    version: int | None
    damaged: bool = False  # the stored state could not be read and was reset
    dirty: bool = False  # changed since the last successful write
    unavailable: bool = False  # the store could not be read at the start of the session
    written: dict[str, Any] | None = None  # the stored form of `state`, when just written


def request_time(handler_input: HandlerInput) -> datetime:
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.now(UTC)


def request_locale(handler_input: HandlerInput) -> str:
    """The request's locale ("en-GB"); en-US when a request carries none."""
    locale = getattr(handler_input.request_envelope.request, "locale", None)
    return locale if isinstance(locale, str) and locale else "en-US"


def user_id(handler_input: HandlerInput) -> str:
    envelope = handler_input.request_envelope
    system = getattr(getattr(envelope, "context", None), "system", None)
    user = getattr(system, "user", None) or getattr(
        getattr(envelope, "session", None), "user", None
    )
    return getattr(user, "user_id", None) or "anonymous"


def writer_token(handler_input: HandlerInput) -> str:
    """This session's token for its writes: a hash of the Alexa sessionId (the same for every
    request of the session, SessionEndedRequest included), or a random one without it."""
    session = getattr(handler_input.request_envelope, "session", None)
    session_id = getattr(session, "session_id", None)
    if not isinstance(session_id, str) or not session_id:
        return uuid.uuid4().hex
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:24]


# The states this process sent in its last answers, by their JSON text: the next request of
# a session (often on the same warm container) carries that text back, and reading it again
# would cost a JSON parse and a field-by-field check. A state is immutable, so sharing it is
# safe; the text is the key, so a changed text is always read afresh.
SENT: dict[str, State] = {}
SENT_KEPT = 64


def session_state(attributes: dict[str, Any]) -> Any:
    """The state carried in session attributes (JSON text), or None when unreadable."""
    try:
        return json.loads(attributes["state"])
    except (TypeError, ValueError, RecursionError):
        return None


def with_speech(outcome: Outcome, *speech: Any) -> Outcome:
    return outcome._replace(reply=outcome.reply._replace(speech=tuple(speech)))


def from_record(state: Any, version: int | None) -> Loaded:
    loaded, damaged = load_state(state)
    return Loaded(loaded, version, damaged=damaged)


def in_session(handler_input: HandlerInput) -> bool:
    """The audio player's reports and buttons come without a session: nothing is carried."""
    return getattr(handler_input.request_envelope, "session", None) is not None


def load(handler_input: HandlerInput, store: Store) -> Loaded:
    """Session attributes first; the store only at the first request of a session."""
    attributes = (
        handler_input.attributes_manager.session_attributes if in_session(handler_input) else {}
    )
    if "state" in attributes:
        version = attributes.get("version")
        version = version if type(version) is int else None  # a stale guess only re-reads
        dirty = attributes.get("dirty") is True
        carried = SENT.get(attributes["state"]) if type(attributes["state"]) is str else None
        if carried is not None:  # the text this process sent with its last answer
            return Loaded(carried, version, dirty=dirty)
        loaded = from_record(session_state(attributes), version)
        return loaded._replace(dirty=dirty)
    try:
        record = store.load(household_key(user_id(handler_input)))
    except StoreUnavailable as error:
        log_store_error("load", error)
        return Loaded(State(), None, unavailable=True)
    if record is None:
        return Loaded(State(), None)
    loaded = from_record(record.state, record.version)
    # A yes/no question left unanswered belongs to its session: a "yes" in a later session
    # must not confirm it (least of all "forget us").
    return loaded._replace(state=loaded.state.replace(asking=""))


class Household:
    """Runs one event for the household behind a request."""

    def __init__(
        self,
        handler_input: HandlerInput,
        store: Store,
        content: Content,
        audio: bool = False,
        calls: Calls | None = None,
    ) -> None:
        self.input = handler_input
        self.store = store
        self.content = content
        self.audio = audio  # the device can play a hosted meditation
        self.calls = calls
        self.results: dict[CallReminders, Event] = {}  # a call is made once per request
        self.key = household_key(user_id(handler_input))
        self.now = request_time(handler_input)
        self.locale = request_locale(handler_input)
        self.writer = writer_token(handler_input)

    def run(self, event: Event) -> tuple[Outcome, Loaded]:
        with turn_budget(TURN_BUDGET_SECONDS):
            return self._run(event)

    def _run(self, event: Event) -> tuple[Outcome, Loaded]:
        loaded = load(self.input, self.store)
        if loaded.unavailable:  # nothing to continue from, and nothing must be overwritten
            return self.say_only(loaded, "store_unreachable"), loaded
        outcome = self.decide(loaded.state, event)
        if outcome.forget:
            if not self.forget():
                return self.say_only(loaded, "forget_failed"), loaded
            loaded = Loaded(outcome.state, None)
        elif outcome.state != loaded.state or loaded.dirty or loaded.damaged:
            # (a damaged record is written back repaired, so the apology is said once)
            outcome, saved = self.save(event, outcome, loaded)
            loaded = saved._replace(damaged=loaded.damaged)
        if loaded.damaged:
            apology = pick(self.content.phrases["state_reset"], self.key)
            outcome = with_speech(outcome, apology, *outcome.reply.speech)
        self.remember(outcome.state, loaded)
        return outcome, loaded

    def decide(self, state: State, event: Event) -> Outcome:
        """The engine's answer; when it asks for a call (the Reminders API), the call is made
        and its result handed back to the engine, whose words follow the first answer's. A
        call is made once per request, even when a write conflict makes the event run again."""
        outcome = handle(state, event, self.now, self.content, self.locale, self.audio)
        effect = outcome.effect
        if not isinstance(effect, CallReminders) or self.calls is None:
            return outcome
        if effect not in self.results:
            self.results[effect] = self.calls(effect, outcome.state)
        return after_call(
            outcome, self.results[effect], self.now, self.content, self.locale, self.audio
        )

    def say_only(self, loaded: Loaded, key: str) -> Outcome:
        """An apology that ends the session and changes nothing stored."""
        text = pick(self.content.phrases[key], self.key)
        return Outcome(loaded.state.replace(asking=""), Reply((text,), None, True))

    def save(self, event: Event, outcome: Outcome, loaded: Loaded) -> tuple[Outcome, Loaded]:
        """Write over the version read; on a conflict, re-read and re-apply the event, so that
        a newer state written by another device is never overwritten by an older one.

        Every write carries this session's token. A conflict whose record carries it is this
        session's own write that landed while its answer was lost: what the session holds
        already includes it, so it is written over, and no command is applied twice. A store
        that did not answer is tried once more while the turn's budget allows a whole call."""
        retried = False
        for _ in range(MAX_CONFLICT_RETRIES):
            written = outcome.state.to_dict()
            try:
                version = self.write(written, loaded.version, retried)
                return outcome, Loaded(outcome.state, version, written=written)
            except Conflict:
                try:
                    record = self.store.load(self.key)
                except StoreUnavailable as error:
                    log_store_error("reload", error)
                    break
                if record is not None and record.token == self.writer:  # our own write
                    if record.state == written:  # the very write just tried: done
                        return outcome, Loaded(outcome.state, record.version, written=written)
                    loaded = loaded._replace(version=record.version)
                else:
                    loaded = (
                        from_record(record.state, record.version)
                        if record
                        else Loaded(State(), None)
                    )
                    outcome = self.decide(loaded.state, event)
            except StoreUnavailable as error:
                log_store_error("save", error)
                break
            retried = True
        if outcome.reply.end_session:
            outcome = with_speech(
                outcome, *outcome.reply.speech, pick(self.content.phrases["save_failed"], self.key)
            )
        return outcome, Loaded(outcome.state, loaded.version, dirty=True)

    def write(self, state: dict[str, Any], version: int | None, retried: bool) -> int:
        """One write, tried a second time if the store did not answer and the turn's budget
        still holds a whole call."""
        try:
            return self.store.save(self.key, state, version, token=self.writer)
        except StoreUnavailable as error:
            if retried or turn_left() < CALL_DEADLINE:
                raise
            log_store_error("save", error)
        return self.store.save(self.key, state, version, token=self.writer)

    def forget(self) -> bool:
        try:
            self.store.delete(self.key)
        except StoreUnavailable as error:
            log_store_error("delete", error)
            return False
        return True

    def remember(self, state: State, loaded: Loaded) -> None:
        if not in_session(self.input):
            return
        attributes = self.input.attributes_manager.session_attributes
        carried = attributes.get("state")
        if type(carried) is str and SENT.get(carried) is state:
            text = carried  # unchanged since this process sent it: the same text again
        else:
            same = loaded.written is not None and loaded.state is state
            # As JSON text: one string is far cheaper than a dict for the SDK to copy and
            # serialise on every request.
            text = json.dumps(loaded.written if same else state.to_dict())
        attributes["state"] = text
        attributes["version"] = loaded.version
        attributes["dirty"] = loaded.dirty
        SENT[text] = state
        if len(SENT) > SENT_KEPT:
            del SENT[next(iter(SENT))]

    def flush(self) -> None:
        """At session end: write what an earlier failure left unsaved."""
        with turn_budget(TURN_BUDGET_SECONDS):
            loaded = load(self.input, self.store)
            if not loaded.dirty:
                return
            written = loaded.state.to_dict()
            try:
                try:
                    self.store.save(self.key, written, loaded.version, token=self.writer)
                except Conflict:
                    record = self.store.load(self.key)
                    # Only over this session's own write (landed, unanswered): a newer state
                    # from elsewhere is never overwritten with an older one.
                    if record is not None and record.token == self.writer:
                        self.store.save(self.key, written, record.version, token=self.writer)
            except Conflict:
                pass
            except StoreUnavailable as error:
                log_store_error("save", error)
