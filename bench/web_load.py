"""The load generator of figure 5, run as its own process by bench.web_throughput:

    python -m bench.web_load --port PORT --pki-dir DIR [--requests N] [--threads 4]

Signs every request first (Signature-256 with the benchmark PKI's leaf key, timestamps of
now: the whole run must end within the 150 s window), then sends them from N threads, each
with its own http.client connection (kept alive when the server allows it; gunicorn's sync
workers close each one, and http.client reconnects). The mix alternates a first launch of a
new household (a store read and write) and AMAZON.HelpIntent in the middle of a check-in
(no store I/O). Prints one JSON line: completed and failed requests, seconds, requests/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.web_app import CERT_URL

DEADLINE_MARGIN = 20.0  # seconds kept free inside the 150 s timestamp window


def envelopes(count: int) -> list[dict[str, Any]]:
    """The request bodies: new-household launches and mid-check-in help, alternating."""
    from datetime import UTC, datetime

    from bench.common import mid_check_in
    from skill.console.envelopes import Session, intent_request, launch_request

    mid = mid_check_in()
    now = datetime.now(UTC)
    out = []
    for i in range(count):
        if i % 2 == 0:
            session = Session(user_id=f"amzn1.ask.account.web-{i}-{time.time_ns()}")
            out.append(launch_request(session, now))
        else:
            out.append(intent_request(mid.session, "AMAZON.HelpIntent", now=now))
    return out


def signed(count: int, pki_dir: Path) -> list[tuple[bytes, dict[str, str]]]:
    """(body, headers) for each request, signed now."""
    from cryptography.hazmat.primitives import serialization

    from tests.certs import sign

    key = serialization.load_pem_private_key((pki_dir / "leaf-key.pem").read_bytes(), None)
    out = []
    for envelope in envelopes(count):
        body = json.dumps(envelope).encode()
        headers = {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": CERT_URL,
            "Signature-256": sign(body, key),  # type: ignore[arg-type]
        }
        out.append((body, headers))
    return out


def fire(
    port: int, requests: list[tuple[bytes, dict[str, str]]], threads: int, max_seconds: float
) -> dict[str, Any]:
    """Send every request once, from ``threads`` threads, until done or out of time."""
    lock = threading.Lock()
    position = iter(range(len(requests)))
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                index = next(position, None)
            if index is None:
                break
            body, headers = requests[index]
            try:
                connection.request("POST", "/alexa", body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                good = response.status == 200 and b'"response"' in data
                with lock:
                    statuses["ok" if good else str(response.status)] += 1
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                with lock:
                    errors[type(error).__name__] += 1
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    done = statuses["ok"]
    failed = sum(statuses.values()) - done + sum(errors.values())
    return {
        "completed": done,
        "failed": failed,
        "unsent": len(requests) - sum(statuses.values()) - sum(errors.values()),
        "seconds": seconds,
        "rps": done / seconds if seconds else 0.0,
        "statuses": dict(statuses),
        "errors": dict(errors),
    }


def main() -> None:
    """The command line: measure and print the figure's row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pki-dir", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    signing_started = time.monotonic()
    requests = signed(args.requests, args.pki_dir)
    window_left = 150 - DEADLINE_MARGIN - (time.monotonic() - signing_started)
    result = fire(args.port, requests, args.threads, min(args.max_seconds, window_left))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
