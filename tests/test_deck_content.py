"""The question deck as a couple hears it: no question twice in other words, enough of each
kind, something for every stage of a relationship, and every question said in one breath."""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import pytest

DECK = Path(__file__).resolve().parents[1] / "skill" / "content" / "questions.toml"
CATEGORIES = tomllib.loads(DECK.read_text(encoding="utf-8"))["categories"]
QUESTIONS = {
    q_id: (cat_id, text)
    for cat_id, cat in CATEGORIES.items()
    for q_id, text in cat["questions"].items()
}

STAGES = ("new_couples", "long_term", "parents", "long_distance")
MIN_PER_CATEGORY = 30
MAX_WORDS = 30
NEAR_DUPLICATE = 0.6  # share of content words two questions have in common (Jaccard)

# Words that carry no topic: two questions sharing only these are not alike.
FILLER = {
    "a", "an", "the", "of", "to", "you", "your", "you're", "you've", "you'd", "i", "is", "are",
    "was", "were", "be", "been", "do", "does", "did", "what", "what's", "which", "how", "when",
    "where", "who", "who's", "whose", "why", "and", "or", "but", "in", "on", "at", "for", "with",
    "from", "that", "this", "it", "it's", "its", "as", "by", "about", "if", "would", "could",
    "should", "can", "will", "just", "one", "some", "any", "there", "their", "they", "them",
    "other", "s", "d", "ve", "re", "ll", "me", "my", "we", "our", "us", "two", "so", "up", "out",
    "into", "than", "then", "more", "most", "very", "really", "still", "even", "like", "get",
    "got", "have", "has", "had", "lately", "week",
}  # fmt: skip


def words(text: str) -> list[str]:
    text = text.lower().replace("{other}'s", " ").replace("{other}", " ")
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text)


def topic(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in FILLER)


def overlap(a: str, b: str) -> float:
    ta, tb = topic(a), topic(b)
    if not ta or not tb:
        return 1.0 if words(a) == words(b) else 0.0
    return len(ta & tb) / len(ta | tb)


def test_the_measure_catches_a_question_asked_again_in_other_words():
    first = "What's something you're learning about yourself lately?"
    again = "What's something you're still learning to accept about yourself?"
    assert overlap(first, again) >= NEAR_DUPLICATE
    assert overlap(first, "Which cartoon character do you secretly relate to?") < NEAR_DUPLICATE


def test_no_two_questions_in_the_deck_are_near_duplicates():
    close = [
        f"{a} / {b}: {overlap(ta, tb):.2f}"
        for (a, (_, ta)), (b, (_, tb)) in itertools.combinations(QUESTIONS.items(), 2)
        if overlap(ta, tb) >= NEAR_DUPLICATE
    ]
    assert close == []


def test_the_deck_is_deep_and_wide():
    assert len(QUESTIONS) >= 560
    assert len(CATEGORIES) >= 14


@pytest.mark.parametrize("cat_id", sorted(CATEGORIES))
def test_every_category_holds_at_least_thirty(cat_id):
    assert len(CATEGORIES[cat_id]["questions"]) >= MIN_PER_CATEGORY


def test_every_stage_of_a_relationship_has_its_category():
    assert set(STAGES) <= set(CATEGORIES)


def test_light_and_deep_kinds_are_there():
    assert {"deep", "playful", "fun"} <= set(CATEGORIES)


def test_every_question_fits_in_one_breath():
    long = {
        q_id: text
        for q_id, (_, text) in QUESTIONS.items()
        if len(text.replace("{other}", "Alex").split()) > MAX_WORDS
    }
    assert long == {}


def test_each_category_keeps_one_id_prefix_of_its_own():
    prefixes = {}
    for cat_id, cat in CATEGORIES.items():
        found = {re.fullmatch(r"([a-z]+)\d{2,3}", q_id) for q_id in cat["questions"]}
        assert None not in found, cat_id
        own = {m.group(1) for m in found}
        assert len(own) == 1, (cat_id, own)
        prefixes[cat_id] = own.pop()
    assert len(set(prefixes.values())) == len(prefixes)


def test_no_question_presumes_a_gender():
    gendered = {"he", "she", "him", "his", "her", "hers", "husband", "wife", "boyfriend",
                "girlfriend", "man", "woman"}  # fmt: skip
    found = {q_id: text for q_id, (_, text) in QUESTIONS.items() if gendered & set(words(text))}
    assert found == {}


def test_only_the_parents_category_presumes_children():
    about_children = {"children", "kids", "parent", "parents", "parenting", "son", "daughter"}
    found = {
        q_id: text
        for q_id, (cat_id, text) in QUESTIONS.items()
        if cat_id != "parents" and about_children & set(words(text))
    }
    assert found == {}


def test_no_question_asks_about_past_partners_or_for_a_rating():
    risky = re.compile(r"\b(ex|exes|past partners?|former partners?|rate|score)\b", re.I)
    found = {q_id: text for q_id, (_, text) in QUESTIONS.items() if risky.search(text)}
    assert found == {}


# --- kinds: what a couple can ask for by voice ----------------------------------------------
MIN_PER_KIND = 30  # enough that "a deep one" every evening of a month needs no repeat


def kinds_in_the_model(locale: str) -> set[str]:
    import json

    model = Path(__file__).resolve().parents[1] / "interaction_models" / f"{locale}.json"
    types = json.loads(model.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    (kind,) = [t for t in types["types"] if t["name"] == "QuestionKind"]
    return {value["id"] for value in kind["values"]}


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_every_kind_the_model_hears_is_a_kind_of_the_deck(locale):
    from skill.content.model import Kind

    assert kinds_in_the_model(locale) == {kind.value for kind in Kind}


def test_every_kind_draws_from_enough_questions_for_everyone():
    from skill.content.model import Kind

    for kind in Kind:
        found = [
            q_id
            for q_id, (cat_id, _) in QUESTIONS.items()
            if kind in CATEGORIES[cat_id].get("kinds", [])
            and not CATEGORIES[cat_id].get("on_request")
        ]
        assert len(found) >= MIN_PER_KIND, kind


def test_the_stages_of_a_relationship_are_never_a_kind():
    """A kind is drawn for any couple: no question for parents to a couple without children."""
    assert all(not CATEGORIES[stage].get("kinds") for stage in STAGES)
