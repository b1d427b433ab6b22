"""What the screen shows after one answer: a Screen made from the couple's state and the
reply just built. Pure: the adapter calls it only for devices that render APL.

During a turn: the step and its place, whose turn it is, the prompt or question, and the
countdown of the silence that follows it. During the mindful pause: the breathing, paced to
the script. Help, support and other answers: their words. When the session ends, nothing
personal stays on the screen: no name, no question, only the goodbye (or the safety answer)
and, after a finished check-in, the couple's history line."""

from __future__ import annotations

import re
from itertools import pairwise

from skill.apl.screen import Breathing, Button, Screen, silences
from skill.content.model import Content, Source
from skill.engine import plan as plans
from skill.engine.events import EventKind
from skill.engine.history import ordinal
from skill.engine.reply import Reply
from skill.engine.state import Phase, State
from skill.speech.timing import Pause

APP_TITLE = "Our Check-In"
BREATH_IN = re.compile(r"\bin\b")
ANSWERS = {
    EventKind.HELP: "Help",
    EventKind.FALLBACK: "Help",
    EventKind.TIME_LEFT: "Time left",
    EventKind.SUPPORT: "Support",
    EventKind.SAFETY: "Support",
}
TURN_BUTTONS = (Button.NEXT, Button.SKIP, Button.SWITCH, Button.PAUSE, Button.REPEAT)
BOTH_BUTTONS = (Button.NEXT, Button.SKIP, Button.PAUSE, Button.REPEAT)


def screen_for(state: State, reply: Reply, content: Content, event: EventKind) -> Screen:
    if reply.end_session:
        return farewell(state, reply)
    if event in ANSWERS:
        return Screen(title=ANSWERS[event], text=reply.text)
    if state.phase == Phase.BEAT and len(state.names) == 2:
        return turn(state, reply, content)
    return Screen(title=APP_TITLE, text=reply.text)


def farewell(state: State, reply: Reply) -> Screen:
    """The last screen of a session: the goodbye without any name, and the history line
    when a check-in was just finished."""
    text = reply.text
    names = [re.escape(name) for name in (*state.names, *state.heard) if name]
    if names and re.search(rf"\b(?:{'|'.join(names)})\b", text):
        text = "Until next time."
    history = None
    if reply.finished:
        history = f"Your {ordinal(state.completed)} check-in together"
    return Screen(title=APP_TITLE, text=text, history=history)


def turn(state: State, reply: Reply, content: Content) -> Screen:
    pos = plans.current(state, content)
    plan = plans.plan_of(state, content)
    title = pos.exercise.title[:1].upper() + pos.exercise.title[1:]
    place = "" if plans.is_single(state) else f"{state.step + 1} of {len(plan.steps)}"
    speaker = plans.speaker(state, pos.beat)
    runs = silences(reply.speech)
    if pos.beat.source == Source.PAUSE:
        start, end = (runs[0][0], runs[-1][0] + runs[-1][1]) if runs else (0, 0)
        return Screen(
            title=title,
            place=place,
            text="Breathe slowly, together.",
            countdown_start_ms=start,
            countdown_ms=end - start,
            breathing=pace(content, pos.minutes),
            buttons=BOTH_BUTTONS,
        )
    start, length = runs[-1] if runs else (0, 0)
    return Screen(
        title=title,
        place=place,
        speaker=speaker,
        text=prompt_text(reply),
        countdown_start_ms=start,
        countdown_ms=length,
        buttons=TURN_BUTTONS if speaker else BOTH_BUTTONS,
    )


def prompt_text(reply: Reply) -> str:
    """The words just before the last silence: the turn's prompt or question."""
    last_spoken = before_silence = ""
    for part in reply.speech:
        if isinstance(part, Pause):
            before_silence = last_spoken
        else:
            last_spoken = part
    return before_silence or last_spoken


def pace(content: Content, minutes: int) -> Breathing:
    """The breath the script leads: the silence after its first "in" line and after the
    "out" line that follows."""
    lines = content.pauses.get(minutes, ())
    breath_in = breath_out = None
    for line, after in pairwise(lines):
        if not isinstance(line, str) or not isinstance(after, int):
            continue
        words = line.casefold()
        if breath_in is None and BREATH_IN.search(words):
            breath_in = after
        elif breath_in is not None and "out" in words:
            breath_out = after
            break
    return Breathing(breath_in or 4, breath_out or 6)
