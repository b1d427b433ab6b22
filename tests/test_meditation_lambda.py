"""A guided meditation through the real Lambda handler, on the SQLite store: asked for by
voice, handed to the audio player, and followed through every report and button of the
player. Replies to the audio player never speak; the offset saved when the stream stops is
where "resume" starts again, on any Echo of the household; a finished meditation counts.

Writes are counted with the SQLite record's version, which every write moves by one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from skill.console.envelopes import AUDIO_INTERFACE as AUDIO_PLAYER
from skill.content.loader import default_content
from skill.content.model import Track
from skill.engine.schema import load_state
from skill.engine.state import State
from skill.store.base import household_key
from skill.store.sqlite import SqliteStore
from tests.audio_envelopes import (
    AudioEcho,
    Command,
    Directive,
    Report,
    directive_types,
    play_directive,
    spoken_parts,
)
from tests.conftest import COUPLE_ID, meet

AUDIO_URL = "https://audio.checkin.test/meditations/"
LIVING_ROOM = "amzn1.ask.device.living-room"
KITCHEN = "amzn1.ask.device.kitchen"
TEN_MINUTES = "Alexa, ask our check in for a ten minute meditation"
OLD_VERSION = "00000000"


@pytest.fixture
def hosted(monkeypatch: pytest.MonkeyPatch) -> str:
    """The rendered meditations are served from an HTTPS base URL."""
    monkeypatch.setenv("CHECKIN_AUDIO_URL", AUDIO_URL)
    return AUDIO_URL


@pytest.fixture
def echo_in(lambda_handler, clock, matcher) -> Callable[..., AudioEcho]:
    """An Echo of the couple's household, with an audio player (or without, audio=False)."""

    def make(device_id: str = LIVING_ROOM, audio: bool = True, screen: bool = False) -> AudioEcho:
        return AudioEcho(
            lambda_handler,
            COUPLE_ID,
            device_id,
            audio=audio,
            screen=screen,
            matcher=matcher,
            clock=clock,
        )

    return make


class Stored(NamedTuple):
    state: State
    version: int  # moves by one with every write


@pytest.fixture
def stored(db_path: Path) -> Callable[[], Stored]:
    """The household's stored item, read as the skill reads it."""
    store = SqliteStore(db_path)

    def read() -> Stored:
        record = store.load(household_key(COUPLE_ID))
        assert record is not None, "nothing stored for the household"
        state, damaged = load_state(record.state)
        assert not damaged
        return Stored(state, record.version)

    return read


@pytest.fixture(autouse=True)
def no_errors(caplog: pytest.LogCaptureFixture):
    """A reply to the audio player is empty when the skill fails too (the error handler
    never speaks there): so no test may pass on an error the skill swallowed."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, f"the skill logged errors: {errors}"


def ten_minutes() -> Track:
    return next(t for t in default_content().meditations.values() if t.minutes == 10)


def token_of(track: Track) -> str:
    return f"{track.id}.{track.version}"


def playing(echo: AudioEcho) -> None:
    """A returning couple asks for ten minutes; the device starts playing them."""
    meet(echo)
    asked = echo.hear(TEN_MINUTES)
    assert play_directive(asked.response) is not None, asked.response
    echo.report(Report.STARTED)


@pytest.fixture
def meditating(hosted: str, echo_in) -> AudioEcho:
    """The living room's Echo, playing the ten minutes a returning couple asked for."""
    echo = echo_in()
    playing(echo)
    return echo


def assert_silent(response: dict) -> None:
    """Nothing a reply to the audio player may not hold: no speech, card, reprompt, or any
    directive but the audio player's."""
    assert not spoken_parts(response), response


# --- asking for it -------------------------------------------------------------------------


def test_a_ten_minute_meditation_is_introduced_then_handed_to_the_player(
    hosted: str, echo_in, stored
) -> None:
    echo = echo_in()
    meet(echo)
    asked = echo.hear(TEN_MINUTES)
    track = ten_minutes()
    assert asked.speech  # a line before the audio, said by Alexa
    assert asked.ended and asked.reprompt is None
    assert directive_types(asked.response) == [Directive.PLAY]  # and no screen
    play = play_directive(asked.response)
    assert play is not None and play["playBehavior"] == "REPLACE_ALL"
    stream = play["audioItem"]["stream"]
    assert stream == {
        "token": token_of(track),
        "url": f"{hosted}{track.id}.{track.version}.mp3",
        "offsetInMilliseconds": 0,
    }
    assert stored().state.meditation == track.id


# --- every request of the audio player: never a word -----------------------------------------


@pytest.mark.parametrize("screen", [False, True], ids=["speaker", "echo-show"])
@pytest.mark.parametrize("request_type", [*Report, *Command], ids=str)
def test_the_audio_player_is_never_answered_with_words(
    hosted: str, echo_in, request_type: Report | Command, screen: bool
) -> None:
    echo = echo_in(screen=screen)
    playing(echo)
    if isinstance(request_type, Report):
        turn = echo.report(request_type, offset=61_000)
    else:
        turn = echo.press(request_type)
    assert_silent(turn.response)


def test_started_says_nothing_and_writes_at_most_once(hosted: str, echo_in, stored) -> None:
    echo = echo_in()
    meet(echo)
    echo.hear(TEN_MINUTES)
    before = stored()
    started = echo.report(Report.STARTED)
    assert_silent(started.response)
    assert directive_types(started.response) == []
    after = stored()
    assert after.version - before.version <= 1
    assert after.state.meditation == before.state.meditation


def test_nearly_finished_gets_an_empty_reply_and_changes_nothing(
    meditating: AudioEcho, stored
) -> None:
    before = stored()
    nearly = meditating.report(Report.NEARLY_FINISHED, offset=590_000)
    assert directive_types(nearly.response) == [] and not spoken_parts(nearly.response)
    assert stored() == before


def test_stopped_saves_the_offset_in_the_household_item_with_one_write(
    meditating: AudioEcho, stored
) -> None:
    before = stored()
    stopped = meditating.report(Report.STOPPED, offset=183_250)
    assert directive_types(stopped.response) == []
    after = stored()
    assert after.state.offset == 183_250
    assert after.version == before.version + 1


def test_finished_counts_in_the_history_once_and_plays_nothing_more(
    meditating: AudioEcho, stored
) -> None:
    before = stored().state.meditated
    finished = meditating.report(Report.FINISHED, offset=600_000)
    assert directive_types(finished.response) == []  # PlaybackFinished cannot start audio
    assert stored().state.meditated == before + 1
    again = meditating.report(Report.FINISHED, offset=600_000)  # a report delivered twice
    assert directive_types(again.response) == []
    assert stored().state.meditated == before + 1


def test_a_failed_stream_is_played_again_once_where_it_failed_then_left_quietly(
    meditating: AudioEcho,
) -> None:
    failed = meditating.report(Report.FAILED, offset=42_000)
    assert_silent(failed.response)
    play = play_directive(failed.response)
    assert play is not None, failed.response
    assert play["playBehavior"] == "REPLACE_ALL"
    assert play["audioItem"]["stream"]["token"] == token_of(ten_minutes())
    assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 42_000
    failed_again = meditating.report(Report.FAILED, offset=42_000)
    assert_silent(failed_again.response)
    assert directive_types(failed_again.response) == []


# --- the buttons --------------------------------------------------------------------------


def test_the_pause_button_stops_the_stream_and_the_play_button_goes_on_from_there(
    meditating: AudioEcho,
) -> None:
    paused = meditating.press(Command.PAUSE)
    assert directive_types(paused.response) == [Directive.STOP]
    meditating.report(Report.STOPPED, offset=95_500)
    played = meditating.press(Command.PLAY)
    assert_silent(played.response)
    play = play_directive(played.response)
    assert play is not None, played.response
    assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 95_500


@pytest.mark.parametrize("button", [Command.NEXT, Command.PREVIOUS], ids=str)
def test_next_and_previous_buttons_leave_the_meditation_playing(
    meditating: AudioEcho, stored, button: Command
) -> None:
    before = stored()
    pressed = meditating.press(button)
    assert directive_types(pressed.response) == []  # neither stopped nor started over
    assert stored() == before


# --- by voice during a meditation ---------------------------------------------------------


@pytest.mark.parametrize("said", ["pause", "stop", "cancel"])
def test_pause_stop_or_cancel_by_voice_stops_the_stream(meditating: AudioEcho, said: str) -> None:
    turn = meditating.hear(said)  # "Alexa, stop" during playback arrives as a pause or a stop
    assert Directive.STOP in directive_types(turn.response)
    assert Directive.PLAY not in directive_types(turn.response)


def test_start_over_plays_the_same_meditation_from_the_beginning(meditating: AudioEcho) -> None:
    meditating.hear("pause")
    meditating.report(Report.STOPPED, offset=321_000)
    turn = meditating.hear("Alexa, ask our check in to start over")
    play = play_directive(turn.response)
    assert play is not None, turn.response
    assert play["audioItem"]["stream"]["token"] == token_of(ten_minutes())
    assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 0


@pytest.mark.parametrize(
    "intent",
    [
        "AMAZON.NextIntent",
        "AMAZON.PreviousIntent",
        "AMAZON.LoopOnIntent",
        "AMAZON.LoopOffIntent",
        "AMAZON.ShuffleOnIntent",
        "AMAZON.ShuffleOffIntent",
        "AMAZON.RepeatIntent",
    ],
)
def test_track_commands_get_a_short_word_that_a_meditation_has_none(
    meditating: AudioEcho, intent: str
) -> None:
    turn = meditating.intent(intent)
    assert "meditation" in turn.speech
    assert len(turn.speech.split()) <= 20
    assert Directive.PLAY not in directive_types(turn.response)


# --- the offset round trip, across two devices ---------------------------------------------


def test_paused_in_the_living_room_resumed_in_the_kitchen_at_the_same_second(
    hosted: str, echo_in, stored
) -> None:
    living_room = echo_in(LIVING_ROOM)
    playing(living_room)
    assert Directive.STOP in directive_types(living_room.hear("pause").response)
    living_room.report(Report.STOPPED, offset=123_456)

    kitchen = echo_in(KITCHEN)
    resumed = kitchen.hear("Alexa, ask our check in to resume")
    assert resumed.request["context"]["System"]["device"]["deviceId"] == KITCHEN
    play = play_directive(resumed.response)
    assert play is not None, resumed.response
    track = ten_minutes()
    assert play["audioItem"]["stream"] == {
        "token": token_of(track),
        "url": f"{hosted}{track.id}.{track.version}.mp3",
        "offsetInMilliseconds": 123_456,
    }
    started = kitchen.report(Report.STARTED)  # the kitchen's player at 123456 ms
    assert started.request["request"]["offsetInMilliseconds"] == 123_456
    assert_silent(started.response)
    kitchen.report(Report.FINISHED, offset=600_000)
    assert stored().state.meditated == 1


# --- reports about another stream ----------------------------------------------------------


def five_minutes_token() -> str:
    return token_of(next(t for t in default_content().meditations.values() if t.minutes == 5))


@pytest.mark.parametrize("stale", ["older rendering", "another meditation"])
@pytest.mark.parametrize("report", [Report.STARTED, Report.STOPPED, Report.FINISHED, Report.FAILED])
def test_a_report_about_another_stream_changes_nothing(
    meditating: AudioEcho, stored, report: Report, stale: str
) -> None:
    meditating.report(Report.STOPPED, offset=30_000)
    before = stored()
    token = (
        f"{ten_minutes().id}.{OLD_VERSION}" if stale == "older rendering" else five_minutes_token()
    )
    turn = meditating.report(report, token=token, offset=400_000)
    assert_silent(turn.response)
    assert directive_types(turn.response) == []
    assert stored() == before  # not even a write of the same state


# --- where no meditation can play ----------------------------------------------------------


def test_a_device_without_an_audio_player_hears_the_spoken_fallback(hosted: str, echo_in) -> None:
    speaker = echo_in(audio=False)
    meet(speaker)
    turn = speaker.hear(TEN_MINUTES)
    assert AUDIO_PLAYER not in turn.request["context"]["System"]["device"]["supportedInterfaces"]
    assert turn.speech
    assert not any(t.startswith("AudioPlayer.") for t in directive_types(turn.response))


@pytest.mark.parametrize("base_url", [None, "http://audio.checkin.test/meditations/"])
def test_without_hosted_audio_the_couple_hears_the_fallback_and_no_url_is_sent(
    monkeypatch: pytest.MonkeyPatch, echo_in, base_url: str | None
) -> None:
    if base_url is None:
        monkeypatch.delenv("CHECKIN_AUDIO_URL", raising=False)
    else:  # not https: a device would refuse it, so it counts as not hosted
        monkeypatch.setenv("CHECKIN_AUDIO_URL", base_url)
    echo = echo_in()
    meet(echo)
    turn = echo.hear(TEN_MINUTES)
    assert turn.speech
    assert not any(t.startswith("AudioPlayer.") for t in directive_types(turn.response))
    assert ".mp3" not in str(turn.response)


def test_resume_on_a_device_without_a_player_says_so_and_keeps_the_offset(
    hosted: str, echo_in, stored
) -> None:
    living_room = echo_in(LIVING_ROOM)
    playing(living_room)
    living_room.hear("pause")
    living_room.report(Report.STOPPED, offset=250_000)

    speaker = echo_in("amzn1.ask.device.third-party-speaker", audio=False)
    turn = speaker.hear("Alexa, ask our check in to resume")
    assert turn.speech
    assert not any(t.startswith("AudioPlayer.") for t in directive_types(turn.response))
    assert stored().state.offset == 250_000

    again = living_room.hear("Alexa, ask our check in to resume")
    play = play_directive(again.response)
    assert play is not None and play["audioItem"]["stream"]["offsetInMilliseconds"] == 250_000
