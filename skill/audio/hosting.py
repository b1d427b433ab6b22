"""Where a device streams a meditation from: CHECKIN_AUDIO_URL plus the file's name.

The file name derives from the meditation's id and version, so the skill needs no manifest at
run time. Alexa streams only over HTTPS on port 443 with a trusted certificate: a URL that is
not https (or names another port) is treated as unset, and then no audio is offered.
"""

from __future__ import annotations

import os
from typing import Protocol
from urllib.parse import quote, urlsplit

ENV = "CHECKIN_AUDIO_URL"


class HasFileName(Protocol):
    @property
    def file_name(self) -> str: ...


def audio_base_url(value: str | None = None) -> str | None:
    """The configured HTTPS base URL (ending in '/'), or None when unset or not usable."""
    raw = (os.environ.get(ENV, "") if value is None else value).strip()
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or port not in (None, 443):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    return raw if raw.endswith("/") else raw + "/"


def stream_url(meditation: HasFileName, base: str | None = None) -> str | None:
    """https://…/<id>.<version>.mp3, or None when no usable CHECKIN_AUDIO_URL is set."""
    root = audio_base_url(base)
    return None if root is None else root + quote(meditation.file_name)
