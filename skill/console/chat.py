"""`checkin chat`: hold a whole check-in by typing, through the real skill."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TextIO

from skill.alexa.requestlog import RequestLog
from skill.alexa.skill import skill_builder
from skill.apl.screen import text_view, typed_button
from skill.console.device import Device, Turn
from skill.content.loader import default_content
from skill.engine.conversation import describe
from skill.engine.state import State
from skill.store.sqlite import SqliteStore

BANNER = """Our Check-In, local console. You are the couple; type what you would say to Alexa.
Try: Alexa, start our check-in
An empty line is silence (twice ends the session, as on a device). Ctrl-D or 'quit' leaves.
Alexa's silences are shown as [pause 10s]; nothing waits them out here.
"""


SCREEN_BANNER = "An Echo Show: its screen is shown under each answer. Type [Next] to touch.\n"


def status_line(turn: Turn) -> str:
    if not isinstance(turn.state, dict) or not turn.state:
        return ""
    info = describe(State.from_dict(turn.state), default_content())
    if info["phase"] != "beat":
        return f"({info['phase']})"
    return f"(step {info['step']}: {info['exercise']} · turn: {info['turn']})"


def speak(ssml: str, out: TextIO) -> bool:
    """Say it aloud with espeak-ng (which honours SSML breaks). False when it cannot play."""
    result = subprocess.run(["espeak-ng", "-m", ssml], check=False, capture_output=True)
    if result.returncode != 0 or b"error" in result.stderr.lower():
        print("       (espeak-ng could not play audio here; showing text only)", file=out)
        return False
    return True


def show(turn: Turn, out: TextIO, voice: bool) -> bool:
    """Print (and maybe speak) one answer, and the screen when there is one; returns whether
    to keep speaking."""
    print(f"Alexa: {turn.speech}", file=out)
    status = status_line(turn)
    if status:
        print(f"       {status}", file=out)
    screen = turn.screen
    if screen is not None:
        framed = text_view(screen).splitlines()
        print("       +-- screen --", file=out)
        for line in framed:
            print(f"       | {line}", file=out)
    if turn.ended:
        again = "resume" if turn.state.get("phase") == "beat" else "start"
        print(f"       (the session has ended; say 'Alexa, {again} our check-in')", file=out)
    if voice:
        return speak(turn.response["response"]["outputSpeech"]["ssml"], out)
    return voice


def run(
    user: str,
    db: str,
    voice: bool,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    screen: bool = False,
    locale: str = "en-US",
) -> int:
    if voice and not shutil.which("espeak-ng"):
        print("(--speak needs espeak-ng: apt-get install espeak-ng; showing text only)", file=out)
        voice = False
    quiet = RequestLog(enabled=False)  # operators' log lines have no place in a conversation
    handler = skill_builder(SqliteStore(db), request_log=quiet).lambda_handler()
    device = Device(handler, user, screen=screen, locale=locale)
    print(BANNER + (SCREEN_BANNER if screen else ""), file=out)
    last: Turn | None = None
    while True:
        print("You: ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in ("quit", "exit"):
            device.close()
            print("", file=out)
            return 0
        if not line.strip():
            if not device.in_session:
                continue
            ended = device.silence()
            if ended is None:
                print("Alexa (reprompt): " + ((last and last.reprompt) or ""), file=out)
            else:
                print("       (no answer: the microphone closed; your place is saved)", file=out)
            continue
        button = typed_button(line) if screen else None
        last = device.touch(button.value) if button else device.hear(line.strip())
        voice = show(last, out, voice)
