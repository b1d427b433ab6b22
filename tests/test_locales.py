"""Per-locale data: every published locale has its emergency number and helpline (written as
spoken), a spelling and a clock; respell() and clock_time() (skill/speech/spelling.py); and,
through the Lambda handler, a couple in each locale hears and sees its own spelling."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from skill.apl.screen import RENDER_DOCUMENT
from skill.console.device import Device, Turn
from skill.content.loader import default_content
from skill.locales import LOCALES
from skill.speech.spelling import clock_time, respell, spelling_of, table
from tests.conftest import COUPLE_ID, meet

COUNSELLOR = {  # the word the support answer uses, as each locale writes it
    "en-US": "counselor",
    "en-GB": "counsellor",
    "en-CA": "counsellor",
    "en-AU": "counsellor",
    "en-IN": "counsellor",
}


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


# --- through the Lambda handler ---------------------------------------------------------------


def echo_show(lambda_handler, clock, locale: str) -> Device:
    """A couple's Echo Show set to ``locale``: it hears with that locale's model."""
    return Device(
        lambda_handler, COUPLE_ID, "amzn1.ask.device.show", clock=clock, screen=True, locale=locale
    )


def shown(turn: Turn) -> Iterator[str]:
    """Every string the screen shows after this answer (the document's datasources)."""
    for directive in (turn.response.get("response") or {}).get("directives") or []:
        if directive.get("type") == RENDER_DOCUMENT:
            yield from strings(directive["datasources"])


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_couple_asking_for_support_hears_and_sees_their_own_spelling(
    lambda_handler, clock, locale: str
) -> None:
    show = echo_show(lambda_handler, clock, locale)
    meet(show)
    show.hear("yes")
    # User: we need help.  A: I'm sorry things are hard... a couples counsel(l)or can help...
    turn = show.hear("we need help")
    word = COUNSELLOR[locale]
    other = "counselor" if word == "counsellor" else "counsellor"
    assert word in turn.speech and other not in turn.speech
    assert turn.screen is not None and word in turn.screen.text
    assert other not in json.dumps(turn.response)


@pytest.mark.parametrize("locale", LOCALES)
def test_everything_said_and_shown_in_a_check_in_is_spelled_the_locales_way(
    lambda_handler, clock, locale: str
) -> None:
    """A whole quick check-in on a screen, with help and support on the way: every line
    spoken, every reprompt and every string on the screen, as the locale spells it."""
    show = echo_show(lambda_handler, clock, locale)
    meet(show)
    turns = [show.hear("yes"), show.hear("help"), show.hear("we need help"), show.hear("no")]
    while turns[-1].state.get("phase") != "done" and len(turns) < 40:
        turns.append(show.hear("next"))
    if not turns[-1].ended:  # an offer at the end (a weekly reminder): declined
        turns.append(show.hear("no"))
    assert turns[-1].ended  # the check-in was walked to its goodbye
    lines = [line for turn in turns for line in (turn.speech, turn.reprompt or "", *shown(turn))]
    wrong = [line for line in lines if respell(line, locale) != line]
    assert not wrong, f"{locale} spells these otherwise: {wrong}"
    # and the walk said something whose spelling differs between locales
    assert any(respell(line, "en-US") != respell(line, "en-GB") for line in lines)
