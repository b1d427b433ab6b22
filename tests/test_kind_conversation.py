"""Issue 9, items 4 to 6, as dialogues through the real Lambda handler: help that is exact
and teaches "Alexa, next"; a returning couple changing the length during the pause; the
announced length following the turns; closings that alternate; a single exercise that sets
a check-in aside; switching that never gives one partner two turns in a row; three names;
"what?" while naming; safety that fits the danger; time left and thanks."""

from __future__ import annotations

import itertools
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.console.device import Device, Turn
from tests.conftest import decline_offers, meet

SPEAKER = re.compile(r"\b(Sam|Alex)\b")
SENTENCE = re.compile(r"[^.?!]+[.?!]*")
PAUSE_MARK = re.compile(r"\[pause [\d.]+s\]")
NUMBERS = {
    word: n
    for n, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight"),
            *("nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"),
            *("sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
} | {"twenty-five": 25, "thirty": 30}


def words(turn: Turn) -> str:
    """What Alexa said, without the silences."""
    return " ".join(PAUSE_MARK.sub(" ", turn.speech).split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text) if s.strip(" .?!")]


def addressed(text: str) -> str | None:
    found = SPEAKER.search(text)
    return found.group(1) if found else None


def place(turn: Turn) -> tuple[object, ...]:
    state = turn.state
    return (
        state.get("phase"),
        state.get("plan", "quick"),
        state.get("step", 0),
        state.get("beat", 0),
        state.get("swapped", False),
        state.get("question", ""),
    )


def hold_until_goodbye(echo: Device, limit: int = 40) -> list[Turn]:
    """Say "next" until the check-in ends, and "no" to what its end offers, until goodbye."""
    said = []
    for _ in range(limit):
        turn = echo.hear("next")
        said.append(turn)
        goodbye = decline_offers(echo, turn)
        if goodbye is not turn:
            said.append(goodbye)
        if goodbye.ended:
            return said
    raise AssertionError("the check-in never ended")


def first_check_in(echo: Device) -> list[Turn]:
    """Meet Sam and Alex and hold their first quick check-in to the goodbye: its end offers a
    weekly reminder, and they say no."""
    meet(echo)
    turns = [echo.hear("yes"), *hold_until_goodbye(echo)]
    offer = turns[-2]
    assert "remind" in offer.speech and offer.state.get("asking") == "reminder", words(offer)
    return turns


# --- 4. help is exact and teaches the one trick ---------------------------------------------
def test_help_names_the_turn_just_spoken_and_what_next_leads_to(echo: Device, clock) -> None:
    first_check_in(echo)
    clock.advance(days=1)
    echo.hear("Alexa, start our check-in")  # Alex goes first tonight; the pause
    turn = echo.hear("next")
    assert addressed(words(turn)) == "Alex"
    handoff = sentences(words(turn))[-1]
    assert "Sam" in handoff and "?" in handoff  # e.g. "Sam, ready for your turn?"

    help_ = words(echo.hear("help"))
    assert "gratitude round" in help_
    assert "Alex's turn" in help_ or "Alex has the floor" in help_
    leads_on = [s for s in sentences(help_) if "next" in s and "Alexa, next" not in s]
    assert leads_on and "Sam" in leads_on[0], help_  # "say next, and it's Sam's turn"
    now = [s for s in sentences(help_) if s not in leads_on]
    assert not [s for s in now if "Sam's turn" in s or "Sam has the floor" in s], help_
    assert "Alexa, next" in help_ and "silence" in help_
    assert "longer turns" in help_


def test_help_after_the_last_gratitude_turn_says_next_leads_to_the_questions(
    echo: Device,
) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    assert addressed(words(echo.hear("next"))) == "Alex"
    help_ = words(echo.hear("help"))
    assert "gratitude round" in help_ and "Alex" in help_
    assert "questions for each other" in help_
    assert "Sam's turn" not in help_ and "Sam has the floor" not in help_


def test_the_first_check_in_tips_alexa_next_once_and_a_returning_couple_never(
    echo: Device, clock
) -> None:
    said = [words(t) for t in first_check_in(echo)]
    tips = [i for i, text in enumerate(said) if "Alexa, next" in text and "silence" in text]
    assert len(tips) == 1, said
    turn = said[tips[0]]
    assert addressed(turn) == "Sam" and "gratitude" in turn  # after the first own-silence turn
    assert turn.index("Alexa, next") > turn.index("Sam")

    clock.advance(days=1)
    again = [words(echo.hear("Alexa, start our check-in"))]
    again += [words(t) for t in hold_until_goodbye(echo)]
    assert not [text for text in again if "silence" in text or "Alexa, next" in text]


@pytest.mark.parametrize("utterance", ["make it full", "start our full check-in"])
def test_a_returning_couple_makes_it_full_during_the_pause_without_a_second_pause(
    echo: Device, clock, utterance: str
) -> None:
    first_check_in(echo)
    clock.advance(days=1)
    pause = echo.hear("Alexa, start our check-in")
    assert "one minute pause" in pause.speech and "[pause" in pause.speech

    turn = echo.hear(utterance)
    text = words(turn)
    assert "full check-in" in text
    assert "pause" not in text.lower() or "counts" in text  # "the pause you just had counts"
    assert "Breathe" not in text and "minute pause" not in text
    assert place(turn)[1:3] == ("full", 1)
    assert "gratitude" in text and addressed(text.split("counts", 1)[-1]) == "Alex"

    rest = hold_until_goodbye(echo)
    floors = [turn, *rest]
    assert sum(t.speech.count("[pause 45s]") for t in floors) == 2 * 2 + 2 * 3 + 2
    steps = [place(t)[2] for t in floors]
    assert steps == sorted(steps) and set(steps) == {1, 2, 3, 4}
    assert "goal" in " ".join(words(t) for t in rest)
    assert not [t for t in rest if "minute pause" in t.speech]


def announced_minutes(text: str) -> tuple[int, str]:
    """ "a full check-in, about twenty minutes with longer turns" -> (20, "longer")."""
    found = re.search(
        r"full check-in, about ([a-z-]+) minutes( with (longer|shorter) turns)?", text
    )
    assert found, text
    return NUMBERS[found.group(1)], found.group(3) or ""


def test_the_announced_length_follows_the_turn_length(echo: Device) -> None:
    """Twelve turns in a full check-in: 15 s more for each is about three minutes more."""
    meet(echo)
    assert announced_minutes(words(echo.hear("make it full"))) == (15, "")
    longer = announced_minutes(words(echo.hear("longer turns")))  # 60 s turns
    assert longer[1] == "longer"
    assert 17 <= longer[0] <= 20, f"a full check-in at 60 s turns announced as {longer}"
    longest = announced_minutes(words(echo.hear("longer turns")))  # 75 s
    assert longest[0] > longer[0]
    assert announced_minutes(words(echo.hear("shorter turns")))[0] == longer[0]
    assert announced_minutes(words(echo.hear("shorter turns"))) == (15, "")
    shorter = announced_minutes(words(echo.hear("shorter turns")))  # 30 s
    assert shorter[1] == "shorter" and shorter[0] < 15


def test_at_default_turns_a_full_check_in_is_about_fifteen_minutes(echo: Device) -> None:
    meet(echo)
    assert "a full check-in, about fifteen minutes" in words(echo.hear("make it full"))


# --- 5. state stays kind ---------------------------------------------------------------------
def closing(turns: list[Turn]) -> str:
    """The closing of a check-in held to its goodbye: said in the turn that finished it (an
    offer may follow it)."""
    last = next(t for t in turns if t.ended or t.state.get("phase") == "done")
    return "hug" if "hug" in last.speech else "last appreciation"


def test_closings_alternate_from_one_check_in_to_the_next_whatever_the_length(
    echo: Device, clock
) -> None:
    closings = [closing(first_check_in(echo))]  # quick
    clock.advance(days=1)
    echo.hear("Alexa, start our full check-in")
    full = hold_until_goodbye(echo)
    assert sum(t.speech.count("[pause 45s]") for t in full) == 12  # it was the full one
    closings.append(closing(full))
    clock.advance(days=1)
    echo.hear("Alexa, start our quick check-in")
    quick = hold_until_goodbye(echo)
    assert sum(t.speech.count("[pause 45s]") for t in quick) == 4
    closings.append(closing(quick))
    assert closings[0] != closings[1] != closings[2], closings


def saved_mentions(turns: list[Turn]) -> list[str]:
    return [
        s
        for t in turns
        for s in sentences(words(t))
        if "check-in" in s or "resume" in s.lower() or "saved" in s.lower()
    ]


def stop_at_alexs_gratitude_turn(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    assert addressed(words(echo.hear("next"))) == "Alex"
    assert echo.hear("stop").ended


def test_a_single_exercise_runs_on_its_own_and_resume_goes_back_to_the_saved_check_in(
    echo: Device, clock
) -> None:
    stop_at_alexs_gratitude_turn(echo)
    clock.advance(minutes=30)
    single = [echo.hear("Alexa, ask our check-in for a gratitude round")]
    text = words(single[0])
    assert "Picking up" not in text and "where you" not in text
    assert re.search(r"appreciat|thank|grateful", text) and addressed(text), text
    single += hold_until_goodbye(echo)
    assert len(single) == 2  # the gratitude round on its own: two turns, then goodbye

    mentions = saved_mentions(single)
    assert len(mentions) == 1, mentions  # once, in one short line
    assert mentions[0] in sentences(words(single[-1]))
    assert len(mentions[0].split()) <= 15, mentions[0]

    clock.advance(minutes=5)
    turn = echo.hear("Alexa, resume our check-in")
    assert "gratitude round, Alex's turn" in turn.speech
    assert place(turn)[2:4] == (1, 1)
    assert "questions" in echo.hear("next").speech.lower()


def test_the_next_one_after_a_single_exercise_goes_back_to_the_saved_check_in(
    echo: Device, clock
) -> None:
    """The design: "Alexa, ask our check-in for the next one" continues exactly where they
    were. After a single exercise it must not throw the saved check-in away."""
    stop_at_alexs_gratitude_turn(echo)
    clock.advance(minutes=30)
    assert echo.hear("Alexa, ask our check-in for a hug").ended
    clock.advance(minutes=5)
    turn = echo.hear("Alexa, ask our check-in for the next one")
    assert "minute pause" not in turn.speech, turn.speech
    assert place(turn)[2:4] in ((1, 1), (2, 0)), turn.speech


def test_switching_just_after_a_turn_never_gives_two_turns_in_a_row(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    assert addressed(words(echo.hear("next"))) == "Alex"  # Alex's gratitude turn is spoken
    assert addressed(words(echo.hear("next"))) == "Sam"  # Sam's first question
    turn = echo.hear("Alex wants to go first")  # Alex just went: this one stays Sam's
    text = words(turn)
    assert "Sam" in text and "Alex" in text and not turn.ended
    assert place(turn)[2:5] == (2, 0, False)
    assert addressed(words(echo.hear("next"))) == "Alex"


def test_the_other_partner_asking_to_go_first_at_the_first_turn_takes_it(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    assert addressed(words(echo.hear("next"))) == "Sam"
    turn = echo.hear("Alex wants to go first")
    assert addressed(words(turn)) == "Alex"
    assert addressed(words(echo.hear("next"))) == "Sam"
    assert addressed(words(echo.hear("next"))) == "Alex"  # questions: Alex goes first now


SWITCHES = ("next", "switch", "swap turns", "Sam wants to go first", "Alex wants to go first")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.sampled_from(SWITCHES), max_size=25), full=st.booleans())
def test_random_switch_requests_never_address_one_partner_twice_in_a_row(
    lines: list[str], full: bool, new_device
) -> None:
    echo = new_device(f"amzn1.ask.device.{uuid.uuid4().hex}", f"amzn1.ask.account.{uuid.uuid4()}")
    meet(echo)
    if full:
        echo.hear("make it full")
    before = place(echo.hear("yes"))
    taken: dict[tuple[object, object], str] = {}  # (step, beat) -> who has that turn
    addressed_in_step: dict[object, list[str]] = {}
    for line in [*lines, *["next"] * 30]:
        turn = echo.hear(line)
        now = place(turn)
        text = words(turn)
        if now != before and "[pause 45s]" in turn.speech and now[0] == "beat":
            name = addressed(re.sub(r"^(Of course|Sure, let's switch|No problem)\. ", "", text))
            assert name, text
            addressed_in_step.setdefault(now[2], []).append(name)
            taken[now[2], now[3]] = name
        before = now
        if decline_offers(echo, turn).ended:  # the check-in's end may offer a reminder: no
            break
    for step, names in addressed_in_step.items():
        assert all(a != b for a, b in itertools.pairwise(names)), (step, names)
    for (step, beat), name in taken.items():
        assert taken.get((step, beat + 1)) != name, (lines, taken)


# (Said aloud, "Sam, Alex and Jo" reaches the skill without its comma, as "Sam Alex and Jo":
# no skill can tell that from a double first name like "Mary Ann and Jo".)
@pytest.mark.parametrize("names", ["Zoë and Mark and Ana", "Sam and Alex and Jo"])
def test_three_names_get_a_kind_this_is_for_two(echo: Device, names: str) -> None:
    echo.hear("Alexa, start our check-in")
    turn = echo.hear(names)
    text = words(turn)
    assert "two" in text and "right?" not in text, text
    assert turn.state.get("phase") == "names" and not turn.ended
    turn = echo.hear("Sam and Alex")
    assert "Sam and Alex" in turn.speech and "right" in turn.speech
    assert "Ready?" in echo.hear("yes").speech


def test_what_while_naming_is_not_a_name(echo: Device) -> None:
    asked = words(echo.hear("Alexa, start our check-in"))
    assert words(echo.hear("what?")) == asked  # the question again
    partner = words(echo.hear("Sam"))
    assert "Sam" in partner and "partner" in partner
    assert words(echo.hear("what?")) == partner
    turn = echo.hear("Alex")
    assert "Sam and Alex" in turn.speech and "What" not in turn.speech.replace("What's", "")


# --- 6. safety that fits the danger ------------------------------------------------------------
def reach(echo: Device, phase: str) -> None:
    if phase == "naming":
        echo.hear("Alexa, start our check-in")
    elif phase == "ready":
        meet(echo)
    elif phase == "mid-turn":
        meet(echo)
        echo.hear("yes")
        echo.hear("next")
    else:
        first_check_in(echo)


PHASES = ("naming", "ready", "mid-turn", "done")
FEAR = ("I'm afraid of my partner", "I don't feel safe at home", "he hurts me")


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("phrase", FEAR)
def test_fear_gets_the_emergency_number_and_the_hotline(
    echo: Device, phase: str, phrase: str
) -> None:
    reach(echo, phase)
    turn = echo.hear(phrase)
    text = words(turn)
    assert turn.intent == "SafetyIntent"
    assert "nine one one" in text
    # The hotline as it is spoken: digit by digit, never "one dash eight hundred".
    assert "one, eight hundred, seven nine nine, seven two three three" in text
    assert "text START to eight eight seven eight eight" in text
    assert "counsel" not in text.lower()
    for accusing in (r"\byour partner\b", r"\bhe\b", r"\bshe\b", r"\bhim\b", r"\bher\b"):
        assert not re.search(accusing, text, re.IGNORECASE), (accusing, text)
    assert len(text.split()) <= 60, text  # short and calm


@pytest.mark.parametrize("phase", PHASES)
def test_we_need_help_keeps_its_counselling_answer(echo: Device, phase: str) -> None:
    reach(echo, phase)
    text = words(echo.hear("we need help"))
    assert "counselor" in text and "emergency" in text
    assert "1-800" not in text


def test_the_check_in_is_still_there_after_the_safety_answer(echo: Device, clock) -> None:
    reach(echo, "mid-turn")
    echo.hear("I don't feel safe at home")
    clock.advance(hours=1)
    assert "gratitude round, Sam's turn" in echo.hear("Alexa, resume our check-in").speech


# --- time left, and thanks ---------------------------------------------------------------------
def test_how_long_is_this_answers_with_minutes_and_what_is_left(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    turn = echo.hear("next")  # Sam's gratitude turn
    before = place(turn)
    answer = echo.hear("How long is this?")
    text = words(answer)
    assert re.search(r"about (a|[a-z-]+) minutes?", text, re.IGNORECASE), text
    assert "questions for each other" in text and ("hug" in text or "appreciation" in text)
    assert place(answer) == before and not answer.ended


def test_thank_you_mid_turn_is_answered_in_place(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    before = place(echo.hear("next"))
    turn = echo.hear("thank you")
    assert place(turn) == before and not turn.ended
    assert "Sorry" not in turn.speech and "[pause" not in turn.speech
    assert "know you as" not in turn.speech
    assert addressed(words(echo.hear("next"))) == "Alex"  # and next goes on as before
