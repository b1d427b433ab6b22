"""What a handler may read besides the state and the event: the content, the time, the
locale, and the lines said so far in this request.

Content is an explicit argument: only the edges (the Alexa adapter, the console, tests) load
it, so the engine never reads a file."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from skill.content.model import Content


class Ctx(NamedTuple):
    content: Content
    now: datetime
    locale: str
    # The ids of the variants chosen while answering this one request (words.py); handle()
    # keeps them in the state. Local to the request, never shared.
    spoken: list[str]
    # This device can play a meditation: it has an audio player, and the rendered audio is
    # hosted (CHECKIN_AUDIO_URL). Without both, a meditation is offered in words only.
    audio: bool = False

    def new_seed(self) -> int:
        """A couple's seed, made once from the time of their first request."""
        return int(self.now.timestamp() * 1000) % 2_147_483_647 or 1
