"""What the engine answers: speech as text and silences, a reprompt, and whether to end."""

from __future__ import annotations

from typing import NamedTuple

from skill.speech.timing import Part


class Reply(NamedTuple):
    speech: tuple[Part, ...]
    reprompt: str | None = None  # None when the session ends
    end_session: bool = False
    finished: bool = False  # this reply finished a check-in (it counts in the history)

    @property
    def text(self) -> str:
        """The spoken words alone, for tests and logs of length."""
        return " ".join(p for p in self.speech if isinstance(p, str) and p)
