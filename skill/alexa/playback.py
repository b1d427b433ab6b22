"""The audio player's side of a meditation: the requests it sends (AudioPlayer.* reports and
PlaybackController.* buttons) as engine events, and the engine's Play and Stop effects as
AudioPlayer directives.

Facts this relies on (Alexa AudioPlayer interface reference):
- A reply to an AudioPlayer.* or PlaybackController.* request may hold AudioPlayer
  directives only: no speech, card, reprompt or screen (a speaking reply there is answered
  with INVALID_RESPONSE). PlaybackFinished cannot start new audio; PlaybackNearlyFinished
  is for queueing the next stream (a meditation has none).
- A response with AudioPlayer.Play ends the session. The stream must be HTTPS on 443.
- "Alexa, stop" during playback arrives as AMAZON.PauseIntent; PlaybackController commands
  come from buttons and remotes."""

from __future__ import annotations

import os
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content
from skill.engine.events import Event, EventKind

REPORTS = {
    "AudioPlayer.PlaybackStarted": EventKind.PLAY_STARTED,
    "AudioPlayer.PlaybackStopped": EventKind.PLAY_STOPPED,
    "AudioPlayer.PlaybackFinished": EventKind.PLAY_FINISHED,
    "AudioPlayer.PlaybackFailed": EventKind.PLAY_FAILED,
}
COMMANDS = {
    "PlaybackController.PlayCommandIssued": EventKind.RESUME,
    "PlaybackController.PauseCommandIssued": EventKind.PAUSE,
    "PlaybackController.NextCommandIssued": EventKind.PLAYER_COMMAND,
    "PlaybackController.PreviousCommandIssued": EventKind.PLAYER_COMMAND,
}
SILENT_PREFIXES = ("AudioPlayer.", "PlaybackController.")


def is_silent(request_type: str | None) -> bool:
    """A request whose reply may carry AudioPlayer directives only."""
    return bool(request_type) and request_type.startswith(SILENT_PREFIXES)


def supports_audio(handler_input: HandlerInput) -> bool:
    """The device has an audio player (context.System.device.supportedInterfaces)."""
    system = getattr(getattr(handler_input.request_envelope, "context", None), "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "audio_player", None) is not None


AUDIO_ENV = "CHECKIN_AUDIO_URL"  # (skill.audio.hosting.ENV: checked by a test)


def can_play(handler_input: HandlerInput) -> bool:
    """A meditation can be played here: an audio player, and the audio is hosted. (Where no
    audio is configured, skill.audio.hosting is never imported.)"""
    if not os.environ.get(AUDIO_ENV) or not supports_audio(handler_input):
        return False
    from skill.audio.hosting import audio_base_url

    return audio_base_url() is not None


def report_event(handler_input: HandlerInput) -> Event:
    """An AudioPlayer report as an engine event: its token and offset in the slots."""
    request = handler_input.request_envelope.request
    offset = getattr(request, "offset_in_milliseconds", None)
    if offset is None:  # PlaybackFailed says where it was in currentPlaybackState
        offset = getattr(
            getattr(request, "current_playback_state", None), "offset_in_milliseconds", None
        )
    slots: dict[str, str | None] = {"token": getattr(request, "token", None)}
    if isinstance(offset, int) and not isinstance(offset, bool):
        slots["offset"] = str(offset)
    return Event(REPORTS[request.object_type], slots)


def play_directive(meditation_id: str, offset: int, content: Content) -> Any | None:
    """AudioPlayer.Play (REPLACE_ALL) of the meditation from `offset` ms, or None when the
    audio is not hosted (a broken URL is never sent)."""
    from ask_sdk_model.interfaces.audioplayer import (
        AudioItem,
        AudioItemMetadata,
        PlayBehavior,
        PlayDirective,
        Stream,
    )

    from skill.audio.hosting import stream_url
    from skill.engine.meditation import token  # (the engine checks reports against it)

    track = content.meditations.get(meditation_id)
    url = stream_url(track) if track else None
    if url is None:
        return None
    stream = Stream(
        token=token(track),
        url=url,
        offset_in_milliseconds=max(0, offset),
    )
    metadata = AudioItemMetadata(title=track.title, subtitle="Our Check-In")
    return PlayDirective(
        play_behavior=PlayBehavior.REPLACE_ALL,
        audio_item=AudioItem(stream=stream, metadata=metadata),
    )


def stop_directive() -> Any:
    from ask_sdk_model.interfaces.audioplayer import StopDirective

    return StopDirective()
