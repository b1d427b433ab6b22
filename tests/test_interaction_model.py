"""Static checks on the Alexa interaction models: interaction_models/en-US.json, the source,
and every other English locale's model, which skill/locales.py makes from it (the committed
files must be exactly what it writes). Every check runs for every locale."""

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.intents import MODEL_BUILT_INS
from skill.locales import LOCALES, build_models, model_path

MODELS = Path(__file__).parents[1] / "interaction_models"

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


@dataclass(frozen=True)
class Model:
    """One locale's interaction model."""

    locale: str
    interaction_model: dict[str, Any]

    @property
    def language(self) -> dict[str, Any]:
        return self.interaction_model["languageModel"]

    @property
    def intents(self) -> dict[str, dict[str, Any]]:
        return {intent["name"]: intent for intent in self.language["intents"]}

    @property
    def types(self) -> dict[str, dict[str, Any]]:
        return {slot_type["name"]: slot_type for slot_type in self.language.get("types", [])}

    def all_samples(self) -> list[tuple[str, str]]:
        """(intent name, sample) for every sample in the model."""
        return [
            (intent["name"], sample)
            for intent in self.language["intents"]
            for sample in intent.get("samples", [])
        ]

    def slots_of(self, intent_name: str) -> dict[str, str]:
        return {slot["name"]: slot["type"] for slot in self.intents[intent_name].get("slots", [])}

    def closed_values(self, type_name: str) -> set[str]:
        """Every value and synonym of a custom slot type, normalized."""
        words = set()
        for value in self.types[type_name]["values"]:
            words.add(normalize(value["name"]["value"]))
            words.update(normalize(s) for s in value["name"].get("synonyms", []))
        return words

    def bare_slot_type(self, intent_name: str, sample: str) -> str | None:
        """The slot type of a sample that is one slot and nothing else, else None."""
        found = re.fullmatch(r"\{(\w+)\}", sample.strip())
        return self.slots_of(intent_name)[found.group(1)] if found else None


def load_model(locale: str) -> Model:
    with model_path(locale, MODELS).open(encoding="utf-8") as f:
        return Model(locale, json.load(f)["interactionModel"])


@pytest.fixture(scope="module", params=LOCALES)
def model(request: pytest.FixtureRequest) -> Model:
    return load_model(request.param)


def test_every_locale_has_a_model_file():
    assert sorted(p.stem for p in MODELS.glob("*.json")) == sorted(LOCALES)


def test_the_generated_models_are_what_the_generator_writes():
    """Nobody hand-edits en-GB.json and the rest: edit en-US.json or locales.toml, then run
    `checkin build-models`."""
    for locale, text in build_models(MODELS).items():
        committed = model_path(locale, MODELS).read_text(encoding="utf-8")
        assert committed == text, f"{locale}.json is stale: run `checkin build-models`"


def test_other_locales_keep_every_en_us_sample_and_value():
    source = load_model("en-US")
    for locale in LOCALES[1:]:
        other = load_model(locale)
        assert other.language["invocationName"] == source.language["invocationName"]
        for name, intent in source.intents.items():
            theirs = other.intents[name]
            assert theirs.get("slots") == intent.get("slots"), (locale, name)
            assert set(intent.get("samples", [])) <= set(theirs.get("samples", [])), (locale, name)
        for name, slot_type in source.types.items():
            ids = [v.get("id") for v in slot_type["values"]]
            assert [v.get("id") for v in other.types[name]["values"]] == ids, (locale, name)
            assert source.closed_values(name) <= other.closed_values(name), (locale, name)


def test_locales_have_their_own_words_and_spelling():
    samples = {
        locale: {normalize(s) for _, s in load_model(locale).all_samples()} for locale in LOCALES
    }
    assert "we need a counsellor" in samples["en-GB"] and "cheers" in samples["en-GB"]
    assert "cheers" not in samples["en-US"]
    assert {"keen", "righto"} <= samples["en-AU"]
    assert "please proceed" in samples["en-IN"]
    assert "for sure" in samples["en-CA"]
    assert "let's practise {exercise}" in samples["en-GB"]


def normalize(sample):
    return " ".join(sample.lower().split())


def generic(sample):
    """Replace every {slot} by the same token so slot names cannot hide duplicates."""
    return SLOT_REFERENCE.sub("{}", normalize(sample))


def test_invocation_name_is_our_check_in(model):
    name = model.language["invocationName"]
    assert name == "our check in"
    assert name == name.lower()
    assert len(name.split()) >= 2


def test_no_dialog_or_prompts_sections(model):
    assert set(model.interaction_model) == {"languageModel"}


@pytest.mark.parametrize("intent_name", CUSTOM_INTENT_SLOTS)
def test_custom_intent_exists_with_expected_slots(model, intent_name):
    assert intent_name in model.intents
    assert model.slots_of(intent_name) == CUSTOM_INTENT_SLOTS[intent_name]


def test_length_slot_is_required_on_length_intent(model):
    (length_slot,) = model.intents["LengthIntent"]["slots"]
    assert length_slot.get("required") is True


@pytest.mark.parametrize("intent_name", BUILT_IN_INTENTS)
def test_built_in_intent_is_listed(model, intent_name):
    assert intent_name in model.intents
    assert isinstance(model.intents[intent_name].get("samples"), list)


@pytest.mark.parametrize("intent_name", CUSTOM_INTENT_SLOTS)
def test_custom_intent_has_enough_samples(model, intent_name):
    assert len(model.intents[intent_name]["samples"]) >= MIN_SAMPLES


def test_fallback_intent_has_no_samples(model):
    assert model.intents["AMAZON.FallbackIntent"]["samples"] == []


def test_no_sample_repeated_within_an_intent(model):
    for intent in model.language["intents"]:
        counts = Counter(normalize(s) for s in intent.get("samples", []))
        repeated = [s for s, n in counts.items() if n > 1]
        assert not repeated, f"{intent['name']} repeats {repeated}"


def test_no_sample_shared_between_intents(model):
    owners = {}
    for intent_name, sample in model.all_samples():
        owners.setdefault(normalize(sample), set()).add(intent_name)
    shared = {s: names for s, names in owners.items() if len(names) > 1}
    assert not shared


def one_slot_type(model, intent_name: str, sample: str) -> str | None:
    """The type of a sample's only slot ("a {length} one" -> CheckInLength), else None."""
    found = SLOT_REFERENCE.findall(sample)
    return model.slots_of(intent_name)[found[0].strip("{}")] if len(found) == 1 else None


def test_no_samples_collide_once_slots_are_made_generic(model):
    """The one allowed collision: one-slot samples of the same shape ("{length}" and
    "{exercise}" next to the bare "{firstName}"; "a {length} one" next to "a {questionKind}
    one"), when each custom type is a closed list disjoint from the others, so the value
    alone says which intent it is (the matcher and virtual-alexa both prefer a resolved
    custom value to an open first name)."""
    owners = {}
    for intent_name, sample in model.all_samples():
        owners.setdefault(generic(sample), []).append((intent_name, sample))
    collisions = {}
    for shape, owned in owners.items():
        if len({name for name, _ in owned}) < 2:
            continue
        types = [one_slot_type(model, name, sample) for name, sample in owned]
        custom = sorted({t for t in types if t and not t.startswith("AMAZON.")})
        open_ones = [t for t in types if t and t.startswith("AMAZON.")]
        overlapping = any(
            model.closed_values(first) & model.closed_values(second)
            for i, first in enumerate(custom)
            for second in custom[i + 1 :]
        )
        if None in types or len(open_ones) > 1 or overlapping:
            collisions[shape] = owned
    assert not collisions


def test_bare_custom_slot_samples_have_disjoint_values(model):
    bare = sorted(
        {
            model.bare_slot_type(name, sample)
            for name, sample in model.all_samples()
            if model.bare_slot_type(name, sample)
            and not model.bare_slot_type(name, sample).startswith("AMAZON.")
        }
    )
    assert bare, "the model has bare custom-slot samples ({length}, {exercise})"
    for i, first in enumerate(bare):
        for second in bare[i + 1 :]:
            assert not model.closed_values(first) & model.closed_values(second), (first, second)


def test_bare_custom_values_are_not_literal_samples(model):
    """A word that is a literal sample of some intent ("thanks") is heard as that sample;
    a bare custom value equal to it would be dead."""
    literal = {normalize(s) for _, s in model.all_samples() if "{" not in s}
    for name, sample in model.all_samples():
        slot_type = model.bare_slot_type(name, sample)
        if slot_type and not slot_type.startswith("AMAZON."):
            shadowed = model.closed_values(slot_type) & literal
            assert shadowed <= {"thanks"}, (slot_type, shadowed)


def test_samples_use_only_allowed_characters(model):
    bad = [(i, s) for i, s in model.all_samples() if not ALLOWED_SAMPLE.match(s)]
    assert not bad


def test_samples_are_lowercase_outside_slot_references(model):
    def words_outside_slots(sample):
        return SLOT_REFERENCE.sub("", sample)

    bad = [
        (i, s)
        for i, s in model.all_samples()
        if words_outside_slots(s) != words_outside_slots(s).lower()
    ]
    assert not bad


def test_samples_have_well_formed_slot_braces(model):
    for intent_name, sample in model.all_samples():
        leftover = SLOT_REFERENCE.sub("", sample)
        assert "{" not in leftover and "}" not in leftover, (intent_name, sample)
        for slot_name in SLOT_REFERENCE.findall(sample):
            assert VALID_SLOT_NAME.match(slot_name), (intent_name, sample)


def test_no_hyphenated_check_in(model):
    assert not [s for _, s in model.all_samples() if "check-in" in s]


def test_every_slot_referenced_in_a_sample_is_declared(model):
    for intent_name, sample in model.all_samples():
        declared = model.slots_of(intent_name)
        for slot_name in SLOT_REFERENCE.findall(sample):
            assert slot_name in declared, (intent_name, sample)


def test_every_declared_slot_type_exists(model):
    for intent in model.language["intents"]:
        for slot in intent.get("slots", []):
            slot_type = slot["type"]
            assert slot_type.startswith("AMAZON.") or slot_type in model.types, (
                intent["name"],
                slot,
            )


def test_next_intent_avoids_words_owned_by_built_ins(model):
    """A sample may open with "okay" ("okay next"), as couples say it; never just okay."""
    for sample in model.intents["NextIntent"]["samples"]:
        words = normalize(sample).split()
        if words[0] in ("ok", "okay"):
            words = words[1:]
        assert words, sample
        assert not FORBIDDEN_NEXT_WORDS & set(words), sample


def test_fear_and_danger_are_safety_not_support(model):
    support = {normalize(s) for s in model.intents["SupportIntent"]["samples"]}
    safety = {normalize(s) for s in model.intents["SafetyIntent"]["samples"]}
    for words in ("afraid", "scared", "safe", "unsafe", "danger", "hurt", "hits", "abused"):
        assert not [s for s in support if words in s.split() or words in s], words
    assert {"i'm afraid of my partner", "i don't feel safe at home", "he hurts me"} <= safety
    assert {"we need help", "we need support", "we keep fighting"} <= support


def test_length_and_turn_time_intents_have_distinct_phrasings(model):
    length = {generic(s) for s in model.intents["LengthIntent"]["samples"]}
    turn_time = {generic(s) for s in model.intents["TurnTimeIntent"]["samples"]}
    assert not length & turn_time


@pytest.mark.parametrize("type_name", ["CheckInLength", "ExerciseName", "TurnTime"])
def test_custom_slot_type_values_have_ids(model, type_name):
    for value in model.types[type_name]["values"]:
        assert value.get("id")
        assert value["name"]["value"]


@pytest.mark.parametrize("type_name", sorted(load_model("en-US").types))
def test_synonyms_unique_within_slot_type(model, type_name):
    names = []
    for value in model.types[type_name]["values"]:
        names.append(normalize(value["name"]["value"]))
        names.extend(normalize(s) for s in value["name"].get("synonyms", []))
    repeated = [s for s, n in Counter(names).items() if n > 1]
    assert not repeated


def test_check_in_length_ids_and_values(model):
    values = {v["id"]: v["name"]["value"] for v in model.types["CheckInLength"]["values"]}
    assert values == {
        "quick": "quick",
        "full": "full",
        "temperature_reading": "temperature reading",
        "weekly_meeting": "weekly meeting",
    }


def test_every_check_in_length_is_a_plan_of_the_content(model):
    """A CheckInLength value id is what the engine starts: it must name a plan."""
    from skill.content.loader import default_content

    ids = {v["id"] for v in model.types["CheckInLength"]["values"]}
    assert ids <= set(default_content().plans)


def test_formats_are_asked_for_by_name(model):
    """ "Start our temperature reading", "let's do our weekly meeting": the formats have
    their everyday names and carrier phrases of their own."""
    samples = {normalize(s) for s in model.intents["StartCheckInIntent"]["samples"]}
    assert {"start our {length}", "let's do our {length}", "let's do a {length}"} <= samples
    synonyms = {
        v["id"]: {normalize(v["name"]["value"])} | {normalize(s) for s in v["name"]["synonyms"]}
        for v in model.types["CheckInLength"]["values"]
    }
    assert {"temperature reading", "temperature check"} <= synonyms["temperature_reading"]
    assert {"weekly meeting", "state of us", "weekly state of us", "state of the union"} <= (
        synonyms["weekly_meeting"]
    )
    # "our weekly check in" is their usual check-in held weekly, not the meeting
    assert "weekly check in" not in set().union(*synonyms.values())


def test_check_in_length_does_not_borrow_turn_time_values(model):
    length_words = {
        normalize(s) for v in model.types["CheckInLength"]["values"] for s in v["name"]["synonyms"]
    }
    assert not {"longer", "shorter"} & length_words


def test_exercise_ids_are_the_exercises_the_skill_offers(model):
    from skill.content.rules import REQUIRED_EXERCISES

    ids = {v["id"] for v in model.types["ExerciseName"]["values"]}
    assert ids == set(REQUIRED_EXERCISES)


def test_question_is_a_synonym_of_questions(model):
    (questions,) = [v for v in model.types["ExerciseName"]["values"] if v["id"] == "questions"]
    assert "question" in questions["name"]["synonyms"]
    assert "ask us a {exercise}" in model.intents["StartExerciseIntent"]["samples"]


def test_turn_time_ids_and_values(model):
    values = {v["id"]: v["name"]["value"] for v in model.types["TurnTime"]["values"]}
    assert values == {"longer": "longer", "shorter": "shorter"}


def test_the_generator_writes_every_locale_once_and_refuses_unknown_names(tmp_path, capsys):
    import shutil

    from skill import cli
    from skill.locales import write_models

    for name in ("en-US.json", "locales.toml"):
        shutil.copy(MODELS / name, tmp_path / name)
    assert cli.main(["build-models", str(tmp_path)]) == 0  # the command the README names
    assert "(4 changed)" in capsys.readouterr().out
    assert write_models(tmp_path) == []  # nothing changed: nothing written
    for locale in LOCALES[1:]:
        assert (tmp_path / f"{locale}.json").read_bytes() == model_path(locale).read_bytes()
    differences = (tmp_path / "locales.toml").read_text(encoding="utf-8")
    (tmp_path / "locales.toml").write_text(
        differences + "\n[locales.en-GB.samples.NoSuchIntent]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="NoSuchIntent"):
        write_models(tmp_path)
