"""The audio player's side of a device, for tests that drive the skill through its handler.

Envelopes of the requests the audio player sends, shaped as the Alexa reference shows them:
AudioPlayer.* reports (PlaybackStarted, ...NearlyFinished, ...Finished, ...Stopped carry the
stream's token and offset; PlaybackFailed carries the failed token, an error, and the offset
in currentPlaybackState) and PlaybackController.* button presses (no token). None of them has
a session: the user, device and player state come in the context.

`AudioEcho` is a simulated Echo (typed lines become requests, as on the console's Device),
a speaker or an Echo Show, that has an audio player or says it has none: its requests
declare the AudioPlayer interface (or not), and its player follows the AudioPlayer
directives of the skill's answers, as a device would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from skill.console.device import Handler, Turn, default_matcher
from skill.console.envelopes import (
    AUDIO_INTERFACE,
    Session,
    from_match,
    intent_request,
    launch_request,
    player_request,
    session_ended_request,
)
from skill.console.matcher import UtteranceMatcher

APPLICATION_ID = "amzn1.ask.skill.our-checkin-local"


class Report(StrEnum):
    """What the audio player reports about the stream it plays."""

    STARTED = "AudioPlayer.PlaybackStarted"
    NEARLY_FINISHED = "AudioPlayer.PlaybackNearlyFinished"
    FINISHED = "AudioPlayer.PlaybackFinished"
    STOPPED = "AudioPlayer.PlaybackStopped"
    FAILED = "AudioPlayer.PlaybackFailed"


class Command(StrEnum):
    """A press of a play, pause, next or previous button (a remote, the device's own)."""

    PLAY = "PlaybackController.PlayCommandIssued"
    PAUSE = "PlaybackController.PauseCommandIssued"
    NEXT = "PlaybackController.NextCommandIssued"
    PREVIOUS = "PlaybackController.PreviousCommandIssued"


class Activity(StrEnum):
    """context.AudioPlayer.playerActivity."""

    IDLE = "IDLE"
    PLAYING = "PLAYING"
    PAUSED = "PAUSED"
    STOPPED = "STOPPED"
    FINISHED = "FINISHED"
    BUFFER_UNDERRUN = "BUFFER_UNDERRUN"


class Directive(StrEnum):
    PLAY = "AudioPlayer.Play"
    STOP = "AudioPlayer.Stop"
    CLEAR_QUEUE = "AudioPlayer.ClearQueue"


class MediaError(StrEnum):
    """PlaybackFailed's error.type."""

    UNKNOWN = "MEDIA_ERROR_UNKNOWN"
    INVALID_REQUEST = "MEDIA_ERROR_INVALID_REQUEST"
    SERVICE_UNAVAILABLE = "MEDIA_ERROR_SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "MEDIA_ERROR_INTERNAL_SERVER_ERROR"
    INTERNAL_DEVICE_ERROR = "MEDIA_ERROR_INTERNAL_DEVICE_ERROR"


# What the player is doing once it has sent a report.
AFTER = {
    Report.STARTED: Activity.PLAYING,
    Report.STOPPED: Activity.STOPPED,
    Report.FINISHED: Activity.FINISHED,
    Report.FAILED: Activity.STOPPED,
}


@dataclass
class AudioPlayer:
    """One device's audio player: the stream it holds (token, url, offset in ms) and what it
    is doing. It follows the skill's directives; the tests move its offset by hand."""

    user_id: str
    device_id: str
    supported: bool = True  # False: a device without an audio player
    screen: bool = False  # an Echo Show: its requests say it renders APL
    locale: str = "en-US"
    application_id: str = APPLICATION_ID
    token: str | None = None
    url: str | None = None
    offset: int = 0
    activity: Activity = Activity.IDLE

    def context(self) -> dict[str, Any]:
        """context.AudioPlayer: the activity, and the stream once one was played."""
        state: dict[str, Any] = {"playerActivity": str(self.activity)}
        if self.activity != Activity.IDLE and self.token is not None:
            state.update(token=self.token, offsetInMilliseconds=self.offset)
        return state

    def equip(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """The envelope as this device sends it: with the AudioPlayer interface and its
        context, or (without a player) with neither."""
        interfaces = envelope["context"]["System"]["device"].setdefault("supportedInterfaces", {})
        if self.supported:
            interfaces[AUDIO_INTERFACE] = {}
            envelope["context"][AUDIO_INTERFACE] = self.context()
        else:
            interfaces.pop(AUDIO_INTERFACE, None)
            envelope["context"].pop(AUDIO_INTERFACE, None)
        return envelope

    def follow(self, response: dict[str, Any]) -> None:
        """Carry out the AudioPlayer directives of a response (a Play starts the stream at
        its offset; a Stop stops it where it is)."""
        for directive in directives(response):
            if directive.get("type") == Directive.PLAY:
                stream = directive["audioItem"]["stream"]
                self.token = stream["token"]
                self.url = stream["url"]
                self.offset = stream.get("offsetInMilliseconds", 0)
                self.activity = Activity.PLAYING
            elif directive.get("type") == Directive.STOP and self.activity == Activity.PLAYING:
                self.activity = Activity.STOPPED

    def _session(self) -> Session:
        """The device as envelopes.player_request takes it: user, device, locale, screen,
        and (with a player) the AudioPlayer interface and its context."""
        return Session(
            user_id=self.user_id,
            device_id=self.device_id,
            application_id=self.application_id,
            locale=self.locale,
            screen=self.screen,
            audio=self.supported,
            player=self.context() if self.supported else None,
        )

    def report(
        self,
        kind: Report,
        *,
        token: str | None = None,
        offset: int | None = None,
        error: MediaError = MediaError.UNKNOWN,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The envelope of a report about the stream held, at `offset` (default: where the
        player is); the player's own state moves as the report says. With `token`, a report
        about another stream (an older rendering, say): the player's state stays as it is."""
        own = token is None or token == self.token
        token = self.token if token is None else token
        at = self.offset if offset is None else offset
        if own:
            self.offset = at
            self.activity = AFTER.get(kind, self.activity)
        envelope = player_request(self._session(), str(kind), token, at, now)
        if kind == Report.FAILED:  # the token and where it was come in currentPlaybackState
            envelope["request"]["error"] = {
                "type": str(error),
                "message": "the stream could not be played",
            }
        return envelope

    def press(self, command: Command, now: datetime | None = None) -> dict[str, Any]:
        """The envelope of a button press: no token, the player's state in the context."""
        return player_request(self._session(), str(command), "", 0, now)


def directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    return (response.get("response") or {}).get("directives") or []


def play_directive(response: dict[str, Any]) -> dict[str, Any] | None:
    """The response's AudioPlayer.Play, if it has one."""
    plays = [d for d in directives(response) if d.get("type") == Directive.PLAY]
    assert len(plays) <= 1, f"more than one Play directive: {plays}"
    return plays[0] if plays else None


def directive_types(response: dict[str, Any]) -> list[str]:
    return [d.get("type", "") for d in directives(response)]


def spoken_parts(response: dict[str, Any]) -> set[str]:
    """What in a response is not an AudioPlayer directive: outputSpeech, card, reprompt, and
    any other directive (a screen). A reply to the audio player may hold none of these."""
    body = response.get("response") or {}
    parts = {key for key in ("outputSpeech", "card", "reprompt") if body.get(key)}
    parts |= {t for t in directive_types(response) if not t.startswith("AudioPlayer.")}
    return parts


class AudioEcho:
    """A simulated Echo whose requests declare an audio player (or declare none, with
    `audio=False`), and whose player follows the skill's AudioPlayer directives. Typed lines
    become requests as on skill.console.device.Device; the player's reports and buttons are
    sent by the test, one by one, so that each can be looked at."""

    def __init__(
        self,
        handler: Handler,
        user_id: str,
        device_id: str,
        *,
        audio: bool = True,
        screen: bool = False,
        matcher: UtteranceMatcher | None = None,
        clock: Callable[[], datetime] | None = None,
        locale: str = "en-US",
    ) -> None:
        self.handler = handler
        self.user_id = user_id
        self.device_id = device_id
        self.locale = locale
        self.matcher = matcher or default_matcher(locale)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.screen = screen
        self.session: Session | None = None
        self.player = AudioPlayer(user_id, device_id, supported=audio, screen=screen, locale=locale)

    @property
    def in_session(self) -> bool:
        return self.session is not None and not self.session.ended

    def new_session(self) -> Session:
        self.session = Session(
            user_id=self.user_id, device_id=self.device_id, locale=self.locale, screen=self.screen
        )
        return self.session

    def send(self, envelope: dict[str, Any]) -> Turn:
        """A request of the open session, as this device sends it."""
        response = self.handler(self.player.equip(envelope), None)
        if self.session is not None and envelope["request"]["type"] != "SessionEndedRequest":
            self.session.absorb(response)
            if self.session.ended:
                self.session = None
        self.player.follow(response)
        return Turn(envelope, response)

    def hear(self, line: str) -> Turn:
        """One typed line, with or without "Alexa, ask our check in ..."."""
        kind, rest = self.matcher.split_invocation(line)
        if kind == "launch":
            self.close()
            return self.send(launch_request(self.new_session(), self.clock()))
        if kind == "oneshot" or not self.in_session:
            self.close()
            self.new_session()
        assert self.session is not None
        return self.send(from_match(self.session, self.matcher.match(rest), self.clock()))

    def intent(self, name: str) -> Turn:
        """An intent by name, in a new session (a built-in the console's matcher does not
        hear, such as AMAZON.ShuffleOnIntent)."""
        self.close()
        return self.send(intent_request(self.new_session(), name, now=self.clock()))

    def close(self, reason: str = "USER_INITIATED") -> None:
        """End the open session, as the device would."""
        if self.in_session:
            assert self.session is not None
            self.send(session_ended_request(self.session, reason, now=self.clock()))
        self.session = None

    def _sessionless(self, envelope: dict[str, Any]) -> Turn:
        response = self.handler(envelope, None)
        self.player.follow(response)
        return Turn(envelope, response)

    def report(self, kind: Report, **options: Any) -> Turn:
        """The audio player reports to the skill: AudioPlayer.report, with its token, offset
        and error options."""
        return self._sessionless(self.player.report(kind, now=self.clock(), **options))

    def press(self, command: Command) -> Turn:
        """Someone presses a button of the player."""
        return self._sessionless(self.player.press(command, now=self.clock()))
