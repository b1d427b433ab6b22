"""What the Echo Show shows, as plain data: a Screen, its APL datasource and directive.

Pure: no ask-sdk import, no I/O beyond reading the package's APL document once per process.
The document (checkin.json) holds no words of the conversation: every name, prompt and label
comes from `datasource(screen)`, so one document serves every step and nothing personal is
cached in it.

The countdown and the breathing run on the device from APL's `elapsedTime` (milliseconds since
the document was displayed, which is when the response starts playing): the datasource gives
where the silence starts in the response (`countdown_start_ms`, the speech before it) and how
long it lasts (`countdown_ms`), so the ring empties exactly as the silence does, with no round
trip.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from skill.apl.devices import APL_INTERFACE as APL_INTERFACE
from skill.apl.devices import supports_apl as supports_apl
from skill.speech.timing import WORDS_PER_SECOND, Part, Pause

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
DATASOURCE = "checkin"  # the document binds payload.checkin.*
EVENT_SOURCE = "button"  # a UserEvent's arguments are ["button", "<Button value>"]
DOCUMENT_FILE = "checkin.json"
TOKEN = "our-checkin"  # the presentation token; UserEvents and RuntimeErrors carry it back

BREATHE_IN_LABEL = "Breathe in"
BREATHE_OUT_LABEL = "Breathe out"


class Button(StrEnum):
    """The touch controls; each stands for the voice command of the same name."""

    NEXT = "next"
    SKIP = "skip"
    SWITCH = "switch"
    PAUSE = "pause"
    REPEAT = "repeat"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Breathing:
    """The pace of the mindful pause's breathing animation, in seconds per half-breath."""

    in_seconds: float
    out_seconds: float

    def __post_init__(self) -> None:
        if self.in_seconds <= 0 or self.out_seconds <= 0:
            raise ValueError("a breath takes some time in and some time out")


@dataclass(frozen=True)
class Screen:
    """One response's screen.

    title: the step ("Gratitude", "Help"); place: its place in the plan ("2 of 4", or "");
    speaker: the partner whose turn it is, or None; text: the prompt, question or answer;
    countdown_start_ms/countdown_ms: the silence the ring counts down (0 ms: no countdown);
    breathing: the mindful pause's pace (it replaces the ring, and starts at
    countdown_start_ms); history: the couple's history line at the closing; buttons: the
    touch controls, in order.
    """

    title: str
    place: str = ""
    speaker: str | None = None
    text: str = ""
    countdown_start_ms: int = 0
    countdown_ms: int = 0
    breathing: Breathing | None = None
    history: str | None = None
    buttons: tuple[Button, ...] = ()

    def __post_init__(self) -> None:
        if self.countdown_start_ms < 0 or self.countdown_ms < 0:
            raise ValueError("a countdown cannot start or last below zero")
        if len(set(self.buttons)) != len(self.buttons):
            raise ValueError(f"a button shown twice: {self.buttons}")

    @property
    def heading(self) -> str:
        """ "Gratitude · 2 of 4", or the title alone outside the plan."""
        return f"{self.title} · {self.place}" if self.place else self.title


def silences(parts: Iterable[Part]) -> list[tuple[int, int]]:
    """Each run of silence in a response as (start, length) in ms from the response's start.

    Adjacent pauses make one run. Speech is timed like the engine times it (150 words a
    minute), so a start is an estimate; a length is exact. For a turn, the floor is the last
    run; for the mindful pause, the breathing starts at the first.
    """
    runs: list[tuple[int, int]] = []
    clock = 0.0
    run_start: float | None = None
    for part in parts:
        if isinstance(part, Pause):
            if run_start is None:
                run_start = clock
            clock += part.seconds
            continue
        if run_start is not None and part.strip():
            runs.append((round(run_start * 1000), round((clock - run_start) * 1000)))
            run_start = None
        clock += len(part.split()) / WORDS_PER_SECOND
    if run_start is not None:
        runs.append((round(run_start * 1000), round((clock - run_start) * 1000)))
    return runs


@cache
def document() -> dict[str, Any]:
    """The APL document, read once per process, without its "description" notes (they are
    for people reading the file, and every response would carry them). Shared: callers must
    not change it."""
    from importlib.resources import files  # only for screens: no cost to a speaker's start

    text = files("skill.apl").joinpath(DOCUMENT_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = _without_descriptions(json.loads(text))
    return loaded


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def datasource(screen: Screen) -> dict[str, Any]:
    """The datasources object for RenderDocument; every key is always present (strings are
    "" and numbers 0 when unused) so no binding in the document is ever left undefined."""
    breathing = screen.breathing
    return {
        DATASOURCE: {
            "heading": screen.heading,
            "title": screen.title,
            "place": screen.place,
            "speaker": screen.speaker or "",
            "text": screen.text,
            "history": screen.history or "",
            "countdownStartMs": screen.countdown_start_ms,
            "countdownMs": screen.countdown_ms,
            "breathing": breathing is not None,
            "breatheInMs": round(breathing.in_seconds * 1000) if breathing else 0,
            "breatheOutMs": round(breathing.out_seconds * 1000) if breathing else 0,
            "breatheInLabel": BREATHE_IN_LABEL,
            "breatheOutLabel": BREATHE_OUT_LABEL,
            "buttons": [{"id": b.value, "label": b.label} for b in screen.buttons],
        }
    }


def from_datasource(sources: Mapping[str, Any]) -> Screen:
    """The Screen a datasource was made from (for the console and tests, which read it back
    out of a response)."""
    data = sources[DATASOURCE]
    breathing = None
    if data["breathing"]:
        breathing = Breathing(data["breatheInMs"] / 1000, data["breatheOutMs"] / 1000)
    return Screen(
        title=data["title"],
        place=data["place"],
        speaker=data["speaker"] or None,
        text=data["text"],
        countdown_start_ms=data["countdownStartMs"],
        countdown_ms=data["countdownMs"],
        breathing=breathing,
        history=data["history"] or None,
        buttons=tuple(Button(b["id"]) for b in data["buttons"]),
    )


def render_directive(screen: Screen, token: str = TOKEN) -> dict[str, Any]:
    """An Alexa.Presentation.APL.RenderDocument directive as a plain dict."""
    return {
        "type": RENDER_DOCUMENT,
        "token": token,
        "document": document(),
        "datasources": datasource(screen),
    }


class Deferred(str):
    """A RenderDocument directive riding through the SDK's serializer as it is: to the
    serializer it is a string (returned untouched), so neither the document's thousand nodes
    nor the datasource's are walked on every answer (about 15 µs of a warm turn). The
    serialised answer gets `directive` in its place (skill.alexa.skill.with_documents)."""

    object_type = RENDER_DOCUMENT  # what the SDK's response builder reads of a directive
    directive: dict[str, Any]


def deferred_directive(screen: Screen, token: str = TOKEN) -> Deferred:
    """render_directive(screen, token), to be put in place once the answer is serialised."""
    deferred = Deferred(RENDER_DOCUMENT)
    deferred.directive = render_directive(screen, token)
    return deferred


def button_event(arguments: object) -> Button | None:
    """The button a UserEvent's arguments name (["button", "next"]), or None for anything
    else: another source, an unknown button, a malformed list."""
    if not isinstance(arguments, list | tuple) or len(arguments) < 2:
        return None
    source, value = arguments[0], arguments[1]
    if source != EVENT_SOURCE or not isinstance(value, str):
        return None
    try:
        return Button(value)
    except ValueError:
        return None


def typed_button(typed: str) -> Button | None:
    """The console's touch: "[Next]" (any case, spaces allowed) is the Next button."""
    typed = typed.strip()
    if not (typed.startswith("[") and typed.endswith("]")):
        return None
    try:
        return Button(typed[1:-1].strip().lower())
    except ValueError:
        return None


def text_view(screen: Screen) -> str:
    """The screen as lines of text, for `checkin chat --screen`."""
    lines = [screen.heading]
    if screen.speaker:
        lines.append(screen.speaker)
    if screen.text:
        lines.append(screen.text)
    if screen.breathing:
        pace = screen.breathing
        lines.append(f"(breathing: in {pace.in_seconds:g} s, out {pace.out_seconds:g} s)")
    elif screen.countdown_ms:
        lines.append(f"(countdown: {screen.countdown_ms / 1000:g} s)")
    if screen.history:
        lines.append(screen.history)
    if screen.buttons:
        lines.append(" ".join(f"[{b.label}]" for b in screen.buttons))
    return "\n".join(lines)
