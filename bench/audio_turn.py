"""Warm turn for the audio player's reports: AudioPlayer.PlaybackStopped and
AudioPlayer.PlaybackStarted through the whole skill in process, the store in memory.

Skill: guarded(skill_builder(MemoryStore()).lambda_handler(), skill ID), as
lambda/lambda_function.py builds it, logging as in Lambda (INFO lines formatted and written,
here to /dev/null), for a couple whose ten-minute meditation was handed to the audio player
(CHECKIN_AUDIO_URL set). The reports come without a session, as
a device sends them, so each one reads the household's record from the store. The mix is
1 PlaybackStopped (the offset changes, one write: two offsets alternate so that every
Stopped really writes) to 1 PlaybackStarted (nothing changes, no write). Replies must carry
no speech. Baseline: the SDK-sample hello world on an in-memory persistence adapter, the
same requests as figure 2 (bench/warm_turn.py): HelloWorldIntent (reads and saves) for each
Stopped, AMAZON.HelpIntent (touches nothing) for each Started. Skill and baseline requests
alternate one by one. Budgets, as for the other warm turns: median <= 1.5 x, p99 <= 3 x
the baseline's.

    .venv/bin/python -m bench.audio_turn [--quick] [--requests N]
"""

from __future__ import annotations

import os
from typing import Any

from bench.common import (
    NOW,
    SKILL_USER,
    Row,
    Samples,
    WarmFigures,
    kind_notes,
    lambda_logging,
    quiet_logs,
    run_figure,
    sink_log,
    timed,
)
from bench.warm_turn import MEDIAN_BUDGET, P99_BUDGET, baseline_turns

AUDIO_URL = "https://audio.bench.test/meditations/"  # never fetched: only the URL is built
DEVICE = "amzn1.ask.device.bench-living-room"
MIX = ("stopped", "started")
BASELINE_KIND = {"stopped": "next", "started": "help"}  # warm_turn's baseline requests
OFFSETS = (61_000, 62_000)


class Meditating:
    """A couple whose meditation plays, on the in-memory store, with the player's report
    envelopes ready (built once, outside the timer)."""

    def __init__(self) -> None:
        from skill.alexa.guard import guarded
        from skill.alexa.skill import skill_builder
        from skill.store.memory import MemoryStore
        from tests.audio_envelopes import APPLICATION_ID, AudioEcho, Report, play_directive

        os.environ["CHECKIN_AUDIO_URL"] = AUDIO_URL
        self.store = MemoryStore()
        # As lambda/lambda_function.py builds it: the SDK's handler behind the guard.
        sdk = skill_builder(self.store, request_log=sink_log()).lambda_handler()
        self.handler = guarded(sdk, APPLICATION_ID)
        echo = AudioEcho(self.handler, SKILL_USER, DEVICE, clock=lambda: NOW)
        with quiet_logs():
            for line in ("Alexa, start our check-in", "we are Sam and Alex", "yes"):
                echo.hear(line)
            asked = echo.hear("Alexa, ask our check in for a ten minute meditation")
            if play_directive(asked.response) is None:
                raise RuntimeError(f"the meditation did not play: {asked.response}")
            started = echo.player.report(Report.STARTED, now=NOW)
            self.handler(started, None)
        self.stopped = [echo.player.report(Report.STOPPED, offset=o, now=NOW) for o in OFFSETS]
        self.started = echo.player.report(Report.STARTED, now=NOW)
        self.count = 0
        self.writes = {kind: 0 for kind in MIX}

    def next_event(self, kind: str) -> dict[str, Any]:
        if kind == "started":
            return self.started
        self.count += 1
        return self.stopped[self.count % len(self.stopped)]


def run(requests: int, warmup: int) -> tuple[Samples, Meditating]:
    """Per side and kind, the microseconds of each measured request."""
    lambda_logging()
    skill = Meditating()
    baseline, baseline_events = baseline_turns()
    out: Samples = {
        "skill": {kind: [] for kind in MIX},
        "baseline": {BASELINE_KIND[kind]: [] for kind in MIX},
    }
    for i in range(warmup + requests):
        kind = MIX[i % len(MIX)]
        event = skill.next_event(kind)
        writes = skill.store.writes
        skill_us = timed(skill.handler, event, speaks=False)
        wrote = skill.store.writes - writes
        if kind == "stopped" and wrote != 1:
            raise RuntimeError(f"a PlaybackStopped made {wrote} writes, not one")
        skill.writes[kind] += wrote
        baseline_us = timed(baseline, baseline_events[BASELINE_KIND[kind]], speaks=True)
        if i >= warmup:
            out["skill"][kind].append(skill_us)
            out["baseline"][BASELINE_KIND[kind]].append(baseline_us)
    return out, skill


def measure(quick: bool = False, requests: int | None = None) -> Row:
    """Measure the figure; its row for the report."""
    requests = requests or (60 if quick else 4000)
    warmup = 20 if quick else 400
    samples, skill = run(requests, warmup)
    figures = WarmFigures.of(samples)
    total = warmup + requests
    notes = [
        f"{requests} requests each after {warmup} warm-up, alternating skill/baseline; mix "
        "1 x PlaybackStopped (baseline HelloWorldIntent) : 1 x PlaybackStarted (baseline "
        "AMAZON.HelpIntent)",
        figures.ratio_note(MEDIAN_BUDGET, P99_BUDGET),
        f"skill writes over all {total} requests: PlaybackStopped {skill.writes['stopped']}, "
        f"PlaybackStarted {skill.writes['started']}",
        *kind_notes(samples),
    ]
    return figures.row("audio player warm turn (median / p99)", MEDIAN_BUDGET, P99_BUDGET, notes)


def main() -> None:
    """The command line: measure and print the figure's row."""
    run_figure(__doc__, measure, "requests", "measured requests per side")


if __name__ == "__main__":
    main()
