"""Cleaning the first names Alexa heard into names the skill can say and show."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 24
MAX_NAME_WORDS = 3
_MARKUP = re.compile(r"<[^>]*>")
_ALLOWED = re.compile(r"[^\w' .&-]+", re.UNICODE)


class NameProblem(ValueError):
    """Why a heard name cannot be used: 'missing' or 'too_long'."""


def clean_name(raw: str | None) -> str:
    """A tidy name, capitalised when Alexa sent it in lower case.

    Raises NameProblem("missing") for nothing usable, NameProblem("too_long") for a name
    longer than a first name should be."""
    if raw is None:
        raise NameProblem("missing")
    text = unicodedata.normalize("NFC", _MARKUP.sub(" ", raw))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _ALLOWED.sub(" ", text)
    text = re.sub(r"\d+", " ", text).replace("_", " ")
    text = " ".join(text.split()).strip(" .-'&")
    if not text:
        raise NameProblem("missing")
    if len(text) > MAX_NAME_CHARS or len(text.split()) > MAX_NAME_WORDS:
        raise NameProblem("too_long")
    if text == text.lower():
        text = " ".join(word[:1].upper() + word[1:] for word in text.split())
    return text


def same_name(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()
