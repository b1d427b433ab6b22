"""How long one turn takes when DynamoDB throttles, hangs or refuses connections.

Runs a check-in through the skill against dynalite behind a fault-injecting proxy and prints
the slowest turn for each fault, with each of the store's two ways to reach DynamoDB: the
small signed-HTTP client (credentials in the environment, as on Lambda) and botocore (any
other credentials). Alexa waits about 8 s.

    .venv/bin/python -m bench.store_faults [--turns N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.common import sink_log
from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.store.dynamo_http import Credentials, HttpDynamo
from skill.store.dynamodb import BotocoreTransport, DynamoStore, client_config
from skill.store.table import create_table
from tests.servers import Dynalite, FaultProxy

REGION = "us-east-1"
CREDENTIALS = Credentials("bench", "bench")


def botocore_client(endpoint: str) -> Any:
    from botocore.session import get_session

    return get_session().create_client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
        config=client_config(),
    )


TRANSPORTS: dict[str, Callable[[str], Any]] = {
    "small client": lambda endpoint: HttpDynamo(REGION, CREDENTIALS, endpoint),
    "botocore": lambda endpoint: BotocoreTransport(botocore_client(endpoint)),
}


def slowest_turn(proxy: FaultProxy, transport: Any, mode: str, turns: int) -> float:
    store = DynamoStore("checkin-bench", transport=transport)
    device = Device(
        skill_builder(store, request_log=sink_log()).lambda_handler(),
        f"amzn1.ask.account.bench-{mode}-{id(transport)}",
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
    with Dynalite() as server:
        create_table(botocore_client(server.endpoint), "checkin-bench")
        with FaultProxy(("127.0.0.1", server.port)) as proxy:
            print(f"{'fault':<10}" + "".join(f" {name:>14}" for name in TRANSPORTS))
            for mode in ("pass", "throttle", "blackhole", "refuse"):
                cells = [
                    slowest_turn(proxy, make(proxy.endpoint), mode, args.turns)
                    for make in TRANSPORTS.values()
                ]
                label = "none" if mode == "pass" else mode
                print(f"{label:<10}" + "".join(f" {c * 1000:>11.1f} ms" for c in cells))


if __name__ == "__main__":
    main()
