"""How long one turn takes when DynamoDB throttles, hangs or refuses connections.

Runs a check-in through the skill against dynalite behind a fault-injecting proxy and prints
the slowest turn for each fault next to the healthy figure. Alexa waits about 8 s.

    .venv/bin/python -m bench.store_faults [--turns N]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime

from bench.common import sink_log
from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.store.dynamodb import DynamoStore, client_config
from skill.store.table import create_table
from tests.servers import Dynalite, FaultProxy


def client(endpoint: str):
    import boto3

    return boto3.session.Session().client(
        "dynamodb", region_name="us-east-1", endpoint_url=endpoint, config=client_config()
    )


def slowest_turn(proxy: FaultProxy, table: str, mode: str, turns: int) -> float:
    store = DynamoStore(table, client=client(proxy.endpoint))
    device = Device(
        skill_builder(store, request_log=sink_log()).lambda_handler(),
        f"amzn1.ask.account.bench-{mode}",
        clock=lambda: datetime(2026, 11, 23, 20, 0, tzinfo=UTC),
    )
    for line in ("Alexa, start our check-in", "Sam and Alex", "yes", "yes"):
        device.hear(line)
    proxy.mode = mode
    worst = 0.0
    for _ in range(turns):
        started = time.perf_counter()
        device.hear("next" if device.in_session else "Alexa, resume our check-in")
        worst = max(worst, time.perf_counter() - started)
    proxy.mode = "pass"
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with Dynalite() as server:
        port = int(server.endpoint.rsplit(":", 1)[1])
        create_table(client(server.endpoint), "checkin-bench")
        with FaultProxy(("127.0.0.1", port)) as proxy:
            healthy = slowest_turn(proxy, "checkin-bench", "pass", args.turns)
            print(f"{'fault':<10} {'slowest turn':>13} {'x healthy':>10}")
            print(f"{'none':<10} {healthy * 1000:>10.1f} ms {1.0:>10.1f}")
            for mode in ("throttle", "blackhole", "refuse"):
                worst = slowest_turn(proxy, "checkin-bench", mode, args.turns)
                print(f"{mode:<10} {worst * 1000:>10.1f} ms {worst / healthy:>10.1f}")


if __name__ == "__main__":
    main()
