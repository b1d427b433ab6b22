"""Figure 6, memory: the peak resident set (VmHWM) of a process running the Lambda handler
on the in-memory store, after 100 warm turns and after 10,000.

The traffic is whole quick check-ins, as a device sends them, for 20 households in turn,
one evening later each round: a first meeting (launch, names, yes), then every evening a
launch and "next" until the check-in ends; every request a new requestId, every check-in a
new session. The baseline (the SDK-sample hello world on the in-memory adapter) gets the
same number of requests per session: a launch, then HelloWorldIntent. Each side runs in a
fresh process (python -m bench.memory --driver SIDE). Budget: the skill's peak after 10,000
turns within 10% of its peak after 100.

    .venv/bin/python -m bench.memory [--quick] [--turns N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from bench.common import (
    NOW,
    PYTHON,
    ROOT,
    Handler,
    Row,
    add_common_args,
    allow_baseline_import,
    lambda_logging,
    peak_rss_kb,
    print_rows,
    sink_log,
)

BUDGET = 1.10
HOUSEHOLDS = 20
FIRST = 100
MAX_SESSION = 40  # requests; a quick check-in takes about 6


def skill_traffic(handler: Handler) -> Iterator[dict[str, Any]]:
    """Request after request of whole check-ins; yields each response."""
    from skill.console.envelopes import Session, intent_request, launch_request
    from skill.console.matcher import SlotValue

    names = {
        "firstName": SlotValue("firstName", "Sam", None, None, None, "AMAZON.FirstName"),
        "secondName": SlotValue("secondName", "Alex", None, None, None, "AMAZON.FirstName"),
    }
    evening = 0
    met: set[int] = set()
    while True:
        for household in range(HOUSEHOLDS):
            now = NOW + timedelta(days=evening, minutes=household)
            session = Session(user_id=f"amzn1.ask.account.memory-{household}")
            steps: list[tuple[str, dict[str, Any]]] = []
            if household not in met:
                met.add(household)
                steps = [("NamesIntent", names), ("AMAZON.YesIntent", {})]
            response = handler(launch_request(session, now), None)
            session.absorb(response)
            yield response
            for intent, slots in steps:
                response = handler(intent_request(session, intent, slots, now=now), None)
                session.absorb(response)
                yield response
            for _ in range(MAX_SESSION):
                if session.ended:
                    break
                response = handler(intent_request(session, "NextIntent", now=now), None)
                session.absorb(response)
                yield response
            else:
                raise RuntimeError(f"a check-in did not end within {MAX_SESSION} requests")
        evening += 1


def baseline_traffic(handler: Handler, per_session: int = 6) -> Iterator[dict[str, Any]]:
    """A launch, then HelloWorldIntent, ``per_session`` requests a session, 20 users."""
    from skill.console.envelopes import Session, intent_request, launch_request

    evening = 0
    while True:
        for user in range(HOUSEHOLDS):
            now = NOW + timedelta(days=evening, minutes=user)
            session = Session(user_id=f"amzn1.ask.account.memory-{user}")
            response = handler(launch_request(session, now), None)
            session.absorb(response)
            yield response
            for _ in range(per_session - 1):
                response = handler(intent_request(session, "HelloWorldIntent", now=now), None)
                session.absorb(response)
                yield response
        evening += 1


def drive(side: str, checkpoints: list[int]) -> dict[str, int]:
    """In this process: run the side's traffic, peak RSS (KiB) at each checkpoint."""
    lambda_logging()
    if side == "skill":
        from skill.alexa.skill import skill_builder
        from skill.store.memory import MemoryStore

        traffic = skill_traffic(
            skill_builder(MemoryStore(), request_log=sink_log()).lambda_handler()
        )
    else:
        allow_baseline_import()
        from bench.baseline.lambda_function import skill_builder as baseline_builder
        from bench.baseline.memory_adapter import MemoryPersistenceAdapter

        traffic = baseline_traffic(baseline_builder(MemoryPersistenceAdapter()).lambda_handler())
    peaks: dict[str, int] = {}
    turns = 0
    for checkpoint in checkpoints:
        while turns < checkpoint:
            next(traffic)
            turns += 1
        peaks[str(checkpoint)] = peak_rss_kb()
    return peaks


def run_side(side: str, checkpoints: list[int]) -> dict[str, int]:
    """Peak RSS (KiB) at each checkpoint, from a fresh driver process."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.memory", "--driver", side,
         "--checkpoints", ",".join(map(str, checkpoints))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"memory driver {side} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(quick: bool = False, turns: int | None = None) -> Row:
    """Measure the figure; its row for the report."""
    last = turns or (400 if quick else 10_000)
    checkpoints = [FIRST, last]
    peaks = {side: run_side(side, checkpoints) for side in ("skill", "baseline")}
    growth = {side: p[str(last)] / p[str(FIRST)] for side, p in peaks.items()}
    mib = {side: {k: v / 1024 for k, v in p.items()} for side, p in peaks.items()}

    def cell(side: str) -> str:
        return f"{mib[side][str(FIRST)]:.1f} -> {mib[side][str(last)]:.1f} MiB"

    return Row(
        f"6 peak RSS, {FIRST} -> {last} turns",
        cell("skill"),
        cell("baseline"),
        f"{growth['skill']:.3f} / {growth['baseline']:.3f}",
        f"skill growth <= {BUDGET:.2f} x",
        growth["skill"] <= BUDGET,
        [
            f"VmHWM of a fresh process per side; ratio column: each side's growth "
            f"(peak after {last} / after {FIRST}); {HOUSEHOLDS} households, whole check-ins",
            f"skill peak at {last} turns is "
            f"{peaks['skill'][str(last)] / peaks['baseline'][str(last)]:.2f} x the baseline's "
            "(which imports boto3 at import, for its DynamoDbAdapter)",
        ],
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    parser.add_argument("--turns", type=int, help="the later checkpoint (default 10,000)")
    parser.add_argument("--driver", choices=("skill", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--checkpoints", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        print(json.dumps(drive(args.driver, [int(c) for c in args.checkpoints.split(",")])))
        sys.exit(0)
    print_rows([measure(args.quick, args.turns)])


if __name__ == "__main__":
    main()
