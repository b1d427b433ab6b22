"""Figure 7, cold start of the built artifact, run as AWS Lambda runs it.

Figure 1 starts the skill from the source tree with the development Python. This one starts
what `sam build` ships: the artifact built by the Makefile's own recipe (`make
build-CheckInFunction`: the package, the runtime's wheels, bytecode compiled by Python 3.12),
copied to a read-only folder and run by `python3.12 -I -S -B` (no site-packages, no user
paths, no bytecode writes), so that a module without valid bytecode is compiled at every cold
start, as on Lambda. Beside it, the SDK hello world (bench/baseline/lambda_function.py),
built the same way (`make lambda-dependencies lambda-bytecode` with
bench/baseline/requirements.txt) and run the same way; and our artifact as the build made
it before: without its bytecode and its content snapshot.

Each run is a fresh process answering the first LaunchRequest of a new household against
dynalite; the figure is the time from starting the process to its response (what the couple
wait through: Lambda keeps the process afterwards, so its exit is no part of the cold start;
the notes give the time to the exit too), median of N, the three sides alternating, after
one uncounted warm-up each (page cache). Budget: ours <= 0.5 x the hello world's, below the
artifact as built before, and no module compiled at start.

    .venv/bin/python -m bench.artifact_cold [--quick] [--runs N]
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.cold_start import launch_event
from bench.common import (
    BASELINE_DIR,
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
from skill.content.loader import SNAPSHOT

DRIVER = ROOT / "bench" / "cold_driver.py"
BUDGET = 0.5
SIDES = ("skill", "before", "baseline")
PYTHON_CANDIDATES = (
    os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12"),
    "/usr/bin/python3.12",
    "/usr/local/bin/python3.12",
)


def lambda_python() -> str | None:
    """The Lambda runtime's Python (3.12): $LAMBDA_PYTHON, else where the Makefile looks."""
    found = [os.environ.get("LAMBDA_PYTHON", "")]
    found += [path for pattern in PYTHON_CANDIDATES for path in sorted(glob.glob(pattern))]
    found.append(shutil.which("python3.12") or "")
    for python in filter(None, found):
        check = [python, "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 12))"]
        if subprocess.run(check, capture_output=True, check=False).returncode == 0:
            return python
    return None


def make(python: str, *targets: str, **variables: str) -> None:
    """Run the Makefile's recipe, as `sam build` does; its output only if it fails."""
    settings = [f"{name}={value}" for name, value in variables.items()]
    command = ["make", "--no-print-directory", *targets, f"LAMBDA_PYTHON={python}", *settings]
    result = subprocess.run(
        [*command, f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")


def build(python: str, folder: Path) -> dict[str, Path]:
    """Ours and the hello world's artifact, and ours as the build made it before (no bytecode,
    no content snapshot)."""
    ours, hello, bare = folder / "skill", folder / "baseline", folder / "before"
    make(python, "build-CheckInFunction", ARTIFACTS_DIR=str(ours))
    hello.mkdir()
    shutil.copy(BASELINE_DIR / "lambda_function.py", hello / "lambda_function.py")
    make(
        python,
        "lambda-dependencies",
        "lambda-bytecode",
        ARTIFACTS_DIR=str(hello),
        LAMBDA_REQUIREMENTS=str(BASELINE_DIR / "requirements.txt"),
    )
    shutil.copytree(ours, bare, ignore=shutil.ignore_patterns("__pycache__", SNAPSHOT))
    return {"skill": ours, "before": bare, "baseline": hello}


def bytecode_files(folder: Path) -> int:
    """How many .pyc files the folder holds."""
    return sum(1 for _ in folder.rglob("*.pyc"))


@contextlib.contextmanager
def read_only(folders: list[Path]) -> Iterator[None]:
    """No write permission anywhere in the folders for the block (as Lambda's /var/task).
    Root ignores permissions: the runs' -B and the .pyc count before and after are what
    show that nothing was written."""

    def chmod(mode_bits: int, add: bool) -> None:
        for folder in folders:
            for path in [folder, *folder.rglob("*")]:
                mode = path.stat().st_mode
                path.chmod(mode | mode_bits if add else mode & ~mode_bits)

    chmod(0o222, add=False)
    try:
        yield
    finally:
        chmod(0o200, add=True)


def one_run(python: str, folder: Path, env: dict[str, str], event: Path) -> dict[str, Any]:
    """One fresh `python3.12 -I -S -B` process: the time from its start to its response (the
    cold start a couple waits through: Lambda keeps the process), to its exit, and what it
    measured inside."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [python, "-I", "-S", "-B", str(DRIVER), str(folder), str(event)],
        env=env,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    inside: dict[str, Any] = {}
    for line in process.stdout:  # the request log line, then the driver's JSON line
        if line.startswith('{"import_ms"'):
            response_ms = (time.perf_counter() - started) * 1000
            inside = json.loads(line)
    _, stderr = process.communicate(timeout=60)
    exit_ms = (time.perf_counter() - started) * 1000
    if process.returncode != 0 or not inside:
        raise RuntimeError(f"cold start of {folder.name} failed:\n{stderr[-2000:]}")
    if not inside["ok"]:
        raise RuntimeError(f"{folder.name} answered without speech")
    return {
        "response_ms": response_ms,
        "exit_ms": exit_ms,
        "warnings": stderr.count("SyntaxWarning"),
        **inside,
    }


def missing_python_row() -> Row:
    """The figure when Python 3.12 is not installed: said loudly, never skipped quietly."""
    return Row(
        "7 cold start, built artifact",
        "n/a",
        "n/a",
        "n/a",
        f"<= {BUDGET} x",
        False,
        ["Python 3.12 (the Lambda runtime's) was not found: install it or set LAMBDA_PYTHON"],
    )


def measure(quick: bool = False, endpoint: str | None = None, runs: int | None = None) -> Row:
    """Build, run and measure; the figure's row for the report."""
    python = lambda_python()
    if python is None:
        return missing_python_row()
    runs = runs or (2 if quick else 15)
    tag = uuid.uuid4().hex[:8]
    tables = {"skill": f"checkin-art-{tag}", "baseline": f"hello-art-{tag}"}
    with dynalite(endpoint) as url, tempfile.TemporaryDirectory() as tmp:
        from skill.console.envelopes import Session
        from skill.store.table import create_table

        client = dynamo_client(url)
        create_table(client, tables["skill"])
        create_baseline_table(client, tables["baseline"])
        built = time.perf_counter()
        folders = build(python, Path(tmp) / "artifacts")
        build_s = time.perf_counter() - built
        # As deployed: template.yaml gives the function its SKILL_ID (the events' skill).
        skill_id = Session(user_id="").application_id
        envs = {
            "skill": process_env(url, CHECKIN_TABLE=tables["skill"], SKILL_ID=skill_id),
            "before": process_env(url, CHECKIN_TABLE=tables["skill"], SKILL_ID=skill_id),
            "baseline": process_env(url, BASELINE_TABLE=tables["baseline"]),
        }
        before = {name: bytecode_files(folder) for name, folder in folders.items()}
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in SIDES}
        events = Path(tmp) / "events"
        events.mkdir()
        with read_only(list(folders.values())):
            for i in range(runs + 1):  # round 0 is the uncounted warm-up
                for name in SIDES[i % 3 :] + SIDES[: i % 3]:
                    event = launch_event(events / f"{name}-{i}.json")
                    result = one_run(python, folders[name], envs[name], event)
                    if i:
                        results[name].append(result)
        after = {name: bytecode_files(folder) for name, folder in folders.items()}
    return row(results, before, after, runs, build_s)


def row(
    results: dict[str, list[dict[str, Any]]],
    before: dict[str, int],
    after: dict[str, int],
    runs: int,
    build_s: float,
) -> Row:
    """The figure's row and notes from the runs."""
    cold = {name: median([r["response_ms"] for r in rs]) for name, rs in results.items()}
    exits = {name: median([r["exit_ms"] for r in rs]) for name, rs in results.items()}
    factor = ratio(cold["skill"], cold["baseline"])
    compiled = {name: max(r["compiled"] for r in rs) for name, rs in results.items()}
    saved = cold["before"] - cold["skill"]
    notes = [
        f"built by the Makefile's recipe in {build_s:.0f} s; run as python3.12 -I -S -B from "
        "read-only copies; each a fresh process answering the first launch of a new household "
        f"against dynalite; median of {runs} each, the sides alternating",
        "cold start: from starting the process to its response (Lambda keeps the process, so "
        "its exit is no part of the wait); to the exit: "
        + ", ".join(f"{name} {exits[name]:.0f} ms" for name in SIDES)
        + f" (ratio {ratio(exits['skill'], exits['baseline']):.2f})",
    ]
    for name, rs in results.items():
        notes.append(
            f"{name}: cold start {cold[name]:.0f} ms (min "
            f"{min(r['response_ms'] for r in rs):.0f}, max "
            f"{max(r['response_ms'] for r in rs):.0f}); modules compiled at start "
            f"{compiled[name]}; SyntaxWarning lines {max(r['warnings'] for r in rs)}; "
            f".pyc files {before[name]} before, {after[name]} after"
        )
    notes.append(
        f"the build's bytecode and content snapshot save {saved:.0f} ms a cold start "
        f"({ratio(saved, cold['before']):.0%}: {cold['skill']:.0f} ms instead of "
        f"{cold['before']:.0f}); before them the ratio to the hello world was "
        f"{ratio(cold['before'], cold['baseline']):.2f}"
    )
    ok = (
        factor <= BUDGET
        and cold["skill"] < cold["before"]
        and compiled["skill"] == 0
        and before == after
    )
    return Row(
        "7 cold start, built artifact (python3.12 -I -S, median)",
        f"{cold['skill']:.0f} ms",
        f"{cold['baseline']:.0f} ms",
        f"{factor:.2f}",
        f"<= {BUDGET} x",
        ok,
        notes,
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    run_figure(__doc__, measure, "runs", "fresh processes per side")


if __name__ == "__main__":
    main()
