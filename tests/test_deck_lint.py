"""The validator on the deck's ids and kinds: a writer who breaks what the whole-history deck
relies on is told the file, the entry and what to do."""

from __future__ import annotations

from tests.test_lint_content import assert_reported, edit, edit_pattern


def test_a_question_id_without_a_number(content, capsys):
    edit_pattern(content, "questions.toml", r"^mem02 = ", "memtwo = ")
    entry = "categories.memories.questions.memtwo"
    message = "the id must be lowercase letters then a number up to 999, like mem33"
    assert_reported(content, capsys, "questions.toml", entry, message)


def test_a_question_id_with_a_four_digit_number(content, capsys):
    edit_pattern(content, "questions.toml", r"^mem02 = ", "mem1002 = ")
    entry = "categories.memories.questions.mem1002"
    assert_reported(content, capsys, "questions.toml", entry, "a number up to 999")


def test_two_ids_with_the_same_number_count_as_one_question(content, capsys):
    edit_pattern(content, "questions.toml", r"^mem02 = ", "mem1 = ")
    entry = "categories.memories.questions.mem1"
    message = "has the same number as mem01: mem1 and mem01 count as one"
    assert_reported(content, capsys, "questions.toml", entry, message)


def test_a_kind_the_skill_does_not_know(content, capsys):
    edit(content, "questions.toml", 'kinds = ["memory"]', 'kinds = ["memory", "spicy"]')
    message = "kinds must be a list of: deep, fun, memory, dreams, romance"
    assert_reported(content, capsys, "questions.toml", "categories.memories", message)


def test_a_kind_no_category_answers(content, capsys):
    edit(content, "questions.toml", 'kinds = ["memory"]\n', "")
    message = 'no category answers "memory": add kinds = ["memory"]'
    assert_reported(content, capsys, "questions.toml", "categories", message)


def test_a_kind_only_a_stage_of_life_answers_is_not_enough(content, capsys):
    """A category asked for by name is never drawn for everyone: it cannot be the only one."""
    edit(content, "questions.toml", 'kinds = ["memory"]\n', "")
    long_term = 'label = "long-term couples"\n'
    edit(content, "questions.toml", long_term, long_term + 'kinds = ["memory"]\n')
    message = 'no category answers "memory"'
    assert_reported(content, capsys, "questions.toml", "categories", message)
