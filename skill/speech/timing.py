"""What is said, as parts: spoken text and real silences, and how long it lasts.

Pure and shared: the engine builds parts, the content validator times them, the SSML
renderer turns them into breaks."""

from __future__ import annotations

from typing import NamedTuple

WORDS_PER_SECOND = 2.5  # Alexa's voice speaks about 150 words a minute


class Pause(NamedTuple):
    """Real silence, in seconds. The SSML renderer splits it into breaks of at most 10 s."""

    seconds: float


Part = str | Pause


def silence_seconds(parts: tuple[Part, ...]) -> float:
    return sum(p.seconds for p in parts if isinstance(p, Pause))


def spoken_seconds(parts: tuple[Part, ...]) -> float:
    """The words alone, at 150 words a minute."""
    return sum(len(p.split()) for p in parts if isinstance(p, str)) / WORDS_PER_SECOND


def estimated_seconds(parts: tuple[Part, ...]) -> float:
    """Spoken time plus silence: the figure that must stay under the 240 s audio cap."""
    return spoken_seconds(parts) + silence_seconds(parts)
