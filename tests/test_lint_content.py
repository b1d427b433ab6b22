"""`checkin lint-content` tells a content writer the file, the entry and what is wrong.

Each test copies the shipped content to a temporary folder, breaks one thing in the TOML
text, and runs both the validator and the command line on it."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skill.cli import main
from skill.content.lint import FILES
from skill.content.loader import (
    ContentError,
    build,
    check_directory,
    load_content,
    read_files,
)
from skill.content.model import Content
from skill.content.rules import MIN_CATEGORIES, MIN_QUESTIONS
from skill.engine.conversation import handle
from skill.engine.events import Event
from skill.engine.state import State
from skill.speech.timing import estimated_seconds

AUDIO_CAP_SECONDS = 240  # Alexa plays at most this much audio in one response
QUESTION_LINE = re.compile(r'^(\w+) = "', re.MULTILINE)


# --- editing the copy ----------------------------------------------------------------------


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {file} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_pattern(folder: Path, file: str, pattern: str, new: str) -> None:
    path = folder / file
    text, count = re.subn(pattern, new, path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} matched {count} times in {file}"
    path.write_text(text, encoding="utf-8")


def parsed(folder: Path, file: str) -> dict:
    return tomllib.loads((folder / file).read_text(encoding="utf-8"))


def question_ids(folder: Path) -> list[str]:
    categories = parsed(folder, "questions.toml")["categories"]
    return [q_id for category in categories.values() for q_id in category["questions"]]


def set_question(folder: Path, q_id: str, text: str) -> None:
    edit_pattern(folder, "questions.toml", rf"^{q_id} = \".*\"$", f'{q_id} = "{text}"')


def remove_phrase_variant(folder: Path, key: str) -> None:
    variant = parsed(folder, "phrases.toml")[key][-1]
    edit(folder, "phrases.toml", f'  "{variant}",\n]', "]")


def remove_block(folder: Path, file: str, header: str, next_header: str) -> None:
    """Delete from a table header up to (not including) the next header given."""
    edit_pattern(folder, file, rf"^{re.escape(header)}\n(?:.*\n)*?(?={re.escape(next_header)})", "")


# --- running the validator both ways ------------------------------------------------------


def run_cli(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["lint-content", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_reported(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    entry: str,
    message: str,
    alone: bool = True,
) -> None:
    """The validator and the command both name the file, the entry and what is wrong."""
    problems = check_directory(folder)
    found = [p for p in problems if (p.file, p.entry) == (file, entry) and message in p.message]
    assert found, "\n".join(str(p) for p in problems) or "no problems reported"
    if alone:
        assert len(problems) == 1, "\n".join(str(p) for p in problems)
    code, out, err = run_cli(folder, capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(f"{file}: {entry}: ")]
    assert any(message in line for line in lines), out
    assert f"{len(problems)} problem(s) in {folder}" in err
    assert "content OK" not in out


# --- the shipped content ------------------------------------------------------------------


def test_the_shipped_content_is_clean(capsys):
    assert check_directory() == []
    assert main(["lint-content"]) == 0
    assert "content OK" in capsys.readouterr().out


def test_an_untouched_copy_is_clean(content, capsys):
    assert check_directory(content) == []
    code, out, _ = run_cli(content, capsys)
    assert code == 0
    assert out.strip() == f"content OK: {content}"


# --- files --------------------------------------------------------------------------------


def test_invalid_toml_names_the_file(content, capsys):
    edit(content, "exercises.toml", "[exercises.gratitude]\n", "[exercises.gratitude\n")
    assert_reported(content, capsys, "exercises.toml", "(file)", "is not valid TOML")


def test_a_missing_file_is_named(content, capsys):
    (content / "pauses.toml").unlink()
    assert_reported(content, capsys, "pauses.toml", "(file)", "is missing from")


def test_a_missing_content_folder_names_every_file(tmp_path, capsys):
    folder = tmp_path / "nowhere"
    problems = check_directory(folder)
    assert {p.file for p in problems} == set(FILES)
    code, out, _ = run_cli(folder, capsys)
    assert code == 1
    assert all(f"{name}: (file): is missing" in out for name in FILES)


# --- questions ----------------------------------------------------------------------------


def test_a_question_without_a_question_mark(content, capsys):
    set_question(content, "mem02", "Tell me about the day you met {other}.")
    entry = "categories.memories.questions.mem02"
    assert_reported(content, capsys, "questions.toml", entry, "should end with a question mark")


def test_a_question_id_used_in_two_categories(content, capsys):
    edit_pattern(content, "questions.toml", r"^dre01 = ", "mem01 = ")
    entry = "categories.dreams.questions.mem01"
    message = "repeats the id used in categories.memories"
    assert_reported(content, capsys, "questions.toml", entry, message)


def test_an_unknown_placeholder_in_a_question(content, capsys):
    set_question(content, "mem02", "What do you remember about the day you met {partner}?")
    entry = "categories.memories.questions.mem02"
    message = "uses unknown placeholder {partner} (allowed here: {other})"
    assert_reported(content, capsys, "questions.toml", entry, message)


def test_a_brace_that_is_not_a_placeholder(content, capsys):
    set_question(content, "mem02", "What do you remember about the day you met {other?")
    entry = "categories.memories.questions.mem02"
    message = "has a brace that is not a {placeholder}"
    assert_reported(content, capsys, "questions.toml", entry, message)


def delete_questions(folder: Path, keep: int) -> None:
    ids = question_ids(folder)
    gone = set(ids[: len(ids) - keep])
    path = folder / "questions.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if x.split(" = ")[0] not in gone), encoding="utf-8")
    assert len(question_ids(folder)) == keep


def test_a_deck_one_question_short_is_too_small(content, capsys):
    delete_questions(content, keep=MIN_QUESTIONS - 1)
    message = f"hold {MIN_QUESTIONS - 1} questions; the deck needs {MIN_QUESTIONS}"
    assert_reported(content, capsys, "questions.toml", "categories", message)


def test_a_deck_of_exactly_the_minimum_is_enough(content):
    delete_questions(content, keep=MIN_QUESTIONS)
    assert check_directory(content) == []


def test_one_category_too_few(content, capsys):
    # Fold the last categories' questions into the ones before: same deck, fewer categories.
    categories = list(parsed(content, "questions.toml")["categories"])
    for last in categories[MIN_CATEGORIES - 1 :]:
        header = rf"^\[categories\.{last}\]\nlabel = .*\n(?:(?:not_after|on_request) = .*\n)*"
        edit_pattern(content, "questions.toml", header, "")
        edit(content, "questions.toml", f"[categories.{last}.questions]\n", "")
    assert len(parsed(content, "questions.toml")["categories"]) == MIN_CATEGORIES - 1
    message = f"has {MIN_CATEGORIES - 1}; the deck needs {MIN_CATEGORIES}"
    assert_reported(content, capsys, "questions.toml", "categories", message)


# --- exercises and plans ------------------------------------------------------------------

HUG_BEAT = 'who = "both"\nfloor = 20\nprompts = [\n  "Stand up'


def test_a_beat_for_everyone(content, capsys):
    edit(content, "exercises.toml", HUG_BEAT, HUG_BEAT.replace('"both"', '"everyone"'))
    message = "who must be one of first, second, both"
    assert_reported(content, capsys, "exercises.toml", "exercises.hug beat 1", message)


def test_a_floor_of_500_seconds(content, capsys):
    edit(content, "exercises.toml", HUG_BEAT, HUG_BEAT.replace("floor = 20", "floor = 500"))
    message = 'floor must be "turn" or seconds from 0 to 120'
    assert_reported(content, capsys, "exercises.toml", "exercises.hug beat 1", message)


def test_a_plan_step_naming_an_exercise_that_does_not_exist(content, capsys):
    edit(content, "exercises.toml", '{ exercise = "gratitude" },', '{ exercise = "gratitud" },')
    message = "names exercise 'gratitud', which does not exist"
    assert_reported(content, capsys, "exercises.toml", "plans.quick step 2", message)


def test_markup_in_a_prompt(content, capsys):
    edit(content, "exercises.toml", "Take your time.", "<b>Take your time.</b>")
    entry = "exercises.gratitude beat 1 prompts variant 1"
    message = "contains < or >: write plain words, not markup"
    assert_reported(content, capsys, "exercises.toml", entry, message)


def test_a_prompt_naming_the_speaker_in_a_beat_for_both(content, capsys):
    edit(content, "exercises.toml", "Stand up, hold each other", "{speaker}, stand up, hold")
    entry = "exercises.hug beat 1 prompts variant 1"
    message = "uses unknown placeholder {speaker} (allowed here: {first}, {second})"
    assert_reported(content, capsys, "exercises.toml", entry, message)


def test_a_required_exercise_removed(content, capsys):
    remove_block(content, "exercises.toml", "[exercises.active_listening]", "[exercises.")
    assert "active_listening" not in parsed(content, "exercises.toml")["exercises"]
    message = "is missing; the skill offers it"
    assert_reported(content, capsys, "exercises.toml", "exercises.active_listening", message)


QUESTIONS_FIRST_BEAT = (
    r'(\[\[exercises\.questions\.beats\]\]\n)who = "first"\n(floor = "turn"\n'
    r'source = "question"\n)prompts = \[\n(?:  ".*",\n)+\]'
)
BOTH_PROMPTS = '["For you both: {question}", "Together: {question}", "Now: {question}"]'
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def unchecked_content(folder: Path) -> Content:
    """The content as the skill would build it, without asking the validator first."""
    raw, problems = read_files(folder)
    assert problems == []
    return build(raw)


def test_a_question_beat_for_both_partners_is_refused(content, capsys):
    edit_pattern(
        content,
        "exercises.toml",
        QUESTIONS_FIRST_BEAT,
        rf'\1who = "both"\n\2prompts = {BOTH_PROMPTS}',
    )
    # Questions name the listener, {other}; in a beat for both there is no listener.
    couple = State(names=("Sam", "Alex"), phase="beat", plan="ex:questions", question="mem02")
    reply = handle(couple, Event("repeat"), NOW, unchecked_content(content)).reply
    assert "the day you met ?" in reply.text
    problems = check_directory(content)
    assert any(p.entry.startswith("exercises.questions beat 1") for p in problems), (
        "lint accepts a question beat for both partners"
    )
    code, out, _ = run_cli(content, capsys)
    assert code == 1
    assert "exercises.toml: exercises.questions beat 1" in out


# --- pauses -------------------------------------------------------------------------------

ONE_MINUTE_LINES = r"(?<=minutes = 1\n)lines = \[\n(?:  .*\n)*?\]"


def test_a_one_minute_script_with_30_seconds_of_silence(content, capsys):
    short = 'lines = ["Close your eyes.", 10, "Breathe in.", 10, "And out.", 10, "Open your eyes."]'
    edit_pattern(content, "pauses.toml", ONE_MINUTE_LINES, short)
    message = "lasts about 39 seconds spoken, with the intro and the closing line; it announces 60"
    assert_reported(content, capsys, "pauses.toml", "scripts (minutes = 1)", message)


def test_a_one_minute_script_within_ten_percent_is_accepted(content):
    close = 'lines = ["Close your eyes.", 30, "Breathe.", 24, "Open your eyes."]'
    edit_pattern(content, "pauses.toml", ONE_MINUTE_LINES, close)
    assert check_directory(content) == []


def test_a_silence_longer_than_30_seconds(content, capsys):
    long_silence = 'lines = ["Close your eyes.", 60, "Open your eyes."]'
    edit_pattern(content, "pauses.toml", ONE_MINUTE_LINES, long_silence)
    message = "a silence is 1 to 30 seconds"
    assert_reported(content, capsys, "pauses.toml", "scripts (minutes = 1) line 2", message)


def test_a_breathing_script_too_long_for_one_response_is_refused(content, capsys):
    words = (
        "Let your breath be slow and easy, and let each thought pass by like a cloud, "
        "noticing it and letting it go, again and again, while you stay here together."
    )
    last = parsed(content, "pauses.toml")["scripts"][2]["lines"][-1]
    edit(content, "pauses.toml", f'  "{last}",\n', f'  "{words}",\n' * 6 + f'  "{last}",\n')
    # The same silences, but the words no longer fit in Alexa's 240 s.
    couple = State(names=("Sam", "Alex"), phase="ready")
    event = Event("exercise", {"exercise": "mindful_pause"})
    reply = handle(couple, event, NOW, unchecked_content(content)).reply
    assert estimated_seconds(reply.speech) > AUDIO_CAP_SECONDS
    problems = check_directory(content)
    assert any(p.file == "pauses.toml" and "minutes = 3" in p.entry for p in problems), (
        "lint accepts a pause script that makes a reply longer than 240 s"
    )
    code, _, _ = run_cli(content, capsys)
    assert code == 1


# --- phrases ------------------------------------------------------------------------------


def test_a_phrase_with_only_two_variants(content, capsys):
    remove_phrase_variant(content, "skipping")
    message = "has 2 variant(s); write at least 3"
    assert_reported(content, capsys, "phrases.toml", "skipping", message)


def test_a_missing_phrase(content, capsys):
    edit_pattern(content, "phrases.toml", r"^carry_on = \[\n(?:  .*\n)*?\]\n", "")
    assert_reported(content, capsys, "phrases.toml", "carry_on", "is missing; the skill says it")


def test_a_misspelt_phrase_key(content, capsys):
    edit(content, "phrases.toml", "carry_on = [", "cary_on = [")
    message = "is not a phrase the skill uses (a typo?)"
    assert_reported(content, capsys, "phrases.toml", "cary_on", message, alone=False)
    assert_reported(content, capsys, "phrases.toml", "carry_on", "is missing", alone=False)
    assert len(check_directory(content)) == 2


def test_a_phrase_using_a_placeholder_the_skill_does_not_fill(content, capsys):
    edit(content, "phrases.toml", '"Goodbye for now."', '"Goodbye for now, {name}."')
    message = "uses unknown placeholder {name} (allowed here: none)"
    assert_reported(content, capsys, "phrases.toml", "stop_plain variant 2", message)


# --- loading ------------------------------------------------------------------------------


def test_loading_broken_content_lists_every_problem(content):
    set_question(content, "mem02", "Tell me about the day you met {other}.")
    edit(content, "exercises.toml", HUG_BEAT, HUG_BEAT.replace("floor = 20", "floor = 500"))
    with pytest.raises(ContentError) as raised:
        load_content(content)
    problems = raised.value.problems
    assert [(p.file, p.entry) for p in problems] == [
        ("exercises.toml", "exercises.hug beat 1"),
        ("questions.toml", "categories.memories.questions.mem02"),
    ]
    assert str(raised.value).splitlines() == [str(p) for p in problems]


def test_loading_a_folder_with_invalid_toml_names_the_file(content):
    edit(content, "phrases.toml", "carry_on = [", "carry_on = [[")
    with pytest.raises(ContentError, match=r"phrases\.toml: \(file\): is not valid TOML"):
        load_content(content)
