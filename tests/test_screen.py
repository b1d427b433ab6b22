"""The check-in on an Echo Show, through the real Lambda handler: what the screen shows, touch
equal to voice, and a speaker without a screen that hears exactly what it always heard."""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest

from skill.apl.screen import RENDER_DOCUMENT, Button, datasource, document
from skill.console.device import Device, Turn
from skill.console.envelopes import screen_error, session_ended_request, with_screen
from skill.engine.state import State
from tests.conftest import COUPLE_ID, decline_offers, meet

NAMES = re.compile(r"\b(?:Sam|Alex)\b")  # the couple's names (not the "Alexa" of Alexa.*)
DEVICES = ("amzn1.ask.device.show", "amzn1.ask.device.dot")
SPOKEN = {
    Button.NEXT: "next",
    Button.SKIP: "skip",
    Button.SWITCH: "switch",
    Button.PAUSE: "pause",
    Button.REPEAT: "repeat",
}


@pytest.fixture
def show(lambda_handler, clock, matcher) -> Device:
    return Device(lambda_handler, COUPLE_ID, DEVICES[0], matcher=matcher, clock=clock, screen=True)


@pytest.fixture
def couple(lambda_handler, clock, matcher) -> Callable[[str, bool], Device]:
    """A household of its own, on a screen or not (same clock: same seed, same words)."""

    def make(user: str, screen: bool) -> Device:
        user_id = f"amzn1.ask.account.{user}"
        return Device(
            lambda_handler, user_id, DEVICES[0], matcher=matcher, clock=clock, screen=screen
        )

    return make


def directives(turn: Turn) -> list[dict[str, Any]]:
    return (turn.response.get("response") or {}).get("directives") or []


def place(turn: Turn) -> dict[str, Any]:
    state = dict(turn.state)
    state.pop("updated", None)
    return state


def test_a_turn_on_screen_shows_the_step_the_name_the_prompt_and_counts_down_the_silence(
    show: Device,
) -> None:
    meet(show)
    show.hear("yes")  # the mindful pause
    turn = show.hear("next")  # Sam's gratitude turn
    screen = turn.screen
    assert screen is not None
    assert screen.heading == "The gratitude round · 2 of 4"
    assert screen.speaker == "Sam"
    assert screen.text in turn.speech and "Alex" in screen.text
    assert "[pause 45s]" in turn.speech
    assert screen.countdown_ms == 45_000  # the silence that follows the prompt, to the ms
    words_before = len(turn.speech.split("[pause")[0].split())
    assert screen.countdown_start_ms == round(words_before / 2.5 * 1000)
    assert set(screen.buttons) == set(Button)


def test_the_mindful_pause_breathes_at_the_pace_of_its_script(show: Device) -> None:
    meet(show)
    turn = show.hear("yes")
    screen = turn.screen
    assert screen is not None and screen.breathing is not None
    # pauses.toml, one minute: "Breathe in through your nose." 4 s, "And out, slowly." 6 s
    assert (screen.breathing.in_seconds, screen.breathing.out_seconds) == (4, 6)
    assert Button.SWITCH not in screen.buttons  # nobody has a turn to switch


def test_help_and_support_are_shown_as_text(show: Device) -> None:
    meet(show)
    show.hear("yes")
    helped = show.hear("help")
    assert helped.screen is not None and helped.screen.title == "Help"
    assert helped.screen.text == helped.speech and helped.screen.countdown_ms == 0
    supported = show.hear("we need help")
    assert supported.screen is not None and supported.screen.title == "Support"
    assert "counsel" in supported.screen.text


def test_no_name_or_question_stays_on_screen_after_the_session_ends(show: Device) -> None:
    meet(show)
    show.hear("yes")
    show.hear("next")
    turn = show.hear("stop")
    assert turn.ended and turn.screen is not None
    assert not NAMES.search(json.dumps(directives(turn)))
    assert turn.screen.speaker is None and turn.screen.buttons == ()


def test_the_closing_shows_the_couples_history_line_and_no_names(show: Device) -> None:
    meet(show)
    show.hear("yes")
    for _ in range(10):
        turn = show.hear("next")
        if turn.ended or turn.state.get("phase") == "done":
            break
    assert "remind" in turn.speech and not turn.ended  # a first check-in: the reminder offered
    turn = decline_offers(show, turn)
    assert turn.ended and turn.screen is not None
    assert turn.screen.history == "Your first check-in together"
    assert not NAMES.search(json.dumps(directives(turn)))


def test_a_speaker_without_a_screen_gets_no_document_and_the_same_words(couple) -> None:
    with_show, without = couple("with-screen", True), couple("no-screen", False)
    for device in (with_show, without):
        meet(device)
    for line in ("yes", "next", "help", "skip", "longer turns", "next", "stop"):
        shown, heard = with_show.hear(line), without.hear(line)
        assert directives(heard) == []
        assert [d["type"] for d in directives(shown)] == [RENDER_DOCUMENT]
        assert (
            heard.response["response"]["outputSpeech"] == shown.response["response"]["outputSpeech"]
        )
        assert heard.ended == shown.ended


@pytest.mark.parametrize("button", list(Button))
@pytest.mark.parametrize("where", ["pause", "gratitude", "question"])
def test_a_touch_does_what_the_voice_command_does(couple, button: Button, where: str) -> None:
    by_voice, by_touch = couple(f"voice-{button}-{where}", False), couple(f"touch-{button}", True)
    for device in (by_voice, by_touch):
        meet(device)
        device.hear("yes")
        for _ in range({"pause": 0, "gratitude": 1, "question": 3}[where]):
            device.hear("next")
    said = by_voice.hear(SPOKEN[button])
    touched = by_touch.touch(button.value)
    assert touched.intent == "Alexa.Presentation.APL.UserEvent"
    assert place(touched) == place(said)
    assert touched.speech == said.speech
    assert touched.ended == said.ended


def test_a_touch_with_arguments_it_does_not_know_is_answered_in_words(show: Device) -> None:
    meet(show)
    show.hear("yes")
    assert show.session is not None
    turn = show.send(
        with_screen(
            {
                **session_ended_request(show.session),
                "request": {
                    "type": "Alexa.Presentation.APL.UserEvent",
                    "requestId": "amzn1.echo-api.request.x",
                    "timestamp": "2026-11-23T20:00:00Z",
                    "locale": "en-US",
                    "token": "our-checkin",
                    "arguments": ["slider", 7],
                },
            }
        )
    )
    assert turn.speech and not turn.ended
    assert State.from_dict(turn.state).phase == "beat"


def test_a_screen_that_cannot_render_is_logged_and_the_turn_goes_on(
    show: Device, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    meet(show)
    show.hear("yes")
    assert show.session is not None
    capsys.readouterr()
    trouble = show.send(with_screen(screen_error(show.session)))
    assert (trouble.response.get("response") or {}).get("outputSpeech") is None
    assert directives(trouble) == []
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["outcome"] == "screen_error" and line["errors"] == ["LIST_ERROR"]
    assert not NAMES.search(json.dumps(line))
    assert "gratitude" in show.hear("next").speech.lower()


def test_no_document_answers_a_session_end(show: Device) -> None:
    meet(show)
    show.hear("yes")
    assert show.session is not None
    ended = show.send(with_screen(session_ended_request(show.session, "USER_INITIATED")))
    assert directives(ended) == []


def test_the_document_is_built_once_and_only_the_datasource_changes(show: Device) -> None:
    meet(show)
    first, second = show.hear("yes"), show.hear("next")
    (one,), (two,) = directives(first), directives(second)
    assert one["document"] == two["document"] == document()
    assert one["datasources"] != two["datasources"]
    assert second.screen is not None
    assert two["datasources"] == datasource(second.screen)


def test_rendering_leaves_the_shared_document_untouched(show: Device) -> None:
    before = copy.deepcopy(document())
    meet(show)
    show.hear("yes")
    show.hear("next")
    assert document() == before


def test_screen_answers_log_no_names(
    show: Device, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.INFO):
        meet(show)
        show.hear("yes")
        show.touch("next")
        show.touch("skip")
    logged = capsys.readouterr().out + caplog.text
    assert not NAMES.search(logged)
