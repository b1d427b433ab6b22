"""The render cost for `make bench`: seconds of rendering per audio minute, offline engine.

    python -m skill.audio.bench [--engine piper|espeak] [--only ID]

renders one meditation (default: the 5-minute breathing-together) into a temporary folder,
from scratch, and prints one JSON line: engine, id, audio_minutes, render_seconds,
seconds_per_audio_minute, loudness_lufs, true_peak_dbfs.
"""

from __future__ import annotations

import argparse
import json
import tempfile

from skill.audio import scripts
from skill.audio.engines import make_engine
from skill.audio.render import render_all


def measure(engine: str = "piper", meditation_id: str = "breathing-together-5") -> dict:
    meditation = scripts.by_id(meditation_id)
    if meditation is None:
        raise ValueError(f"no meditation with id {meditation_id}")
    voice = make_engine(engine)  # loading the voice is not counted: it happens once a run
    with tempfile.TemporaryDirectory() as folder:
        (outcome,) = render_all([meditation], folder, engine, lambda: voice, force=True)
    minutes = outcome.entry.duration_ms / 60000
    return {
        "engine": engine,
        "id": meditation.id,
        "audio_minutes": round(minutes, 2),
        "render_seconds": round(outcome.seconds, 2),
        "seconds_per_audio_minute": round(outcome.seconds / minutes, 2),
        "loudness_lufs": outcome.entry.loudness_lufs,
        "true_peak_dbfs": outcome.entry.true_peak_dbfs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill.audio.bench")
    parser.add_argument("--engine", choices=("piper", "espeak"), default="piper")
    parser.add_argument("--only", default="breathing-together-5", metavar="ID")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.engine, args.only)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
