"""Guided meditations as data: skill/content/meditations.toml, its loader and its validator.

A meditation is an id, a title, the minutes it announces, and a script: a list whose strings
are spoken lines and whose numbers are silences in seconds. Its version is the first 8 hex
digits of SHA-256 over the script (and the title), so a changed script gets a new file name
and a device never plays a stale cache. The skill reads this module at run time: it imports
nothing but the standard library.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache

from skill.content.model import script_of, version_of

__all__ = ["Meditation", "by_id", "by_minutes", "meditations", "version_of"]

FILE = "meditations.toml"
CONTENT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "content")

WORDS_PER_MINUTE = 150
"""The pace a spoken line is given: the renderer gives each line at least this much time
(the voice speaks, and the rest of the line's slot is quiet), so the estimate is the length."""
SECONDS_PER_WORD = 60 / WORDS_PER_MINUTE
TOLERANCE = 0.05
"""A rendered length may differ from the announced minutes by at most 5%."""
MAX_WORDS = 20
"""The one-breath test: a line of at most 20 words (about 8 s at 150 wpm)."""
MAX_CHARS = 130
MIN_SILENCE, MAX_SILENCE = 1, 120
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MARKUP = re.compile(r"[<>{}\[\]*_#`|\\]|&[a-z#0-9]+;")
"""SSML or HTML tags, Markdown marks, entities: a line is plain words."""


@dataclass(frozen=True)
class Meditation:
    id: str
    title: str
    minutes: int
    script: tuple[str | float, ...]
    version: str

    @property
    def file_name(self) -> str:
        """The MP3's name: derived from id and version, so no manifest is needed at run time."""
        return f"{self.id}.{self.version}.mp3"

    @property
    def announced_seconds(self) -> int:
        return self.minutes * 60

    @property
    def estimated_seconds(self) -> float:
        return estimate_seconds(self.script)


def words(line: str) -> int:
    return len(line.split())


def estimate_seconds(script: tuple[str | float, ...] | list[str | float]) -> float:
    """Silences exactly, spoken lines at 150 words a minute."""
    return sum(
        words(item) * SECONDS_PER_WORD if isinstance(item, str) else float(item) for item in script
    )


def _is_silence(item: object) -> bool:
    return isinstance(item, int | float) and not isinstance(item, bool)


def check_meditation(where: str, raw: dict) -> list[str]:
    """The problems of one [[meditation]] table; each names the file, the id and the entry."""
    problems: list[str] = []
    mid = raw.get("id")
    label = f"{where}: [{mid}]" if isinstance(mid, str) else where
    if not isinstance(mid, str) or not ID_PATTERN.match(mid):
        problems.append(f"{label}: id must be lowercase words joined by '-', got {mid!r}")
    unknown = set(raw) - {"id", "title", "minutes", "script"}
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(sorted(unknown))}")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{label}: title must be a non-empty string")
    elif MARKUP.search(title):
        problems.append(f"{label}: title contains markup: {title!r}")
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        problems.append(f"{label}: minutes must be a whole number from 1 to 60, got {minutes!r}")
        minutes = None
    script = raw.get("script")
    if not isinstance(script, list) or not script:
        problems.append(f"{label}: script must be a non-empty list of lines and silences")
        return problems
    for n, item in enumerate(script, start=1):
        entry = f"{label} entry {n}"
        if isinstance(item, str):
            line = item.strip()
            if not line:
                problems.append(f"{entry}: empty line")
            elif MARKUP.search(line):
                problems.append(f"{entry}: markup in a spoken line: {line!r}")
            elif words(line) > MAX_WORDS or len(line) > MAX_CHARS:
                problems.append(
                    f"{entry}: too long for one breath ({words(line)} words, {len(line)} "
                    f"characters; at most {MAX_WORDS} words and {MAX_CHARS}): {line[:40]!r}..."
                )
        elif _is_silence(item):
            if not MIN_SILENCE <= item <= MAX_SILENCE:
                problems.append(
                    f"{entry}: silence of {item} s; silences are {MIN_SILENCE} to {MAX_SILENCE} s"
                )
        else:
            problems.append(f"{entry}: neither a spoken line nor a silence in seconds: {item!r}")
    if not isinstance(script[0], str) or not isinstance(script[-1], str):
        problems.append(f"{label}: a script starts and ends with a spoken line")
    if minutes is not None and not problems:
        estimate = estimate_seconds(script)
        announced = minutes * 60
        if abs(estimate - announced) > TOLERANCE * announced:
            problems.append(
                f"{label}: lasts about {estimate:.0f} s at {WORDS_PER_MINUTE} wpm, but announces "
                f"{minutes} min ({announced} s, ±{TOLERANCE:.0%})"
            )
    return problems


def check_text(text: str, where: str = FILE) -> list[str]:
    """All problems of a meditations file's text (an empty list: the file is good)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [f"{where}: not valid TOML: {error}"]
    return check_data(data, where)


def check_data(data: dict, where: str = FILE) -> list[str]:
    """All problems of a meditations file's parsed tables."""
    unknown = set(data) - {"meditation"}
    problems = (
        [f"{where}: unknown top-level key(s) {', '.join(sorted(unknown))}"] if unknown else []
    )
    tables = data.get("meditation")
    if not isinstance(tables, list) or not tables:
        return [*problems, f"{where}: no [[meditation]] tables"]
    seen: set[str] = set()
    for n, raw in enumerate(tables, start=1):
        problems += check_meditation(f"{where}: meditation {n}", raw)
        mid = raw.get("id")
        if isinstance(mid, str):
            if mid in seen:
                problems.append(f"{where}: meditation {n}: [{mid}] id used twice")
            seen.add(mid)
    return problems


def parse_text(text: str, where: str = FILE) -> tuple[Meditation, ...]:
    """The meditations of a file's text; ValueError listing every problem if any."""
    problems = check_text(text, where)
    if problems:
        raise ValueError("\n".join(problems))
    result = []
    for raw in tomllib.loads(text)["meditation"]:
        title, script = script_of(raw)
        result.append(
            Meditation(
                id=raw["id"],
                title=title,
                minutes=raw["minutes"],
                script=script,
                version=version_of(title, script),
            )
        )
    return tuple(result)


def check_file(path: str | os.PathLike[str]) -> list[str]:
    with open(path, encoding="utf-8") as file:
        return check_text(file.read(), os.path.basename(path))


def load_file(path: str | os.PathLike[str]) -> tuple[Meditation, ...]:
    with open(path, encoding="utf-8") as file:
        return parse_text(file.read(), os.path.basename(path))


@cache
def meditations() -> tuple[Meditation, ...]:
    """The shipped meditations (skill/content/meditations.toml), read once."""
    return load_file(os.path.join(CONTENT_DIR, FILE))


def by_id(meditation_id: str) -> Meditation | None:
    return next((m for m in meditations() if m.id == meditation_id), None)


def by_minutes(minutes: int) -> Meditation | None:
    return next((m for m in meditations() if m.minutes == minutes), None)
