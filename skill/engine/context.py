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

    def new_seed(self) -> int:
        """A couple's seed, made once from the time of their first request."""
        return int(self.now.timestamp() * 1000) % 2_147_483_647 or 1
