"""Figure 1, cold start: a fresh Python process imports the Lambda entry point and answers
its first LaunchRequest against a local DynamoDB server (dynalite).

The figure is the wall-clock time of the whole process (interpreter start included, the same
for both), median of N fresh processes each, skill and baseline runs alternating so they
share the machine's noise. Each run is a new household (a first launch: one read, one write
for both). One uncounted warm-up run each first, so both start from compiled bytecode and a
warm page cache. Budget: skill <= 0.8 x baseline.

    .venv/bin/python -m bench.cold_start [--quick] [--runs N]
"""

from __future__ import annotations

import itertools
import json
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import (
    BASELINE_DIR,
    LAMBDA_DIR,
    NOW,
    PYTHON,
    ROOT,
    Row,
    create_baseline_table,
    dynalite,
    dynamo_client,
    median,
    process_env,
    ratio,
    run_figure,
)

DRIVER = ROOT / "bench" / "cold_driver.py"
BUDGET = 0.8


def launch_event(path: Path) -> Path:
    """A LaunchRequest of a household never seen before, written to ``path``."""
    from skill.console.envelopes import Session, launch_request

    session = Session(user_id=f"amzn1.ask.account.cold-{uuid.uuid4().hex}")
    path.write_text(json.dumps(launch_request(session, NOW)), encoding="utf-8")
    return path


def one_run(directory: Path, env: dict[str, str], event: Path) -> dict[str, Any]:
    """One fresh process; its wall time and what it measured inside."""
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, str(DRIVER), str(directory), str(event)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    wall = (time.perf_counter() - started) * 1000
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"cold start of {directory.name} failed:\n{result.stderr[-2000:]}")
    inside = json.loads(lines[-1])
    if not inside["ok"]:
        raise RuntimeError(f"{directory.name} answered without speech:\n{result.stdout}")
    return {"wall_ms": wall, **inside}


def measure(quick: bool = False, endpoint: str | None = None, runs: int | None = None) -> Row:
    """Measure the figure; its row for the report."""
    runs = runs or (3 if quick else 21)
    tag = uuid.uuid4().hex[:8]
    skill_table, baseline_table = f"checkin-cold-{tag}", f"hello-cold-{tag}"
    with dynalite(endpoint) as url, tempfile.TemporaryDirectory() as tmp:
        from skill.store.table import create_table

        client = dynamo_client(url)
        create_table(client, skill_table)
        create_baseline_table(client, baseline_table)
        sides = {
            "skill": (LAMBDA_DIR, process_env(url, CHECKIN_TABLE=skill_table)),
            "baseline": (BASELINE_DIR, process_env(url, BASELINE_TABLE=baseline_table)),
        }
        results: dict[str, list[dict[str, Any]]] = {"skill": [], "baseline": []}
        events = itertools.count()
        for name, (directory, env) in sides.items():  # warm-up: bytecode and page cache
            one_run(directory, env, launch_event(Path(tmp) / f"w{name}.json"))
        for i in range(runs):
            order = ("skill", "baseline") if i % 2 == 0 else ("baseline", "skill")
            for name in order:
                directory, env = sides[name]
                event = launch_event(Path(tmp) / f"e{next(events)}.json")
                results[name].append(one_run(directory, env, event))
    walls = {name: median([r["wall_ms"] for r in rs]) for name, rs in results.items()}
    factor = ratio(walls["skill"], walls["baseline"])
    inside = {
        name: median([r["import_ms"] + r["first_ms"] for r in rs]) for name, rs in results.items()
    }
    notes = [
        f"wall clock of a fresh process (interpreter start to response), median of {runs} each, "
        "alternating; each a first launch of a new household against dynalite",
    ]
    for name, rs in results.items():
        notes.append(
            f"{name}: wall {walls[name]:.0f} ms (min {min(r['wall_ms'] for r in rs):.0f}, "
            f"max {max(r['wall_ms'] for r in rs):.0f}); inside the process: import "
            f"{median([r['import_ms'] for r in rs]):.0f} ms, first request "
            f"{median([r['first_ms'] for r in rs]):.0f} ms"
        )
    notes.append(
        f"inside the process only (driver start to response): skill {inside['skill']:.0f} ms, "
        f"baseline {inside['baseline']:.0f} ms, ratio "
        f"{ratio(inside['skill'], inside['baseline']):.2f}"
    )
    return Row(
        "1 cold start (wall, median)",
        f"{walls['skill']:.0f} ms",
        f"{walls['baseline']:.0f} ms",
        f"{factor:.2f}",
        f"<= {BUDGET} x",
        factor <= BUDGET,
        notes,
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    run_figure(__doc__, measure, "runs", "fresh processes per side")


if __name__ == "__main__":
    main()
