"""Static checks on the Alexa interaction model (interaction_models/en-US.json)."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from skill.alexa.intents import MODEL_BUILT_INS

MODEL_PATH = Path(__file__).parents[1] / "interaction_models" / "en-US.json"

CUSTOM_INTENT_SLOTS = {
    "StartCheckInIntent": {"length": "CheckInLength"},
    "StartExerciseIntent": {"exercise": "ExerciseName"},
    "NamesIntent": {
        "firstName": "AMAZON.FirstName",
        "secondName": "AMAZON.FirstName",
        "thirdName": "AMAZON.FirstName",
    },
    "NextIntent": {},
    "SkipIntent": {},
    "SwitchIntent": {"partner": "AMAZON.FirstName"},
    "LengthIntent": {"length": "CheckInLength"},
    "TurnTimeIntent": {"turnTime": "TurnTime"},
    "SupportIntent": {},
    "TimeLeftIntent": {},
    "AcknowledgeIntent": {},
    "SafetyIntent": {},
    "ForgetUsIntent": {},
}

BUILT_IN_INTENTS = MODEL_BUILT_INS  # the ones the skill maps to events

MIN_SAMPLES = 15
ALLOWED_SAMPLE = re.compile(r"^[a-z' {}A-Za-z.]+$")
SLOT_REFERENCE = re.compile(r"\{([^{}]*)\}")
VALID_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
FORBIDDEN_NEXT_WORDS = {"continue", "resume", "yes", "ok", "okay"}


def _load_language_model():
    with MODEL_PATH.open(encoding="utf-8") as f:
        return json.load(f)["interactionModel"]["languageModel"]


LANGUAGE_MODEL = _load_language_model()
INTENTS = {intent["name"]: intent for intent in LANGUAGE_MODEL["intents"]}
TYPES = {slot_type["name"]: slot_type for slot_type in LANGUAGE_MODEL.get("types", [])}


def normalize(sample):
    return " ".join(sample.lower().split())


def generic(sample):
    """Replace every {slot} by the same token so slot names cannot hide duplicates."""
    return SLOT_REFERENCE.sub("{}", normalize(sample))


def all_samples():
    """(intent name, sample) for every sample in the model."""
    return [
        (intent["name"], sample)
        for intent in LANGUAGE_MODEL["intents"]
        for sample in intent.get("samples", [])
    ]


def slots_of(intent_name):
    return {slot["name"]: slot["type"] for slot in INTENTS[intent_name].get("slots", [])}


def test_invocation_name_is_our_check_in():
    name = LANGUAGE_MODEL["invocationName"]
    assert name == "our check in"
    assert name == name.lower()
    assert len(name.split()) >= 2


def test_no_dialog_or_prompts_sections():
    with MODEL_PATH.open(encoding="utf-8") as f:
        interaction_model = json.load(f)["interactionModel"]
    assert set(interaction_model) == {"languageModel"}


@pytest.mark.parametrize("intent_name", CUSTOM_INTENT_SLOTS)
def test_custom_intent_exists_with_expected_slots(intent_name):
    assert intent_name in INTENTS
    assert slots_of(intent_name) == CUSTOM_INTENT_SLOTS[intent_name]


def test_length_slot_is_required_on_length_intent():
    (length_slot,) = INTENTS["LengthIntent"]["slots"]
    assert length_slot.get("required") is True


@pytest.mark.parametrize("intent_name", BUILT_IN_INTENTS)
def test_built_in_intent_is_listed(intent_name):
    assert intent_name in INTENTS
    assert isinstance(INTENTS[intent_name].get("samples"), list)


@pytest.mark.parametrize("intent_name", CUSTOM_INTENT_SLOTS)
def test_custom_intent_has_enough_samples(intent_name):
    assert len(INTENTS[intent_name]["samples"]) >= MIN_SAMPLES


def test_fallback_intent_has_no_samples():
    assert INTENTS["AMAZON.FallbackIntent"]["samples"] == []


def test_no_sample_repeated_within_an_intent():
    for intent in LANGUAGE_MODEL["intents"]:
        counts = Counter(normalize(s) for s in intent.get("samples", []))
        repeated = [s for s, n in counts.items() if n > 1]
        assert not repeated, f"{intent['name']} repeats {repeated}"


def test_no_sample_shared_between_intents():
    owners = {}
    for intent_name, sample in all_samples():
        owners.setdefault(normalize(sample), set()).add(intent_name)
    shared = {s: names for s, names in owners.items() if len(names) > 1}
    assert not shared


def closed_values(type_name):
    """Every value and synonym of a custom slot type, normalized."""
    words = set()
    for value in TYPES[type_name]["values"]:
        words.add(normalize(value["name"]["value"]))
        words.update(normalize(s) for s in value["name"].get("synonyms", []))
    return words


def bare_slot_type(intent_name, sample):
    """The slot type of a sample that is one slot and nothing else, else None."""
    found = re.fullmatch(r"\{(\w+)\}", sample.strip())
    return slots_of(intent_name)[found.group(1)] if found else None


def test_no_samples_collide_once_slots_are_made_generic():
    """The one allowed collision: bare one-slot samples ("{length}", "{exercise}") next to the
    bare "{firstName}", when each custom type is a closed list disjoint from the others, so
    the value alone says which intent it is (the matcher and virtual-alexa both prefer a
    resolved custom value to an open first name)."""
    owners = {}
    for intent_name, sample in all_samples():
        owners.setdefault(generic(sample), []).append((intent_name, sample))
    collisions = {}
    for shape, owned in owners.items():
        if len({name for name, _ in owned}) < 2:
            continue
        types = [bare_slot_type(name, sample) for name, sample in owned]
        custom = [t for t in types if t and not t.startswith("AMAZON.")]
        open_ones = [t for t in types if t and t.startswith("AMAZON.")]
        if None in types or len(open_ones) > 1 or len(custom) + len(open_ones) != len(types):
            collisions[shape] = owned
    assert not collisions


def test_bare_custom_slot_samples_have_disjoint_values():
    bare = sorted(
        {
            bare_slot_type(name, sample)
            for name, sample in all_samples()
            if bare_slot_type(name, sample)
            and not bare_slot_type(name, sample).startswith("AMAZON.")
        }
    )
    assert bare, "the model has bare custom-slot samples ({length}, {exercise})"
    for i, first in enumerate(bare):
        for second in bare[i + 1 :]:
            assert not closed_values(first) & closed_values(second), (first, second)


def test_bare_custom_values_are_not_literal_samples():
    """A word that is a literal sample of some intent ("thanks") is heard as that sample;
    a bare custom value equal to it would be dead."""
    literal = {normalize(s) for _, s in all_samples() if "{" not in s}
    for name, sample in all_samples():
        slot_type = bare_slot_type(name, sample)
        if slot_type and not slot_type.startswith("AMAZON."):
            shadowed = closed_values(slot_type) & literal
            assert shadowed <= {"thanks"}, (slot_type, shadowed)


def test_samples_use_only_allowed_characters():
    bad = [(i, s) for i, s in all_samples() if not ALLOWED_SAMPLE.match(s)]
    assert not bad


def test_samples_are_lowercase_outside_slot_references():
    def words_outside_slots(sample):
        return SLOT_REFERENCE.sub("", sample)

    bad = [
        (i, s) for i, s in all_samples() if words_outside_slots(s) != words_outside_slots(s).lower()
    ]
    assert not bad


def test_samples_have_well_formed_slot_braces():
    for intent_name, sample in all_samples():
        leftover = SLOT_REFERENCE.sub("", sample)
        assert "{" not in leftover and "}" not in leftover, (intent_name, sample)
        for slot_name in SLOT_REFERENCE.findall(sample):
            assert VALID_SLOT_NAME.match(slot_name), (intent_name, sample)


def test_no_hyphenated_check_in():
    assert not [s for _, s in all_samples() if "check-in" in s]


def test_every_slot_referenced_in_a_sample_is_declared():
    for intent_name, sample in all_samples():
        declared = slots_of(intent_name)
        for slot_name in SLOT_REFERENCE.findall(sample):
            assert slot_name in declared, (intent_name, sample)


def test_every_declared_slot_type_exists():
    for intent in LANGUAGE_MODEL["intents"]:
        for slot in intent.get("slots", []):
            slot_type = slot["type"]
            assert slot_type.startswith("AMAZON.") or slot_type in TYPES, (intent["name"], slot)


def test_next_intent_avoids_words_owned_by_built_ins():
    """A sample may open with "okay" ("okay next"), as couples say it; never just okay."""
    for sample in INTENTS["NextIntent"]["samples"]:
        words = normalize(sample).split()
        if words[0] in ("ok", "okay"):
            words = words[1:]
        assert words, sample
        assert not FORBIDDEN_NEXT_WORDS & set(words), sample


def test_fear_and_danger_are_safety_not_support():
    support = {normalize(s) for s in INTENTS["SupportIntent"]["samples"]}
    safety = {normalize(s) for s in INTENTS["SafetyIntent"]["samples"]}
    for words in ("afraid", "scared", "safe", "unsafe", "danger", "hurt", "hits", "abused"):
        assert not [s for s in support if words in s.split() or words in s], words
    assert {"i'm afraid of my partner", "i don't feel safe at home", "he hurts me"} <= safety
    assert {"we need help", "we need support", "we keep fighting"} <= support


def test_length_and_turn_time_intents_have_distinct_phrasings():
    length = {generic(s) for s in INTENTS["LengthIntent"]["samples"]}
    turn_time = {generic(s) for s in INTENTS["TurnTimeIntent"]["samples"]}
    assert not length & turn_time


@pytest.mark.parametrize("type_name", ["CheckInLength", "ExerciseName", "TurnTime"])
def test_custom_slot_type_values_have_ids(type_name):
    for value in TYPES[type_name]["values"]:
        assert value.get("id")
        assert value["name"]["value"]


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_synonyms_unique_within_slot_type(type_name):
    names = []
    for value in TYPES[type_name]["values"]:
        names.append(normalize(value["name"]["value"]))
        names.extend(normalize(s) for s in value["name"].get("synonyms", []))
    repeated = [s for s, n in Counter(names).items() if n > 1]
    assert not repeated


def test_check_in_length_ids_and_values():
    values = {v["id"]: v["name"]["value"] for v in TYPES["CheckInLength"]["values"]}
    assert values == {
        "quick": "quick",
        "full": "full",
        "temperature_reading": "temperature reading",
        "weekly_meeting": "weekly meeting",
    }


def test_every_check_in_length_is_a_plan_of_the_content():
    """A CheckInLength value id is what the engine starts: it must name a plan."""
    from skill.content.loader import default_content

    ids = {v["id"] for v in TYPES["CheckInLength"]["values"]}
    assert ids <= set(default_content().plans)


def test_formats_are_asked_for_by_name():
    """ "Start our temperature reading", "let's do our weekly meeting": the formats have
    their everyday names and carrier phrases of their own."""
    samples = {normalize(s) for s in INTENTS["StartCheckInIntent"]["samples"]}
    assert {"start our {length}", "let's do our {length}", "let's do a {length}"} <= samples
    synonyms = {
        v["id"]: {normalize(v["name"]["value"])} | {normalize(s) for s in v["name"]["synonyms"]}
        for v in TYPES["CheckInLength"]["values"]
    }
    assert {"temperature reading", "temperature check"} <= synonyms["temperature_reading"]
    assert {"weekly meeting", "state of us", "weekly state of us", "state of the union"} <= (
        synonyms["weekly_meeting"]
    )
    # "our weekly check in" is their usual check-in held weekly, not the meeting
    assert "weekly check in" not in set().union(*synonyms.values())


def test_check_in_length_does_not_borrow_turn_time_values():
    length_words = {
        normalize(s) for v in TYPES["CheckInLength"]["values"] for s in v["name"]["synonyms"]
    }
    assert not {"longer", "shorter"} & length_words


def test_exercise_ids_are_the_exercises_the_skill_offers():
    from skill.content.rules import REQUIRED_EXERCISES

    ids = {v["id"] for v in TYPES["ExerciseName"]["values"]}
    assert ids == set(REQUIRED_EXERCISES)


def test_question_is_a_synonym_of_questions():
    (questions,) = [v for v in TYPES["ExerciseName"]["values"] if v["id"] == "questions"]
    assert "question" in questions["name"]["synonyms"]
    assert "ask us a {exercise}" in INTENTS["StartExerciseIntent"]["samples"]


def test_turn_time_ids_and_values():
    values = {v["id"]: v["name"]["value"] for v in TYPES["TurnTime"]["values"]}
    assert values == {"longer": "longer", "shorter": "shorter"}
