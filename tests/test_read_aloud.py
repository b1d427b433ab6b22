"""Every line of the content read aloud once, with espeak-ng at 150 words a minute (en-US voice):
each phrase variant of phrases.toml, each exercise's intro, prompts and closing lines, each
breathing script line, each question (with {other} filled in), the exercise and plan titles, and
each locale's safety lines. Placeholders are filled the way the engine fills them, with the
longest value each can take (so the one-breath check is the worst case).

Each line must render (exit 0, a non-empty wav) and last at most 15 s: one breath. The longest
lines and the lines a voice stumbles on (numbers read as thousands or with "dash", interjections
spelled out letter by letter) are printed, so `make test` shows them."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from skill.content.lint import FEATURE_PHRASES
from skill.content.loader import CONTENT_DIR, default_content
from skill.engine.anywhere import minutes_words
from skill.engine.history import ordinal
from skill.engine.words import MINUTE_WORDS, plan_words, seconds_words
from skill.speech.ssml import escape

ESPEAK = shutil.which("espeak-ng")
pytestmark = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng not installed: run make test, which installs it"
)

CONTENT = default_content()
ONE_BREATH_SECONDS = 15.0
NAMES = {"speaker": "Sam", "other": "Alex", "first": "Sam", "second": "Alex", "name": "Sam"}
NAMES["next"] = "Alex"


def longest(values) -> str:
    return max(values, key=lambda v: len(v.split()))


def sample_values() -> dict[str, str]:
    """One value per placeholder: the longest the engine may say there."""
    titles = [e.title for e in CONTENT.exercises.values()]
    plans = [plan_words(CONTENT, p, t) for p in CONTENT.plans for t in (30, 45, 90)]
    question = longest(q.text for q in CONTENT.questions.values()).format(other="Alex")
    locale = CONTENT.locale("en-US")
    return {
        **NAMES,
        "question": question,
        "title": longest(titles),
        "plan": longest(plans),
        "minutes": minutes_words(14 * 60),  # "about fourteen minutes"
        "steps": ", then ".join(titles[:3]),
        "length": seconds_words(90),
        "direction": "short",
        "where": f"{longest(titles)}, Sam's turn",
        "nth": ordinal(25),
        "count": "12",
        "quick": plan_words(CONTENT, "quick", 45),
        "full": plan_words(CONTENT, "full", 45),
        "emergency": locale.emergency,
        "helpline": locale.helpline,
    }


def fill(text: str, values: dict[str, str]) -> str:
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    missing = names - values.keys()
    assert not missing, f"no sample value for {missing} in {text!r}"
    return text.format(**values)


def feature_examples() -> dict[str, dict[str, str]]:
    """The example values each capability's phrase file gives its entries."""
    import tomllib

    examples = {}
    for file in FEATURE_PHRASES:
        raw = tomllib.loads(CONTENT_DIR.joinpath(file).read_text(encoding="utf-8"))
        examples.update({key: entry.get("example", {}) for key, entry in raw.items()})
    return examples


def every_line() -> Iterator[tuple[str, str]]:
    """(where it comes from, the line as spoken)."""
    values = sample_values()
    examples = feature_examples()
    for key, variants in CONTENT.phrases.items():
        for i, text in enumerate(variants):
            yield f"phrases.{key}[{i}]", fill(text, {**values, **examples.get(key, {})})
    for ex in CONTENT.exercises.values():
        yield f"exercises.{ex.id}.title", ex.title
        for i, text in enumerate(ex.intro):
            minutes = MINUTE_WORDS.get(ex.minutes or 3, "short")
            yield f"exercises.{ex.id}.intro[{i}]", fill(text, {**values, "minutes": minutes})
        for b, beat in enumerate(ex.beats):
            for i, text in enumerate(beat.prompts):
                if text:
                    yield f"exercises.{ex.id}.beats[{b}].prompts[{i}]", fill(text, values)
            for i, text in enumerate(beat.after):
                yield f"exercises.{ex.id}.beats[{b}].after[{i}]", fill(text, values)
    for plan in CONTENT.plans.values():
        yield f"plans.{plan.id}.title", plan.title
    for minutes, lines in CONTENT.pauses.items():
        for i, line in enumerate(lines):
            if isinstance(line, str):
                yield f"pauses[{minutes} min][{i}]", line
    for question in CONTENT.questions.values():
        yield f"questions.{question.id}", fill(question.text, values)
    for code, locale in CONTENT.locales.items():
        yield f"locales.{code}.emergency", locale.emergency
        yield f"locales.{code}.helpline", locale.helpline


LINES = dict(every_line())

# What espeak-ng (and, likely, Alexa) reads badly, found by listening to the lines flagged here.
STUMBLES = {
    "a number with dashes (read as 'one dash eight hundred dash ...')": re.compile(r"\d-\d"),
    "a long number (read as thousands, not digit by digit)": re.compile(r"\d{4,}"),
    "an interjection spelled out letter by letter": re.compile(r"\b(?:Mm-hm|Mhm|Mm)\b"),
}


def seconds_of(path: Path) -> float:
    try:
        with wave.open(str(path)) as wav:
            return wav.getnframes() / wav.getframerate()
    except (OSError, EOFError, wave.Error):
        return 0.0


def render(index: int, line: str, folder: Path) -> tuple[int, str, float]:
    """Exit status, stderr, and the wav's seconds (0 when it is missing or empty)."""
    path = folder / f"{index}.wav"
    ssml = f"<speak>{escape(line)}</speak>"  # as to_ssml sends it
    done = subprocess.run(
        [ESPEAK, "-m", "-v", "en-us", "-s", "150", "-w", str(path), ssml],
        capture_output=True,
        timeout=30,
    )
    seconds = seconds_of(path)
    path.unlink(missing_ok=True)
    return done.returncode, done.stderr.decode(errors="replace"), seconds


def render_all(lines: list[str], folder: Path) -> list[tuple[int, str, float]]:
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: about 10 s for 1,000 lines
        return list(pool.map(lambda item: render(item[0], item[1], folder), enumerate(lines)))


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", line) if s]


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, float]]:
    return dict(
        zip(LINES, render_all(list(LINES.values()), tmp_path_factory.mktemp("aloud")), strict=True)
    )


def test_every_line_renders_in_one_breath(
    spoken: dict[str, tuple[int, str, float]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A line is one breath (15 s at most), or, when it holds several sentences that must be
    said together (the safety answer: the emergency number and a helpline), each of its
    sentences is one breath and the whole stays under 30 s."""
    failed = {k: (rc, err) for k, (rc, err, s) in spoken.items() if rc or not s}
    long_lines = {k: s for k, (_, _, s) in spoken.items() if s > ONE_BREATH_SECONDS}
    parts = [(k, s) for k in long_lines for s in sentences(LINES[k])]
    timed = render_all([s for _, s in parts], tmp_path)
    too_long = {
        f"{k}: {sentence}": round(s, 1)
        for (k, sentence), (_, _, s) in zip(parts, timed, strict=True)
        if s > ONE_BREATH_SECONDS or not s
    }
    too_long |= {k: round(s, 1) for k, s in long_lines.items() if s > 2 * ONE_BREATH_SECONDS}
    ranked = sorted(((s, k) for k, (_, _, s) in spoken.items()), reverse=True)
    with capsys.disabled():
        print(
            f"\n  read aloud (espeak-ng -m -v en-us -s 150): {len(spoken)} lines,"
            f" {sum(s for s, _ in ranked) / 60:.1f} minutes in all; the longest:"
        )
        for s, key in ranked[:8]:
            print(f"    {s:5.1f} s  {key}: {LINES[key]}")
        for key, reason in stumbles().items():
            print(f"    stumbles: {key}: {reason}: {LINES[key]}")
    assert not failed, failed
    assert not too_long, too_long


def stumbles() -> dict[str, str]:
    found = {
        key: "; ".join(reason for reason, pattern in STUMBLES.items() if pattern.search(line))
        for key, line in LINES.items()
    }
    return {key: reasons for key, reasons in found.items() if reasons}


def test_no_line_stumbles() -> None:
    assert not stumbles()
