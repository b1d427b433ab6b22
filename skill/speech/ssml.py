"""SSML within Alexa's limits.

Limits (Alexa Skills Kit SSML reference and response format docs):
- one <break> lasts at most 10 s, so longer silences become several breaks;
- outputSpeech must stay under 8,000 characters;
- a response plays at most 240 s of audio (the engine budgets for that, see conversation.py);
- a reprompt plays at most 90 s, so reprompts here are plain text with no long silences.
"""

from __future__ import annotations

import re

from skill.speech.timing import Part, Pause

MAX_BREAK_SECONDS = 10
MAX_SSML_CHARS = 8000


_UNESCAPES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}
_ESCAPED = re.compile("&(?:lt|gt|quot|apos|amp);")


def escape(text: str) -> str:
    """XML-escape text for SSML. (xml.sax.saxutils would do, but importing it pulls in
    urllib.request and costs the Lambda cold start about 20 ms.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPES[m.group()], text)


class SpeechTooLong(ValueError):
    """The rendered SSML would break Alexa's 8,000 character limit."""


def breaks(seconds: float) -> list[str]:
    """Break tags adding up to `seconds`, none longer than 10 s."""
    millis = round(seconds * 1000)
    tags = []
    while millis > 0:
        chunk = min(millis, MAX_BREAK_SECONDS * 1000)
        tags.append(
            f'<break time="{chunk // 1000}s"/>'
            if chunk % 1000 == 0
            else f'<break time="{chunk}ms"/>'
        )
        millis -= chunk
    return tags


def to_ssml(parts: tuple[Part, ...] | list[Part]) -> str:
    """SSML for Alexa: text is escaped, silences become breaks of at most 10 s."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, Pause):
            pieces.extend(breaks(part.seconds))
        elif part:
            pieces.append(escape(part))
    ssml = "<speak>" + " ".join(pieces) + "</speak>"
    if len(ssml) >= MAX_SSML_CHARS:
        raise SpeechTooLong(f"SSML is {len(ssml)} characters; Alexa accepts under {MAX_SSML_CHARS}")
    return ssml


def to_text(parts: tuple[Part, ...] | list[Part]) -> str:
    """Readable text for the console, with silences shown as [pause 10s]."""
    pieces: list[str] = []
    pending = 0.0
    for part in parts:
        if isinstance(part, Pause):
            pending += part.seconds
            continue
        if not part:
            continue
        if pending:
            pieces.append(f"[pause {pending:g}s]")
            pending = 0.0
        pieces.append(part)
    if pending:
        pieces.append(f"[pause {pending:g}s]")
    return " ".join(pieces)


_BREAK = re.compile(r'<break time="(\d+)(ms|s)"\s*/>')
_TAG = re.compile(r"<[^>]+>")


def ssml_to_text(ssml: str) -> str:
    """Readable text from SSML as Alexa receives it, with adjoining breaks summed."""
    parts: list[Part] = []
    position = 0
    for found in _BREAK.finditer(ssml):
        parts.append(unescape(_TAG.sub("", ssml[position : found.start()])).strip())
        amount = int(found.group(1))
        parts.append(Pause(amount / 1000 if found.group(2) == "ms" else amount))
        position = found.end()
    parts.append(unescape(_TAG.sub("", ssml[position:])).strip())
    return to_text(parts)
