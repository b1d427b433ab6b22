"""What the engine asks the edges to do besides speaking: play or stop a meditation, call the
Reminders API, ask for a permission. Values only: the adapter carries them out (the engine
never does I/O). A call's result comes back to the engine as a REMINDER_DONE event, so the
words said about it are the engine's too."""

from __future__ import annotations

from collections import namedtuple
from enum import StrEnum


# (collections.namedtuple, not typing.NamedTuple: half the cost at a Lambda cold start)
class Play(namedtuple("Play", ("meditation", "offset"), defaults=(0,))):
    """Hand a meditation to the audio player from `offset` ms (the session ends)."""

    __slots__ = ()
    meditation: str
    offset: int


class StopAudio(namedtuple("StopAudio", ())):
    """Stop the audio player ("Alexa, pause" during a meditation)."""

    __slots__ = ()


class ReminderCall(StrEnum):
    CREATE = "create"
    READ = "read"
    MOVE = "move"
    DELETE = "delete"


class CallReminders(namedtuple("CallReminders", ("call", "when"), defaults=("",))):
    """One call to the Reminders API. `when` is a schedule.Weekly key, or "" for "this day
    and time" (the adapter reads the device's time zone to know what that is)."""

    __slots__ = ()
    call: ReminderCall
    when: str


class AskConsent(namedtuple("AskConsent", ())):
    """Ask, by voice, for the reminders permission (Connections.SendRequest AskFor); the
    answer comes back as a CONSENT event."""

    __slots__ = ()


Effect = Play | StopAudio | CallReminders | AskConsent
