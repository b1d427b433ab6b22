"""Choosing among phrase variants: varied from turn to turn, but the same for the same moment,
so that the engine stays deterministic and "repeat" says exactly the same words."""

from __future__ import annotations

import zlib
from collections.abc import Sequence


def pick(variants: Sequence[str], *keys: object) -> str:
    if not variants:
        return ""
    digest = zlib.crc32(repr(keys).encode("utf-8"))
    return variants[digest % len(variants)]
