"""Figure 2, warm turn: one request through the whole skill in process, the store in memory.

Skill: skill_builder(MemoryStore()).lambda_handler() wrapped as lambda/lambda_function.py
wraps it (guarded: the request's screening and the skill-ID check run on every deployed
request), logging as in Lambda (INFO lines formatted and written, here to /dev/null).
Baseline: the SDK-sample hello world on an in-memory persistence adapter. The mix, for
both, is a couple mid-check-in (the gratitude round): 3 requests that advance a turn (skill:
NextIntent, which writes; baseline: HelloWorldIntent, which reads and saves) to 1 that
changes nothing (AMAZON.HelpIntent). Skill and baseline take turns in runs of BLOCK (20)
requests. The stored record is put back before each skill NextIntent (outside the timer) so
that every one advances the same turn and writes over the version it read. Budgets: median
<= 1.5 x, p99 <= 3 x the baseline's.

    .venv/bin/python -m bench.warm_turn [--quick] [--requests N]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bench.common import (
    BASELINE_USER,
    NOW,
    Handler,
    Row,
    Samples,
    WarmFigures,
    allow_baseline_import,
    kind_notes,
    lambda_logging,
    mid_check_in,
    run_figure,
    timed,
)

MEDIAN_BUDGET = 1.5
P99_BUDGET = 3.0
MIX = ("next", "next", "next", "help")
# The sides take turns in runs of BLOCK requests (a multiple of the mix). One by one, each
# request would find the caches filled by the other side's last one: the hello world, the
# smaller, lost about 7% that way (0.15 to 0.16 ms), which no Lambda container sees (it
# serves one skill). In runs of 20 each side runs as warm as it does alone, and the two
# still share the machine's noise.
BLOCK = 20


def skill_turns(
    screen: bool = False,
) -> tuple[Handler, dict[str, dict[str, Any]], Callable[[], None]]:
    """The skill's handler, its requests by kind (from an Echo Show when `screen`), and the
    reset to run before a write (it also checks that the previous one wrote, i.e. that the
    turn really advanced)."""
    from skill.alexa.guard import guarded
    from skill.console.envelopes import intent_request, with_screen

    mid = mid_check_in()
    events = {
        "next": intent_request(mid.session, "NextIntent", now=NOW),
        "help": intent_request(mid.session, "AMAZON.HelpIntent", now=NOW),
    }
    if screen:
        events = {kind: with_screen(event) for kind, event in events.items()}

    def reset() -> None:
        if mid.store.records[mid.household] is mid.record and resets[0]:
            raise RuntimeError("a NextIntent did not write: the turn did not advance")
        resets[0] += 1
        mid.store.records[mid.household] = mid.record

    resets = [0]

    # As deployed: lambda/lambda_function.py serves guarded(handler, SKILL_ID).
    return guarded(mid.handler, mid.session.application_id), events, reset


def baseline_turns(screen: bool = False) -> tuple[Handler, dict[str, dict[str, Any]]]:
    """The baseline's handler on the in-memory adapter, and its requests by kind (from the
    same Echo Show when `screen`: the device's context is part of every request)."""
    allow_baseline_import()
    from bench.baseline.lambda_function import skill_builder
    from bench.baseline.memory_adapter import MemoryPersistenceAdapter
    from skill.console.envelopes import Session, intent_request, launch_request, with_screen

    handler = skill_builder(MemoryPersistenceAdapter()).lambda_handler()
    session = Session(user_id=BASELINE_USER)
    session.absorb(handler(launch_request(session, NOW), None))
    events = {
        "next": intent_request(session, "HelloWorldIntent", now=NOW),
        "help": intent_request(session, "AMAZON.HelpIntent", now=NOW),
    }
    if screen:
        events = {kind: with_screen(event) for kind, event in events.items()}
    return handler, events


def run(requests: int, warmup: int, screen: bool = False) -> Samples:
    """Per side and kind, the microseconds of each measured request."""
    lambda_logging()
    skill, skill_events, reset = skill_turns(screen)
    baseline, baseline_events = baseline_turns(screen)
    out: Samples = {
        "skill": {kind: [] for kind in skill_events},
        "baseline": {kind: [] for kind in baseline_events},
    }
    total = warmup + requests
    for start in range(0, total, BLOCK):
        block = range(start, min(start + BLOCK, total))
        for i in block:
            kind = MIX[i % len(MIX)]
            if kind == "next":
                reset()
            skill_us = timed(skill, skill_events[kind])
            if i >= warmup:
                out["skill"][kind].append(skill_us)
        for i in block:
            kind = MIX[i % len(MIX)]
            baseline_us = timed(baseline, baseline_events[kind])
            if i >= warmup:
                out["baseline"][kind].append(baseline_us)
    return out


def measure(quick: bool = False, requests: int | None = None, screen: bool = False) -> Row:
    """Measure the figure (figure 8: the same on an Echo Show); its row for the report."""
    requests = requests or (60 if quick else 4000)
    warmup = 20 if quick else 400
    samples = run(requests, warmup, screen)
    figures = WarmFigures.of(samples)
    notes = [
        f"{requests} requests each after {warmup} warm-up, skill and baseline taking turns "
        f"in runs of {BLOCK}; mix "
        "3 x advance a turn (skill NextIntent, baseline HelloWorldIntent) : 1 x AMAZON.HelpIntent",
        figures.ratio_note(MEDIAN_BUDGET, P99_BUDGET),
        *kind_notes(samples),
    ]
    if screen:
        notes.append(response_sizes())
    figure = "8 warm turn, Echo Show (median / p99)" if screen else "2 warm turn (median / p99)"
    return figures.row(figure, MEDIAN_BUDGET, P99_BUDGET, notes)


def response_sizes() -> str:
    """The response to one NextIntent, in bytes of JSON, from a speaker and from a screen."""
    sizes = {}
    for screen in (False, True):
        handler, events, reset = skill_turns(screen)
        reset()
        sizes[screen] = len(json.dumps(handler(events["next"], None)))
    return (
        f"response size: {sizes[False]} bytes on a speaker, {sizes[True]} with the APL document"
        f" and its datasource ({sizes[True] - sizes[False]} more)"
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    run_figure(__doc__, measure, "requests", "measured requests per side")


if __name__ == "__main__":
    main()
