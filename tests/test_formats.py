"""The known check-in formats, as a couple hold them, through the real Lambda handler: a
temperature reading (appreciations, news, puzzles, one concern with a request, wishes and
hopes) and a weekly state of us (appreciations, what went well, one topic each said with I
and reflected back, what would help each feel loved next week). A format is for tonight:
the next "start our check-in" is the couple's usual plan again.

And a format is content, not code: a plan added to a copy of the content files is checked
(its spoken length included) and can be started."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skill.cli import main
from skill.console.device import Device, Turn
from skill.content.durations import plan_minutes
from skill.content.loader import CONTENT_DIR, build, check_directory, default_content, read_files
from skill.content.rules import DEFAULT_TURN_SECONDS
from skill.engine.conversation import handle
from skill.engine.events import Event
from skill.engine.state import State
from skill.engine.words import number_words
from tests.conftest import decline_offers, meet

SPEAKER = re.compile(r"\b(Sam|Alex)\b")
TURN = "[pause 45s]"  # a partner's floor at the default turn length
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)

# What each format's steps are, in order (the closing alternates between check-ins).
STEPS = {
    "temperature_reading": [
        "mindful_pause",
        "tr_appreciations",
        "tr_news",
        "tr_puzzles",
        "tr_concern",
        "tr_wishes",
    ],
    "weekly_meeting": ["mindful_pause", "wm_appreciations", "wm_went_well", "wm_topic", "wm_loved"],
}
CLOSINGS = ("hug", "last_words")


def addressed(speech: str) -> str | None:
    """Who a turn is for: the first name said before its silence."""
    found = SPEAKER.search(speech.split("[pause")[0])
    return found.group(1) if found else None


def hold_until_goodbye(echo: Device, first: Turn, limit: int = 40) -> list[Turn]:
    """From the answer that started the format, say "next" until the check-in ends, and "no"
    to what its end offers, until goodbye."""
    turns = [first]
    for _ in range(limit):
        if turns[-1].ended:
            return turns
        goodbye = decline_offers(echo, turns[-1])
        turns.append(goodbye if goodbye is not turns[-1] else echo.hear("next"))
    raise AssertionError("the check-in never ended")


def offers_a_reminder(turn: Turn) -> bool:
    """The end of a couple's first check-in: "Before you go: shall I remind you both...?" """
    return "remind" in turn.speech and turn.state.get("asking") == "reminder"


def intro_of(exercise_id: str) -> re.Pattern[str]:
    """Any of the exercise's intro lines (the mindful pause fills in its minutes)."""
    intros = default_content().exercises[exercise_id].intro
    return re.compile("|".join(re.escape(i).replace(r"\{minutes\}", r"[\w ]+") for i in intros))


def steps_heard(turns: list[Turn]) -> list[str]:
    """The exercises whose intro the couple heard, in the order they heard them."""
    heard = []
    for turn in turns:
        for exercise in (*STEPS["temperature_reading"], *STEPS["weekly_meeting"], *CLOSINGS):
            if intro_of(exercise).search(turn.speech) and exercise not in heard:
                heard.append(exercise)
    return heard


def announced(plan_id: str) -> str:
    plan = default_content().plans[plan_id]
    return f"{plan.title}, about {number_words(plan.minutes)} minutes"


# --- a temperature reading ------------------------------------------------------------------


EVENINGS = [0, 7, 23, 41]  # minutes past eight: other evenings, other variants said


@pytest.mark.parametrize("evening", EVENINGS)
def test_a_temperature_reading_from_launch_to_goodbye(echo: Device, clock, evening: int) -> None:
    clock.advance(minutes=evening)
    meet(echo)
    echo.close()  # they said nothing more that night; another evening, they ask by name
    clock.advance(days=1)
    first = echo.hear("Alexa, ask our check in to start our temperature reading")
    assert first.state.get("plan") == "temperature_reading"
    assert "two minute pause" in first.speech and not first.ended
    turns = hold_until_goodbye(echo, first)

    heard = steps_heard(turns)
    assert heard[:-1] == STEPS["temperature_reading"]
    assert heard[-1] in CLOSINGS

    turns_of = [addressed(t.speech) for t in turns if TURN in t.speech]
    assert turns_of == ["Sam", "Alex"] * 6  # appreciations twice, news, puzzles, concern, wishes

    # The concern: one small thing, as I, with one request; the listener only thanks them.
    concern = [t.speech for t in turns if intro_of("tr_concern").search(t.speech)]
    assert len(concern) == 1
    spoken, after = concern[0].split(TURN)
    assert "one" in spoken and "request" in spoken and " I " in spoken
    assert "thank" in after.lower()
    alex_concern = turns[[t.speech for t in turns].index(concern[0]) + 1]
    assert addressed(alex_concern.speech) == "Alex"
    assert "request" in alex_concern.speech or "change" in alex_concern.speech
    assert "thank" in alex_concern.speech.split(TURN)[1].lower()

    offer, goodbye = turns[-2:]
    assert offers_a_reminder(offer)  # their first check-in; they say no
    assert goodbye.ended and "Thank" in goodbye.speech
    text = " ".join(t.speech for t in turns)
    assert "wish" in text and "news" in text and "puzzle" in text.lower()


def test_a_temperature_reading_named_at_ready_starts_it_at_once(echo: Device) -> None:
    meet(echo)
    turn = echo.hear("let's do a temperature reading")
    assert turn.state.get("plan") == "temperature_reading"
    assert "two minute pause" in turn.speech
    assert "appreciation round" in turn.speech  # "Next is the appreciation round. Ready?"


# --- a weekly state of us -------------------------------------------------------------------


@pytest.mark.parametrize("evening", EVENINGS)
def test_a_weekly_state_of_us_from_launch_to_goodbye(echo: Device, clock, evening: int) -> None:
    clock.advance(minutes=evening)
    meet(echo)
    first = echo.hear("let's do our weekly meeting")
    assert first.state.get("plan") == "weekly_meeting"
    turns = hold_until_goodbye(echo, first)

    heard = steps_heard(turns)
    assert heard[:-1] == STEPS["weekly_meeting"]
    assert heard[-1] in CLOSINGS

    turns_of = [addressed(t.speech) for t in turns if TURN in t.speech]
    # appreciations twice, what went well, then one topic each: Sam shares and Alex says back
    # what they heard, Alex shares and Sam says it back; then what would help each feel loved
    assert turns_of == ["Sam", "Alex"] * 3 + ["Sam", "Alex", "Alex", "Sam"] + ["Sam", "Alex"]

    topic = [t.speech.split(TURN)[0] for t in turns if TURN in t.speech][6:10]
    assert " I" in topic[0] and "listen" in topic[0]  # Sam shares, said with I
    assert re.search(r"back|heard|understood", topic[1])  # Alex reflects it back
    assert " I" in topic[2] or "your side" in topic[2]  # Alex shares
    assert re.search(r"back|hear|understood", topic[3])  # Sam reflects it back

    loved = [t.speech for t in turns if intro_of("wm_loved").search(t.speech)]
    assert loved and "loved" in loved[0]
    together = [t.speech for t in turns if "[pause 15s]" in t.speech]
    assert len(together) == 2  # a short moment together after "went well" and "feel loved"

    assert offers_a_reminder(turns[-2])  # their first check-in; they say no
    assert turns[-1].ended and "Thank" in turns[-1].speech


@pytest.mark.parametrize(
    "line",
    [
        "Alexa, ask our check in to start our state of us",
        "Alexa, ask our check in for our weekly check-in meeting",
        "Alexa, tell our check in it's time for our state of the union",
    ],
)
def test_the_weekly_meeting_is_reached_by_its_everyday_names(echo: Device, line: str) -> None:
    meet(echo)
    echo.close()
    turn = echo.hear(line)
    assert turn.state.get("plan") == "weekly_meeting", turn.speech
    assert "pause" in turn.speech and not turn.ended


# --- what the couple notice around a format ---------------------------------------------------


@pytest.mark.parametrize(
    "line, plan_id",
    [
        ("start our temperature reading", "temperature_reading"),
        ("let's do our weekly meeting", "weekly_meeting"),
    ],
)
def test_a_format_is_announced_with_its_title_and_minutes(
    echo: Device, line: str, plan_id: str
) -> None:
    meet(echo)
    turn = echo.hear(line)
    assert announced(plan_id) in turn.speech


@pytest.mark.parametrize("plan_id", ["temperature_reading", "weekly_meeting"])
def test_time_left_at_the_start_of_a_format_is_about_its_announced_minutes(
    echo: Device, plan_id: str
) -> None:
    meet(echo)
    name = {"temperature_reading": "temperature reading", "weekly_meeting": "weekly meeting"}
    echo.hear(f"start our {name[plan_id]}")
    answer = echo.hear("how long is this?").speech
    minutes = default_content().plans[plan_id].minutes
    said = re.search(r"(\w+(?:-\w+)?) minutes", answer)
    assert said, answer
    # the two minute pause has been said by then: a little less than announced is left
    close_enough = {number_words(m) for m in range(minutes - 4, minutes + 1)}
    assert said.group(1) in close_enough, answer


@pytest.mark.parametrize("line", ["start our temperature reading", "let's do our weekly meeting"])
def test_after_a_format_start_our_check_in_is_their_usual_plan_again(
    echo: Device, clock, line: str
) -> None:
    meet(echo)
    hold_until_goodbye(echo, echo.hear(line))
    clock.advance(days=2)
    turn = echo.hear("Alexa, start our check-in")
    assert turn.state.get("plan", "quick") == "quick"
    assert "one minute pause" in turn.speech
    assert "gratitude round" in turn.speech  # the quick plan: pause, then gratitude


def test_a_format_does_not_replace_a_chosen_full_check_in(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("make it full")
    hold_until_goodbye(echo, echo.hear("yes"))
    clock.advance(days=1)
    hold_until_goodbye(echo, echo.hear("Alexa, ask our check in to start our temperature reading"))
    clock.advance(days=1)
    turn = echo.hear("Alexa, start our check-in")
    assert turn.state.get("plan", "quick") == "full"


def test_a_format_asked_for_mid_check_in_waits_for_another_night(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")  # the quick check-in: the pause
    echo.hear("next")  # Sam's gratitude turn
    turn = echo.hear("let's do a temperature reading")
    assert turn.state.get("plan", "quick") == "quick" and not turn.ended
    assert "temperature reading" in turn.speech


# --- a new format is a content change -----------------------------------------------------------

NEW_EXERCISE = """
[exercises.noticing]
title = "the noticing round"
intro = [
  "Now, a noticing round.",
  "Let's notice each other for a moment.",
  "Time to notice the small things.",
]
[[exercises.noticing.beats]]
who = "first"
floor = "turn"
prompts = [
  "{speaker}, tell {other} one small thing you noticed about them today.",
  "{speaker}, what did you see {other} do today that made you smile?",
  "{speaker}, name one thing about {other} you noticed this week.",
]
[[exercises.noticing.beats]]
who = "second"
floor = "turn"
prompts = [
  "{speaker}, your turn. One small thing you noticed about {other}.",
  "{speaker}, now you. What did {other} do lately that you noticed?",
  "{speaker}, over to you: something about {other} you saw this week.",
]
"""

NEW_PLAN = """
[plans.evening_walk]
title = "an evening walk"
minutes = {minutes}
steps = [
  {{ exercise = "noticing", rounds = 2 }},
  {{ exercise = "gratitude" }},
  {{ closing = ["hug", "last_words"] }},
]
"""


def with_format(folder: Path, minutes: int) -> None:
    """The shipped exercises file, plus one new exercise and a plan announcing `minutes`."""
    shipped = (CONTENT_DIR / "exercises.toml").read_text(encoding="utf-8")
    text = shipped + NEW_EXERCISE + NEW_PLAN.format(minutes=minutes)
    (folder / "exercises.toml").write_text(text, encoding="utf-8")


def spoken_minutes(folder: Path) -> int:
    """The minutes the new plan lasts when spoken, as the validator counts them."""
    raw, problems = read_files(folder)
    assert problems == []
    content = build(raw)
    return plan_minutes(content, content.plans["evening_walk"], DEFAULT_TURN_SECONDS)


def test_a_new_format_is_a_content_change_that_the_validator_checks(content: Path, capsys):
    with_format(content, minutes=1)
    minutes = spoken_minutes(content)
    assert minutes >= 5

    # announced at its spoken length: clean, and the engine starts it by its id
    with_format(content, minutes=minutes)
    assert check_directory(content) == []
    assert main(["lint-content", str(content)]) == 0
    capsys.readouterr()
    raw, _ = read_files(content)
    couple = State(names=("Sam", "Alex"), phase="ready")
    outcome = handle(couple, Event("start", {"length": "evening_walk"}), NOW, build(raw))
    assert outcome.state.plan == "evening_walk"
    assert outcome.state.preferred_plan == "quick"  # a format is for tonight only
    assert re.search(r"notic", outcome.reply.text) and "Sam" in outcome.reply.text

    # announced at twice its length: refused, naming the plan and what it lasts
    with_format(content, minutes=2 * minutes)
    problems = check_directory(content)
    assert [p.entry for p in problems] == ["plans.evening_walk"] * 2  # once per closing
    assert all("lasts about" in p.message for p in problems)
    assert all(f"announces {2 * minutes}" in p.message for p in problems)
    assert main(["lint-content", str(content)]) == 1
    assert "exercises.toml: plans.evening_walk: lasts about" in capsys.readouterr().out


def test_the_shipped_formats_last_what_they_announce() -> None:
    content = default_content()
    for plan_id in STEPS:
        plan = content.plans[plan_id]
        spoken = plan_minutes(content, plan, DEFAULT_TURN_SECONDS)
        assert abs(spoken - plan.minutes) <= plan.minutes * 0.1 + 0.5, (plan_id, spoken)
        assert [s.choices[0] for s in plan.steps[:-1]] == STEPS[plan_id]
        assert plan.steps[-1].choices == CLOSINGS
