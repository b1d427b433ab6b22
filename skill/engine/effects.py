"""What the engine asks the edges to do besides speaking: play or stop a meditation, call the
Reminders API, ask for a permission. Values only: the adapter carries them out (the engine
never does I/O). A call's result comes back to the engine as a REMINDER_DONE event, so the
words said about it are the engine's too."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Play(NamedTuple):
    """Hand a meditation to the audio player from `offset` ms (the session ends)."""

    meditation: str
    offset: int = 0


class StopAudio(NamedTuple):
    """Stop the audio player ("Alexa, pause" during a meditation)."""


class ReminderCall(StrEnum):
    CREATE = "create"
    READ = "read"
    MOVE = "move"
    DELETE = "delete"


class CallReminders(NamedTuple):
    """One call to the Reminders API. `when` is a schedule.Weekly key, or "" for "this day
    and time" (the adapter reads the device's time zone to know what that is)."""

    call: ReminderCall
    when: str = ""


class AskConsent(NamedTuple):
    """Ask, by voice, for the reminders permission (Connections.SendRequest AskFor); the
    answer comes back as a CONSENT event."""


Effect = Play | StopAudio | CallReminders | AskConsent
# Effects the adapter answers with an engine event (the rest shape the response itself).
CALLS = (CallReminders,)
