"""What a handler may read besides the state and the event: the content, the time, the
locale, and the lines said so far in this request.

Content is an explicit argument: only the edges (the Alexa adapter, the console, tests) load
it, so the engine never reads a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from skill.content.model import Content


@dataclass(frozen=True)
class Ctx:
    content: Content
    now: datetime
    locale: str = "en-US"
    # The variants chosen while answering this one request ("position:id" tokens, see
    # words.py); handle() keeps them in the state. Local to the request, never shared.
    spoken: list[str] = field(default_factory=list)

    def new_seed(self) -> int:
        """A couple's seed, made once from the time of their first request."""
        return int(self.now.timestamp() * 1000) % 2_147_483_647 or 1
