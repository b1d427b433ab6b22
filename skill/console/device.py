"""A simulated Echo device: typed lines become real Alexa requests for a skill handler.

Used by `checkin chat` and by the dialogue tests, so both hold a check-in the way a device
would: an invocation opens a session, one silence brings the reprompt, a second one ends the
session (reason EXCEEDED_MAX_REPROMPTS), and an unmatched line is a FallbackIntent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from skill.alexa.household import session_state
from skill.apl.screen import RENDER_DOCUMENT, Screen, from_datasource
from skill.console.envelopes import (
    Session,
    from_match,
    launch_request,
    player_request,
    session_ended_request,
    user_event,
)
from skill.console.matcher import UtteranceMatcher
from skill.speech.ssml import ssml_to_text

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@cache
def default_matcher(locale: str = "en-US") -> UtteranceMatcher:
    """The shipped interaction model of ``locale``, read as package data (the top-level
    interaction_models/ folder, installed as the package skill.interaction_models)."""
    model = files("skill.interaction_models").joinpath(f"{locale}.json")
    return UtteranceMatcher(json.loads(model.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Turn:
    """What Alexa answered to one request."""

    request: dict[str, Any]
    response: dict[str, Any]

    def _speech(self, key: str) -> str | None:
        body = (self.response.get("response") or {}).get(key) or {}
        speech = body.get("outputSpeech", body) if key == "reprompt" else body
        ssml = (speech or {}).get("ssml")
        return ssml_to_text(ssml) if ssml else None

    @property
    def speech(self) -> str:
        return self._speech("outputSpeech") or ""

    @property
    def reprompt(self) -> str | None:
        return self._speech("reprompt")

    @property
    def ended(self) -> bool:
        return (self.response.get("response") or {}).get("shouldEndSession") is True

    @property
    def state(self) -> dict[str, Any]:
        """The couple's state as the skill carries it in the session attributes."""
        attributes = self.response.get("sessionAttributes") or {}
        return session_state(attributes) if "state" in attributes else {}

    @property
    def screen(self) -> Screen | None:
        """What an Echo Show shows after this answer (None: no RenderDocument)."""
        for directive in (self.response.get("response") or {}).get("directives") or []:
            if directive.get("type") == RENDER_DOCUMENT:
                return from_datasource(directive["datasources"])
        return None

    @property
    def intent(self) -> str:
        request = self.request["request"]
        return request.get("intent", {}).get("name") or request["type"]

    def directive(self, kind: str) -> dict[str, Any] | None:
        for directive in (self.response.get("response") or {}).get("directives") or []:
            if directive.get("type") == kind:
                return directive
        return None

    @property
    def played(self) -> Stream | None:
        """The stream this answer handed to the audio player (AudioPlayer.Play), if any."""
        play = self.directive("AudioPlayer.Play")
        if play is None:
            return None
        item = play["audioItem"]
        stream = item["stream"]
        title = (item.get("metadata") or {}).get("title", "")
        return Stream(stream["token"], stream["url"], stream["offsetInMilliseconds"], title)


@dataclass(frozen=True)
class Stream:
    token: str
    url: str
    offset: int  # ms, where the player starts
    title: str


@dataclass
class Player:
    """The device's audio player: what it plays, from where, and since when."""

    stream: Stream
    offset: int
    since: datetime | None  # when it last started playing (None: stopped)

    def position(self, now: datetime) -> int:
        if self.since is None:
            return self.offset
        return self.offset + int((now - self.since).total_seconds() * 1000)


class Device:
    def __init__(
        self,
        handler: Handler,
        user_id: str,
        device_id: str = "amzn1.ask.device.console",
        matcher: UtteranceMatcher | None = None,
        clock: Callable[[], datetime] | None = None,
        screen: bool = False,
        locale: str = "en-US",
        audio: bool = True,
    ) -> None:
        self.handler = handler
        self.user_id = user_id
        self.device_id = device_id
        self.locale = locale  # the device's language: its requests say it, its model hears
        self.matcher = matcher or default_matcher(locale)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.session: Session | None = None
        self.silences = 0
        self.screen = screen  # an Echo Show: requests say it renders APL
        self.audio = audio  # the device has an audio player
        self.player: Player | None = None
        self.reports: list[Turn] = []  # what the audio player told the skill, in order

    @property
    def in_session(self) -> bool:
        return self.session is not None and not self.session.ended

    def new_session(self) -> Session:
        self.session = self._session()
        self.silences = 0
        return self.session

    def _session(self) -> Session:
        session = Session(
            user_id=self.user_id,
            device_id=self.device_id,
            screen=self.screen,
            locale=self.locale,
            audio=self.audio,
        )
        if self.player is not None:
            activity = "PLAYING" if self.player.since else "STOPPED"
            session.player = {
                "token": self.player.stream.token,
                "offsetInMilliseconds": self.player.position(self.clock()),
                "playerActivity": activity,
            }
        return session

    def send(self, envelope: dict[str, Any]) -> Turn:
        response = self.handler(envelope, None)
        kind = envelope["request"]["type"]
        if self.session is not None and "session" in envelope and kind != "SessionEndedRequest":
            self.session.absorb(response)
            if self.session.ended:
                self.session = None
        turn = Turn(envelope, response)
        self.play_out(turn)
        return turn

    # --- the audio player ------------------------------------------------------------------
    def play_out(self, turn: Turn) -> None:
        """Do what the answer asks of the audio player, and report it as a device does."""
        stream = turn.played
        if stream is not None and self.audio:
            self.player = Player(stream, stream.offset, self.clock())
            self.report("AudioPlayer.PlaybackStarted")
        elif turn.directive("AudioPlayer.Stop") and self.player and self.player.since:
            self.player.offset = self.player.position(self.clock())
            self.player.since = None
            self.report("AudioPlayer.PlaybackStopped")

    def report(self, request_type: str, **extra: Any) -> Turn | None:
        """The audio player tells the skill what happened (no session, no words back)."""
        if self.player is None:
            return None
        envelope = player_request(
            self._session(),
            request_type,
            self.player.stream.token,
            self.player.position(self.clock()),
            self.clock(),
        )
        envelope["request"].update(extra)
        turn = self.send(envelope)
        self.reports.append(turn)
        return turn

    def finish(self) -> Turn | None:
        """The stream plays to its end."""
        if self.player is None:
            return None
        turn = self.report("AudioPlayer.PlaybackFinished")
        self.player = None
        return turn

    def fail(self) -> Turn | None:
        """The stream cannot be played (a network error, a missing file)."""
        if self.player is None:
            return None
        error = {"type": "MEDIA_ERROR_SERVICE_UNAVAILABLE", "message": "unavailable"}
        where = {
            "token": self.player.stream.token,
            "offsetInMilliseconds": self.player.position(self.clock()),
            "playerActivity": "PLAYING",
        }
        return self.report("AudioPlayer.PlaybackFailed", error=error, currentPlaybackState=where)

    def press(self, command: str) -> Turn:
        """A button of the player or a remote: "Play", "Pause", "Next", "Previous"."""
        token = self.player.stream.token if self.player else ""
        envelope = player_request(
            self._session(), f"PlaybackController.{command}CommandIssued", token, 0, self.clock()
        )
        return self.send(envelope)

    def hear(self, line: str) -> Turn:
        """One typed line, with or without "Alexa, ask our check in ..."."""
        kind, rest = self.matcher.split_invocation(line)
        if kind == "launch":
            self.close()
            return self.send(launch_request(self.new_session(), self.clock()))
        if kind == "oneshot" or not self.in_session:
            self.close()
            self.new_session()
        self.silences = 0
        assert self.session is not None
        return self.send(from_match(self.session, self.matcher.match(rest), self.clock()))

    def touch(self, button: str) -> Turn:
        """A button on the screen ("next", "skip"...), in the open session (or a new one)."""
        if not self.in_session:
            self.new_session()
        self.silences = 0
        assert self.session is not None
        return self.send(user_event(self.session, ["button", button], self.clock()))

    def silence(self) -> Turn | None:
        """Nobody answers. The first time Alexa reprompts; the second, the session ends."""
        if not self.in_session:
            return None
        self.silences += 1
        if self.silences == 1:
            return None  # the caller shows the reprompt it already has
        return self.close("EXCEEDED_MAX_REPROMPTS")

    def close(
        self, reason: str = "USER_INITIATED", error: dict[str, str] | None = None
    ) -> Turn | None:
        """End the open session, as the device would, with a SessionEndedRequest."""
        if not self.in_session:
            self.session = None
            return None
        assert self.session is not None
        turn = self.send(session_ended_request(self.session, reason, error, self.clock()))
        self.session = None
        return turn
