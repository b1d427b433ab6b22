"""Every reply the engine can give stays inside Alexa's limits, over all the shipped content.

Alexa refuses SSML over 8,000 characters and breaks over 10 s, plays at most 240 s of audio
in one response and at most 90 s in a reprompt. A reply that breaks one of these is an error
sound in the couple's living room, so these tests walk the engine through many reachable
states and render every reply, and render every beat, question and variant directly."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.content.loader import default_content
from skill.engine import plan as plans
from skill.engine.conversation import after_call, handle
from skill.engine.effects import AskConsent, CallReminders
from skill.engine.events import KINDS, Event
from skill.engine.names import MAX_NAME_CHARS, NameProblem, clean_name
from skill.engine.reminding import Result
from skill.engine.reply import Reply
from skill.engine.state import MAX_TURN_SECONDS, State
from skill.speech.ssml import (
    MAX_BREAK_SECONDS,
    MAX_SSML_CHARS,
    SpeechTooLong,
    ssml_to_text,
    to_ssml,
    to_text,
)
from skill.speech.timing import Pause, estimated_seconds

CONTENT = default_content()
START = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
AUDIO_CAP_SECONDS = 240  # Alexa plays at most this much audio in one response
REPROMPT_CAP_SECONDS = 90
LONG_NAMES = ("Bartholomew Alexander Jo", "Konstantina Evangelin Ky")  # 24 characters each
BREAK_TIME = re.compile(r"(\d+)(ms|s)")
MINUTES_SPOKEN = {"one minute": 1, "two minute": 2, "three minute": 3}


# --- checking one reply ------------------------------------------------------------------


def break_seconds(element: ET.Element) -> float:
    found = BREAK_TIME.fullmatch(element.get("time", ""))
    assert found, f"break without a readable time: {ET.tostring(element)!r}"
    amount = int(found.group(1))
    return amount / 1000 if found.group(2) == "ms" else amount


def assert_valid_ssml(ssml: str) -> ET.Element:
    assert len(ssml) < MAX_SSML_CHARS
    root = ET.fromstring(ssml)  # raises on markup Alexa could not parse either
    assert root.tag == "speak"
    return root


def assert_within_alexa_limits(reply: Reply, hands_over: bool = False) -> None:
    """hands_over: Alexa asks the next question herself (a permission request): no
    reprompt of ours."""
    ssml = to_ssml(reply.speech)
    root = assert_valid_ssml(ssml)
    for element in root.iter("break"):
        assert break_seconds(element) <= MAX_BREAK_SECONDS, ssml
    assert estimated_seconds(reply.speech) <= AUDIO_CAP_SECONDS, to_text(reply.speech)
    for part in reply.speech:
        if isinstance(part, str):
            assert "{" not in part and "}" not in part, f"unfilled placeholder in {part!r}"
            assert part.strip() != "None", reply.speech
    if not reply.end_session and not hands_over:
        assert reply.reprompt, f"an open microphone with nothing to reprompt: {reply}"
        assert reply.reprompt != reply.text, "the reprompt only repeats the whole reply"
        reprompt_root = assert_valid_ssml(to_ssml((reply.reprompt,)))
        assert list(reprompt_root.iter("break")) == []
        assert estimated_seconds((reply.reprompt,)) <= REPROMPT_CAP_SECONDS
        assert "{" not in reply.reprompt and "}" not in reply.reprompt, reply.reprompt


# --- 1. walking the engine through reachable states ---------------------------------------

NAME_SLOT = st.one_of(
    st.sampled_from(
        [
            "Sam",
            "alex",
            "D'Arcy",
            "Zoë & Jo",
            "Ngozi 💖",
            "José-María",
            "<break time='60s'/>",
            '<break time="60s"/>',
            'Sam "the man"',
            "{first}",
            "\x00\x07\x1b",
            "",
            "   ",
            "x" * 200,
            "Bartholomew Alexander Jo",
        ]
    ),
    st.text(max_size=40),
    st.none(),
)
SIMPLE_EVENTS = st.sampled_from(sorted(KINDS)).map(Event)
NAMES_EVENTS = st.one_of(
    st.builds(lambda a, b: Event("names", {"firstName": a, "secondName": b}), NAME_SLOT, NAME_SLOT),
    NAME_SLOT.map(lambda a: Event("names", {"firstName": a})),
)
EXERCISE_EVENTS = st.sampled_from([*sorted(CONTENT.exercises), None, "juggling"]).map(
    lambda exercise: Event("exercise", {"exercise": exercise})
)
LENGTH_EVENTS = st.builds(
    lambda kind, length: Event(kind, {"length": length}),
    st.sampled_from(["length", "start", "launch"]),
    st.sampled_from(["quick", "full", None]),
)
TURN_TIME_EVENTS = st.sampled_from(["longer", "shorter", None]).map(
    lambda direction: Event("turn_time", {"turnTime": direction})
)
SWITCH_EVENTS = NAME_SLOT.map(lambda partner: Event("switch", {"partner": partner}))
MOVING_ON = st.sampled_from([Event("next"), Event("yes")])
EVENTS = st.one_of(
    SIMPLE_EVENTS,
    NAMES_EVENTS,
    EXERCISE_EVENTS,
    LENGTH_EVENTS,
    TURN_TIME_EVENTS,
    SWITCH_EVENTS,
    MOVING_ON,
)
# Runs of "next", so that walks get through whole plans, and the two-turn exchanges.
NEXT_RUNS = st.integers(2, 16).map(lambda n: n * [Event("next")])
EXCHANGES = st.sampled_from(
    [
        [Event("forget"), Event("yes")],
        [Event("forget"), Event("no")],
        [Event("support"), Event("yes")],
        [Event("support"), Event("no")],
    ]
)
TURNS = st.one_of(EVENTS.map(lambda event: [event]), NEXT_RUNS, EXCHANGES)
ADVANCES = st.one_of(
    st.integers(0, 600),  # seconds between two things said in one sitting
    st.integers(12 * 3600 + 1, 40 * 86400),  # coming back after more than twelve hours
)
ONBOARDING = (Event("names", {"firstName": "Sam", "secondName": "Alex"}), Event("yes"))


# What a call to the Reminders API may come back with (the adapter's REMINDER_DONE event).
CALL_RESULTS = st.sampled_from([r.value for r in Result]).map(
    lambda result: Event("reminder_done", {"result": result, "token": "t", "when": "SU20:00"})
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    onboard=st.booleans(),
    turns=st.lists(st.tuples(TURNS, ADVANCES), max_size=30),
    results=st.lists(CALL_RESULTS, min_size=30, max_size=30),
)
def test_every_reply_along_any_conversation_fits_alexa_limits(onboard, turns, results):
    state, now = State(), START
    script = [(list(ONBOARDING), 1)] if onboard else []
    for (events, advance), result in zip([*script, *turns], [*results, *results], strict=False):
        now += timedelta(seconds=advance)
        for event in events:
            outcome = handle(state, event, now, CONTENT)
            if isinstance(outcome.effect, CallReminders):  # as Household.decide does
                outcome = after_call(outcome, result, now, CONTENT)
            assert_within_alexa_limits(outcome.reply, isinstance(outcome.effect, AskConsent))
            state = outcome.state
            now += timedelta(seconds=20)


def at_confirm_names(seed: int) -> State:
    return State(phase="confirm_names", heard=("Sam", "Alex"), seed=seed)


@pytest.mark.parametrize("kind", ["next", "skip", "fallback", "start_over"])
def test_an_unexpected_word_while_confirming_names_asks_again_without_failing(kind):
    # Several seeds, so that each variant of the confirmation reprompt gets its turn.
    for seed in range(1, 13):
        reply = handle(at_confirm_names(seed), Event(kind), START, CONTENT).reply
        assert_within_alexa_limits(reply)
        assert not reply.end_session


# --- 2. the mindful pause keeps the time it announces --------------------------------------


def announced_minutes(reply: Reply) -> int:
    spoken = [words for words in MINUTES_SPOKEN if words in reply.speech[0]]
    assert len(spoken) == 1, f"the pause does not announce its length: {reply.speech[0]!r}"
    return MINUTES_SPOKEN[spoken[0]]


def ready_couple() -> State:
    state, now = State(), START
    for event in ONBOARDING:
        state = handle(state, event, now, CONTENT).state
    assert state.phase == "ready"
    return state


def first_reply(event: Event) -> Reply:
    return handle(ready_couple(), event, START, CONTENT).reply


def plan_pause_minutes(plan_id: str) -> int:
    step = CONTENT.plans[plan_id].steps[0]
    assert step.choices == ("mindful_pause",)
    return step.minutes or CONTENT.exercises["mindful_pause"].minutes or 1


PAUSE_STARTS = {
    "quick plan": (Event("start", {"length": "quick"}), plan_pause_minutes("quick")),
    "full plan": (Event("start", {"length": "full"}), plan_pause_minutes("full")),
    "the pause alone": (
        Event("exercise", {"exercise": "mindful_pause"}),
        CONTENT.exercises["mindful_pause"].minutes or 1,
    ),
}


@pytest.mark.parametrize("how", sorted(PAUSE_STARTS))
def test_a_mindful_pause_is_as_long_as_it_announces(how):
    event, minutes = PAUSE_STARTS[how]
    reply = first_reply(event)
    assert announced_minutes(reply) == minutes
    # The pause as heard, speech included, up to the line that hands over.
    assert estimated_seconds(reply.speech[:-1]) == pytest.approx(minutes * 60, rel=0.10)
    assert_within_alexa_limits(reply)


@pytest.mark.parametrize("how", ["quick plan", "full plan"])
def test_repeating_a_plans_mindful_pause_keeps_its_length(how):
    event, minutes = PAUSE_STARTS[how]
    outcome = handle(ready_couple(), event, START, CONTENT)
    again = handle(outcome.state, Event("repeat"), START, CONTENT).reply
    assert announced_minutes(again) == minutes
    assert again.speech == outcome.reply.speech


@pytest.mark.parametrize("minutes", sorted(CONTENT.pauses))
def test_each_breathing_script_lasts_its_minutes_with_its_words(minutes):
    script = tuple(Pause(x) if isinstance(x, int) else x for x in CONTENT.pauses[minutes])
    assert estimated_seconds(script) <= minutes * 60
    assert estimated_seconds(script) >= minutes * 60 * 0.85  # the intro and closing add a little
    assert all(0 < part.seconds <= 30 for part in script if isinstance(part, Pause))


def test_there_is_a_breathing_script_for_one_two_and_three_minutes():
    assert set(CONTENT.pauses) == {1, 2, 3}


# --- 3. every beat, question and variant, with long names and long turns ------------------


def positions() -> list[State]:
    """A state at every beat of every plan and single exercise, for both closings."""
    plan_ids = [*CONTENT.plans, *(f"{plans.SINGLE_PREFIX}{e}" for e in CONTENT.exercises)]
    found = []
    for plan_id in plan_ids:
        for last_closing in ("hug", "last_words"):  # closings alternate between check-ins
            state = State(
                names=LONG_NAMES,
                phase="beat",
                plan=plan_id,
                started=1,
                last_closing=last_closing,
                turn_seconds=MAX_TURN_SECONDS,
            )
            for step_index, step in enumerate(plans.plan_of(state, CONTENT).steps):
                exercise = plans.exercise_for(step, state.last_closing, CONTENT)
                for beat in range(plans.beat_count(step, exercise)):
                    found.append(state.replace(step=step_index, beat=beat))
    return found


def values_at(state: State, question: str = "") -> dict[str, str]:
    beat = plans.current(state, CONTENT).beat
    first, second = plans.order(state)
    other = plans.listener(state, beat) or ""
    text = CONTENT.questions[question].text.format(other=other) if question else ""
    speaker = plans.speaker(state, beat) or ""
    return {"first": first, "second": second, "speaker": speaker, "other": other, "question": text}


def repeated(state: State) -> Reply:
    return handle(state, Event("repeat"), START, CONTENT).reply


def variants_heard(reply: Reply, variants: tuple[str, ...], values: dict[str, str]) -> set[int]:
    parts = {part for part in reply.speech if isinstance(part, str)}
    return {i for i, text in enumerate(variants) if text.format(**values) in parts}


def seeds_for_each_prompt(state: State, question: str = "") -> dict[int, int]:
    """A seed that makes the beat say each of its prompt variants."""
    prompts = plans.current(state, CONTENT).beat.prompts
    values = values_at(state, question)
    seeds: dict[int, int] = {}
    for seed in range(1, 200):
        reply = repeated(state.replace(seed=seed, question=question))
        for index in variants_heard(reply, prompts, values):
            seeds.setdefault(index, seed)
        if len(seeds) == len(prompts):
            break
    return seeds


def is_question_beat(state: State) -> bool:
    return plans.current(state, CONTENT).beat.source == "question"


POSITIONS = positions()


def position_id(state: State) -> str:
    return f"{state.plan}-step{state.step}-beat{state.beat}-checkin{state.started}"


def test_the_long_names_are_the_longest_the_skill_accepts():
    for name in LONG_NAMES:
        assert len(name) == MAX_NAME_CHARS
        assert clean_name(name) == name
        with pytest.raises(NameProblem):
            clean_name(name + "a")


def test_the_positions_cover_every_exercise_and_question_beats():
    exercises = {plans.current(state, CONTENT).exercise.id for state in POSITIONS}
    assert exercises == set(CONTENT.exercises)
    assert any(is_question_beat(state) for state in POSITIONS)


@pytest.mark.parametrize(
    "state", [s for s in POSITIONS if not is_question_beat(s)], ids=position_id
)
def test_every_prompt_variant_with_long_names_and_long_turns_fits(state):
    beat = plans.current(state, CONTENT).beat
    if beat.source == "pause":
        for seed in range(1, 10):
            assert_within_alexa_limits(repeated(state.replace(seed=seed)))
        return
    seeds = seeds_for_each_prompt(state)
    assert sorted(seeds) == list(range(len(beat.prompts))), "some prompt variant is never said"
    for seed in seeds.values():
        assert_within_alexa_limits(repeated(state.replace(seed=seed)))


QUESTION_POSITIONS = [s for s in POSITIONS if is_question_beat(s)]


@pytest.mark.parametrize("state", QUESTION_POSITIONS, ids=position_id)
def test_every_question_in_every_prompt_variant_with_long_names_fits(state):
    beat = plans.current(state, CONTENT).beat
    seeds = seeds_for_each_prompt(state, question=sorted(CONTENT.questions)[0])
    assert sorted(seeds) == list(range(len(beat.prompts))), "some prompt variant is never said"
    for question in sorted(CONTENT.questions):
        values = values_at(state, question)
        for index, seed in seeds.items():
            reply = repeated(state.replace(seed=seed, question=question))
            assert variants_heard(reply, beat.prompts, values) == {index}
            assert LONG_NAMES[0] in reply.text or LONG_NAMES[1] in reply.text
            assert_within_alexa_limits(reply)


def test_every_exercise_intro_with_long_names_fits():
    for state in POSITIONS:
        pos = plans.current(state, CONTENT)
        if pos.beat_index != 0:
            continue
        heard: set[str] = set()
        for seed in range(1, 60):
            reply = repeated(state.replace(seed=seed, question=sorted(CONTENT.questions)[0]))
            assert_within_alexa_limits(reply)
            heard.add(reply.speech[0])
        spoken = {number: words for words, number in MINUTES_SPOKEN.items()}
        minutes = spoken.get(pos.minutes, "")
        expected = {intro.format(minutes=minutes) for intro in pos.exercise.intro}
        assert expected <= heard, f"{pos.exercise.id}: some intro is never said"


# --- 4. names and silences survive SSML --------------------------------------------------

AWKWARD_NAMES = ["D'Arcy", "Zoë & Jo", "<b>bold</b>", 'Sam "the man"']


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_awkward_names_are_escaped_and_read_back_unchanged(name):
    parts = (f"{name}, your turn.", Pause(5), f"Thank you, {name}.")
    ssml = to_ssml(parts)
    root = assert_valid_ssml(ssml)
    assert "".join(root.itertext()).count(name) == 2  # the XML text is the name itself
    assert list(root.iter("b")) == []  # markup in a name is said, never obeyed
    assert ssml_to_text(ssml) == f"{name}, your turn. [pause 5s] Thank you, {name}."


def test_names_with_apostrophes_and_ampersands_reach_the_couple_intact():
    event = Event("names", {"firstName": "D'Arcy", "secondName": "Zoë & Jo"})
    reply = handle(State(), event, START, CONTENT).reply
    spoken = ssml_to_text(to_ssml(reply.speech))
    assert "D'Arcy" in spoken and "Zoë & Jo" in spoken
    assert_within_alexa_limits(reply)


def test_markup_in_a_heard_name_is_never_spoken_as_ssml():
    event = Event("names", {"firstName": "<break time='60s'/>", "secondName": "Sam"})
    reply = handle(State(), event, START, CONTENT).reply
    root = assert_valid_ssml(to_ssml(reply.speech))
    assert list(root.iter("break")) == []


def break_times(parts: tuple) -> list[str]:
    return [element.get("time") for element in ET.fromstring(to_ssml(parts)).iter("break")]


def test_a_25_second_silence_becomes_breaks_of_10_10_and_5_seconds():
    assert break_times(("Breathe.", Pause(25))) == ["10s", "10s", "5s"]


def test_half_a_second_of_silence_becomes_500_milliseconds():
    assert break_times(("Breathe.", Pause(0.5))) == ["500ms"]


@given(seconds=st.floats(min_value=0.001, max_value=600, allow_nan=False))
def test_any_silence_is_split_into_breaks_that_add_up_to_it(seconds):
    root = ET.fromstring(to_ssml(("In.", Pause(seconds), "Out.")))
    lengths = [break_seconds(element) for element in root.iter("break")]
    assert all(0 < length <= MAX_BREAK_SECONDS for length in lengths)
    assert sum(lengths) == pytest.approx(round(seconds * 1000) / 1000, abs=1e-9)


def test_ssml_at_the_character_limit_is_refused():
    room = MAX_SSML_CHARS - len("<speak></speak>")
    assert len(to_ssml(("a" * (room - 1),))) == MAX_SSML_CHARS - 1
    with pytest.raises(SpeechTooLong):
        to_ssml(("a" * room,))


def test_escaping_counts_toward_the_character_limit():
    with pytest.raises(SpeechTooLong):
        to_ssml(("&" * 2000,))  # 2,000 characters typed, 10,000 once escaped


# --- 5. frequent phrases vary ------------------------------------------------------------


@cache
def capability_keys() -> frozenset[str]:
    """The phrases of one capability each (meditations, reminders, the deck), said once in
    a while rather than every evening: two variants are enough for them."""
    import tomllib

    from skill.content.lint import FEATURE_PHRASES
    from skill.content.loader import CONTENT_DIR

    return frozenset(
        key
        for file in FEATURE_PHRASES
        for key in tomllib.loads(CONTENT_DIR.joinpath(file).read_text(encoding="utf-8"))
    )


@pytest.mark.parametrize("key", sorted(CONTENT.phrases))
def test_every_phrase_has_at_least_three_variants(key):
    """Three for the conversation's own lines; two for a capability's rarer ones."""
    from skill.content.lint import FEATURE_MIN_VARIANTS

    variants = CONTENT.phrases[key]
    least = FEATURE_MIN_VARIANTS if key in capability_keys() else 3
    assert len(set(variants)) >= least, variants


@pytest.mark.parametrize("exercise_id", sorted(CONTENT.exercises))
def test_every_exercise_intro_and_beat_has_at_least_three_variants(exercise_id):
    exercise = CONTENT.exercises[exercise_id]
    assert len(set(exercise.intro)) >= 3, exercise.intro
    for beat in exercise.beats:
        if beat.source != "pause":
            assert len(set(beat.prompts)) >= 3, beat.prompts
        if beat.after:
            assert len(set(beat.after)) >= 3, beat.after
