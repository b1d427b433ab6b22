"""Whole check-ins, as a couple would hold them, through the real Lambda handler."""

from __future__ import annotations

import re

import pytest

from skill.console.device import Device
from tests.conftest import decline_offers, meet

SPEAKER = re.compile(r"\b(Sam|Alex)\b")


def addressed(speech: str) -> str | None:
    """Who a turn is for: the first name the prompt (after any lead-in) starts with."""
    found = SPEAKER.search(speech)
    return found.group(1) if found else None


def hold_until_goodbye(echo: Device, limit: int = 40) -> list[str]:
    """Say "next" until the check-in ends, and "no" to what its end offers, until Alexa says
    goodbye; return everything she said."""
    said = []
    for _ in range(limit):
        turn = echo.hear("next")
        said.append(turn.speech)
        goodbye = decline_offers(echo, turn)
        if goodbye is not turn:
            said.append(goodbye.speech)
        if goodbye.ended:
            return said
    raise AssertionError("the check-in never ended")


def test_first_time_a_quick_check_in_from_hello_to_goodbye(echo: Device) -> None:
    turn = echo.hear("Alexa, start our check-in")
    assert "first names" in turn.speech
    assert not turn.ended and turn.reprompt

    turn = echo.hear("we are Sam and Alex")
    assert "Sam and Alex" in turn.speech and "right" in turn.speech

    turn = echo.hear("yes")
    assert "quick check-in, about five minutes" in turn.speech
    assert "Ready?" in turn.speech

    turn = echo.hear("yes")  # the mindful pause: one minute of real silence
    assert "one minute pause" in turn.speech
    assert "[pause" in turn.speech and "gratitude round" in turn.speech

    turn = echo.hear("next")
    assert turn.speech.count("[pause 45s]") == 1
    assert "Sam" in turn.speech and "Alex" in turn.speech
    assert addressed(turn.speech) == "Sam"  # the first check-in: Sam goes first

    turn = echo.hear("we're done")
    assert addressed(turn.speech) == "Alex"

    turn = echo.hear("next")
    assert "questions" in turn.speech.lower() and addressed(turn.speech) == "Sam"
    assert turn.speech.count("?") >= 2  # the question itself and "Ready for Alex's turn?"

    turn = echo.hear("next")
    assert addressed(turn.speech) == "Alex"

    turn = echo.hear("next")  # the closing: a hug or a last appreciation
    assert "remind" in turn.speech and turn.state["asking"] == "reminder"  # a first one: offered
    assert not turn.ended and turn.reprompt

    turn = echo.hear("no")
    assert turn.ended
    assert "Thank" in turn.speech


def test_a_full_check_in_runs_every_step_in_order(echo: Device) -> None:
    meet(echo)
    turn = echo.hear("full please")
    assert "full check-in, about fifteen minutes" in turn.speech
    first = echo.hear("yes")
    assert "two minute pause" in first.speech
    said = hold_until_goodbye(echo)
    text = " ".join(said)
    assert text.count("[pause 45s]") == 2 * 2 + 2 * 3 + 2  # gratitude, questions, goals
    assert "goal" in text
    assert "remind" in said[-2]  # their first check-in ends with the offer of a reminder
    assert said[-1].endswith(("next time.", "each other.", "Until next time."))


def test_names_alternate_in_every_round_of_a_full_check_in(echo: Device) -> None:
    meet(echo)
    echo.hear("make it full")
    echo.hear("yes")
    speakers = [addressed(s) for s in hold_until_goodbye(echo) if "[pause 45s]" in s]
    assert speakers == ["Sam", "Alex"] * 6  # gratitude x2, questions x3, goals


def test_who_goes_first_rotates_from_one_check_in_to_the_next(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    first_tonight = addressed(echo.hear("next").speech)
    hold_until_goodbye(echo)

    clock.advance(days=1)
    turn = echo.hear("Alexa, start our check-in")
    assert "Welcome back" in turn.speech or "again" in turn.speech or "back" in turn.speech
    assert (
        "Alex goes first" in turn.speech
        or "Alex starts" in turn.speech
        or ("Alex, you'll go first" in turn.speech)
    )
    second_night = addressed(echo.hear("next").speech)
    assert (first_tonight, second_night) == ("Sam", "Alex")


def test_resume_after_the_microphone_closed_continues_at_the_same_turn(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    echo.hear("next")  # now Alex's gratitude turn
    assert echo.silence() is None  # Alexa reprompts once
    assert echo.silence() is not None  # then the session ends, state saved
    assert not echo.in_session

    clock.advance(minutes=20)
    turn = echo.hear("Alexa, ask our check in to resume")
    assert "gratitude round, Alex's turn" in turn.speech
    assert addressed(turn.speech.split(":", 1)[1]) == "Alex"
    turn = echo.hear("next")
    assert "questions" in turn.speech.lower()


def test_resume_on_another_device_of_the_same_household(echo: Device, new_device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    echo.hear("stop")
    kitchen = new_device("amzn1.ask.device.kitchen")
    turn = kitchen.hear("Alexa, start our check-in")
    assert "gratitude round, Sam's turn" in turn.speech


def test_an_old_unfinished_check_in_is_not_resumed_the_next_week(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    echo.hear("stop")
    clock.advance(days=7)
    turn = echo.hear("Alexa, start our check-in")
    assert "pause" in turn.speech and "Picking up" not in turn.speech


@pytest.mark.parametrize(
    ("utterance", "heard"),
    [
        ("ask us a question", "questions"),
        ("let's do the gratitude round", "gratitude"),
        ("do the breathing", "pause"),
        ("let's do active listening", "listen"),
        ("let's do i statements", "I feel"),
        ("let's do the hug", "hug"),
        ("let's do shared goals", "goal"),
    ],
)
def test_each_exercise_on_its_own(echo: Device, utterance: str, heard: str) -> None:
    meet(echo)
    turn = echo.hear(utterance)
    said = [turn.speech] if turn.ended else [turn.speech, *hold_until_goodbye(echo)]
    assert heard in " ".join(said)
    assert "Thank" in said[-1]
    assert len(said) <= 5


def test_one_shot_exercise_from_a_new_session(echo: Device) -> None:
    meet(echo)
    echo.hear("stop")
    turn = echo.hear("Alexa, ask our check in for a gratitude round")
    assert "gratitude" in turn.speech
    assert addressed(turn.speech.split(".", 1)[1]) in ("Sam", "Alex")


def test_skip_gives_the_same_partner_another_question(echo: Device) -> None:
    meet(echo)
    echo.hear("ask us a question")
    first = echo.hear("repeat").speech
    turn = echo.hear("skip this one")
    assert addressed(turn.speech) == addressed(first)
    assert turn.speech.split(":", 1)[1] != first.split(":", 1)[1]


def test_switch_lets_the_other_partner_go_first(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    assert addressed(echo.hear("next").speech) == "Sam"
    turn = echo.hear("Alex wants to go first")
    assert addressed(turn.speech) == "Alex"
    assert addressed(echo.hear("next").speech) == "Sam"


def test_saying_it_is_already_their_turn(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    turn = echo.hear("let Sam go first")
    assert "already" in turn.speech


def test_longer_and_shorter_turns_change_the_silence(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    assert "[pause 45s]" in echo.hear("next").speech
    turn = echo.hear("give us longer turns")
    assert "a minute" in turn.speech
    assert "[pause 60s]" in echo.hear("next").speech
    echo.hear("make the turns shorter")
    echo.hear("make the turns shorter")
    assert "[pause 30s]" in echo.hear("next").speech


def test_no_after_a_turn_gives_more_time(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")
    turn = echo.hear("not yet")
    assert "[pause 45s]" in turn.speech and "Alex" in turn.speech and not turn.ended


def test_no_question_is_heard_twice_until_the_whole_deck_is_heard(echo: Device) -> None:
    from skill.content.loader import default_content

    content = default_content()
    deck = sum(
        1 for q in content.questions.values() if not content.categories[q.category].on_request
    )

    def question(speech: str) -> str:
        return speech.split(":", 1)[1].split("[pause")[0]

    meet(echo)
    echo.hear("ask us a question")
    heard = [question(echo.hear("repeat").speech)]
    for _ in range(deck - 1):
        heard.append(question(echo.hear("skip").speech))
    assert len(set(heard)) == deck
    again = question(echo.hear("skip").speech)
    assert again != heard[-1]


def test_a_little_history_on_the_third_check_in_this_month(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    hold_until_goodbye(echo)
    clock.advance(days=2)
    second = echo.hear("Alexa, start our check-in").speech
    assert "this month" not in second
    hold_until_goodbye(echo)
    clock.advance(days=2)
    third = echo.hear("Alexa, start our check-in").speech
    assert "third" in third
    resumed = echo.hear("Alexa, start our check-in").speech  # relaunch mid check-in
    assert "third" not in resumed


def test_a_missed_week_is_never_announced(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    hold_until_goodbye(echo)
    clock.advance(days=21)
    turn = echo.hear("Alexa, start our check-in")
    for word in ("missed", "streak", "broke", "reset", "since"):
        assert word not in turn.speech.lower()
