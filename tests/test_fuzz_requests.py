"""Hostile and broken request envelopes, fuzzed with hypothesis, through the Lambda entry point
and through the web endpoint (with and without Alexa's request verification).

Whatever arrives, the Lambda answers with a valid response and the web endpoint with a 400
(broken input) or a 200 (a request the skill can read), never a 500 and never a stack trace;
no markup from the input reaches the SSML; and a couple whose userId is flooded with junk in
the middle of a check-in still resumes it, names and place intact.

The number of examples scales with FUZZ_EXAMPLES (default 2000 across the tests here):
    FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz_requests.py
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st

from skill.console.device import Device, Turn
from skill.console.envelopes import Session, intent_request, launch_request
from skill.store.memory import MemoryStore
from skill.web import MAX_BODY, create_app
from tests.certs import FakeFetch, Pki, shared_pki, sign
from tests.conftest import Clock, meet
from tests.fuzzing import (
    INTENTS,
    KNOWN_OTHER_TYPES,
    NASTY_TEXT,
    SESSION_END_REASONS,
    TRACEBACK_MARKERS,
    broken_bytes,
    device_envelopes,
    error_outcomes,
    fuzz_settings,
    mutated_bodies,
    nasty_slots,
    production_stack,
    response_problems,
)


def request_type(envelope: dict[str, Any]) -> str:
    return envelope["request"]["type"]


def runtime_decode(text: str) -> Any:
    """What the Lambda runtime hands the handler for this body; None when the runtime itself
    could not decode it (it would fail before the handler runs)."""
    try:
        with production_stack():
            return json.loads(text)
    except RecursionError:
        return None


def invoke(handler: Callable, event: dict[str, Any]) -> dict[str, Any]:
    with production_stack():
        return handler(event, None)


def sdk_can_read(event: dict[str, Any]) -> bool:
    try:
        with production_stack():
            DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    except Exception:
        return False
    return True


def envelope_with(request: dict[str, Any], **session: Any) -> dict[str, Any]:
    base = launch_request(Session(user_id="amzn1.ask.account.fuzz", **session))
    base["request"] = {**base["request"], **request}
    return base


def deep_attributes_body(depth: int) -> str:
    """An in-session request whose session attributes hold lists nested ``depth`` deep."""
    nested = "[" * depth + "]" * depth
    text = json.dumps(envelope_with({}, new=False))
    return text.replace('"attributes": {}', '"attributes": {"x": ' + nested + "}")


# --- (a) the Lambda entry point ----------------------------------------------------------------


@fuzz_settings(0.25)
@given(envelope=device_envelopes())
def test_lambda_answers_every_device_shaped_envelope_soundly(
    lambda_handler,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    envelope: dict[str, Any],
) -> None:
    """Envelopes shaped as a device sends them, with hostile words in intent names, slot
    values and first names: a sound answer in words, none of the input's markup, and never
    the generic error apology."""
    caplog.clear()
    capsys.readouterr()
    with caplog.at_level(logging.INFO, logger="checkin"):
        response = lambda_handler(json.loads(json.dumps(envelope)), None)
    kind = request_type(envelope)
    silent = kind == "SessionEndedRequest" or kind in KNOWN_OTHER_TYPES
    problems = response_problems(response, silent=silent, spoken=not silent)
    assert not problems, problems
    assert not error_outcomes(caplog.records, capsys.readouterr().out)


@fuzz_settings(0.15)
@given(body=mutated_bodies())
def test_lambda_never_raises_for_a_json_object(lambda_handler, body: str) -> None:
    """A Lambda that raises makes Alexa say "there was a problem with the requested skill's
    response", and leaves a stack trace in the function's log. Any JSON object the runtime
    can decode (missing fields, wrong types, unknown request types, huge strings) must get a
    valid response: an empty one at least."""
    event = runtime_decode(body)
    if not isinstance(event, dict):
        return  # the runtime could not decode it: the handler never sees it
    response = invoke(lambda_handler, event)
    problems = response_problems(response, silent=False, spoken=None, apology_ok=True)
    assert not problems, problems


@fuzz_settings(0.15)
@given(body=mutated_bodies())
@example(body=deep_attributes_body(600))
def test_lambda_answers_every_envelope_the_sdk_can_read(lambda_handler, body: str) -> None:
    """Once ask-sdk has read an envelope, the skill's own code answers it: whatever is odd in
    it (values of the wrong type, deep nesting in session attributes) is never a crash."""
    event = runtime_decode(body)
    if not isinstance(event, dict) or not sdk_can_read(event):
        return
    response = invoke(lambda_handler, event)
    problems = response_problems(response, silent=False, spoken=None, apology_ok=True)
    assert not problems, problems


def test_lambda_gives_an_empty_answer_to_a_request_type_ask_sdk_does_not_know(
    lambda_handler,
) -> None:
    """Alexa adds request types over time; the skill has a handler for "any other request
    type", so a new one must get the same empty answer, not a Lambda error."""
    response = lambda_handler(envelope_with({"type": "Alexa.NewFeature.SomethingHappened"}), None)
    assert response_problems(response, silent=True) == []


def test_lambda_answers_session_attributes_nested_500_deep(lambda_handler) -> None:
    """json.loads (the Lambda runtime) accepts about 1,000 levels of nesting; the skill must
    not crash on what the runtime accepts."""
    event = runtime_decode(deep_attributes_body(500))
    assert event is not None
    response = invoke(lambda_handler, event)
    assert response_problems(response, silent=False, spoken=True) == []


def test_lambda_answers_an_envelope_without_a_request(lambda_handler) -> None:
    """Not something Alexa sends, but a JSON object all the same: an answer, not a raise."""
    event = envelope_with({})
    del event["request"]
    response = invoke(lambda_handler, event)
    assert response_problems(response, silent=False, spoken=None, apology_ok=True) == []


# --- (b) the web endpoint ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture
def open_client(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> FlaskClient:
    monkeypatch.delenv("SKILL_ID", raising=False)
    return create_app(MemoryStore(), verify=False, clock=clock).test_client()


@pytest.fixture
def verified_client(monkeypatch: pytest.MonkeyPatch, clock: Clock, pki: Pki) -> FlaskClient:
    monkeypatch.delenv("SKILL_ID", raising=False)
    app = create_app(
        MemoryStore(),
        trusted_roots=[pki.root],
        fetch=FakeFetch.for_pki(pki),
        clock=clock,
        skill_id="amzn1.ask.skill.our-checkin-local",  # what the envelopes carry
    )
    return app.test_client()


def web_bodies(now) -> st.SearchStrategy[tuple[str, bytes]]:
    """(what kind of body, the body): well-formed, broken, or mutated."""
    return st.one_of(
        device_envelopes(now=now).map(lambda e: ("well-formed", json.dumps(e).encode())),
        broken_bytes().map(lambda b: ("broken", b)),
        mutated_bodies().map(lambda t: ("mutated", t.encode("utf-8", "surrogatepass"))),
    )


def check_web_answer(kind: str, body: bytes, status: int, payload: bytes) -> None:
    text = payload.decode("utf-8", "replace")
    if len(body) > MAX_BODY:
        kind = "broken"  # Alexa's requests are a few KB
    assert status != 500, f"500 for a {kind} body: {text[:200]}"
    assert not any(marker in text for marker in TRACEBACK_MARKERS)
    if kind == "well-formed":
        assert status == 200, f"{status} for a well-formed request: {text[:200]}"
    if kind == "broken":
        assert status == 400, f"{status} for a broken body: {text[:200]}"
    if status == 400:
        assert set(json.loads(payload)) == {"error"}
    if status == 200:
        apology_ok = kind != "well-formed"
        problems = response_problems(
            json.loads(payload), silent=False, spoken=None, apology_ok=apology_ok
        )
        assert not problems, problems


@fuzz_settings(0.2)
@given(data=st.data())
def test_web_endpoint_without_verification_answers_400_or_200_never_500(
    open_client: FlaskClient, clock: Clock, data: st.DataObject
) -> None:
    kind, body = data.draw(web_bodies(clock.now))
    with production_stack():
        response = open_client.post("/alexa", data=body, content_type="application/json")
    check_web_answer(kind, body, response.status_code, response.get_data())


def printable_ascii(text: str) -> bool:
    """What an HTTP client can put in a header value."""
    return all(32 <= ord(ch) < 127 for ch in text)


SIGNATURE_TAMPERING = st.sampled_from(
    ["none", "none", "none", "no-url", "no-signature", "bad-base64", "other-body", "bad-url"]
)


@fuzz_settings(0.15)
@given(data=st.data(), tamper=SIGNATURE_TAMPERING)
def test_web_endpoint_with_verification_answers_400_or_200_never_500(
    verified_client: FlaskClient, clock: Clock, pki: Pki, data: st.DataObject, tamper: str
) -> None:
    """Properly signed bodies reach the skill's checks; tampered signatures never do."""
    kind, body = data.draw(web_bodies(clock.now))
    headers = {
        "SignatureCertChainUrl": pki.url("good.pem"),
        "Signature-256": sign(body, pki.leaf_key),
    }
    if tamper == "no-url":
        del headers["SignatureCertChainUrl"]
    elif tamper == "no-signature":
        del headers["Signature-256"]
    elif tamper == "bad-base64":
        headers["Signature-256"] = data.draw(NASTY_TEXT.filter(printable_ascii))
    elif tamper == "other-body":
        headers["Signature-256"] = sign(body + b" ", pki.leaf_key)
    elif tamper == "bad-url":
        headers["SignatureCertChainUrl"] = data.draw(
            st.one_of(
                NASTY_TEXT.filter(printable_ascii),
                st.sampled_from(
                    [
                        pki.url("untrusted.pem"),
                        pki.url("../good.pem"),
                        "https://s3.amazonaws.com:8443/echo.api/good.pem",
                        "http://s3.amazonaws.com/echo.api/good.pem",
                    ]
                ),
            )
        )
    with production_stack():
        response = verified_client.post(
            "/alexa", data=body, headers=headers, content_type="application/json"
        )
    if tamper != "none":
        kind = "broken"  # nothing unverified may reach the skill
    check_web_answer(kind, body, response.status_code, response.get_data())


def test_web_endpoint_answers_session_attributes_nested_500_deep(
    open_client: FlaskClient,
) -> None:
    body = deep_attributes_body(500).encode()
    with production_stack():
        response = open_client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)


# --- one household flooded with junk in the middle of its check-in ----------------------------

HARMLESS_INTENTS = (
    "AMAZON.FallbackIntent",
    "AMAZON.HelpIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.NoIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.NavigateHomeIntent",
    "NamesIntent",
    "SupportIntent",
    "ForgetUsIntent",
    "TurnTimeIntent",
    "LengthIntent",
    "StartExerciseIntent",
    "StartCheckInIntent",
)
"""Intents that leave the couple where they are when their slots hold nothing Alexa could
match to a value of the model (a real "next", "skip" or "switch" moves them on purpose)."""
assert set(HARMLESS_INTENTS) <= set(INTENTS)

JUNK_EVENTS = st.one_of(
    st.tuples(
        st.just("intent"),
        st.one_of(
            st.sampled_from(HARMLESS_INTENTS),
            NASTY_TEXT.filter(lambda t: t not in INTENTS and not t.startswith("AMAZON.")),
        ),
        nasty_slots(allow_known_ids=False),
    ),
    st.tuples(st.just("launch")),
    st.tuples(st.just("ended"), st.sampled_from(SESSION_END_REASONS)),
    st.tuples(st.just("other"), st.sampled_from(KNOWN_OTHER_TYPES)),
    st.tuples(st.just("next")),
)
USERS = itertools.count()


def junk(echo: Device, event: tuple) -> dict[str, Any] | None:
    """Send one event the way a device would; the response, or None for a session end."""
    kind = event[0]
    if kind == "launch":
        return echo.hear("Alexa, start our check-in").response
    if kind == "ended":
        turn = echo.close(event[1])
        echo.session = None
        return turn.response if turn else None
    if not echo.in_session:
        echo.new_session()
    assert echo.session is not None
    if kind == "other":
        envelope = launch_request(echo.session, echo.clock())
        envelope["request"]["type"] = event[1]
        return echo.send(envelope).response
    if kind == "next":
        return echo.send(intent_request(echo.session, "NextIntent", now=echo.clock())).response
    _, intent, slots = event
    return echo.send(intent_request(echo.session, intent, slots, now=echo.clock())).response


PLACE = ("phase", "plan", "step", "beat", "question", "swapped", "names")


def place(turn: Turn) -> tuple:
    """Where a couple is: the phase, the beat, its question and whose turn it is. (The words
    around it may differ: a check-in never says one of its lines twice, so what was said
    before, junk included, changes which variant comes next.)"""
    return tuple(str(turn.state.get(key)) for key in PLACE)


@pytest.fixture
def reference(new_device) -> Callable[[int], tuple]:
    """Where "resume our check-in" takes a couple who only said next, n times, after the
    first gratitude turn began (same clock, so the same seed and the same questions)."""
    said: dict[int, tuple] = {}

    def resume_after(nexts: int) -> tuple:
        if nexts not in said:
            echo = new_device(user_id=f"amzn1.ask.account.reference-{nexts}")
            meet(echo)
            echo.hear("yes")
            echo.hear("next")
            for _ in range(nexts):
                echo.hear("next")
            echo.close()
            said[nexts] = place(echo.hear("Alexa, resume our check-in"))
        return said[nexts]

    return resume_after


@fuzz_settings(0.1)
@given(events=st.lists(JUNK_EVENTS, min_size=1, max_size=12))
def test_a_household_flooded_with_junk_still_resumes_its_check_in(
    new_device, reference, events: list[tuple]
) -> None:
    echo = new_device(user_id=f"amzn1.ask.account.flooded-{next(USERS)}")
    meet(echo)
    echo.hear("yes")
    echo.hear("next")  # the gratitude round: Sam's turn
    nexts = 0
    for event in events:
        if event[0] == "next":
            if nexts == 3:  # the fourth would be the closing, which ends the check-in
                continue
            nexts += 1
        response = junk(echo, event)
        if response is not None:
            silent = event[0] in ("ended", "other")
            assert response_problems(response, silent=silent, spoken=not silent) == []
    echo.close()
    turn = echo.hear("Alexa, resume our check-in")
    assert "Sam" in turn.speech or "Alex" in turn.speech
    assert place(turn) == reference(nexts)
