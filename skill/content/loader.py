"""Read the content files into immutable data, refusing files the validator finds wrong."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from skill.content.durations import check_durations
from skill.content.lint import FEATURE_PHRASES, FILES, Problem, validate
from skill.content.model import (
    Beat,
    Category,
    Content,
    Exercise,
    Kind,
    Locale,
    Plan,
    Question,
    Source,
    Step,
    Track,
    Who,
    script_of,
    version_of,
)


def package_folder() -> Traversable:
    """The shipped content: package data. A package installed as files (a wheel, the Lambda
    artifact, the source tree) is read as the folder it is; one inside a zip through
    importlib.resources. (files() itself would import zipfile at every cold start: 1.5 ms.)"""
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.isfile(os.path.join(here, "exercises.toml")):
        from pathlib import Path

        return Path(here)
    return files("skill.content")


#: The shipped content (package_folder). A writer's folder (a pathlib.Path) works wherever
#: this is taken.
CONTENT_DIR: Traversable = package_folder()
Folder = Traversable  # or a pathlib.Path: anything with joinpath and read_bytes


class ContentError(Exception):
    """The content files have problems; str() lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_files(directory: Folder) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    import tomllib  # only where the TOML files are read: a built artifact reads its snapshot

    raw: dict[str, dict[str, Any]] = {}
    problems = []
    for name in FILES:
        path = directory.joinpath(name)
        try:
            raw[name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(Problem(name, "(file)", f"is missing from {directory}"))
        except UnicodeDecodeError:
            problems.append(Problem(name, "(file)", "is not UTF-8 text"))
        except tomllib.TOMLDecodeError as error:
            problems.append(Problem(name, "(file)", f"is not valid TOML: {error}"))
    return raw, problems


def check_directory(directory: Folder = CONTENT_DIR) -> list[Problem]:
    raw, problems = read_files(directory)
    problems = problems or validate(raw)
    return problems or check_durations(build(raw))


def as_tuple(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def build(raw: dict[str, dict[str, Any]]) -> Content:
    exercises_raw = raw["exercises.toml"]
    exercises = {
        ex_id: Exercise(
            id=ex_id,
            title=ex["title"],
            intro=as_tuple(ex["intro"]),
            minutes=ex.get("minutes"),
            beats=tuple(
                Beat(
                    who=Who(b["who"]),
                    prompts=as_tuple(b["prompts"]),
                    floor=None if b["floor"] == "turn" else b["floor"],
                    source=Source(b.get("source", "")),
                    after=as_tuple(b.get("after", ())),
                )
                for b in ex["beats"]
            ),
        )
        for ex_id, ex in exercises_raw["exercises"].items()
    }
    plans = {
        plan_id: Plan(
            id=plan_id,
            title=plan["title"],
            minutes=plan.get("minutes", 0),
            meditation=plan.get("meditation", 0),
            steps=tuple(
                Step(
                    choices=as_tuple(step.get("closing", step.get("exercise"))),
                    rounds=step.get("rounds", 1),
                    minutes=step.get("minutes"),
                )
                for step in plan["steps"]
            ),
        )
        for plan_id, plan in exercises_raw["plans"].items()
    }
    questions = {
        q_id: Question(q_id, cat_id, text)
        for cat_id, cat in raw["questions.toml"]["categories"].items()
        for q_id, text in cat["questions"].items()
    }
    pauses = {s["minutes"]: tuple(s["lines"]) for s in raw["pauses.toml"]["scripts"]}
    phrases = {key: as_tuple(value) for key, value in raw["phrases.toml"].items()}
    for file in FEATURE_PHRASES:
        phrases.update((key, as_tuple(entry["say"])) for key, entry in raw[file].items())
    categories = {
        cat_id: Category(
            cat_id,
            cat["label"],
            as_tuple(cat.get("not_after", ())),
            cat.get("on_request", False),
            tuple(Kind(kind) for kind in cat.get("kinds", ())),
        )
        for cat_id, cat in raw["questions.toml"]["categories"].items()
    }
    locales_raw = raw["locales.toml"]
    locales = {
        code: Locale(emergency=entry["emergency"], helpline=entry["helpline"])
        for code, entry in locales_raw["locales"].items()
    }
    not_names = frozenset(word.casefold() for word in locales_raw["words"]["not_names"])
    meditations = {}
    for table in raw["meditations.toml"]["meditation"]:
        if "script" in table:
            title, script = script_of(table)
            track = Track(table["id"], title, table["minutes"], version_of(title, script))
        else:  # a snapshot keeps what the skill plays, not the script (tracks_only)
            track = Track(table["id"], table["title"], table["minutes"], table["version"])
        meditations[track.id] = track
    return Content(
        exercises, plans, questions, pauses, phrases, categories, locales, not_names, meditations
    )


def load_content(directory: Folder = CONTENT_DIR) -> Content:
    raw, problems = read_files(directory)
    problems = problems or validate(raw)
    if problems:
        raise ContentError(problems)
    content = build(raw)
    problems = check_durations(content)
    if problems:
        raise ContentError(problems)
    return content


#: Written beside the content files of a built Lambda artifact (never in the source tree) by
#: `make build-CheckInFunction`, once the files passed every check: their parsed data and
#: digest, so a cold start reads one JSON text instead of parsing and checking the TOML files
#: again (about 15 ms of a cold start), and bad content fails the build, not the skill.
SNAPSHOT = "validated.json"


def read_bytes(directory: Folder, name: str) -> bytes:
    """A file's bytes; a folder on disk is read with open() (about five times cheaper than a
    Traversable's read_bytes at a cold start, which reads ten files), anything else (a zip)
    through its Traversable."""
    try:
        path = os.path.join(os.fspath(directory), name)
    except TypeError:
        return directory.joinpath(name).read_bytes()
    with open(path, "rb") as file:
        return file.read()


def digest(directory: Folder = CONTENT_DIR) -> str:
    """SHA-256 over the content files, in order: a snapshot is used only for these bytes."""
    sha = hashlib.sha256()
    for name in FILES:
        sha.update(name.encode() + b"\0" + read_bytes(directory, name) + b"\0")
    return sha.hexdigest()


def snapshot(directory: Folder = CONTENT_DIR) -> str:
    """The checked content as SNAPSHOT's JSON text; raises ContentError as load_content."""
    content = load_content(directory)
    raw, _ = read_files(directory)
    raw["meditations.toml"] = tracks_only(content)
    return json.dumps({"digest": digest(directory), "raw": raw})


def tracks_only(content: Content) -> dict[str, Any]:
    """The meditations as the skill needs them at run time (id, title, minutes, version):
    their scripts are the renderer's, and a cold start need not read or hash them."""
    return {"meditation": [track._asdict() for track in content.meditations.values()]}


@cache
def default_content() -> Content:
    """The shipped content, loaded once per process: from the build's snapshot when there is
    one for exactly these files, else read and checked."""
    try:
        data = json.loads(read_bytes(CONTENT_DIR, SNAPSHOT))
    except FileNotFoundError:  # a source tree: no snapshot
        return load_content()
    if data.get("digest") == digest():
        return build(data["raw"])
    return load_content()
