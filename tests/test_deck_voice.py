"""The question deck by voice, as a couple uses it, through the real Lambda handler: "a deep
one", "something fun", "we love that one" and later "ask us a favourite", "never ask that
again", and the same words said where no question is being asked."""

from __future__ import annotations

import re

import pytest

from skill.console.device import Device
from skill.content.loader import default_content
from skill.content.model import Kind, Question
from tests.conftest import meet

CONTENT = default_content()
NAMES = ("Sam", "Alex")
SPEAKER = re.compile(r"\b(Sam|Alex)\b")
DRAWN = [q for q in CONTENT.questions.values() if not CONTENT.categories[q.category].on_request]


def question_in(speech: str) -> Question | None:
    """The deck's question said in `speech` (with either partner's name in it), if any."""
    for question in CONTENT.questions.values():
        if any(question.text.format(other=name) in speech for name in NAMES):
            return question
    return None


def kinds_of(question: Question | None) -> tuple[Kind, ...]:
    assert question is not None, "no question of the deck was said"
    return CONTENT.categories[question.category].kinds


def addressed(speech: str) -> str | None:
    found = SPEAKER.search(speech)
    return found.group(1) if found else None


def said(key: str, speech: str) -> bool:
    """Whether one of the phrase's variants (without placeholders) is in `speech`."""
    return any(variant in speech for variant in CONTENT.phrases[key])


def finish_tonight(echo: Device, limit: int = 12) -> None:
    """Say "next" until tonight's check-in is over (an offer may follow: not taken)."""
    for _ in range(limit):
        turn = echo.hear("next")
        if turn.ended or turn.state.get("phase") == "done":
            return
    raise AssertionError("the check-in never ended")


def to_the_questions(echo: Device, limit: int = 12) -> str:
    """Say "next" until a partner is asked a question of the deck; what Alexa said."""
    for _ in range(limit):
        speech = echo.hear("next").speech
        if question_in(speech):
            return speech
    raise AssertionError("never reached a question")


@pytest.mark.parametrize(
    ("asking", "kind"),
    [
        ("a deep one", Kind.DEEP),
        ("something fun", Kind.FUN),
        ("a memory question", Kind.MEMORY),
        ("a question about the future", Kind.DREAMS),
        ("something romantic", Kind.ROMANCE),
    ],
)
def test_a_kind_asked_for_replaces_the_question_for_the_same_partner(
    echo: Device, asking: str, kind: Kind
) -> None:
    meet(echo)
    echo.hear("ask us a question")
    before = echo.hear("repeat").speech
    turn = echo.hear(asking)
    assert not turn.ended and "[pause" in turn.speech
    assert kind in kinds_of(question_in(turn.speech))
    assert question_in(turn.speech) != question_in(before)
    assert addressed(turn.speech) == addressed(before)
    assert question_in(echo.hear("repeat").speech) == question_in(turn.speech)


def test_a_deep_one_then_something_fun_on_the_next_turn(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    to_the_questions(echo)
    first = echo.hear("a deep one")
    assert Kind.DEEP in kinds_of(question_in(first.speech))
    second = echo.hear("next")
    assert addressed(second.speech) != addressed(first.speech)
    fun = echo.hear("something fun")
    assert Kind.FUN in kinds_of(question_in(fun.speech))
    assert addressed(fun.speech) == addressed(second.speech)


def test_we_love_that_one_then_next_week_ask_us_a_favourite(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("ask us a question")
    loved = question_in(echo.hear("repeat").speech)
    turn = echo.hear("we love that one")
    assert said("kept", turn.speech)
    assert not turn.ended and question_in(turn.speech) is None  # the turn goes on
    assert question_in(echo.hear("repeat").speech) == loved
    finish_tonight(echo)

    clock.advance(days=7)
    echo.hear("Alexa, start our check-in")
    tonight = question_in(to_the_questions(echo))
    assert tonight != loved
    turn = echo.hear("ask us a favourite")
    assert question_in(turn.speech) == loved
    assert said("favourite_lead", turn.speech)


def test_a_favourite_is_never_the_question_just_asked(echo: Device) -> None:
    meet(echo)
    echo.hear("ask us a question")
    echo.hear("we love that one")
    turn = echo.hear("ask us a favourite")
    assert said("favourite_just_heard", turn.speech)
    assert not turn.ended


def test_never_ask_that_again_and_it_never_comes_back(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("ask us a question")
    before = echo.hear("repeat").speech
    refused = question_in(before)
    turn = echo.hear("never ask that again")
    assert question_in(turn.speech) not in (None, refused)  # another one, at once
    assert addressed(turn.speech) == addressed(before)

    heard = [question_in(turn.speech)]
    for _ in range(300):
        heard.append(question_in(echo.hear("skip").speech))
    echo.hear("stop")
    clock.advance(days=1)
    echo.hear("Alexa, start our check-in")  # a new check-in, the next evening
    heard.append(question_in(to_the_questions(echo)))
    for _ in range(len(DRAWN) - 300 + 20):
        heard.append(question_in(echo.hear("skip").speech))

    assert refused not in heard
    assert len(heard) > len(DRAWN)  # more than the whole deck: a new round began
    assert len(set(heard)) == len(DRAWN) - 1  # every other question came


def test_a_kind_asked_for_during_the_gratitude_round_comes_with_the_first_question(
    echo: Device,
) -> None:
    meet(echo)
    echo.hear("yes")
    gratitude = echo.hear("next")
    turn = echo.hear("a deep one")
    assert said("kind_next_deep", turn.speech) and not turn.ended
    assert "[pause" not in turn.speech  # answered in place: the turn is not said again
    assert addressed(echo.hear("next").speech) != addressed(gratitude.speech)
    assert Kind.DEEP in kinds_of(question_in(to_the_questions(echo)))


def test_something_fun_before_tonight_begins_is_kept_for_the_first_question(
    echo: Device,
) -> None:
    meet(echo)
    turn = echo.hear("something fun")
    assert said("kind_next_fun", turn.speech) and "Ready?" in turn.speech
    echo.hear("yes")
    assert Kind.FUN in kinds_of(question_in(to_the_questions(echo)))


def test_a_memory_question_after_the_check_in_is_kept_for_next_time(echo: Device, clock) -> None:
    meet(echo)
    echo.hear("yes")
    finish_tonight(echo)
    turn = echo.hear("Alexa, ask our check in for a memory question")
    assert said("kind_next_memory", turn.speech)
    clock.advance(days=2)
    echo.hear("Alexa, start our check-in")
    assert Kind.MEMORY in kinds_of(question_in(to_the_questions(echo)))


def test_asking_for_a_kind_while_giving_names_still_asks_for_the_names(echo: Device) -> None:
    echo.hear("Alexa, start our check-in")
    turn = echo.hear("a deep one")
    assert "names" in turn.speech and not turn.ended
    assert "right" in echo.hear("we are Sam and Alex").speech


def test_before_any_question_keeping_a_favourite_or_refusing_says_how(echo: Device) -> None:
    meet(echo)
    echo.hear("yes")
    echo.hear("next")  # the gratitude round
    keep = echo.hear("we love that one")
    assert said("keep_nothing", keep.speech)
    favourite = echo.hear("ask us a favourite")
    assert said("favourite_none", favourite.speech)
    never = echo.hear("never ask that again")
    assert said("never_nothing", never.speech)
    for turn in (keep, favourite, never):
        assert not turn.ended and "[pause" not in turn.speech


def test_a_kind_we_do_not_have_gets_the_kinds_we_do(echo: Device) -> None:
    meet(echo)
    echo.hear("ask us a question")
    before = echo.hear("repeat").speech
    turn = echo.hear("a spicy question")
    assert said("kind_unknown", turn.speech) and not turn.ended
    assert question_in(echo.hear("repeat").speech) == question_in(before)


def test_when_every_memory_question_was_heard_another_kind_comes_and_says_so(
    echo: Device,
) -> None:
    memories = [q for q in DRAWN if Kind.MEMORY in kinds_of(q)]
    meet(echo)
    echo.hear("ask us a question")
    heard = [question_in(echo.hear("repeat").speech)]
    unheard = [q for q in memories if q not in heard]
    heard += [question_in(echo.hear("a memory question").speech) for _ in unheard]
    assert {q.id for q in memories} <= {q.id for q in heard if q}
    turn = echo.hear("a memory question")
    assert said("kind_all_heard", turn.speech)
    assert question_in(turn.speech) not in (None, *memories)
    assert not turn.ended
