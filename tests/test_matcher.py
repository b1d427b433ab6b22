"""Typed utterances resolve to intents and slots roughly the way a device hears them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.console.matcher import SlotValue, UtteranceMatcher, normalize


def _model(intents: list[dict[str, Any]], types: list[dict[str, Any]] | None = None) -> dict:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "our check-in",
                "intents": intents,
                "types": types or [],
            }
        }
    }


EXERCISE_NAME = {
    "name": "ExerciseName",
    "values": [
        {"id": "GRATITUDE", "name": {"value": "gratitude", "synonyms": ["thanks"]}},
        {"id": "QUESTIONS", "name": {"value": "questions", "synonyms": ["question"]}},
    ],
}

MODEL = _model(
    [
        {
            "name": "NamesIntent",
            "slots": [
                {"name": "firstName", "type": "AMAZON.FirstName"},
                {"name": "secondName", "type": "AMAZON.FirstName"},
            ],
            "samples": ["{firstName} and {secondName}", "i'm {firstName}"],
        },
        {
            "name": "StartExerciseIntent",
            "slots": [{"name": "exercise", "type": "ExerciseName"}],
            "samples": ["let's do the {exercise}", "ask us a {exercise}"],
        },
        {"name": "NextIntent", "samples": ["next", "we're done"]},
        {"name": "AMAZON.HelpIntent", "samples": []},
        {"name": "AMAZON.YesIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []},
    ],
    [EXERCISE_NAME],
)


def _intent(matcher: UtteranceMatcher, text: str) -> str | None:
    match = matcher.match(text)
    return match.intent if match else None


@pytest.fixture
def matcher() -> UtteranceMatcher:
    return UtteranceMatcher(MODEL)


# -- names -----------------------------------------------------------------------------------


def test_two_names_with_unicode_and_apostrophes_are_captured(matcher: UtteranceMatcher) -> None:
    match = matcher.match("Zoë and D\u2019Arcy")

    assert match is not None
    assert match.intent == "NamesIntent"
    assert match.slots == {
        "firstName": SlotValue("firstName", "zoë", None, None, None, "AMAZON.FirstName"),
        "secondName": SlotValue("secondName", "d'arcy", None, None, None, "AMAZON.FirstName"),
    }


def test_decomposed_accents_match_like_composed_ones(matcher: UtteranceMatcher) -> None:
    match = matcher.match("i'm Zoe\u0308")

    assert match is not None
    assert match.slots["firstName"].value == "zoë"


def test_hyphenated_and_multi_word_names_fit_in_one_slot(matcher: UtteranceMatcher) -> None:
    match = matcher.match("Mary-Jane and Anna Maria")

    assert match is not None
    assert match.slots["firstName"].value == "mary-jane"
    assert match.slots["secondName"].value == "anna maria"


def test_a_first_name_slot_rejects_digits(matcher: UtteranceMatcher) -> None:
    assert matcher.match("i'm 42") is None


def test_a_first_name_slot_takes_at_most_four_words(matcher: UtteranceMatcher) -> None:
    assert matcher.match("i'm anna maria luisa sofia") is not None
    assert matcher.match("i'm anna maria luisa sofia grace") is None


def test_only_filled_slots_are_reported(matcher: UtteranceMatcher) -> None:
    match = matcher.match("I'm Sam")

    assert match is not None
    assert match.intent == "NamesIntent"
    assert list(match.slots) == ["firstName"]


# -- custom slot types -----------------------------------------------------------------------


def test_a_synonym_resolves_to_its_canonical_value(matcher: UtteranceMatcher) -> None:
    match = matcher.match("Let's do the thanks")

    assert match is not None
    assert match.intent == "StartExerciseIntent"
    assert match.slots["exercise"] == SlotValue(
        name="exercise",
        value="thanks",
        resolved_id="GRATITUDE",
        resolved_name="gratitude",
        status="ER_SUCCESS_MATCH",
        slot_type="ExerciseName",
    )


def test_a_canonical_value_resolves_to_itself(matcher: UtteranceMatcher) -> None:
    match = matcher.match("ask us a question")

    assert match is not None
    assert match.slots["exercise"].resolved_id == "QUESTIONS"
    assert match.slots["exercise"].resolved_name == "questions"


def test_an_unknown_value_still_matches_the_intent_without_resolution(
    matcher: UtteranceMatcher,
) -> None:
    match = matcher.match("let's do the mindful pause")

    assert match is not None
    assert match.intent == "StartExerciseIntent"
    assert match.slots["exercise"] == SlotValue(
        "exercise", "mindful pause", None, None, "ER_SUCCESS_NO_MATCH", "ExerciseName"
    )


def test_a_custom_slot_takes_at_most_five_words(matcher: UtteranceMatcher) -> None:
    assert matcher.match("let's do the one two three four five") is not None
    assert matcher.match("let's do the one two three four five six") is None


# -- literals, built-ins, preference -----------------------------------------------------------


def test_literal_samples_match_whole_utterances_only(matcher: UtteranceMatcher) -> None:
    assert _intent(matcher, "We're done.") == "NextIntent"
    assert matcher.match("we're done now") is None
    assert matcher.match("next please") is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("Help me!", "AMAZON.HelpIntent"),
        ("What can I say?", "AMAZON.HelpIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("Yeah", "AMAZON.YesIntent"),
        ("okay.", "AMAZON.YesIntent"),
    ],
)
def test_declared_built_ins_understand_their_default_phrases(
    matcher: UtteranceMatcher, text: str, intent: str
) -> None:
    match = matcher.match(text)

    assert match is not None
    assert match.intent == intent
    assert match.slots == {}


def test_undeclared_built_ins_are_not_understood(matcher: UtteranceMatcher) -> None:
    assert matcher.match("stop") is None
    assert matcher.match("no") is None


def test_built_in_samples_from_the_model_are_matched_too() -> None:
    matcher = UtteranceMatcher(
        _model([{"name": "AMAZON.YesIntent", "samples": ["let's go", "yes"]}])
    )

    assert _intent(matcher, "let's go") == "AMAZON.YesIntent"
    assert _intent(matcher, "yep") == "AMAZON.YesIntent"


def test_a_custom_sample_beats_a_built_in_default_phrase_even_later_in_the_model() -> None:
    matcher = UtteranceMatcher(
        _model(
            [
                {"name": "AMAZON.YesIntent", "samples": []},
                {"name": "ReadyIntent", "samples": ["ok", "ready"]},
            ]
        )
    )

    assert _intent(matcher, "OK") == "ReadyIntent"
    assert _intent(matcher, "sure") == "AMAZON.YesIntent"


PRIORITY_MODEL = _model(
    [
        {
            "name": "PickThingIntent",
            "slots": [{"name": "thing", "type": "ThingName"}],
            "samples": ["{thing}", "play {thing}"],
        },
        {
            "name": "PickGameIntent",
            "slots": [{"name": "game", "type": "GameName"}],
            "samples": ["play {game}"],
        },
        {"name": "NextIntent", "samples": ["next", "play next"]},
        {"name": "AMAZON.HelpIntent", "samples": []},
    ],
    [
        {"name": "ThingName", "values": [{"id": "BALL", "name": {"value": "ball"}}]},
        {"name": "GameName", "values": [{"id": "CHESS", "name": {"value": "chess"}}]},
    ],
)


def test_more_literal_words_beat_slot_captures() -> None:
    matcher = UtteranceMatcher(PRIORITY_MODEL)

    assert _intent(matcher, "next") == "NextIntent"
    assert _intent(matcher, "play next") == "NextIntent"
    assert _intent(matcher, "help") == "AMAZON.HelpIntent"


def test_with_equal_literals_a_resolved_slot_beats_an_unresolved_one() -> None:
    match = UtteranceMatcher(PRIORITY_MODEL).match("play chess")

    assert match is not None
    assert match.intent == "PickGameIntent"
    assert match.slots["game"].resolved_id == "CHESS"


def test_otherwise_the_first_intent_in_model_order_wins() -> None:
    matcher = UtteranceMatcher(PRIORITY_MODEL)

    assert _intent(matcher, "play ball") == "PickThingIntent"
    assert _intent(matcher, "play tag") == "PickThingIntent"


def test_matching_is_deterministic() -> None:
    results = {repr(UtteranceMatcher(PRIORITY_MODEL).match("play tag")) for _ in range(5)}

    assert len(results) == 1


def test_more_literals_win_even_when_a_slot_sample_also_fits(matcher: UtteranceMatcher) -> None:
    # "{firstName} and {secondName}" would also take this, but with one literal word, not three.
    match = matcher.match("let's do the gratitude and thanks")

    assert match is not None
    assert match.intent == "StartExerciseIntent"
    assert match.slots["exercise"].status == "ER_SUCCESS_NO_MATCH"


# -- normalization and odd input -----------------------------------------------------------------


def test_punctuation_case_and_wake_word_are_ignored(matcher: UtteranceMatcher) -> None:
    match = matcher.match("  ALEXA,   let's do... the -- QUESTIONS?!  ")

    assert match is not None
    assert match.intent == "StartExerciseIntent"
    assert match.slots["exercise"].value == "questions"


def test_normalize() -> None:
    assert normalize("Alexa, open Our Check-In!") == "open our check in"
    assert normalize("alexa") == ""
    assert normalize("We\u2019re 'done'") == "we're done"
    assert normalize("...?!") == ""


@pytest.mark.parametrize("text", ["", "   ", "?!...", "Alexa,", "no idea what to say here"])
def test_nothing_matches_empty_punctuation_or_unknown_input(
    matcher: UtteranceMatcher, text: str
) -> None:
    assert matcher.match(text) is None


def test_very_long_input_is_handled(matcher: UtteranceMatcher) -> None:
    long_names = ("zoë and d'arcy " * 700)[:10_000]
    long_letters = "a" * 10_000

    assert matcher.match(long_names) is None
    assert matcher.match(long_letters) is None
    assert matcher.split_invocation("ask our check in " + long_names)[0] == "oneshot"


def test_a_sample_with_an_undeclared_slot_is_rejected() -> None:
    with pytest.raises(ValueError, match="undeclared slot"):
        UtteranceMatcher(_model([{"name": "BrokenIntent", "samples": ["play {song}"]}]))


def test_from_file_loads_a_model(tmp_path: Path) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(MODEL, ensure_ascii=False), encoding="utf-8")

    match = UtteranceMatcher.from_file(path).match("ask us a gratitude")

    assert match is not None
    assert match.slots["exercise"].resolved_id == "GRATITUDE"


# -- invocation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Alexa, start our check-in",
        "alexa open our check in",
        "Launch Our Check-In.",
        "alexa, ask our check in",
    ],
)
def test_launch_phrases(matcher: UtteranceMatcher, text: str) -> None:
    assert matcher.split_invocation(text) == ("launch", "")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("alexa ask our check in for a gratitude round", "a gratitude round"),
        ("Alexa, tell our check-in that we're done.", "we're done"),
        ("ask our check in to start over", "start over"),
        ("ask our check in about questions", "questions"),
        ("tell our check in next", "next"),
    ],
)
def test_one_shot_phrases_hand_back_the_rest(
    matcher: UtteranceMatcher, text: str, rest: str
) -> None:
    assert matcher.split_invocation(text) == ("oneshot", rest)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Alexa, we're done!", "we're done"),
        ("open the pod bay doors", "open the pod bay doors"),
        ("start our check in now", "start our check in now"),
        ("", ""),
    ],
)
def test_anything_else_is_plain(matcher: UtteranceMatcher, text: str, rest: str) -> None:
    assert matcher.split_invocation(text) == ("plain", rest)


# -- everyday speech: literal samples, bare slots, hesitations -------------------------------------

EVERYDAY_MODEL = _model(
    [
        {
            "name": "NamesIntent",
            "slots": [{"name": "firstName", "type": "AMAZON.FirstName"}],
            "samples": ["{firstName}", "i'm {firstName}"],
        },
        {
            "name": "LengthIntent",
            "slots": [{"name": "length", "type": "CheckInLength"}],
            "samples": ["{length}", "the {length} one"],
        },
        {"name": "SafetyIntent", "samples": ["i'm afraid of my partner"]},
        {"name": "NextIntent", "samples": ["next"]},
        {"name": "AMAZON.RepeatIntent", "samples": ["what", "sorry"]},
    ],
    [
        {
            "name": "CheckInLength",
            "values": [
                {"id": "quick", "name": {"value": "quick", "synonyms": ["short"]}},
                {"id": "full", "name": {"value": "full", "synonyms": ["long"]}},
            ],
        }
    ],
)


@pytest.fixture
def everyday() -> UtteranceMatcher:
    return UtteranceMatcher(EVERYDAY_MODEL)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("What?", "AMAZON.RepeatIntent"),
        ("sorry?", "AMAZON.RepeatIntent"),
        ("I'm afraid of my partner", "SafetyIntent"),
        ("next", "NextIntent"),
    ],
)
def test_a_literal_sample_beats_a_bare_first_name(
    everyday: UtteranceMatcher, text: str, intent: str
) -> None:
    assert _intent(everyday, text) == intent


def test_a_resolved_custom_value_beats_an_open_first_name(everyday: UtteranceMatcher) -> None:
    match = everyday.match("Long")

    assert match is not None
    assert match.intent == "LengthIntent"
    assert match.slots["length"].resolved_id == "full"


def test_a_bare_custom_slot_takes_only_its_values(everyday: UtteranceMatcher) -> None:
    assert _intent(everyday, "Priya") == "NamesIntent"
    assert _intent(everyday, "one two three four five") is None  # not a length, not a name


def test_hesitations_are_dropped_as_a_recogniser_drops_them(everyday: UtteranceMatcher) -> None:
    assert _intent(everyday, "um, next") == "NextIntent"
    assert _intent(everyday, "uh... erm, full") == "LengthIntent"
    assert everyday.match("um...") is None  # nothing said: a fallback, not a partner called Um
    assert normalize("um, next") == "um next"  # split_invocation and slots see the words
