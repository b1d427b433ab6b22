"""Per-locale data: every published locale has its emergency number and helpline (written as
spoken), a spelling and a clock; respell() and clock_time() (skill/speech/spelling.py)."""

from __future__ import annotations

import re

import pytest

from skill.content.loader import default_content
from skill.locales import LOCALES
from skill.speech.spelling import clock_time, respell, spelling_of, table


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_its_own_safety_data_written_as_spoken(locale: str) -> None:
    content = default_content()
    assert locale in content.locales
    place = content.locale(locale)
    for text in (place.emergency, place.helpline):
        assert not re.search(r"\d", text), f"{locale}: write numbers as they are said: {text}"
        assert "counsel" not in text.lower()  # the safety answer never suggests counselling
        assert text == respell(text, locale), f"{locale}: spelled for another locale: {text}"


def test_the_numbers_are_the_ones_we_checked() -> None:
    content = default_content()
    said = {
        code: (content.locale(code).emergency, content.locale(code).helpline) for code in LOCALES
    }
    assert said["en-US"][0] == "nine one one"
    assert "seven nine nine, seven two three three" in said["en-US"][1]
    assert said["en-GB"][0] == "nine nine nine"
    assert "oh eight oh eight, two thousand, two four seven" in said["en-GB"][1]  # 0808 2000 247
    assert said["en-AU"][0] == "triple zero"  # 000
    assert "one eight hundred, seven three seven, seven three two" in said["en-AU"][1]
    assert said["en-IN"][0] == "one one two"  # 112
    assert "one eight one" in said["en-IN"][1]  # the Women Helpline, 181
    assert said["en-CA"][0] == "nine one one"
    assert "Shelter safe dot C A" in said["en-CA"][1]  # no single national line: said so


def test_an_unknown_english_locale_falls_back_like_the_content() -> None:
    content = default_content()
    assert content.locale("en-NZ") == content.locale("en-US")
    assert spelling_of("en-NZ") == spelling_of("en-US") == "american"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_a_spelling_and_a_clock(locale: str) -> None:
    data = table()
    assert data["locales"][locale] in {"american", "british", "canadian"}
    assert data["clock"][locale]["written"] in {"12h", "24h"}


def test_respell_per_locale() -> None:
    text = "Let's practise. A couples counsellor helps; your favorite colours, realised."
    assert respell(text, "en-US") == (
        "Let's practice. A couples counselor helps; your favorite colors, realized."
    )
    british = "Let's practise. A couples counsellor helps; your favourite colours, realised."
    assert respell(text, "en-GB") == british
    assert respell(text, "en-AU") == respell(text, "en-IN") == british
    assert respell(text, "en-CA") == (
        "Let's practise. A couples counsellor helps; your favourite colours, realized."
    )


def test_respell_keeps_case_words_and_tags() -> None:
    assert respell("Counselling and COLOUR", "en-US") == "Counseling and COLOR"
    assert respell("Favourites", "en-US") == "Favorites"
    # whole words only, and "practice" the noun is never turned into a verb
    assert respell("recolouring practice counsellorship", "en-US") == (
        "recolouring practice counsellorship"
    )
    assert respell("a practice session", "en-GB") == "a practice session"
    ssml = '<speak>Your favourite.<break time="10s"/><audio src="https://x/colour.mp3"/></speak>'
    assert respell(ssml, "en-US") == (
        '<speak>Your favorite.<break time="10s"/><audio src="https://x/colour.mp3"/></speak>'
    )


def test_respell_is_idempotent_and_round_trips() -> None:
    text = "A counselor, a favourite neighbour, organised, centre."
    for locale in LOCALES:
        once = respell(text, locale)
        assert respell(once, locale) == once
    assert respell(respell(text, "en-GB"), "en-US") == respell(text, "en-US")


def test_clock_time_said_and_written() -> None:
    assert clock_time(20, 0, "en-US") == "8 p.m."
    assert clock_time(20, 0, "en-GB") == "8 p.m."  # said: the 12-hour clock everywhere
    assert clock_time(7, 30, "en-IN") == "7:30 a.m."
    assert clock_time(12, 0, "en-AU") == "noon" and clock_time(0, 0, "en-CA") == "midnight"
    assert clock_time(20, 0, "en-GB", written=True) == "20:00"
    assert clock_time(20, 5, "en-US", written=True) == "8:05 PM"
    assert clock_time(9, 0, "en-AU", written=True) == "9:00 am"
    assert clock_time(0, 15, "en-CA", written=True) == "12:15 a.m."
    with pytest.raises(ValueError):
        clock_time(24, 0, "en-US")
