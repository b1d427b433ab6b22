"""Durations keep their word, measured: the engine's replies rendered by espeak-ng at 150 words
a minute, with real silences for the breaks, and timed from the wav files.

- each mindful pause as the couple hears it (1 minute in a quick check-in, 2 in a full one,
  3 on its own), from the intro to "welcome back": within 10% of its minutes;
- a whole quick check-in, first beat to goodbye: 4.5 to 5.5 minutes; a full one: 13.5 to 16.5.
  Both closings (the hug and the last appreciation alternate): a first check-in, then a
  returning couple's next one.

How the breaks are rendered (checked by test_espeak_renders_long_silences_as_alexa_does):
each reply is rendered as the SSML the engine sends Alexa (skill.speech.ssml.to_ssml), with
`espeak-ng -m -v en-us -s 150` (the skill's locale; the default voice, British English, is
about 0.5% quicker). espeak-ng honours one <break> of any length (10 s and 30 s measured),
but of several adjacent breaks it plays only the longest, where Alexa plays them one after
another (to_ssml splits a 45 s silence into 10+10+10+10+5 s); and it drops a break before the
first word. So adjacent breaks are merged into one break of their sum, and a leading silence
is written as silent frames. A break replaces the sentence's own short pause in espeak-ng, as
SSML says it should. The replies of a check-in are appended into one wav, and that file's
length is what is measured (the couple's "Alexa, next" between replies is not counted).

The measured seconds are printed beside skill.content.durations' estimates (words at 2.5 a
second plus silences), which the content validator holds to the same tolerances."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.content import durations
from skill.content.loader import default_content
from skill.content.rules import DEFAULT_TURN_SECONDS
from skill.engine.conversation import handle
from skill.engine.events import Event
from skill.engine.state import State
from skill.speech.ssml import to_ssml
from skill.speech.timing import Part, Pause, estimated_seconds

ESPEAK = shutil.which("espeak-ng")
pytestmark = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng not installed: run make test, which installs it"
)

CONTENT = default_content()
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
COUPLE = State(names=("Sam", "Alex"), phase="ready")
TOLERANCE = 0.10
_BREAKS = re.compile(r'(?:<break time="(?:\d+)(?:ms|s)"/>\s*)+')
_ONE_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')


def _millis(run: str) -> int:
    return sum(int(n) * (1 if unit == "ms" else 1000) for n, unit in _ONE_BREAK.findall(run))


def espeak_ssml(parts: tuple[Part, ...] | list[Part]) -> tuple[float, str]:
    """The reply's SSML as espeak-ng gets it: leading silence in seconds, and the SSML with
    each run of adjacent breaks merged into one (espeak-ng keeps only the longest)."""
    ssml = to_ssml(parts)
    body = ssml.removeprefix("<speak>").removesuffix("</speak>")
    lead = _BREAKS.match(body)
    leading = _millis(lead.group()) / 1000 if lead else 0.0
    body = body[lead.end() :] if lead else body
    body = _BREAKS.sub(lambda run: f'<break time="{_millis(run.group())}ms"/> ', body)
    return leading, f"<speak>{body}</speak>"


@dataclass
class Recording:
    """Replies rendered one after another into one wav file."""

    path: Path
    frames: list[bytes] = field(default_factory=list)
    params: Any = None  # wave.Wave_read.getparams() of the first piece

    def add(self, parts: tuple[Part, ...] | list[Part]) -> None:
        leading, ssml = espeak_ssml(parts)
        piece = self.path.with_suffix(".piece.wav")
        done = subprocess.run(
            [ESPEAK, "-m", "-v", "en-us", "-s", "150", "-w", str(piece), ssml],
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        with wave.open(str(piece)) as wav:
            self.params = self.params or wav.getparams()
            assert wav.getframerate() == self.params.framerate
            silent = round(leading * wav.getframerate()) * wav.getsampwidth() * wav.getnchannels()
            self.frames += [b"\0" * silent, wav.readframes(wav.getnframes())]

    def seconds(self) -> float:
        """Write the wav and measure the file, as soxi -D would."""
        assert self.params is not None
        with wave.open(str(self.path), "wb") as out:
            out.setparams(self.params)
            for chunk in self.frames:
                out.writeframes(chunk)
        with wave.open(str(self.path)) as wav:
            return wav.getnframes() / wav.getframerate()


def measure(tmp_path: Path, name: str, replies: list[tuple[Part, ...]]) -> float:
    recording = Recording(tmp_path / f"{name}.wav")
    for parts in replies:
        recording.add(parts)
    return recording.seconds()


def report(capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    with capsys.disabled():
        print()
        for line in lines:
            print(f"  spoken at 150 wpm (espeak-ng -m -v en-us -s 150): {line}")


def check_in(state: State, length: str, when: datetime) -> tuple[list[tuple[Part, ...]], State]:
    """Every reply of a whole check-in, its start to its goodbye, and the state after it."""
    outcome = handle(state, Event("start", {"length": length}), when, CONTENT)
    replies = [outcome.reply.speech]
    while outcome.state.phase == "beat":
        outcome = handle(outcome.state, Event("next"), when, CONTENT)
        replies.append(outcome.reply.speech)
        assert len(replies) < 60, "the check-in never ends"
    assert outcome.state.phase == "done", outcome.state.phase
    return replies, outcome.state


def closing_index(length: str, state: State) -> int:
    return CONTENT.plans[length].steps[-1].choices.index(state.last_closing)


def test_espeak_renders_long_silences_as_alexa_does(tmp_path: Path) -> None:
    """A 10 s break, a 45 s silence (five breaks in Alexa's SSML) and a leading 10 s silence
    all come out as real silence of their length (a sentence's own pause is replaced)."""
    words = measure(tmp_path, "words", [("Hello there.", "Goodbye now.")])
    for silence in (10, 45):
        rendered = measure(
            tmp_path, f"gap{silence}", [("Hello there.", Pause(silence), "Goodbye now.")]
        )
        assert silence - 1 <= rendered - words <= silence + 0.5, (silence, rendered, words)
    leading = measure(tmp_path, "lead", [(Pause(10), "Hello there.", "Goodbye now.")])
    assert 9.5 <= leading - words <= 10.5, (leading, words)


@pytest.mark.parametrize(
    ("minutes", "event"),
    [
        (1, Event("start", {"length": "quick"})),
        (2, Event("start", {"length": "full"})),
        (3, Event("exercise", {"exercise": "mindful_pause"})),
    ],
    ids=["1 minute (quick check-in)", "2 minutes (full check-in)", "3 minutes (on its own)"],
)
def test_each_mindful_pause_lasts_its_minutes(
    minutes: int, event: Event, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    speech = handle(COUPLE, event, EVENING, CONTENT).reply.speech
    pause, hand_over = speech[:-1], speech[-1]
    assert isinstance(hand_over, str) and hand_over, speech
    assert any("welcome back" in p.lower() for p in pause if isinstance(p, str)), pause
    seconds = measure(tmp_path, f"pause{minutes}", [pause])
    estimate = durations.pause_seconds(CONTENT, minutes)
    report(
        capsys,
        [
            f"the {minutes} minute pause, intro to welcome back, lasts {seconds:.1f} s"
            f" (target {minutes * 60} s ±10%; estimated {estimated_seconds(pause):.1f} s for"
            f" these words, {estimate:.1f} s for the mean variant)"
        ],
    )
    assert abs(seconds - minutes * 60) <= minutes * 60 * TOLERANCE


@pytest.mark.parametrize(("length", "low", "high"), [("quick", 4.5, 5.5), ("full", 13.5, 16.5)])
def test_a_whole_check_in_lasts_what_it_announces(
    length: str, low: float, high: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first check-in (with its one-time tip), then the couple's next one the day after:
    the two closings, both measured."""
    first, state = check_in(COUPLE, length, EVENING)
    second, state2 = check_in(state, length, EVENING + timedelta(days=1))
    assert state.last_closing != state2.last_closing, "the closings alternate"
    lines, failures = [], []
    for label, replies, after in (("first", first, state), ("next", second, state2)):
        seconds = measure(tmp_path, f"{length}-{label}", replies)
        closing = closing_index(length, after)
        estimate = durations.plan_seconds(
            CONTENT, CONTENT.plans[length], DEFAULT_TURN_SECONDS, closing
        )
        lines.append(
            f"a {label} {length} check-in ({len(replies)} replies, closing: {after.last_closing})"
            f" lasts {seconds / 60:.2f} min = {seconds:.0f} s (target {low}-{high} min;"
            f" estimated {sum(map(estimated_seconds, replies)) / 60:.2f} min for these words,"
            f" {estimate / 60:.2f} min for the mean variants)"
        )
        if not low * 60 <= seconds <= high * 60:
            failures.append(lines[-1])
    report(capsys, lines)
    assert not failures, failures
