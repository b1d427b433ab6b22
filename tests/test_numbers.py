"""Numbers in words: what the skill says can be heard back as the same number."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from skill.console.builtins import resolve
from skill.speech.numbers import number_words, parse_number


@given(st.integers(0, 69))
def test_every_number_said_is_heard_back_as_itself(n: int) -> None:
    assert parse_number(number_words(n)) == n
    assert parse_number(number_words(n).replace("-", " ")) == n
    assert parse_number(str(n)) == n


def test_words_that_are_not_a_number_are_not_read_as_one() -> None:
    for text in ("", "ten twenty", "five ten", "twenty thirty", "eleven one", "fun"):
        assert parse_number(text) is None, text


def test_times_resolve_as_a_device_resolves_amazon_time() -> None:
    cases = {
        "eight pm": "20:00",
        "seven thirty p.m.": "19:30",
        "eight in the evening": "20:00",
        "nine am": "09:00",
        "twelve am": "00:00",
        "noon": "12:00",
        "evening": "EV",
        "eight oh five pm": "20:05",
    }
    for heard, value in cases.items():
        assert resolve("AMAZON.TIME", heard) == value, heard
    assert resolve("AMAZON.NUMBER", "fifteen") == "15"
    assert resolve("AMAZON.DayOfWeek", "Sundays") == "sunday"
