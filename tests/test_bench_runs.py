"""The benchmark suite still runs: `python -m bench.run --quick` (tiny iteration counts) prints
its table with all six figures. No timing is asserted here; `python -m bench.run` is the
report. Needs dynalite (node_modules) and the baseline's adapter (bench/requirements.txt)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ("1", "2", "3", "4", "5", "6")


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
