"""Per-locale spelling of what the skill says: "counsellor" to a British account,
"counselor" to an American one. Pure functions over the table in skill/content/spelling.toml.

respell() changes whole words only (word boundaries, a plural "s" included), keeps the
capital of a word that has one, and never touches SSML tags. The content may be written in
either spelling; a word listed under `keep` is never changed (it is right in every locale for
some sense, like the noun "practice"). Text inside braces is a placeholder ("{other}",
filled in later) and is never changed either.

Nothing here is imported on the en-US path (skill/content/localized.py returns the content
as written for en-US): tomllib is imported only when the table is first read."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

DEFAULT_LOCALE = "en-US"
# What respell never changes: an SSML tag, and a placeholder in braces.
_KEPT = re.compile(r"(<[^>]*>|\{[^{}]*\})")


class Speller:
    """respell() for one spelling: ``forms`` maps each lower-case word (without a plural s)
    that this spelling writes otherwise to its form here."""

    __slots__ = ("forms", "pattern")

    def __init__(self, pattern: re.Pattern[str] | None, forms: dict[str, str]) -> None:
        self.pattern = pattern
        self.forms = forms

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        parts = _KEPT.split(text)
        for i in range(0, len(parts), 2):  # even parts are text, odd parts tags or placeholders
            parts[i] = self.pattern.sub(self._replace, parts[i])
        return "".join(parts)

    def only_for(self, text: str) -> Speller:
        """This speller with only the words that occur in ``text``: one cheap substring test
        per word over a whole text, then a small pattern for its parts."""
        lowered = text.lower()
        return _speller_of({word: form for word, form in self.forms.items() if word in lowered})

    def _replace(self, found: re.Match[str]) -> str:
        word, plural = found.group(1), found.group(2)
        return _same_case(word, self.forms[word.lower()]) + plural


def _same_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@cache
def table() -> dict[str, Any]:
    import tomllib  # only when a locale needs the table: never on the en-US path

    text = files("skill.content").joinpath("spelling.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def spelling_of(locale: str, data: dict[str, Any] | None = None) -> str:
    """The spelling a locale uses ("american", "british", "canadian"): its own, else the first
    locale of its language, else en-US's."""
    locales: dict[str, str] = (data or table())["locales"]
    if locale in locales:
        return locales[locale]
    language = locale.split("-")[0].lower()
    same = [code for code in locales if code.split("-")[0].lower() == language]
    return locales[same[0] if same else DEFAULT_LOCALE]


def speller(spelling: str, data: dict[str, Any] | None = None) -> Speller:
    forms: dict[str, str] = {}
    for entry in (data or table())["word"]:
        target = entry.get(spelling) or entry["british"]
        keep = {word.lower() for word in entry.get("keep", ())}
        for key in ("british", "american", "canadian"):
            source = entry.get(key)
            if source and source.lower() != target.lower() and source.lower() not in keep:
                forms[source.lower()] = target.lower()
    return _speller_of(forms)


def _speller_of(forms: dict[str, str]) -> Speller:
    if not forms:
        return Speller(None, {})
    words = "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    return Speller(re.compile(rf"\b({words})(s?)\b", re.IGNORECASE), forms)


@cache
def cached_speller(spelling: str) -> Speller:
    """The speller of a spelling, built once per process."""
    return speller(spelling)


def respell(text: str, locale: str) -> str:
    """``text`` in the spelling of ``locale`` (SSML tags and placeholders left as they are)."""
    return cached_speller(spelling_of(locale))(text)


def clock_time(hour: int, minute: int, locale: str, written: bool = False) -> str:
    """A time of day for ``locale``. Said: the 12-hour clock in every English locale ("8 p.m.",
    "8:30 a.m.", "noon", "midnight"), which Alexa reads naturally. Written (a card, a screen):
    the locale's clock from spelling.toml ("20:00" in en-GB, "8:00 PM" in en-US)."""
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {hour}:{minute}")
    twelve = hour % 12 or 12
    if written:  # (only a written time reads the table: a said one needs no file)
        clocks: dict[str, dict[str, str]] = table()["clock"]
        clock = clocks.get(locale) or clocks.get(_first_of_language(locale, clocks)) or {}
        if clock.get("written") == "24h":
            return f"{hour:02d}:{minute:02d}"
        marker = clock.get("pm" if hour >= 12 else "am") or ("PM" if hour >= 12 else "AM")
        return f"{twelve}:{minute:02d} {marker}"
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "noon"
    marker = "p.m." if hour >= 12 else "a.m."
    return f"{twelve} {marker}" if minute == 0 else f"{twelve}:{minute:02d} {marker}"


def _first_of_language(locale: str, codes: dict[str, Any]) -> str:
    language = locale.split("-")[0].lower()
    same = [code for code in codes if code.split("-")[0].lower() == language]
    return same[0] if same else DEFAULT_LOCALE
