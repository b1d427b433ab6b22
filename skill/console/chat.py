"""`checkin chat`: hold a whole check-in by typing, through the real skill."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TextIO

from skill.alexa.requestlog import RequestLog
from skill.alexa.skill import skill_builder
from skill.apl.screen import text_view, typed_button
from skill.audio.hosting import ENV as AUDIO_ENV
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
PLAYER_BANNER = (
    "A meditation is shown as [playing: title, 10:00], not played. While one plays, say\n"
    "'Alexa, pause' or 'Alexa, resume', or type [pause], [resume] or [finish] for the\n"
    "player's own buttons.\n"
)
# The console's stand-in for the hosted audio: the console shows a meditation, it never
# fetches it.
CONSOLE_AUDIO_URL = "https://localhost/audio/"
PLAYER_COMMANDS = {"[pause]": "Pause", "[resume]": "Play", "[play]": "Play"}


def clock_text(milliseconds: int) -> str:
    seconds = max(0, milliseconds) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def playing_line(turn: Turn) -> str:
    """[playing: Appreciation, together, 10:00] (and where it starts, when not at 0)."""
    stream = turn.played
    if stream is None:
        return ""
    track = default_content().meditations.get(stream.token.split(".")[0])
    length = clock_text(track.minutes * 60_000) if track else "?"
    start = f", from {clock_text(stream.offset)}" if stream.offset >= 1000 else ""
    return f"[playing: {stream.title}, {length}{start}]"


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
    quiet = turn.played or turn.directive("AudioPlayer.Stop") or "session" not in turn.request
    if turn.speech or not quiet:
        print(f"Alexa: {turn.speech}", file=out)
    playing = playing_line(turn)
    if playing:
        print(f"       {playing}", file=out)
    elif turn.directive("AudioPlayer.Stop"):
        print("       [the meditation stops]", file=out)
    status = status_line(turn)
    if status:
        print(f"       {status}", file=out)
    screen = turn.screen
    if screen is not None:
        framed = text_view(screen).splitlines()
        print("       +-- screen --", file=out)
        for line in framed:
            print(f"       | {line}", file=out)
    if turn.ended and not playing and not turn.directive("AudioPlayer.Stop"):
        again = "resume" if turn.state.get("phase") == "beat" else "start"
        print(f"       (the session has ended; say 'Alexa, {again} our check-in')", file=out)
    speech = turn.response["response"].get("outputSpeech")
    if voice and speech:
        return speak(speech["ssml"], out)
    return voice


def player_command(device: Device, line: str, out: TextIO) -> Turn | None:
    """[pause], [resume], [finish]: the audio player's own buttons, while a meditation is
    loaded. None when the line is not one of them."""
    typed = line.strip().lower()
    if device.player is None or typed not in (*PLAYER_COMMANDS, "[finish]"):
        return None
    if typed == "[finish]":
        title = device.player.stream.title
        turn = device.finish()
        print(f"       [{title} has finished]", file=out)
        return turn
    return device.press(PLAYER_COMMANDS[typed])


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
    os.environ.setdefault(AUDIO_ENV, CONSOLE_AUDIO_URL)
    handler = skill_builder(SqliteStore(db), request_log=quiet).lambda_handler()
    device = Device(handler, user, screen=screen, locale=locale)
    print(BANNER + (SCREEN_BANNER if screen else "") + PLAYER_BANNER, file=out)
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
        pressed = player_command(device, line, out)
        if pressed is not None:
            voice = show(pressed, out, voice)
            continue
        button = typed_button(line) if screen else None
        last = device.touch(button.value) if button else device.hear(line.strip())
        voice = show(last, out, voice)
