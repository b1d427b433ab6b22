"""The validator on the deck's ids and kinds: a writer who breaks what the whole-history deck
relies on is told the file, the entry and what to do.

Each case: the edits made to the copy of questions.toml (a regular expression, or plain
text), then the entry and the words the report must name."""

from __future__ import annotations

import pytest

from tests.test_lint_content import assert_reported, edit, edit_pattern

KINDS = 'kinds = ["memory"]'
LONG_TERM = 'label = "long-term couples"\n'

# (id, [(how, old, new), ...], entry, message); how: "pattern" (edit_pattern) or "text" (edit)
CASES = [
    (
        "a_question_id_without_a_number",
        [("pattern", r"^mem02 = ", "memtwo = ")],
        "categories.memories.questions.memtwo",
        "the id must be lowercase letters then a number up to 999, like mem33",
    ),
    (
        "a_question_id_with_a_four_digit_number",
        [("pattern", r"^mem02 = ", "mem1002 = ")],
        "categories.memories.questions.mem1002",
        "a number up to 999",
    ),
    (
        "two_ids_with_the_same_number_count_as_one_question",
        [("pattern", r"^mem02 = ", "mem1 = ")],
        "categories.memories.questions.mem1",
        "has the same number as mem01: mem1 and mem01 count as one",
    ),
    (
        "a_kind_the_skill_does_not_know",
        [("text", KINDS, 'kinds = ["memory", "spicy"]')],
        "categories.memories",
        "kinds must be a list of: deep, fun, memory, dreams, romance",
    ),
    (
        "a_kind_no_category_answers",
        [("text", KINDS + "\n", "")],
        "categories",
        'no category answers "memory": add kinds = ["memory"]',
    ),
    # A category asked for by name is never drawn for everyone: it cannot be the only one.
    (
        "a_kind_only_a_stage_of_life_answers_is_not_enough",
        [("text", KINDS + "\n", ""), ("text", LONG_TERM, LONG_TERM + KINDS + "\n")],
        "categories",
        'no category answers "memory"',
    ),
]


@pytest.mark.parametrize(
    ("edits", "entry", "message"),
    [pytest.param(*case, id=name) for name, *case in CASES],
)
def test_a_broken_deck_is_reported(content, capsys, edits, entry, message):
    for how, old, new in edits:
        (edit_pattern if how == "pattern" else edit)(content, "questions.toml", old, new)
    assert_reported(content, capsys, "questions.toml", entry, message)
