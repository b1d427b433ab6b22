"""How long one turn takes when a dependency misbehaves: the worst turn per fault, per
dependency (issue 10's fault suite, as figures).

DynamoDB (dynalite behind tests.servers.FaultProxy) through each of the store's two clients:
the small signed-HTTP client (credentials in the environment, as on Lambda) and botocore. A
check-in runs up to the gratitude round, then the fault starts: the worst of the mid-session
turns ("next") and a session start ("resume", which must read the store) is printed.

The certificate fetch (a real TLS server behind the proxy): the worst time to answer a signed
request whose certificate chain is not cached yet.

Each turn must be answered within TURN_ANSWER_SECONDS (3 s); Alexa waits about 8 s.

    .venv/bin/python -m bench.store_faults [--turns N]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.common import sink_log
from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.store.config import TURN_ANSWER_SECONDS
from skill.store.dynamo_http import Credentials, HttpDynamo
from skill.store.dynamodb import BotocoreTransport, DynamoStore, client_config
from skill.store.table import create_table
from tests.servers import Dynalite, FaultProxy

REGION = "us-east-1"
CREDENTIALS = Credentials("bench", "bench")
FAULTS = ["pass", "slow", "drip", "blackhole", "refuse", "reset", "garbage", "throttle"]
CLOCK = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


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
    "DynamoDB, small client": lambda endpoint: HttpDynamo(REGION, CREDENTIALS, endpoint),
    "DynamoDB, botocore": lambda endpoint: BotocoreTransport(botocore_client(endpoint)),
}


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def slowest_turn(proxy: FaultProxy, transport: Any, mode: str, turns: int) -> float:
    store = DynamoStore("checkin-bench", transport=transport)
    device = Device(
        skill_builder(store, request_log=sink_log()).lambda_handler(),
        f"amzn1.ask.account.bench-{mode}-{id(transport)}",
        clock=lambda: CLOCK,
    )
    for line in ("Alexa, start our check-in", "Sam and Alex", "yes", "yes"):
        device.hear(line)
    proxy.mode = mode
    worst = 0.0
    for _ in range(turns):
        worst = max(worst, timed(lambda: device.hear("next")))
    proxy.mode = "pass"
    device.hear("stop")
    proxy.mode = mode
    worst = max(worst, timed(lambda: device.hear("Alexa, resume our check-in")))
    proxy.mode = "pass"
    return worst


def slowest_certificate(mode: str, inside_tls: str | None = None) -> float:
    """A signed launch request whose chain must be fetched, through the proxy in `mode` (or
    from a server misbehaving after the TLS handshake: `inside_tls` "slow" or "drip")."""
    from skill.console.envelopes import Session, launch_request
    from skill.store.memory import MemoryStore
    from skill.web import create_app
    from skill.web.certs import https_fetch
    from tests.certs import local_tls, shared_pki, sign
    from tests.servers import HttpsFiles

    pki = shared_pki()
    context = local_tls().client_context()
    files = {"/echo.api/good.pem": pki.chains["good.pem"]}
    origin_files = HttpsFiles(files, inside_tls=inside_tls)
    with origin_files as origin, FaultProxy(("127.0.0.1", origin.port), mode) as proxy:

        def fetch(url: str) -> bytes:
            local = url.replace("https://s3.amazonaws.com", f"https://127.0.0.1:{proxy.port}")
            return https_fetch(local, context=context)

        skill_id = "amzn1.ask.skill.our-checkin-local"
        app = create_app(MemoryStore(), trusted_roots=[pki.root], fetch=fetch, skill_id=skill_id)
        body = json.dumps(launch_request(Session(user_id="amzn1.ask.account.bench"))).encode()
        headers = {
            "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/good.pem",
            "Signature-256": sign(body, pki.leaf_key),
        }
        client = app.test_client()
        return timed(lambda: client.post("/alexa", data=body, headers=headers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=2, help="mid-session turns per fault")
    args = parser.parse_args()
    columns = [*TRANSPORTS, "certificate fetch"]
    print(f"worst turn per fault (ms); every turn must answer within {TURN_ANSWER_SECONDS:g} s")
    print(f"{'fault':<16}" + "".join(f" {name:>22}" for name in columns))
    worst_of_all = 0.0
    with Dynalite() as server:
        create_table(botocore_client(server.endpoint), "checkin-bench")
        with FaultProxy(("127.0.0.1", server.port)) as proxy:
            for mode in FAULTS:
                cells = [
                    slowest_turn(proxy, make(proxy.endpoint), mode, args.turns)
                    for make in TRANSPORTS.values()
                ]
                cells.append(slowest_certificate(mode) if mode != "throttle" else float("nan"))
                worst_of_all = max([worst_of_all, *(c for c in cells if c == c)])
                label = "none" if mode == "pass" else mode
                row = "".join(
                    f" {c * 1000:>19.0f} ms" if c == c else f" {'(n/a)':>22}" for c in cells
                )
                print(f"{label:<16}{row}")
    for inside in ("slow", "drip"):
        cell = slowest_certificate("pass", inside_tls=inside)
        worst_of_all = max(worst_of_all, cell)
        label = f"{inside} in TLS"
        print(f"{label:<16}" + f" {'(n/a)':>22}" * 2 + f" {cell * 1000:>19.0f} ms")
    verdict = "within" if worst_of_all < TURN_ANSWER_SECONDS else "OVER"
    print(f"worst of all: {worst_of_all * 1000:.0f} ms ({verdict} {TURN_ANSWER_SECONDS:g} s)")


if __name__ == "__main__":
    main()
