"""The events the engine understands, one for each thing a couple can say or do."""

from __future__ import annotations

from collections import namedtuple
from enum import StrEnum


class EventKind(StrEnum):
    LAUNCH = "launch"
    START = "start"  # "start our (full) check-in"
    EXERCISE = "exercise"  # one exercise on its own
    NAMES = "names"
    NEXT = "next"
    SKIP = "skip"
    SWITCH = "switch"
    LENGTH = "length"
    TURN_TIME = "turn_time"
    TIME_LEFT = "time_left"  # "how long is this?"
    ACKNOWLEDGE = "acknowledge"  # "thank you", "okay", "hmm": answered in place
    SUPPORT = "support"  # "we need help"
    SAFETY = "safety"  # fear or danger: "I don't feel safe at home"
    FORGET = "forget"
    HELP = "help"
    STOP = "stop"
    CANCEL = "cancel"
    HOME = "home"
    FALLBACK = "fallback"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    START_OVER = "start_over"
    YES = "yes"
    NO = "no"
    # The question deck by voice
    QUESTION_KIND = "question_kind"  # "a deep one", "something fun": slot questionKind
    KEEP_QUESTION = "keep_question"  # "we love that one"
    FAVOURITE = "favourite"  # "ask us a favourite"
    NEVER_AGAIN = "never_again"  # "never ask that again"
    # Guided meditations (long-form audio)
    MEDITATE = "meditate"  # "a ten minute meditation": slots minutes, meditation
    PLAYER_COMMAND = "player_command"  # loop, shuffle, previous: no meaning in a meditation
    PLAY_STARTED = "play_started"  # AudioPlayer.PlaybackStarted: slots token, offset
    PLAY_STOPPED = "play_stopped"  # AudioPlayer.PlaybackStopped: slots token, offset
    PLAY_FINISHED = "play_finished"  # AudioPlayer.PlaybackFinished: slots token
    PLAY_FAILED = "play_failed"  # AudioPlayer.PlaybackFailed: slots token, offset
    # The weekly reminder
    REMIND = "remind"  # "remind us every Sunday at eight": slots day, time
    REMINDER_WHEN = "reminder_when"  # "when is our reminder?"
    REMINDER_MOVE = "reminder_move"  # "move our reminder to Friday at seven"
    REMINDER_STOP = "reminder_stop"  # "stop reminding us"
    REMINDER_DONE = "reminder_done"  # what a reminder call came back with (the adapter's)
    CONSENT = "consent"  # Connections.Response to the permission request: slot status


KINDS = frozenset(EventKind)

# Events the adapter makes from a call's result, never from a request.
FROM_CALLS = frozenset({EventKind.REMINDER_DONE})

# Requests about the audio stream: their replies may hold AudioPlayer directives only, never
# speech, a card, a reprompt or a screen.
PLAYBACK_EVENTS = frozenset(
    {
        EventKind.PLAY_STARTED,
        EventKind.PLAY_STOPPED,
        EventKind.PLAY_FINISHED,
        EventKind.PLAY_FAILED,
    }
)


class Event(namedtuple("Event", ("kind", "slots"))):
    """kind: an EventKind (its string is taken too); slots holds resolved slot values, None
    when heard but not matched. A named tuple rather than a dataclass: a cheaper import."""

    __slots__ = ()
    kind: EventKind
    slots: dict[str, str | None]

    def __new__(cls, kind: EventKind | str, slots: dict[str, str | None] | None = None) -> Event:
        try:
            checked = EventKind(kind)
        except ValueError:
            raise ValueError(f"unknown event kind {kind!r}") from None
        return super().__new__(cls, checked, {} if slots is None else slots)
