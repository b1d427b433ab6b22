"""Guided meditations as a couple meets them, through the real Lambda handler and a device
that emulates the audio player (skill/console/device.py): it plays what the skill hands it,
reports Started and Stopped with the offset its clock says, and finishes on request."""

from __future__ import annotations

import pytest

from skill.console.device import Device
from skill.content.loader import default_content
from tests.conftest import Clock, meet

AUDIO_URL = "https://audio.example.com/checkin/"
TRACKS = {t.minutes: t for t in default_content().meditations.values()}


@pytest.fixture
def hosted(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHECKIN_AUDIO_URL", AUDIO_URL)
    return AUDIO_URL


def stored(device: Device) -> dict:
    """The household's stored state, as the next session will read it."""
    import os

    from skill.store.base import household_key
    from skill.store.sqlite import SqliteStore

    record = SqliteStore(os.environ["CHECKIN_DB"]).load(household_key(device.user_id))
    return record.state if record else {}


def test_a_ten_minute_meditation_paused_in_the_kitchen_resumed_in_the_bedroom(
    hosted: str, new_device, clock: Clock
) -> None:
    kitchen, bedroom = new_device("amzn1.ask.device.kitchen"), new_device("amzn1.ask.device.bed")

    turn = kitchen.hear("Alexa, ask our check in for a ten minute meditation")
    ten = TRACKS[10]
    assert "ten minutes" in turn.speech.lower()
    assert turn.ended and turn.played is not None
    assert turn.played.url == f"{AUDIO_URL}{ten.id}.{ten.version}.mp3"
    assert turn.played.offset == 0 and turn.played.title == ten.title
    assert [r.intent for r in kitchen.reports] == ["AudioPlayer.PlaybackStarted"]

    clock.advance(minutes=4, seconds=12)
    turn = kitchen.hear("Alexa, pause")
    assert turn.speech == "" and turn.directive("AudioPlayer.Stop") is not None
    assert kitchen.reports[-1].intent == "AudioPlayer.PlaybackStopped"
    assert stored(kitchen)["offset"] == 252_000

    clock.advance(hours=1)
    turn = bedroom.hear("Alexa, resume")
    assert turn.played is not None and turn.played.offset == 252_000
    assert turn.speech == ""  # a resume just goes on

    clock.advance(minutes=6)
    bedroom.finish()
    state = stored(bedroom)
    assert state.get("meditated") == 1
    assert state.get("phase", "new") != "meditation" and not state.get("offset")


def test_every_reply_to_the_audio_player_is_without_words(
    hosted: str, echo: Device, clock: Clock
) -> None:
    echo.hear("Alexa, ask our check in for a guided meditation")
    clock.advance(minutes=2)
    echo.press("Pause")  # the remote's pause button: the stream stops
    echo.press("Play")  # and plays again
    echo.press("Next")
    echo.press("Previous")
    echo.fail()
    echo.finish()
    assert len(echo.reports) >= 5
    for turn in echo.reports:
        body = turn.response["response"]
        assert "outputSpeech" not in body and "reprompt" not in body and "card" not in body
        assert all(d["type"].startswith("AudioPlayer.") for d in body.get("directives", []))


def test_a_failed_stream_is_tried_once_more_where_it_stopped_then_left_alone(
    hosted: str, echo: Device, clock: Clock
) -> None:
    echo.hear("Alexa, ask our check in for a ten minute meditation")
    clock.advance(minutes=3)
    retry = echo.fail()
    assert retry is not None and retry.played is not None
    assert retry.played.offset == 180_000  # from where it failed
    clock.advance(seconds=5)
    again = echo.fail()
    assert again is not None and again.played is None  # not a second time
    # later, by voice, it is tried again from where it stopped
    assert echo.hear("Alexa, resume").played is not None


def test_next_loop_and_shuffle_are_answered_kindly_during_a_meditation(
    hosted: str, echo: Device
) -> None:
    echo.hear("Alexa, ask our check in for a five minute meditation")
    for line in ("Alexa, next", "Alexa, repeat"):
        turn = echo.hear(line)
        assert "meditation" in turn.speech or "track" in turn.speech, (line, turn.speech)
        assert turn.played is None and "sorry" not in turn.speech.lower()


def test_a_launch_while_one_is_paused_says_where_it_stands(
    hosted: str, echo: Device, clock: Clock
) -> None:
    echo.hear("Alexa, ask our check in for the body scan meditation")
    clock.advance(minutes=7, seconds=30)
    echo.hear("Alexa, stop")  # "stop" during playback is a pause
    turn = echo.hear("Alexa, open our check in")
    assert TRACKS[15].title in turn.speech and "seven minutes" in turn.speech
    assert not turn.ended
    turn = echo.hear("yes")
    assert turn.played is not None and turn.played.offset == 450_000


def test_without_an_audio_player_the_spoken_pause_is_offered_instead(
    hosted: str, new_device
) -> None:
    speaker = new_device("amzn1.ask.device.old-speaker")
    speaker.audio = False  # no AudioPlayer in supportedInterfaces
    meet(speaker)
    turn = speaker.hear("a ten minute meditation")
    assert turn.played is None
    assert "can't play" in turn.speech
    assert "breath" in turn.speech.lower()  # the spoken pause, whole, in its place


def test_without_hosted_audio_nothing_is_sent_that_cannot_play(
    monkeypatch: pytest.MonkeyPatch, echo: Device
) -> None:
    monkeypatch.delenv("CHECKIN_AUDIO_URL", raising=False)
    turn = echo.hear("Alexa, ask our check in for a ten minute meditation")
    assert turn.played is None and turn.directive("AudioPlayer.Play") is None
    assert "can't play" in turn.speech


def test_the_full_check_in_may_end_with_ten_minutes_of_meditation(
    hosted: str, echo: Device
) -> None:
    meet(echo)
    echo.hear("make it full")
    offer = None
    for _ in range(40):
        turn = echo.hear("next")
        if "meditation" in turn.speech:
            offer = turn
            break
        assert not turn.ended, turn.speech
    assert offer is not None and not offer.ended
    turn = echo.hear("yes")
    while turn.played is None and not turn.ended:  # (a reminder offer may come first)
        turn = echo.hear("no")
    assert turn.played is not None and turn.played.title == TRACKS[10].title
    assert stored(echo)["completed"] == 1  # the check-in counts, whatever follows


def test_a_stale_report_from_an_older_stream_changes_nothing(
    hosted: str, echo: Device, clock: Clock
) -> None:
    echo.hear("Alexa, ask our check in for a ten minute meditation")
    clock.advance(minutes=1)
    echo.hear("Alexa, pause")
    before = stored(echo)
    assert echo.player is not None
    echo.player.stream = echo.player.stream.__class__(
        "appreciation-together-10.00000000", "", 0, ""
    )  # a report about a rendering no longer served
    echo.report("AudioPlayer.PlaybackFinished")
    assert stored(echo) == before


def test_the_player_reads_the_same_setting_the_hosting_module_names() -> None:
    from skill.alexa.playback import AUDIO_ENV
    from skill.audio.hosting import ENV

    assert AUDIO_ENV == ENV
