"""What the engine answers: speech as text and silences, a reprompt, and whether to end."""

from __future__ import annotations

from dataclasses import dataclass

WORDS_PER_SECOND = 2.5  # Alexa's voice speaks about 150 words a minute


@dataclass(frozen=True)
class Pause:
    """Real silence, in seconds. The SSML renderer splits it into breaks of at most 10 s."""

    seconds: float


Part = str | Pause


@dataclass(frozen=True)
class Reply:
    speech: tuple[Part, ...]
    reprompt: str | None = None  # None when the session ends
    end_session: bool = False

    @property
    def text(self) -> str:
        """The spoken words alone, for tests and logs of length."""
        return " ".join(p for p in self.speech if isinstance(p, str) and p)


def silence_seconds(parts: tuple[Part, ...]) -> float:
    return sum(p.seconds for p in parts if isinstance(p, Pause))


def estimated_seconds(parts: tuple[Part, ...]) -> float:
    """Spoken time plus silence: the figure that must stay under the 240 s audio cap."""
    words = sum(len(p.split()) for p in parts if isinstance(p, str))
    return words / WORDS_PER_SECOND + silence_seconds(parts)
