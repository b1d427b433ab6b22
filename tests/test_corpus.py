"""The everyday-speech corpus (tests/corpus/<locale>.toml) through the console's matcher and
through the Lambda handler.

Matcher: every phrasing must resolve to its intent and slot values.
Every locale (tests/corpus/README.md): its own model, and requests that carry its locale. A
derived locale says every group through the handler, not every phrasing (Corpus.for_handler):
the matchers hear them all.
Lambda handler: a couple (one household per phrasing) is brought to the tagged phase by a
simulated device, says the phrasing, and the handler must hear the right intent (its request
log line names the intent and the engine event) and answer as a couple would expect: never the
names answer outside naming, never "sorry, I didn't catch that", and the group's behaviour
(repeat, stop, time left, in place, a new question, support, safety, an exercise, a length).

The shares understood, per phase, are printed (they show in `make test` output)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.intents import INTENT_EVENTS
from skill.console.device import Device, Turn
from skill.console.matcher import UtteranceMatcher
from tests.conftest import Clock, load_lambda_module
from tests.corpus import Corpus, Phrase, load, locales, share_table, show, slots_agree

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("Sam", "Alex")
LENGTHS = ("quick", "full")
_SENTENCE = re.compile(r"[^.?!]+[.?!]")


# --- the console matcher ------------------------------------------------------------------------


def heard_by(matcher: UtteranceMatcher, text: str) -> tuple[str | None, dict[str, str | None]]:
    """What the matcher makes of a line: ("LaunchRequest", {}) for a bare launch, else the
    intent (None: no match) and its slots (custom: the value id, else the words)."""
    kind, rest = matcher.split_invocation(text)
    if kind == "launch":
        return "LaunchRequest", {}
    match = matcher.match(rest)
    if match is None:
        return None, {}
    slots = {
        name: (slot.resolved_id if slot.status is not None else slot.value)
        for name, slot in match.slots.items()
    }
    return match.intent, slots


@pytest.mark.parametrize("locale", locales())
def test_corpus_through_the_console_matcher(locale: str, pytestconfig: pytest.Config) -> None:
    corpus = load(locale)
    matcher = UtteranceMatcher.from_file(corpus.model)
    results = {p: heard_by(matcher, p.text) for p in corpus.phrases}

    def understood(p: Phrase) -> bool:
        intent, slots = results[p]
        return intent == p.intent and slots_agree(p.slots, slots)

    table, _ = share_table(f"corpus {locale}, console matcher", corpus.phrases, understood)
    show(table, pytestconfig)
    missed = [f"{p.label} -> {results[p]}" for p in corpus.phrases if not understood(p)]
    assert not missed, "\n".join(missed)


def test_every_locale_has_a_corpus_with_its_own_words_and_helpline() -> None:
    from skill.locales import LOCALES

    assert locales() == sorted(LOCALES)
    source = load("en-US")
    for locale in LOCALES[1:]:
        corpus = load(locale)
        assert corpus.base == "en-US" and corpus.model.name == f"{locale}.json"
        assert corpus.expect["hotline"] != source.expect["hotline"], locale
        own = {p.text for p in corpus.phrases} - {p.text for p in source.phrases}
        assert len(own) >= 5, (locale, own)
        assert set(corpus.for_handler()) >= {p for p in corpus.phrases if p.text in own}
        # every (phase, intent, behaviour) of en-US is still said through the handler
        groups = {(p.phase, p.intent, p.behaviour) for p in source.phrases}
        assert groups <= {(p.phase, p.intent, p.behaviour) for p in corpus.for_handler()}


def test_the_corpus_is_big_and_covers_every_phase() -> None:
    for locale in locales():
        corpus = load(locale)
        assert len(corpus.phrases) >= 300, locale
        assert all(n >= 15 for n in corpus.by_phase().values()), corpus.by_phase()
        # the same words may be tagged in several phases ("what?"), never twice in one
        seen = Counter((p.phase, p.text.casefold()) for p in corpus.phrases)
        assert not [key for key, n in seen.items() if n > 1]


# --- the Lambda handler -------------------------------------------------------------------------


@dataclass
class Heard:
    """What happened when one phrasing was said in its phase."""

    phrase: Phrase
    before: Turn | None
    turn: Turn | None
    logged: dict[str, Any] = field(default_factory=dict)
    setup_problem: str = ""

    @property
    def intent_ok(self) -> bool:
        if self.setup_problem or self.turn is None:
            return False
        want = self.phrase.intent
        event = "launch" if want == "LaunchRequest" else INTENT_EVENTS.get(want)
        got_request = self.logged.get("request")
        got = got_request if got_request == "LaunchRequest" else self.logged.get("intent")
        slots = {}
        request = self.turn.request["request"]
        for name, slot in (request.get("intent", {}).get("slots") or {}).items():
            authorities = (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []
            values = [a["values"][0]["value"]["id"] for a in authorities if a.get("values")]
            slots[name] = values[0] if values else (None if authorities else slot.get("value"))
        return (
            got == want
            and self.logged.get("event") == event
            and slots_agree(self.phrase.slots, slots)
        )


class Couples:
    """The real Lambda entry point on a temporary SQLite file; one household per phrasing."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> None:
        self.handler = handler
        self.clock = Clock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
        self.count = 0

    def device(self, locale: str = "en-US") -> Device:
        """A new household's Echo set to ``locale``: its requests carry that locale, and the
        locale's interaction model hears what is said."""
        self.count += 1
        user = f"amzn1.ask.account.corpus-{self.count:04d}"
        return Device(
            self.handler, user, "amzn1.ask.device.corpus", clock=self.clock, locale=locale
        )


def say(device: Device, line: str) -> tuple[Turn, list[dict[str, Any]]]:
    """One line to the device; the request log lines the handler wrote for it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        turn = device.hear(line)
    lines = []
    for text in out.getvalue().splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(text)
            if isinstance(record, dict) and "request" in record:
                lines.append(record)
    return turn, lines


def bring_to(phase: str, device: Device) -> Turn:
    """Say what brings a new couple to ``phase``; returns the last answer (the prompt)."""
    turn, _ = say(device, "open our check in")
    if phase == "naming":
        return turn
    turn, _ = say(device, f"we are {NAMES[0]} and {NAMES[1]}")
    if phase == "confirm_names":
        return turn
    turn, _ = say(device, "yes")
    if phase in ("length", "single"):
        return turn
    if phase == "oneshot":
        with contextlib.redirect_stdout(io.StringIO()):
            device.close()
        return turn
    turn, _ = say(device, "yes")  # the mindful pause, then "on to the next exercise?"
    if phase == "between":
        return turn
    for _ in range(12):  # mid_turn, support, safety: a partner's turn at a question
        if asked_question(turn.speech) and any(n in turn.speech.split("[")[0] for n in NAMES):
            return turn
        turn, _ = say(device, "next")
    raise AssertionError(f"never reached a partner's question: {turn.speech}")


def expected_phase(phase: str) -> str:
    return {"naming": "names", "confirm_names": "confirm_names", "length": "ready"}.get(
        phase, "ready" if phase == "single" else "beat"
    )


def hear_all(corpus: Corpus, couples: Couples) -> list[Heard]:
    results = []
    for phrase in corpus.for_handler():
        device = couples.device(corpus.locale)
        try:
            before = bring_to(phrase.phase, device)
        except AssertionError as error:
            results.append(Heard(phrase, None, None, setup_problem=str(error)))
            continue
        if phrase.phase != "oneshot" and before.state.get("phase") != expected_phase(phrase.phase):
            problem = f"setup ended in phase {before.state.get('phase')!r}"
            results.append(Heard(phrase, before, None, setup_problem=problem))
            continue
        turn, lines = say(device, phrase.text)
        answered = [r for r in lines if r["request"] != "SessionEndedRequest"]
        results.append(Heard(phrase, before, turn, answered[-1] if answered else {}))
    return results


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Heard]]:
    """Every locale's corpus said once through the Lambda handler (shared by the tests below)."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHECKIN_DB", str(db))
        patch.delenv("CHECKIN_TABLE", raising=False)
        patch.delenv("SKILL_ID", raising=False)
        with contextlib.redirect_stdout(io.StringIO()):
            handler = load_lambda_module("lambda_function_corpus").lambda_handler
        couples = Couples(handler)
        return {locale: hear_all(load(locale), couples) for locale in locales()}


@pytest.mark.parametrize("locale", locales())
def test_corpus_through_the_lambda_handler_hears_the_right_intent(
    locale: str, heard: dict[str, list[Heard]], pytestconfig: pytest.Config
) -> None:
    results = {h.phrase: h for h in heard[locale]}
    table, _ = share_table(
        f"corpus {locale}, Lambda handler (intent and event)",
        results,
        lambda p: results[p].intent_ok,
    )
    show(table, pytestconfig)
    missed = [
        f"{h.phrase.label} -> {h.setup_problem or h.logged}"
        for h in heard[locale]
        if not h.intent_ok
    ]
    assert not missed, "\n".join(missed)


# --- what a couple notices ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def question_texts() -> tuple[str, ...]:
    """Every question of the deck as it can be spoken (with either partner as the other)."""
    from skill.content.loader import default_content

    texts = set()
    for question in default_content().questions.values():
        for other in NAMES:
            texts.add(question.text.replace("{other}", other))
    return tuple(sorted(texts, key=len, reverse=True))


def asked_question(speech: str) -> str | None:
    """The deck question an answer asks before its first silence, if any."""
    spoken = speech.split("[pause")[0]
    return next((text for text in question_texts() if text in spoken), None)


def phrases_of(key: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    try:
        from skill.content.loader import default_content

        found = default_content().phrases.get(key)
    except Exception:  # the content is being reworked: fall back to the words we know
        found = None
    return tuple(found) if found else fallback


def variant_pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    """A variant with {placeholders} as a pattern: its fixed words, anything for the rest."""
    parts = []
    for variant in variants:
        pieces = re.split(r"\{[^{}]*\}", variant)
        parts.append(".+?".join(re.escape(piece) for piece in pieces))
    return re.compile("|".join(parts))


NAMES_ANSWER = variant_pattern(phrases_of("names_known", ("I know you as {first} and {second}.",)))
NOT_UNDERSTOOD = phrases_of("not_understood", ("Sorry, I didn't catch that.",))


def last_prompt(speech: str) -> str:
    """The prompt of an answer: its last question before the first silence, or else its
    last question ("Ready for the gratitude round?"), or else its last sentence. A question
    of fewer than four words ("Ready?") comes with the sentence before it."""
    spoken = speech.split("[pause")[0]
    for text in (spoken, speech):
        sentences = [s.strip() for s in _SENTENCE.findall(text)]
        asks = [i for i, s in enumerate(sentences) if s.endswith("?")]
        if asks:
            i = asks[-1]
            if len(sentences[i].split()) < 4 and i > 0:
                return f"{sentences[i - 1]} {sentences[i]}"
            return sentences[i]
    sentences = [s.strip() for s in _SENTENCE.findall(speech)]
    return sentences[-1] if sentences else speech.strip()


def position(turn: Turn) -> tuple[Any, ...]:
    state = turn.state
    return (state.get("phase"), state.get("plan"), state.get("step"), state.get("beat"))


def problems(h: Heard, expect: dict[str, str]) -> list[str]:
    """What a couple would notice is wrong with the answer; empty when all is well."""
    if h.setup_problem or h.turn is None or h.before is None:
        return [h.setup_problem or "no answer"]
    found = []
    turn, before, phrase = h.turn, h.before, h.phrase
    speech = turn.speech
    if phrase.phase not in ("naming", "confirm_names"):
        if NAMES_ANSWER.search(speech):
            found.append("gave the names answer")
        if "first name" in speech.lower():
            found.append("asked for names")
    if any(sorry in speech for sorry in NOT_UNDERSTOOD):
        found.append("said it did not understand")
    behaviour = phrase.behaviour
    if behaviour == "repeat":
        prompt = last_prompt(before.speech)
        if prompt not in speech:
            found.append(f"did not repeat {prompt!r}")
    elif behaviour == "stop":
        if not turn.ended:
            found.append("kept the session open")
    elif behaviour == "time_left":
        if not re.search(r"\bminute|\bstep", speech, re.IGNORECASE):
            found.append("said nothing of minutes or steps")
    elif behaviour == "in_place":
        if turn.ended:
            found.append("ended the session")
        if position(turn) != position(before):
            found.append(f"moved from {position(before)} to {position(turn)}")
    elif behaviour == "moves_on":
        if turn.ended:
            found.append("ended the session")
        if position(turn) == position(before):
            found.append(f"stayed at {position(before)}")
    elif behaviour == "new_question":
        if turn.ended:
            found.append("ended the session")
        question = asked_question(speech)
        if not question or question == asked_question(before.speech):
            found.append("asked no new question")
    elif behaviour == "support":
        if expect["counselling"] not in speech.lower():
            found.append("no pointer to counselling")
    elif behaviour == "safety":
        if expect["hotline"] not in speech:
            found.append(f"no {expect['hotline']}")
        if expect["counselling"] in speech.lower():
            found.append("suggested counselling")
    elif behaviour == "exercise":
        wanted = f"ex:{phrase.slots.get('exercise')}"
        if wanted not in json.dumps(turn.state):
            found.append(f"did not start {wanted}")
    elif behaviour == "length":
        # The state's field names change with its schema: look at its values, and at the words.
        wanted = phrase.slots["length"]
        others = {v for v in turn.state.values() if v in LENGTHS and v != wanted}
        if others or wanted not in speech.lower():
            found.append(f"length is not {wanted!r}: {speech[:80]!r}")
    return found


@pytest.mark.parametrize("locale", locales())
def test_corpus_through_the_lambda_handler_answers_as_expected(
    locale: str, heard: dict[str, list[Heard]], pytestconfig: pytest.Config
) -> None:
    corpus = load(locale)
    found = {h.phrase: problems(h, corpus.expect) for h in heard[locale]}
    table, _ = share_table(
        f"corpus {locale}, Lambda handler (what the couple hear)",
        found,
        lambda p: not found[p],
    )
    show(table, pytestconfig)
    wrong = [f"{p.label}: {'; '.join(f)}" for p, f in found.items() if f]
    assert not wrong, f"{len(wrong)} answers are wrong:\n" + "\n".join(wrong)


def test_heard_by_keeps_launches_apart_from_one_shots() -> None:
    matcher = UtteranceMatcher.from_file(ROOT / "interaction_models" / "en-US.json")
    assert heard_by(matcher, "open our check in") == ("LaunchRequest", {})
    assert heard_by(matcher, "ask our check in for a hug") == (
        "StartExerciseIntent",
        {"exercise": "hug"},
    )
