"""Shared helpers for the hardening tests: what the interaction model offers, what a sound
Alexa response looks like, the states a couple can be in (snapshotted once, restored per
request), and hypothesis strategies for hostile request envelopes."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import sqlite3
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from skill.apl.screen import Button
from skill.console.envelopes import (
    Session,
    connections_response,
    intent_request,
    launch_request,
    player_request,
    screen_error,
    session_ended_request,
    user_event,
    with_screen,
)
from skill.console.matcher import ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH, SlotValue
from skill.store.base import household_key

ROOT = Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "interaction_models" / "en-US.json"
PHRASES: dict[str, list[str]] = tomllib.loads(
    (ROOT / "skill" / "content" / "phrases.toml").read_text(encoding="utf-8")
)
ERROR_PHRASES = tuple(PHRASES["error"])
RESET_PHRASES = tuple(PHRASES["state_reset"])
SESSION_END_REASONS = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


# --- the interaction model ------------------------------------------------------------------


def _language_model() -> dict[str, Any]:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


LANGUAGE_MODEL = _language_model()
INTENTS: dict[str, dict[str, str]] = {
    intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
    for intent in LANGUAGE_MODEL["intents"]
}
"""intent name -> {slot name -> slot type}, in the model's order."""
SLOT_TYPE_VALUES: dict[str, list[tuple[str, str]]] = {
    slot_type["name"]: [
        (value.get("id") or value["name"]["value"], value["name"]["value"])
        for value in slot_type["values"]
    ]
    for slot_type in LANGUAGE_MODEL.get("types", [])
}
"""custom slot type -> [(id, spoken value)], in the model's order."""
KNOWN_SLOT_IDS = frozenset(i for values in SLOT_TYPE_VALUES.values() for i, _ in values)
FIRST_NAMES = {"firstName": "Jo", "secondName": "Kim", "partner": "Alex"}


def first_name_slot(slot: str, value: str) -> SlotValue:
    return SlotValue(slot, value, None, None, None, "AMAZON.FirstName")


def custom_slot(slot: str, slot_type: str, value_id: str, spoken: str) -> SlotValue:
    return SlotValue(slot, spoken, value_id, spoken, ER_SUCCESS_MATCH, slot_type)


def unmatched_slot(slot: str, slot_type: str, spoken: str) -> SlotValue:
    return SlotValue(slot, spoken, None, None, ER_SUCCESS_NO_MATCH, slot_type)


def plausible_slot(slot: str, slot_type: str) -> SlotValue:
    """The slot type's first value for a custom type, a first name for AMAZON.FirstName."""
    if slot_type in SLOT_TYPE_VALUES:
        value_id, spoken = SLOT_TYPE_VALUES[slot_type][0]
        return custom_slot(slot, slot_type, value_id, spoken)
    if slot_type == "AMAZON.FirstName":
        return first_name_slot(slot, FIRST_NAMES.get(slot, "Robin"))
    return SlotValue(slot, "something", None, None, None, slot_type)


# --- requests ---------------------------------------------------------------------------------

Build = Callable[[Session, datetime], dict[str, Any]]


@dataclass(frozen=True)
class Ask:
    """One request of the matrix: a label and how to build its envelope."""

    label: str
    build: Build
    # A SessionEndedRequest, or a report or button of the audio player: no speech, card or
    # reprompt may answer it (the audio player's may carry its own directives)
    silent: bool = False


def say(intent: str, slots: dict[str, SlotValue] | None = None) -> Build:
    return lambda session, now: intent_request(session, intent, slots, now=now)


def launch() -> Build:
    return lambda session, now: launch_request(session, now)


def touch(arguments: list[Any]) -> Build:
    return lambda session, now: with_screen(user_event(session, arguments, now))


def screen_trouble() -> Build:
    return lambda session, now: with_screen(screen_error(session, now))


def player(request_type: str, token: str, offset: int = 252_000) -> Build:
    """A report of the audio player, or one of its buttons: no session."""
    return lambda session, now: player_request(session, request_type, token, offset, now)


def consent(status: str) -> Build:
    return lambda session, now: connections_response(session, status, now=now)


def meditation_token() -> str:
    """The token of the meditation "a meditation" plays (the ten-minute one)."""
    from skill.content.loader import default_content

    track = next(t for t in default_content().meditations.values() if t.minutes == 10)
    return f"{track.id}.{track.version}"


PLAYER_REQUESTS = (
    "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackNearlyFinished",
    "AudioPlayer.PlaybackStopped",
    "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackFailed",
    "PlaybackController.PlayCommandIssued",
    "PlaybackController.PauseCommandIssued",
    "PlaybackController.NextCommandIssued",
    "PlaybackController.PreviousCommandIssued",
)


def session_ended(reason: str) -> Build:
    error = {"type": "INTERNAL_SERVICE_ERROR", "message": "An error"} if reason == "ERROR" else None
    return lambda session, now: session_ended_request(session, reason, error, now)


def model_requests(unknown_intent: str = "OrderPizzaIntent") -> list[Ask]:
    """Every intent of the model without slots, with each slot filled, with all slots filled;
    a launch, a session end for each reason, and an intent the model does not know."""
    asks: list[Ask] = []
    for intent, slots in INTENTS.items():
        asks.append(Ask(intent, say(intent)))
        filled = {slot: plausible_slot(slot, slot_type) for slot, slot_type in slots.items()}
        for slot, value in filled.items():
            asks.append(Ask(f"{intent}({slot}={value.value})", say(intent, {slot: value})))
        if len(filled) > 1:
            label = ", ".join(f"{slot}={value.value}" for slot, value in filled.items())
            asks.append(Ask(f"{intent}({label})", say(intent, filled)))
    asks.append(Ask("LaunchRequest", launch()))
    for button in Button:
        asks.append(Ask(f"UserEvent({button})", touch(["button", button.value])))
    asks.append(Ask("UserEvent(unknown arguments)", touch(["slider", 7])))
    asks.append(Ask("APL RuntimeError", screen_trouble(), True))
    for reason in SESSION_END_REASONS:
        asks.append(Ask(f"SessionEndedRequest({reason})", session_ended(reason), True))
    token = meditation_token()
    for request_type in PLAYER_REQUESTS:
        asks.append(Ask(request_type, player(request_type, token), True))
    asks.append(
        Ask("AudioPlayer.PlaybackStopped (another stream)", player(PLAYER_REQUESTS[2], "x.1"), True)
    )
    for status in ("ACCEPTED", "DENIED", "NOT_ANSWERED"):
        asks.append(Ask(f"Connections.Response({status})", consent(status)))
    assert unknown_intent not in INTENTS
    asks.append(Ask(f"{unknown_intent} (not in the model)", say(unknown_intent)))
    return asks


# --- what a sound response is -----------------------------------------------------------------

BREAK_TAG = re.compile(r'<break time="(\d+)(ms|s)"/>')
ANY_TAG = re.compile(r"<[^>]*>")


def skill_tag(tag: str) -> bool:
    """<speak>, </speak>, or a break the skill itself writes (10 s at most)."""
    if tag in ("<speak>", "</speak>"):
        return True
    found = BREAK_TAG.fullmatch(tag)
    if not found:
        return False
    millis = int(found.group(1)) * (1 if found.group(2) == "ms" else 1000)
    return 0 < millis <= 10_000


# What only a Python traceback writes (a couple may well be called Traceback, or say "file").
TRACEBACK_MARKERS = ("Traceback (most recent call last)", '", line ')


def _ssml_problems(where: str, ssml: Any) -> list[str]:
    if not isinstance(ssml, str):
        return [f"{where}: no SSML string"]
    problems = []
    if not (ssml.startswith("<speak>") and ssml.endswith("</speak>")):
        problems.append(f"{where}: not inside <speak>...</speak>: {ssml[:80]!r}")
    try:
        ET.fromstring(ssml)
    except ET.ParseError as error:
        problems.append(f"{where}: not well-formed XML ({error}): {ssml[:120]!r}")
    foreign = [tag for tag in ANY_TAG.findall(ssml) if not skill_tag(tag)]
    if foreign:
        problems.append(f"{where}: markup the skill does not write: {foreign[:3]}")
    return problems


def speech_text(response: dict[str, Any], key: str = "outputSpeech") -> str:
    body = response.get("response") or {}
    speech = body.get(key) or {}
    if key == "reprompt":
        speech = speech.get("outputSpeech") or {}
    return ANY_TAG.sub(" ", speech.get("ssml") or "")


def response_problems(
    response: Any, *, silent: bool, spoken: bool | None = None, apology_ok: bool = False
) -> list[str]:
    """What is wrong with a response envelope ([] for a sound one).

    silent: a SessionEndedRequest (or a request type the skill ignores): no speech allowed.
    spoken: the request must be answered in words (LaunchRequest, IntentRequest); None when
    either may be right (a fuzzed request).
    apology_ok: the generic error apology is a fair answer (a request no device would send)."""
    if not isinstance(response, dict):
        return [f"not a dict: {type(response).__name__}"]
    problems = []
    if response.get("version") != "1.0":
        problems.append(f"version is {response.get('version')!r}")
    body = response.get("response")
    if not isinstance(body, dict):
        return [*problems, "no response object"]
    # What the skill says or shows (the session attributes carry back what the request
    # brought, a newer record's unknown fields included, and are never shown to anyone).
    text = json.dumps(body, ensure_ascii=False)
    if any(marker in text for marker in TRACEBACK_MARKERS):
        problems.append("a stack trace in the response")
    speech = body.get("outputSpeech")
    if silent:
        for key in ("outputSpeech", "card", "reprompt"):
            if body.get(key) is not None:
                problems.append(f"{key} answers a request that allows none")
        for directive in body.get("directives") or []:
            if not str(directive.get("type", "")).startswith("AudioPlayer."):
                problems.append(f"a {directive.get('type')} directive where none is allowed")
        return problems
    plays = any(
        str(d.get("type", "")).startswith("AudioPlayer.") for d in body.get("directives") or []
    )
    if spoken and speech is None and not plays:  # (pause, resume: the player's directive)
        problems.append("no outputSpeech")
    if speech is None:
        return problems
    if speech.get("type") != "SSML":
        problems.append(f"outputSpeech type is {speech.get('type')!r}")
    problems += _ssml_problems("outputSpeech", speech.get("ssml"))
    if not speech_text(response).strip():
        problems.append("outputSpeech says nothing")
    if "{" in speech_text(response) or "}" in speech_text(response):
        problems.append("an unfilled placeholder in the speech")
    # (an AskFor permission request hands the conversation to Alexa: no reprompt of ours)
    hands_over = any(
        d.get("type") == "Connections.SendRequest" for d in body.get("directives") or []
    )
    if body.get("shouldEndSession") is not True and not hands_over:
        reprompt = (body.get("reprompt") or {}).get("outputSpeech")
        if not reprompt:
            problems.append("the session stays open without a reprompt")
        else:
            problems += _ssml_problems("reprompt", reprompt.get("ssml"))
    for apology in () if apology_ok else ERROR_PHRASES:
        if apology in speech_text(response) or apology in speech_text(response, "reprompt"):
            problems.append(f"the generic error apology: {apology!r}")
    return problems


def _error_line(text: str) -> bool:
    try:
        line = json.loads(text)
    except ValueError:
        return False
    return isinstance(line, dict) and line.get("outcome") == "error"


def error_outcomes(records: Iterable[logging.LogRecord], stdout: str = "") -> list[str]:
    """The {"outcome": "error"} lines: the generic error handler ran. They come as records of
    logger "checkin" and, for the request log written straight to standard output, as lines
    of ``stdout``."""
    found = [
        record.getMessage()
        for record in records
        if record.name.split(".")[0] == "checkin" and _error_line(record.getMessage())
    ]
    found += [line for line in stdout.splitlines() if _error_line(line)]
    return found


# --- states of a household: snapshotted once, restored for every request -------------------


@dataclass(frozen=True)
class Snapshot:
    """A household's situation: the session attributes Alexa would send (None: a new session),
    the stored record (state dict, version; None: nothing stored), and the request time."""

    name: str
    attributes: dict[str, Any] | None
    record: tuple[dict[str, Any], int] | None
    now: datetime

    @property
    def state(self) -> dict[str, Any]:
        if self.attributes is not None:
            state = self.attributes["state"]
            return json.loads(state) if isinstance(state, str) else state  # text or object
        return self.record[0] if self.record else {}

    @property
    def phase(self) -> str:
        return self.state.get("phase", "new")

    def later(self, name: str, **delta: float) -> Snapshot:
        """The same household coming back in a new session, some time later."""
        return Snapshot(name, None, self.record, self.now + timedelta(**delta))


class SqliteRig:
    """Drives a Lambda handler that runs on the SQLite file ``db_path``, for one userId: a
    snapshot is restored by writing its record straight into the households table and by
    sending its session attributes."""

    def __init__(
        self, handler: Handler, db_path: Path, user_id: str, locale: str = "en-US"
    ) -> None:
        self.handler = handler
        self.db_path = db_path
        self.user_id = user_id
        self.locale = locale  # every request carries it, as a device set to it would
        self.key = household_key(user_id)

    def restore(self, snapshot: Snapshot) -> None:
        with sqlite3.connect(self.db_path) as db:
            db.execute("DELETE FROM households WHERE household = ?", (self.key,))
            if snapshot.record is not None:
                state, version = snapshot.record
                db.execute(
                    "INSERT INTO households (household, version, state, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    (self.key, version, json.dumps(state), snapshot.now.isoformat()),
                )
        # the handler's store opens its own connection for every call

    def record(self) -> tuple[dict[str, Any], int] | None:
        with sqlite3.connect(self.db_path) as db:
            row = db.execute(
                "SELECT state, version FROM households WHERE household = ?", (self.key,)
            ).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def envelope(self, snapshot: Snapshot, build: Build) -> dict[str, Any]:
        attributes = snapshot.attributes
        session = Session(
            user_id=self.user_id,
            device_id="amzn1.ask.device.matrix",
            attributes=copy.deepcopy(attributes) if attributes is not None else {},
            new=attributes is None,
            locale=self.locale,
        )
        return build(session, snapshot.now)

    def send(self, snapshot: Snapshot, build: Build) -> dict[str, Any]:
        self.restore(snapshot)
        return self.handler(self.envelope(snapshot, build), None)

    def report(self, snapshot: Snapshot, name: str, build: Build) -> Snapshot:
        """The snapshot after a request that allows no words (the audio player's)."""
        response = self.send(snapshot, build)
        problems = response_problems(response, silent=True)
        if problems:
            raise AssertionError(f"reaching {name!r}: {problems}")
        return Snapshot(name, None, self.record(), snapshot.now)

    def step(self, snapshot: Snapshot, name: str, build: Build) -> Snapshot:
        """The snapshot after one request from ``snapshot``."""
        response = self.send(snapshot, build)
        problems = response_problems(response, silent=False, spoken=True)
        if problems:
            raise AssertionError(f"reaching {name!r}: {problems}")
        ended = (response.get("response") or {}).get("shouldEndSession") is True
        attributes = None if ended else copy.deepcopy(response["sessionAttributes"])
        return Snapshot(name, attributes, self.record(), snapshot.now)


def _expect(snapshot: Snapshot, phase: str, asking: str = "") -> Snapshot:
    state = snapshot.state
    if state.get("phase", "new") != phase or state.get("asking", "") != asking:
        raise AssertionError(
            f"{snapshot.name!r} is in phase {state.get('phase')!r} asking "
            f"{state.get('asking', '')!r}, not {phase!r} asking {asking!r}"
        )
    return snapshot


def _beat_label(snapshot: Snapshot, title: Callable[[dict[str, Any]], str]) -> str:
    s = snapshot.state
    return (
        f"{s.get('plan', 'quick')} (check-in {s.get('started', 0)}): "
        f"step {s.get('step', 0)} beat {s.get('beat', 0)} [{title(s)}]"
    )


def walk_plan(
    rig: SqliteRig, start: Snapshot, label: str, first: Build, title: Callable[[dict], str]
) -> tuple[list[Snapshot], Snapshot]:
    """Every beat of the plan ``first`` begins, reached by saying next; then the done state."""
    beats: list[Snapshot] = []
    snapshot = rig.step(start, label, first)
    while snapshot.phase == "beat" and len(beats) < 50:
        snapshot = Snapshot(
            _beat_label(snapshot, title), snapshot.attributes, snapshot.record, snapshot.now
        )
        beats.append(snapshot)
        snapshot = rig.step(snapshot, "after " + snapshot.name, say("NextIntent"))
    # The offers at the end (a meditation to end with, a weekly reminder): kept as states of
    # their own, and declined.
    while snapshot.attributes is not None and snapshot.state.get("asking") and len(beats) < 60:
        offer = Snapshot(
            f"{label}: offer ({snapshot.state['asking']})",
            snapshot.attributes,
            snapshot.record,
            snapshot.now,
        )
        beats.append(offer)
        snapshot = rig.step(offer, "after " + offer.name, say("AMAZON.NoIntent"))
    done = _expect(snapshot, "done")
    if done.attributes is not None:
        raise AssertionError(f"the session stays open after the last beat of {label}")
    return beats, Snapshot(f"done after {label} (new session)", None, done.record, done.now)


def explore(rig: SqliteRig, now: datetime) -> list[Snapshot]:
    """Every phase and every beat a household can reach, by driving the skill itself."""
    from skill.content.loader import default_content
    from skill.engine import plan as plans
    from skill.engine.state import State

    content = default_content()

    def title(state: dict[str, Any]) -> str:
        parsed = State.from_dict(state)
        return plans.current(parsed, content).exercise.id

    quick_id, full_id = "quick", "full"
    length = {
        value_id: {"length": custom_slot("length", "CheckInLength", value_id, spoken)}
        for value_id, spoken in SLOT_TYPE_VALUES["CheckInLength"]
    }
    new = Snapshot("new household", None, None, now)
    names = _expect(rig.step(new, "names asked", launch()), "names")
    one = rig.step(
        names,
        "one name heard",
        say("NamesIntent", {"firstName": first_name_slot("firstName", "Sam")}),
    )
    one = _expect(one, "names")
    confirm = rig.step(
        one,
        "confirm_names",
        say("NamesIntent", {"firstName": first_name_slot("firstName", "Alex")}),
    )
    confirm = _expect(confirm, "confirm_names")
    ready = _expect(rig.step(confirm, "ready", say("AMAZON.YesIntent")), "ready")
    states = [new, names, one, confirm, ready]

    # The quick and the full plan, each as a couple's first and as their second check-in: the
    # closing alternates and who goes first rotates from one check-in to the next.
    quick1, quick1_done = walk_plan(rig, ready, "quick, first", say("AMAZON.YesIntent"), title)
    full2, full2_done = walk_plan(
        rig, quick1_done, "full, second", say("StartCheckInIntent", length[full_id]), title
    )
    full1, full1_done = walk_plan(
        rig, ready, "full, first", say("StartCheckInIntent", length[full_id]), title
    )
    quick2, _ = walk_plan(
        rig, full1_done, "quick, second", say("StartCheckInIntent", length[quick_id]), title
    )
    states += [*quick1, *full2, *full1, *quick2, quick1_done, full2_done]
    # Each format (a plan for tonight only), with each of its closings.
    for plan_id in (value_id for value_id in length if value_id not in (quick_id, full_id)):
        ask = say("StartCheckInIntent", length[plan_id])
        first, _ = walk_plan(rig, ready, f"{plan_id}, first", ask, title)
        second, _ = walk_plan(rig, quick1_done, f"{plan_id}, after quick", ask, title)
        states += [*first, *second]

    singles_done = []
    for exercise_id, spoken in SLOT_TYPE_VALUES["ExerciseName"]:
        slot = {"exercise": custom_slot("exercise", "ExerciseName", exercise_id, spoken)}
        beats, done = walk_plan(
            rig, ready, f"the {exercise_id} exercise", say("StartExerciseIntent", slot), title
        )
        states += beats
        singles_done.append(done)
    states.append(singles_done[0])

    # A meditation handed to the audio player, then paused (the player reports the offset).
    playing = rig.step(ready, "a meditation playing", say("MeditateIntent"))
    playing = _expect(playing, "meditation")
    paused = rig.report(
        playing, "a meditation paused", player(PLAYER_REQUESTS[2], meditation_token())
    )
    states += [playing, paused]

    pause, gratitude = quick1[0], quick1[1]
    for base in (one, confirm, ready, pause, gratitude, quick1_done, paused):
        asked = rig.step(base, f"'forget us?' pending in {base.name}", say("ForgetUsIntent"))
        states.append(_expect(asked, base.phase if base.phase != "new" else "names", "forget"))
    for base in (new, names, one, confirm, ready, pause, gratitude, quick1_done, paused):
        asked = rig.step(base, f"'support' pending in {base.name}", say("SupportIntent"))
        states.append(_expect(asked, asked.phase, "support"))

    states += [
        ready.later("ready, returning in a new session", hours=1),
        gratitude.later("mid-gratitude, resumed in a new session", hours=1),
        gratitude.later("mid-gratitude, back after two days (stale)", days=2),
        quick2[-1].later("at the closing, back in a new session", minutes=5),
    ]
    return states


@contextmanager
def production_stack(headroom: int = 1000) -> Iterator[None]:
    """Python's default recursion limit (1000), counted from here: as much stack as the Lambda
    runtime or a web server leaves the skill. Hypothesis raises the limit while it runs a
    test, which would hide a crash on deep nesting that production would meet."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + headroom)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


# --- hypothesis strategies --------------------------------------------------------------------


def fuzz_budget(share: float) -> int:
    """This test's part of FUZZ_EXAMPLES (default 2000 examples across the fuzz tests)."""
    total = int(os.environ.get("FUZZ_EXAMPLES", "2000") or 2000)
    return max(10, round(total * share))


def fuzz_settings(share: float, **more: Any) -> settings:
    """max_examples from FUZZ_EXAMPLES. The default run is derandomized, so that it finds the
    same things every time (and in CI); with FUZZ_EXAMPLES set (make fuzz), every run explores
    new inputs. One failure is reported, the smallest found, so a bug with many faces fails
    fast instead of shrinking each face."""
    return settings(
        max_examples=fuzz_budget(share),
        deadline=None,
        derandomize="FUZZ_EXAMPLES" not in os.environ,
        report_multiple_bugs=False,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
        **more,
    )


MARKUP = (
    '<break time="60s"/>',
    '<audio src="https://example.com/evil.mp3"/>',
    "</speak>",
    "<speak>",
    "<prosody rate='x-fast'>",
    '<say-as interpret-as="expletive">',
    "<![CDATA[ x ]]>",
    "<!-- -->",
    "<?xml version='1.0'?>",
    "&amp;",
    "&lt;break/&gt;",
    "&",
    "<",
    ">",
    "]]>",
)
TRICKY = (
    '"',
    "'",
    "\\",
    "\u0000",
    "\u0007",
    "\u001b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ud83d",  # a lone surrogate, as JSON can carry one in an escape
    "👩‍❤️‍👨",
    "🎉",
    "Zoë",
    "José",
    "李",
    "Ølé",
    "\U0001d56c\U0001d591\U0001d58a\U0001d59d",  # fraktur letters
    "ﷺ",
    "{speaker}",
    "{0}",
    "%s",
    "${jndi:x}",
    "\n",
    "\r\n",
    "\t",
    "Robert'); DROP TABLE households;--",
    "Traceback",
)
NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(MARKUP + TRICKY),
    st.lists(
        st.one_of(st.text(max_size=12), st.sampled_from(MARKUP + TRICKY)), min_size=2, max_size=6
    ).map("".join),
    st.tuples(st.sampled_from(["a", "Sam ", '<break time="9s"/>', "é"]), st.integers(30, 300)).map(
        lambda pair: pair[0] * pair[1]
    ),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    NASTY_TEXT,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
# Request types the skill answers without speech. (An APL UserEvent is a touch on the screen:
# it is answered like the voice command it stands for, in words.)
KNOWN_OTHER_TYPES = (
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillDisabled",
    "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackStopped",
    "PlaybackController.PlayCommandIssued",
    "System.ExceptionEncountered",
    "Display.ElementSelected",
    "CanFulfillIntentRequest",
    "Messaging.MessageReceived",
)
ALEXA_USER_IDS = st.from_regex(r"amzn1\.ask\.account\.[A-Z0-9]{8,40}", fullmatch=True)
INTENT_NAMES = st.one_of(
    st.sampled_from(sorted(INTENTS)),
    st.sampled_from(["AMAZON.NextIntent", "AMAZON.ScrollUpIntent", "AMAZON.SelectIntent"]),
    NASTY_TEXT,
)
SLOT_NAMES = st.one_of(
    st.sampled_from(sorted({slot for slots in INTENTS.values() for slot in slots})), NASTY_TEXT
)


@st.composite
def nasty_slots(draw: st.DrawFn, allow_known_ids: bool = True) -> dict[str, SlotValue]:
    """Slots as a device reports them, with hostile words: an open slot (a first name), a
    custom value Alexa matched, or one it heard and could not match."""
    slots = {}
    for name in draw(st.lists(SLOT_NAMES, max_size=3, unique=True)):
        words = draw(NASTY_TEXT)
        how = draw(st.sampled_from(["open", "matched", "unmatched"]))
        slot_type = draw(st.sampled_from(sorted(SLOT_TYPE_VALUES)))
        if how == "open":
            slots[name] = first_name_slot(name, words)
        elif how == "unmatched":
            slots[name] = unmatched_slot(name, slot_type, words)
        else:
            ids = st.sampled_from(sorted(KNOWN_SLOT_IDS)) if allow_known_ids else st.nothing()
            value_id = draw(st.one_of(ids, NASTY_TEXT.filter(lambda t: t not in KNOWN_SLOT_IDS)))
            slots[name] = custom_slot(name, slot_type, value_id, words)
    return slots


@st.composite
def device_envelopes(
    draw: st.DrawFn,
    user_id: str | None = None,
    now: datetime | None = None,
    attributes: dict[str, Any] | None = None,
    intents: st.SearchStrategy[str] = INTENT_NAMES,
    allow_known_ids: bool = True,
    user_ids: st.SearchStrategy[str] | None = None,
) -> dict[str, Any]:
    """An envelope shaped as a device sends it, with hostile words wherever the words come
    from people or from Alexa's recogniser: user ids, intent names, slot values."""
    session = Session(
        user_id=user_id
        if user_id is not None
        else draw(user_ids if user_ids is not None else ALEXA_USER_IDS),
        device_id=draw(st.sampled_from(["amzn1.ask.device.a", "d"])),
        attributes=copy.deepcopy(attributes) if attributes is not None else {},
        new=attributes is None,
    )
    if now is None:
        now = draw(
            st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31))
        ).replace(tzinfo=UTC)
    kind = draw(st.sampled_from(["intent"] * 5 + ["launch", "ended", "other"]))
    if kind == "launch":
        return launch_request(session, now)
    if kind == "ended":
        reason = draw(st.sampled_from(SESSION_END_REASONS))
        error = None
        if draw(st.booleans()):
            error = {
                "type": draw(st.sampled_from(["INVALID_RESPONSE", "DEVICE_COMMUNICATION_ERROR"])),
                "message": draw(NASTY_TEXT),
            }
        return session_ended_request(session, reason, error, now)
    if kind == "other":
        envelope = launch_request(session, now)
        envelope["request"]["type"] = draw(st.sampled_from(KNOWN_OTHER_TYPES))
        return envelope
    intent = draw(intents)
    return intent_request(session, intent, draw(nasty_slots(allow_known_ids)), now=now)


NEST_MARK = "\u2063nest\u2063"  # a string no strategy draws, replaced by deep nesting


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _set(root: Any, path: tuple, value: Any, delete: bool = False) -> Any:
    if not path:
        return value
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return root


@st.composite
def mutated_bodies(draw: st.DrawFn, base: st.SearchStrategy | None = None) -> str:
    """The JSON text of a device envelope with a few things broken: fields deleted or given
    values of the wrong type, unknown request types, huge strings (up to about 200 KB), lists
    nested up to 10,000 deep."""
    any_user = st.one_of(ALEXA_USER_IDS, NASTY_TEXT)
    envelope = draw(base if base is not None else device_envelopes(user_ids=any_user))
    nest_depth = 0
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(envelope)
        path = draw(st.sampled_from(paths[1:] if len(paths) > 1 else paths))
        op = draw(
            st.sampled_from(
                ["delete", "replace", "replace", "type", "huge", "nest", "deep-attributes", "add"]
            )
        )
        if op == "delete" and path:
            envelope = _set(envelope, path, None, delete=True)
        elif op == "type":
            envelope.setdefault("request", {})
            if isinstance(envelope["request"], dict):
                envelope["request"]["type"] = draw(
                    st.one_of(NASTY_TEXT, st.sampled_from(["Foo.Bar", "IntentRequest", ""]))
                )
        elif op == "huge":
            size = draw(st.integers(1_000, 200_000))
            envelope = _set(envelope, path, draw(st.sampled_from(["x", "é", "<b/>"])) * size)
        elif op == "nest" and not nest_depth:
            nest_depth = draw(st.one_of(st.integers(1, 1200), st.integers(1, 10_000)))
            envelope = _set(envelope, path, NEST_MARK)
        elif op == "deep-attributes" and not nest_depth:
            session = envelope.get("session")
            attributes = session.setdefault("attributes", {}) if isinstance(session, dict) else 0
            if isinstance(attributes, dict):
                # json.loads (the Lambda runtime) decodes up to about 1,000 levels
                depths = st.sampled_from([450, 500, 600, 800, 990])
                nest_depth = draw(st.one_of(depths, st.integers(300, 1200)))
                attributes[draw(st.text(max_size=5))] = NEST_MARK
        elif op == "add" and isinstance(envelope, dict):
            envelope[draw(st.text(max_size=10))] = draw(JSON_VALUES)
        else:
            envelope = _set(envelope, path, draw(JSON_VALUES))
    text = json.dumps(envelope)
    if nest_depth:
        text = text.replace(json.dumps(NEST_MARK), "[" * nest_depth + "]" * nest_depth, 1)
    return text


@st.composite
def broken_bytes(draw: st.DrawFn) -> bytes:
    """Bodies that are no JSON object at all, or not an Alexa request."""
    good = json.dumps(draw(device_envelopes())).encode()
    return draw(
        st.one_of(
            st.binary(max_size=200),
            st.just(good[: draw(st.integers(0, max(len(good) - 1, 0)))]),  # truncated
            st.just(b"\xff\xfe" + good),
            JSON_VALUES.filter(lambda v: not isinstance(v, dict)).map(
                lambda v: json.dumps(v).encode()
            ),
            st.integers(1, 10_000).map(lambda n: b"[" * n + b"]" * n),
            st.integers(1, 10_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
            st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4)
            .filter(lambda d: not isinstance(d.get("request"), dict))
            .map(lambda d: json.dumps(d).encode()),
            st.sampled_from([b"", b"null", b"{}", b'{"request": {}}', b'{"request": {"type": 1}}']),
            st.integers(65_537, 200_000).map(lambda n: b'{"pad": "' + b"x" * n + b'"}'),
        )
    )
