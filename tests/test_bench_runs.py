"""The benchmark suite still runs: `python -m bench.run --quick` (tiny iteration counts) prints
its table with all eight figures. No timing is asserted here; `python -m bench.run` is the
report. Needs dynalite (node_modules), the baseline's adapter (bench/requirements.txt), and
Python 3.12 for figure 7, which builds the Lambda artifacts and starts them as Lambda would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ("1", "2", "3", "4", "5", "6", "7", "8")


def test_the_quick_benchmark_prints_the_whole_table() -> None:
    """Tiny counts; only the shape of the table is checked, never a figure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("CHECKIN_TABLE", None)
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert [cell.strip() for cell in rows[0].strip("|").split("|")] == [
        "figure",
        "skill",
        "baseline",
        "ratio",
        "budget",
        "ok",
    ]
    figures = {}
    for row in rows[1:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 6 and all(cells), row
        assert cells[5] in ("ok", "MISSED"), row
        figures[re.match(r"\d+", cells[0]).group()] = cells  # type: ignore[union-attr]
    assert tuple(sorted(figures)) == FIGURES, result.stdout
    assert "benchmark took" in result.stdout
    assert_the_built_artifact_compiles_nothing_at_a_cold_start(result.stdout)


def side_notes(report: str, side: str) -> dict[str, int]:
    """Figure 7's counts for one side: modules compiled, SyntaxWarning lines, .pyc files."""
    found = re.search(
        rf"^  {side}: cold start .*; modules compiled at start (\d+); SyntaxWarning lines (\d+); "
        rf"\.pyc files (\d+) before, (\d+) after$",
        report,
        re.MULTILINE,
    )
    assert found, f"no figure 7 notes for {side}:\n{report}"
    compiled, warnings, before, after = map(int, found.groups())
    return {"compiled": compiled, "warnings": warnings, "before": before, "after": after}


def assert_the_built_artifact_compiles_nothing_at_a_cold_start(report: str) -> None:
    """Counts, not times: the artifact `make build-CheckInFunction` builds, started by Python
    3.12 from a read-only copy, compiles no module and prints no SyntaxWarning; the same
    artifact as built before (no bytecode) compiles hundreds and warns; no run writes
    bytecode."""
    ours, bare = side_notes(report, "skill"), side_notes(report, "before")
    hello = side_notes(report, "baseline")
    assert ours["compiled"] == 0 and ours["warnings"] == 0 and ours["before"] > 100
    assert bare["compiled"] > 100 and bare["warnings"] > 0 and bare["before"] == 0
    assert hello["compiled"] == 0 and hello["before"] > 100
    for side in (ours, bare, hello):
        assert side["after"] == side["before"]
