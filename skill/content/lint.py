"""Validate the content files and say, for each problem, the file, the entry and what is wrong.

Works on the raw TOML tables so that it can report on files the loader could not build."""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any, NamedTuple

from skill.content import rules
from skill.content.model import QUESTION_ID, Kind, Source, Who
from skill.speech.timing import Pause, estimated_seconds

CORE_FILES = (
    "exercises.toml",
    "questions.toml",
    "pauses.toml",
    "phrases.toml",
    "locales.toml",
    "meditations.toml",
)
# The lines of one capability each. An entry is a table: `say`, its variants, and `example`,
# a sample value for each placeholder it may use (besides the partners' names), which the
# read-aloud test speaks them with.
FEATURE_PHRASES = ("meditation_phrases.toml", "reminder_phrases.toml", "deck_phrases.toml")
FILES = CORE_FILES + FEATURE_PHRASES
NAME_PLACEHOLDERS = ("first", "second", "speaker", "other")
FEATURE_MIN_VARIANTS = 2


class Problem(NamedTuple):
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


def placeholders(text: str) -> set[str] | None:
    """The {names} a text uses, or None when its braces are malformed."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def check_text(file: str, entry: str, text: Any, allowed: Iterable[str]) -> list[Problem]:
    """One spoken line: a non-empty string, short, plain, using only allowed placeholders."""
    if not isinstance(text, str):
        return [Problem(file, entry, f"must be text in quotes, not {type(text).__name__}")]
    problems = []
    if not text.strip():
        problems.append(Problem(file, entry, "is empty"))
    if len(text) > rules.MAX_TEXT:
        problems.append(
            Problem(file, entry, f"is {len(text)} characters long; keep it under {rules.MAX_TEXT}")
        )
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text):
        problems.append(Problem(file, entry, "contains a control character"))
    if "<" in text or ">" in text:
        problems.append(Problem(file, entry, "contains < or >: write plain words, not markup"))
    names = placeholders(text)
    if names is None:
        problems.append(Problem(file, entry, "has a brace that is not a {placeholder}"))
    else:
        unknown = sorted(names - set(allowed))
        if unknown:
            allowed_text = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            problems.append(
                Problem(
                    file,
                    entry,
                    f"uses unknown placeholder {', '.join('{' + u + '}' for u in unknown)}"
                    f" (allowed here: {allowed_text})",
                )
            )
    return problems


def check_variants(
    file: str, entry: str, value: Any, allowed: Iterable[str], minimum: int = 1
) -> list[Problem]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return [Problem(file, entry, "must be a list of one or more lines in quotes")]
    problems = []
    if len(value) < minimum:
        problems.append(
            Problem(file, entry, f"has {len(value)} variant(s); write at least {minimum}")
        )
    allowed = list(allowed)
    for i, text in enumerate(value, 1):
        problems += check_text(file, f"{entry} variant {i}", text, allowed)
    return problems


def unknown_keys(file: str, entry: str, table: dict[str, Any], known: set[str]) -> list[Problem]:
    unknown = sorted(set(table) - known)
    return [Problem(file, entry, f"unknown key(s): {', '.join(unknown)}")] if unknown else []


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


BEAT_FILE = "exercises.toml"


def check_beat(entry: str, beat: Any, pause_source_ok: bool) -> list[Problem]:
    if not isinstance(beat, dict):
        return [Problem(BEAT_FILE, entry, "must be a table with who, prompts and floor")]
    problems, who, source = check_who_and_source(entry, beat, pause_source_ok)
    problems += check_beat_prompts(entry, beat.get("prompts"), who, source)
    floor = beat.get("floor")
    if floor != "turn" and not (is_int(floor) and 0 <= floor <= rules.MAX_FLOOR):
        message = f'floor must be "turn" or seconds from 0 to {rules.MAX_FLOOR}'
        problems.append(Problem(BEAT_FILE, entry, message))
    if source == Source.PAUSE and floor != 0:
        message = "floor must be 0: the script's own silences are the pause"
        problems.append(Problem(BEAT_FILE, entry, message))
    if "after" in beat:
        allowed = rules.BEAT_PLACEHOLDERS[who]
        problems += check_variants(BEAT_FILE, f"{entry} after", beat["after"], allowed)
    return problems + unknown_keys(
        BEAT_FILE, entry, beat, {"who", "prompts", "floor", "source", "after"}
    )


def check_who_and_source(
    entry: str, beat: dict[str, Any], pause_source_ok: bool
) -> tuple[list[Problem], Who, Source | None]:
    """Who the beat is for and where its words come from (an unknown `who` is taken as
    both, an unknown source as None, so that the other checks can go on)."""
    problems = []
    who = beat.get("who")
    if who not in rules.WHO:
        problems.append(Problem(BEAT_FILE, entry, f"who must be one of {', '.join(rules.WHO)}"))
        who = Who.BOTH
    source = beat.get("source", "")
    if source not in rules.SOURCES:
        problems.append(Problem(BEAT_FILE, entry, "source must be question, pause, or left out"))
        source = None
    if source == Source.PAUSE and not pause_source_ok:
        problems.append(Problem(BEAT_FILE, entry, "source pause belongs to the mindful pause only"))
    if source == Source.QUESTION and who == Who.BOTH:
        message = 'a question is asked to one partner: who must be "first" or "second"'
        problems.append(Problem(BEAT_FILE, entry, message))
    return problems, Who(who), None if source is None else Source(source)


def check_beat_prompts(entry: str, prompts: Any, who: Who, source: Source | None) -> list[Problem]:
    if source == Source.PAUSE:
        if isinstance(prompts, list):
            return []
        return [Problem(BEAT_FILE, entry, 'prompts must be a list (use [""])')]
    allowed = set(rules.BEAT_PLACEHOLDERS[who])
    if source != Source.QUESTION:
        return check_variants(BEAT_FILE, f"{entry} prompts", prompts, allowed)
    problems = check_variants(BEAT_FILE, f"{entry} prompts", prompts, allowed | {"question"})
    for i, text in enumerate(prompts if isinstance(prompts, list) else [], 1):
        if isinstance(text, str) and "{question}" not in text:
            problems.append(
                Problem(BEAT_FILE, f"{entry} prompts variant {i}", "must include {question}")
            )
    return problems


def check_exercises(raw: dict[str, Any]) -> list[Problem]:
    file = "exercises.toml"
    exercises = raw.get("exercises")
    if not isinstance(exercises, dict):
        return [Problem(file, "exercises", "is missing: add [exercises.<id>] tables")]
    problems = []
    for ex_id in rules.REQUIRED_EXERCISES:
        if ex_id not in exercises:
            problems.append(Problem(file, f"exercises.{ex_id}", "is missing; the skill offers it"))
    for ex_id, ex in exercises.items():
        entry = f"exercises.{ex_id}"
        if not isinstance(ex, dict):
            problems.append(Problem(file, entry, "must be a table"))
            continue
        problems += check_text(file, f"{entry} title", ex.get("title"), ())
        is_pause = ex_id == "mindful_pause"
        problems += check_variants(
            file, f"{entry} intro", ex.get("intro"), ("minutes",) if is_pause else (), 3
        )
        beats = ex.get("beats")
        if not isinstance(beats, list) or not beats:
            problems.append(Problem(file, entry, "needs at least one [[beats]] table"))
            continue
        for i, beat in enumerate(beats, 1):
            problems += check_beat(f"{entry} beat {i}", beat, is_pause)
        if is_pause and "minutes" in ex and ex["minutes"] not in rules.PAUSE_MINUTES:
            problems.append(Problem(file, f"{entry} minutes", "must be 1, 2 or 3"))
    problems += check_plans(raw.get("plans"), exercises)
    return problems


def check_plans(plans: Any, exercises: dict[str, Any]) -> list[Problem]:
    file = "exercises.toml"
    if not isinstance(plans, dict):
        return [Problem(file, "plans", "is missing: add [plans.quick] and [plans.full]")]
    problems = [
        Problem(file, f"plans.{plan_id}", "is missing; the skill needs it")
        for plan_id in rules.REQUIRED_PLANS
        if plan_id not in plans
    ]
    for plan_id, plan in plans.items():
        entry = f"plans.{plan_id}"
        if not isinstance(plan, dict):
            problems.append(Problem(file, entry, "must be a table"))
            continue
        problems += check_text(file, f"{entry} title", plan.get("title"), ())
        minutes = plan.get("minutes")
        if not (is_int(minutes) and 1 <= minutes <= 60):
            problems.append(
                Problem(file, entry, "needs minutes = N: the length it announces, 1 to 60")
            )
        problems += unknown_keys(file, entry, plan, {"title", "minutes", "steps", "meditation"})
        ending = plan.get("meditation", 0)
        if not (is_int(ending) and 0 <= ending <= 60):
            problems.append(
                Problem(file, entry, "meditation = N: the minutes of the meditation it offers")
            )
        steps = plan.get("steps")
        if not isinstance(steps, list) or not steps:
            problems.append(Problem(file, entry, "needs a list of steps"))
            continue
        for i, step in enumerate(steps, 1):
            problems += check_step(f"{entry} step {i}", step, exercises)
    return problems


def check_step(entry: str, step: Any, exercises: dict[str, Any]) -> list[Problem]:
    file = "exercises.toml"
    if not isinstance(step, dict) or ("exercise" in step) == ("closing" in step):
        return [Problem(file, entry, 'needs either exercise = "id" or closing = ["id", ...]')]
    choices = [step["exercise"]] if "exercise" in step else step["closing"]
    if not isinstance(choices, list) or not choices:
        return [Problem(file, entry, "closing must be a list of exercise ids")]
    problems = [
        Problem(file, entry, f"names exercise {choice!r}, which does not exist")
        for choice in choices
        if choice not in exercises
    ]
    rounds = step.get("rounds", 1)
    if not (is_int(rounds) and 1 <= rounds <= 5):
        problems.append(Problem(file, entry, "rounds must be a whole number from 1 to 5"))
    if "minutes" in step and step["minutes"] not in rules.PAUSE_MINUTES:
        problems.append(Problem(file, entry, "minutes must be 1, 2 or 3"))
    return problems + unknown_keys(file, entry, step, {"exercise", "closing", "rounds", "minutes"})


ID_SHAPE = (
    "the id must be lowercase letters then a number up to 999, like mem33: a couple's"
    " history keeps the numbers, so an id is never renumbered or used again"
)
KIND_VALUES = frozenset(kind.value for kind in Kind)
KIND_NAMES = ", ".join(kind.value for kind in Kind)


def check_questions(raw: dict[str, Any]) -> list[Problem]:
    file = "questions.toml"
    categories = raw.get("categories")
    if not isinstance(categories, dict):
        return [Problem(file, "categories", "is missing: add [categories.<id>] tables")]
    problems = []
    seen: dict[str, str] = {}
    numbers: dict[tuple[str, int], str] = {}  # (prefix, number) -> the id that has it
    for cat_id, cat in categories.items():
        entry = f"categories.{cat_id}"
        if not isinstance(cat, dict) or not isinstance(cat.get("questions"), dict):
            problems.append(Problem(file, entry, "needs a label and a [questions] table"))
            continue
        problems += check_category(entry, cat)
        for q_id, text in cat["questions"].items():
            q_entry = f"{entry}.questions.{q_id}"
            if q_id in seen:
                problems.append(Problem(file, q_entry, f"repeats the id used in {seen[q_id]}"))
            else:
                problems += check_question_id(q_entry, q_id, numbers)
            seen[q_id] = entry
            problems += check_question_text(q_entry, text)
    problems += kinds_nobody_answers(categories)
    if len(categories) < rules.MIN_CATEGORIES:
        problems.append(
            Problem(
                file, "categories", f"has {len(categories)}; the deck needs {rules.MIN_CATEGORIES}"
            )
        )
    if len(seen) < rules.MIN_QUESTIONS:
        problems.append(
            Problem(
                file,
                "categories",
                f"hold {len(seen)} questions; the deck needs {rules.MIN_QUESTIONS}",
            )
        )
    return problems


def check_category(entry: str, cat: dict[str, Any]) -> list[Problem]:
    """A category's own keys: its label, not_after, on_request and kinds."""
    file = "questions.toml"
    problems = check_text(file, f"{entry} label", cat.get("label"), ())
    not_after = cat.get("not_after", [])
    if not isinstance(not_after, list) or not all(isinstance(x, str) for x in not_after):
        problems.append(Problem(file, entry, "not_after must be a list of exercise ids"))
    if not isinstance(cat.get("on_request", False), bool):
        problems.append(Problem(file, entry, "on_request must be true or false"))
    problems += check_kinds(entry, cat.get("kinds", []))
    known = {"label", "questions", "not_after", "on_request", "kinds"}
    return problems + unknown_keys(file, entry, cat, known)


def check_question_text(entry: str, text: Any) -> list[Problem]:
    problems = check_text("questions.toml", entry, text, rules.QUESTION_PLACEHOLDERS)
    if isinstance(text, str) and not text.rstrip().endswith("?"):
        problems.append(Problem("questions.toml", entry, "should end with a question mark"))
    return problems


def kinds_nobody_answers(categories: dict[str, Any]) -> list[Problem]:
    """Each kind a couple can ask for by voice needs a category drawn for everyone."""
    answered = {
        kind
        for cat in categories.values()
        if isinstance(cat, dict) and not cat.get("on_request")
        for kind in (cat.get("kinds") if isinstance(cat.get("kinds"), list) else ())
        if isinstance(kind, str)
    }
    return [
        Problem(
            "questions.toml",
            "categories",
            f'no category answers "{kind}": add kinds = ["{kind}"] to one that is'
            " drawn for everyone (couples can ask for it by voice)",
        )
        for kind in Kind
        if kind not in answered
    ]


def check_kinds(entry: str, kinds: Any) -> list[Problem]:
    """A category's kinds: the kinds of question a couple can ask for by voice."""
    if isinstance(kinds, list) and all(isinstance(k, str) and k in KIND_VALUES for k in kinds):
        return []
    return [Problem("questions.toml", entry, f"kinds must be a list of: {KIND_NAMES}")]


def check_question_id(entry: str, q_id: str, numbers: dict[tuple[str, int], str]) -> list[Problem]:
    """An id is a prefix and a number: a couple's history of questions heard is kept as the
    numbers heard under each prefix, so "mem1" and "mem01" would be the same question."""
    shape = QUESTION_ID.fullmatch(q_id)
    if shape is None:
        return [Problem("questions.toml", entry, ID_SHAPE)]
    key = (shape.group(1), int(shape.group(2)))
    if key in numbers:
        message = f"has the same number as {numbers[key]}: {q_id} and {numbers[key]} count as one"
        return [Problem("questions.toml", entry, message)]
    numbers[key] = q_id
    return []


def check_pauses(raw: dict[str, Any]) -> list[Problem]:
    file = "pauses.toml"
    scripts = raw.get("scripts")
    if not isinstance(scripts, list):
        return [Problem(file, "scripts", "is missing: add [[scripts]] tables")]
    problems = []
    found = set()
    for i, script in enumerate(scripts, 1):
        entry = f"scripts {i}"
        if not isinstance(script, dict) or not isinstance(script.get("lines"), list):
            problems.append(Problem(file, entry, "needs minutes and a list of lines"))
            continue
        minutes = script.get("minutes")
        if minutes not in rules.PAUSE_MINUTES:
            problems.append(Problem(file, entry, "minutes must be 1, 2 or 3"))
            continue
        entry = f"scripts (minutes = {minutes})"
        if minutes in found:
            problems.append(Problem(file, entry, "is written twice"))
        found.add(minutes)
        for j, line in enumerate(script["lines"], 1):
            if is_int(line):
                if not 1 <= line <= rules.MAX_SILENCE:
                    problems.append(
                        Problem(
                            file,
                            f"{entry} line {j}",
                            f"a silence is 1 to {rules.MAX_SILENCE} seconds",
                        )
                    )
            else:
                problems += check_text(file, f"{entry} line {j}", line, ())
        parts = tuple(Pause(x) if is_int(x) else str(x) for x in script["lines"])
        seconds = estimated_seconds(parts)
        if seconds > rules.SCRIPT_BUDGET:
            problems.append(
                Problem(
                    file,
                    entry,
                    f"takes about {seconds:.0f} seconds with its words; one response allows"
                    f" {rules.SCRIPT_BUDGET:.0f} (say less, not shorter silences)",
                )
            )
    for minutes in rules.PAUSE_MINUTES:
        if minutes not in found:
            problems.append(Problem(file, "scripts", f"has no {minutes} minute script"))
    return problems


def check_phrases(raw: dict[str, Any]) -> list[Problem]:
    file = "phrases.toml"
    problems = []
    for key, allowed in rules.PHRASE_PLACEHOLDERS.items():
        if key not in raw:
            problems.append(Problem(file, key, "is missing; the skill says it"))
            continue
        problems += check_variants(file, key, raw[key], allowed, rules.MIN_VARIANTS)
    for key in sorted(set(raw) - set(rules.PHRASE_PLACEHOLDERS)):
        problems.append(Problem(file, key, "is not a phrase the skill uses (a typo?)"))
    return problems


def check_feature_phrases(file: str, raw: dict[str, Any]) -> list[Problem]:
    problems = []
    for key, entry in raw.items():
        if not isinstance(entry, dict) or "say" not in entry:
            problems.append(Problem(file, key, "must be a table with say = [...] (and example)"))
            continue
        problems += unknown_keys(file, key, entry, {"say", "example"})
        example = entry.get("example", {})
        if not isinstance(example, dict) or not all(isinstance(v, str) for v in example.values()):
            problems.append(Problem(file, key, 'example must be a table: { name = "value" }'))
            continue
        allowed = (*NAME_PLACEHOLDERS, *example)
        problems += check_variants(file, key, entry["say"], allowed, FEATURE_MIN_VARIANTS)
    return problems


def check_meditations(raw: dict[str, Any]) -> list[Problem]:
    """The renderer's own check of each script (skill/audio/scripts.py), as problems."""
    from skill.audio.scripts import FILE, check_data

    prefix = f"{FILE}: "
    return [
        Problem(FILE, "meditation", message.removeprefix(prefix))
        for message in check_data(raw, FILE)
    ]


def feature_check(file: str) -> Any:
    return lambda raw: check_feature_phrases(file, raw)


def check_locales(raw: dict[str, Any]) -> list[Problem]:
    file = "locales.toml"
    locales = raw.get("locales")
    if not isinstance(locales, dict) or "en-US" not in locales:
        return [Problem(file, "locales", "needs a [locales.en-US] table at least")]
    problems = []
    for code, entry in locales.items():
        name = f"locales.{code}"
        if not isinstance(entry, dict):
            problems.append(Problem(file, name, "must be a table with emergency and helpline"))
            continue
        for key in ("emergency", "helpline"):
            problems += check_text(file, f"{name} {key}", entry.get(key), ())
        problems += unknown_keys(file, name, entry, {"emergency", "helpline"})
    words = raw.get("words")
    not_names = words.get("not_names") if isinstance(words, dict) else None
    if not isinstance(not_names, list) or not all(isinstance(w, str) for w in not_names):
        problems.append(Problem(file, "words", "needs not_names = a list of words in quotes"))
    return problems


def check_across(raw_files: dict[str, dict[str, Any]]) -> list[Problem]:
    """References from one file to another: a category's not_after names exercises."""
    exercises = raw_files.get("exercises.toml", {}).get("exercises")
    categories = raw_files.get("questions.toml", {}).get("categories")
    if not isinstance(exercises, dict) or not isinstance(categories, dict):
        return []
    problems = [
        Problem(
            "questions.toml", f"categories.{cat_id}", f"not_after names {ex!r}, not an exercise"
        )
        for cat_id, cat in categories.items()
        if isinstance(cat, dict) and isinstance(cat.get("not_after"), list)
        for ex in cat["not_after"]
        if ex not in exercises
    ]
    tables = raw_files.get("meditations.toml", {}).get("meditation")
    lengths = {t.get("minutes") for t in tables if isinstance(t, dict)} if tables else set()
    for plan_id, plan in raw_files.get("exercises.toml", {}).get("plans", {}).items():
        wanted = plan.get("meditation", 0) if isinstance(plan, dict) else 0
        if wanted and wanted not in lengths:
            problems.append(
                Problem("exercises.toml", f"plans.{plan_id}", f"no {wanted} minute meditation")
            )
    seen: dict[str, str] = {key: "phrases.toml" for key in raw_files.get("phrases.toml", {})}
    for file in FEATURE_PHRASES:
        for key in raw_files.get(file, {}):
            if key in seen:
                problems.append(Problem(file, key, f"is already a phrase in {seen[key]}"))
            seen.setdefault(key, file)
    return problems


CHECKS = {
    "exercises.toml": check_exercises,
    "questions.toml": check_questions,
    "pauses.toml": check_pauses,
    "phrases.toml": check_phrases,
    "locales.toml": check_locales,
    "meditations.toml": check_meditations,
    **{file: feature_check(file) for file in FEATURE_PHRASES},
}


def validate(raw_files: dict[str, dict[str, Any]]) -> list[Problem]:
    """All problems in the parsed files, in file order."""
    problems = []
    for file, check in CHECKS.items():
        problems += check(raw_files.get(file, {}))
    return problems or check_across(raw_files)
