"""The benchmark suite: all eight figures, one table, the skill next to the SDK-sample baseline.

    .venv/bin/pip install -r bench/requirements.txt   # the baseline's DynamoDB adapter
    .venv/bin/python -m bench.run [--quick] [--only 1,3]

Needs dynalite (node_modules, installed by `make test`) and gunicorn (the dev extra); figure 7
also needs make, the runtime's wheels for pip, and Python 3.12 (the Lambda runtime's; without
it the figure reads MISSED). Exits 0 when a budget is missed (this is a report): the table
says MISSED, and so does the last line.
--quick runs tiny iteration counts, for the test suite: its figures mean nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench import (
    artifact_cold,
    cold_start,
    dynamo_requests,
    item_size,
    memory,
    warm_turn,
    web_throughput,
)
from bench.common import Row, dynalite, print_rows


def figures(quick: bool, endpoint: str) -> dict[str, Callable[[], Row]]:
    """Each figure by its number, ready to measure."""
    return {
        "1": lambda: cold_start.measure(quick, endpoint),
        "2": lambda: warm_turn.measure(quick),
        "3": lambda: dynamo_requests.measure(quick, endpoint),
        "4": lambda: item_size.measure(quick, endpoint),
        "5": lambda: web_throughput.measure(quick),
        "6": lambda: memory.measure(quick),
        "7": lambda: artifact_cold.measure(quick, endpoint),
        "8": lambda: warm_turn.measure(quick, screen=True),
    }


def main() -> None:
    """Run the chosen figures and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (tests)")
    parser.add_argument("--only", help="comma-separated figure numbers, e.g. 1,3")
    args = parser.parse_args()
    started = time.perf_counter()
    rows: list[Row] = []
    with dynalite() as endpoint:
        chosen = figures(args.quick, endpoint)
        wanted = args.only.split(",") if args.only else list(chosen)
        for number in wanted:
            figure_started = time.perf_counter()
            row = chosen[number.strip()]()
            row.notes.append(f"measured in {time.perf_counter() - figure_started:.1f} s")
            rows.append(row)
            print(f"figure {number}: {'ok' if row.ok else 'MISSED'}", flush=True)
    print()
    print_rows(rows)
    mode = " (--quick: tiny counts, figures not meaningful)" if args.quick else ""
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s{mode}")


if __name__ == "__main__":
    main()
