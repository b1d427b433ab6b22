"""The state-by-intent matrix: every state a household can reach (each phase, each beat of
the quick plan, the full plan and every single exercise, pending "forget us?" and "support"
questions, returning in a new session) times every request the interaction model can produce
(each intent bare, with each slot filled, with all slots filled; a launch; a session end for
each reason; an intent the model does not know). Every pair must get a sound Alexa response,
and none may go through the generic error handler.

The states are found by driving the real skill, snapshotted once (session attributes and the
stored SQLite record), and restored for each request, which goes to the Lambda entry point.
Every English locale (requests carry it): en-US sends every request to every state; each
other locale sends every request to a smaller set of states that still holds every phase,
every pending question, every exercise and a new session (reduced() below), and the
same check that every route of the engine and every answer to a pending question was taken
holds for it too. What differs between locales is what is said (helpline, spelling), not
where a request leads, so the full matrix once is enough and the rest keeps the suite short.

Run with -s to see the size of the matrix; it is also written to the terminal."""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime

import pytest

from skill.content.loader import default_content
from skill.engine import plan as plans
from skill.engine.events import FROM_CALLS, EventKind
from skill.engine.routes import ANSWERS, ROUTES
from skill.engine.state import Asking, Phase, State
from skill.locales import LOCALES, SOURCE
from tests.conftest import COUPLE_ID, Clock
from tests.fuzzing import (
    INTENTS,
    SESSION_END_REASONS,
    SLOT_TYPE_VALUES,
    Snapshot,
    SqliteRig,
    error_outcomes,
    explore,
    model_requests,
    response_problems,
    speech_text,
)


@pytest.fixture(params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def rig(lambda_handler, db_path, locale: str, monkeypatch: pytest.MonkeyPatch) -> SqliteRig:
    """The Lambda entry point on a fresh SQLite file (its store made the table on import),
    sent requests of ``locale``, with the meditations hosted (CHECKIN_AUDIO_URL) and
    devices that have an audio player."""
    monkeypatch.setenv("CHECKIN_AUDIO_URL", "https://audio.example.com/checkin/")
    return SqliteRig(lambda_handler, db_path, COUPLE_ID, locale)


def reduced(states: list[Snapshot]) -> list[Snapshot]:
    """One state for each phase, pending question, session (open or new) and, during a
    check-in, each exercise: every kind of place a couple can be, without every beat of
    every plan."""
    content = default_content()
    kept: dict[tuple, Snapshot] = {}
    for snapshot in states:
        key: tuple = (snapshot.phase, snapshot.state.get("asking", ""), snapshot.attributes is None)
        if snapshot.phase == "beat" and not snapshot.state.get("asking"):
            state = State.from_dict(snapshot.state)
            key += (plans.current(state, content).exercise.id,)
        kept.setdefault(key, snapshot)
    return list(kept.values())


@pytest.fixture
def states(rig: SqliteRig, clock: Clock) -> list[Snapshot]:
    return explore(rig, clock.now)


def positions(states: list[Snapshot]) -> set[tuple[str, int, int, str]]:
    content = default_content()
    found = set()
    for snapshot in states:
        if snapshot.phase != "beat" or snapshot.state.get("asking"):
            continue
        state = State.from_dict(snapshot.state)
        exercise = plans.current(state, content).exercise.id
        found.add((state.plan, state.step, state.beat, exercise))
    return found


def expected_positions() -> set[tuple[str, int, int, str]]:
    """Every (plan, step, beat, exercise) a couple can be at between two requests: both plans
    with each closing, and each exercise the model lets a couple ask for on its own. The last
    beat of a plan is not one of them: it is spoken with the goodbye, and the session ends."""
    content = default_content()
    expected = set()
    single = [
        (f"{plans.SINGLE_PREFIX}{exercise_id}", ((exercise_id,), 1))
        for exercise_id, _ in SLOT_TYPE_VALUES["ExerciseName"]
    ]
    planned = [
        (plan_id, *((step.choices, step.rounds) for step in plan.steps))
        for plan_id, plan in content.plans.items()
    ]
    for plan_id, *steps in [*planned, *single]:
        for step_index, (choices, rounds) in enumerate(steps):
            for choice in choices:
                beats = len(content.exercises[choice].beats) * rounds
                if step_index == len(steps) - 1:
                    beats -= 1  # the last beat ends the session with the goodbye
                expected |= {(plan_id, step_index, b, choice) for b in range(beats)}
    return expected


def test_the_matrix_reaches_every_phase_every_beat_and_every_pending_question(
    states: list[Snapshot],
) -> None:
    assert positions(states) == expected_positions()
    phases = Counter(s.phase for s in states)
    assert set(phases) == {"new", "names", "confirm_names", "ready", "beat", "done", "meditation"}
    asking = {(s.phase, s.state.get("asking")) for s in states if s.state.get("asking")}
    assert {phase for phase, question in asking if question == "forget"} >= {
        "names",
        "confirm_names",
        "ready",
        "beat",
        "done",
    }
    assert {phase for phase, question in asking if question == "support"} == set(phases)
    assert len({s.name for s in states}) == len(states), "each state has a name of its own"


def test_the_matrix_sends_every_intent_of_the_model_with_and_without_its_slots() -> None:
    asks = model_requests()
    labels = [ask.label for ask in asks]
    assert set(INTENTS) <= set(labels)
    for intent, slots in INTENTS.items():
        for slot in slots:
            assert any(label.startswith(f"{intent}(") and f"{slot}=" in label for label in labels)
    assert "LaunchRequest" in labels
    assert {f"SessionEndedRequest({reason})" for reason in SESSION_END_REASONS} <= set(labels)
    assert len(labels) == len(set(labels))


def test_every_state_answers_every_request_soundly(
    rig: SqliteRig,
    states: list[Snapshot],
    locale: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if locale != SOURCE:
        states = reduced(states)
    asks = model_requests()
    emergency = default_content().locale(locale).emergency  # the safety answer says it
    failures: list[str] = []
    pairs = 0
    routes_taken: set[tuple[Phase, EventKind]] = set()
    answers_taken: set[tuple[Asking, EventKind]] = set()
    started = datetime.now()
    with caplog.at_level(logging.INFO, logger="checkin"):
        for snapshot in states:
            for ask in asks:
                caplog.clear()
                capsys.readouterr()
                try:
                    response = rig.send(snapshot, ask.build)
                except Exception as error:  # the Lambda would fail: Alexa says an error
                    failures.append(f"{snapshot.name} x {ask.label}: raised {error!r}")
                    continue
                pairs += 1
                problems = response_problems(response, silent=ask.silent, spoken=not ask.silent)
                out = capsys.readouterr().out
                errors = error_outcomes(caplog.records, out)
                problems += [f"error handler ran: {line}" for line in errors]
                for kind in events_logged(out):
                    routes_taken.add((Phase(snapshot.phase), kind))
                    if snapshot.state.get("asking"):
                        answers_taken.add((Asking(snapshot.state["asking"]), kind))
                if ask.label == "SafetyIntent" and emergency not in speech_text(response):
                    problems.append(f"the safety answer does not say {emergency!r}")
                failures += [f"{snapshot.name} x {ask.label}: {p}" for p in problems]
    seconds = (datetime.now() - started).total_seconds()
    summary = (
        f"state-intent matrix {locale}: {len(states)} states x {len(asks)} requests = "
        f"{len(states) * len(asks)} pairs checked in {seconds:.1f} s"
    )
    print(summary)
    with capsys.disabled():
        print(f"\n{summary}")
    assert not failures, f"{len(failures)} unsound answers:\n" + "\n".join(failures[:40])
    assert pairs == len(states) * len(asks)
    # Every route of the engine's table, and every answer to a pending question, was taken
    # by some request of the matrix.
    # (an event made from a call's result, never from a request, is the reminder tests')
    made = {(phase, kind) for phase, kind in ROUTES if kind in FROM_CALLS}
    missing = sorted(f"{phase}/{kind}" for phase, kind in set(ROUTES) - routes_taken - made)
    assert not missing, f"routes no request took: {missing}"
    unanswered = sorted(f"{asking}/{kind}" for asking, kind in set(ANSWERS) - answers_taken)
    assert not unanswered, f"answers no request gave: {unanswered}"


def events_logged(stdout: str) -> list[EventKind]:
    """The engine events named by the request log lines of one request."""
    kinds = []
    for line in stdout.splitlines():
        try:
            fields = json.loads(line)
        except ValueError:
            continue
        if isinstance(fields, dict) and fields.get("event"):
            kinds.append(EventKind(fields["event"]))
    return kinds


def test_matrix_summary(
    states: list[Snapshot], locale: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No assertion: the size of the matrix and what it is made of, for the terminal."""
    asks = model_requests()
    states = states if locale == SOURCE else reduced(states)
    by_phase = Counter(s.phase for s in states)
    lines = [
        f"state-intent matrix {locale}: {len(states)} states x {len(asks)} requests = "
        f"{len(states) * len(asks)} pairs",
        "  states by phase: " + ", ".join(f"{p} {n}" for p, n in sorted(by_phase.items())),
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
