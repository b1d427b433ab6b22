"""Figure 5, web-service throughput: requests per second of gunicorn (2 sync workers) serving
bench.web_app with Alexa request verification on, next to the same service with it off.

A test PKI made now (root, intermediate, a leaf like Amazon's signing certificate) is
written to a temporary folder for both the servers and the load generator. Both servers run
at once on 127.0.0.1; the load comes from a second process (bench.web_load: signed requests
precomputed, 4 threads, http.client), in rounds that alternate between the two servers,
after a warm-up round each (the first verified request fetches and validates the chain).
The figure is the median of the rounds' requests per second; any failed request fails the
figure. Budget: on >= 0.8 x off.

    .venv/bin/python -m bench.web_throughput [--quick] [--requests N] [--rounds N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, Row, add_common_args, median, print_rows, ratio
from tests.servers import stop_process_group

BUDGET = 0.8
GUNICORN = Path(PYTHON).parent / "gunicorn"
THREADS = 4


def write_pki(folder: Path) -> None:
    """root.pem (to trust), chain.pem (leaf + intermediate, to serve), leaf-key.pem (to sign),
    valid around the real clock the servers check against."""
    from cryptography.hazmat.primitives import serialization

    from tests.certs import make_ca, make_leaf, new_key, pem_chain

    now = datetime.now(UTC)
    root_key, intermediate_key, leaf_key = new_key(), new_key(), new_key()
    root = make_ca("Bench Root CA", root_key, not_before=now - timedelta(days=1))
    intermediate = make_ca(
        "Bench Intermediate CA", intermediate_key, (root, root_key), not_before=now - timedelta(1)
    )
    leaf = make_leaf(
        leaf_key,
        (intermediate, intermediate_key),
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=1),
    )
    (folder / "root.pem").write_bytes(pem_chain(root))
    (folder / "chain.pem").write_bytes(pem_chain(leaf, intermediate))
    (folder / "leaf-key.pem").write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@contextlib.contextmanager
def gunicorn(app: str, folder: Path, name: str) -> Iterator[int]:
    """gunicorn --workers 2 serving ``app`` on a free port, until the block ends."""
    from tests.servers import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", "CHECKIN_TABLE")}
    env["BENCH_PKI_DIR"] = str(folder)
    log = (folder / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(port, process, folder / f"{name}.log")
        yield port
    finally:
        stop_process_group(process)
        log.close()


def wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until GET /health answers 200; raises if gunicorn exits or 30 s pass."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        url = f"http://127.0.0.1:{port}/health"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /health within 30 s:\n{log.read_text()[-3000:]}")


def load(port: int, folder: Path, requests: int) -> dict[str, Any]:
    """One round from a load-generator process."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.web_load", "--port", str(port), "--pki-dir", str(folder),
         "--requests", str(requests), "--threads", str(THREADS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=200,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(quick: bool = False, requests: int | None = None, rounds: int | None = None) -> Row:
    """Measure the figure; its row for the report."""
    requests = requests or (40 if quick else 3000)
    rounds = rounds or (1 if quick else 3)
    results: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        folder = Path(tmp)
        write_pki(folder)
        with (
            gunicorn("bench.web_app:create()", folder, "on") as on,
            gunicorn("bench.web_app:create(verify=False)", folder, "off") as off,
        ):
            ports = {"on": on, "off": off}
            warmups = {mode: load(port, folder, 8 * THREADS) for mode, port in ports.items()}
            for i in range(rounds):
                for mode in ("on", "off") if i % 2 == 0 else ("off", "on"):
                    results[mode].append(load(ports[mode], folder, requests))
    rps = {mode: median([r["rps"] for r in rs]) for mode, rs in results.items()}
    every = [r for rs in (*results.values(), list(warmups.values())) for r in rs]
    failed = sum(r["failed"] + r["unsent"] for r in every)
    factor = ratio(rps["on"], rps["off"])
    notes = [
        f"gunicorn --workers 2 (sync), load from another process: {THREADS} threads, "
        f"{rounds} rounds of {requests} requests per mode, alternating; median of rounds; "
        "mix: new-household LaunchRequest / mid-check-in HelpIntent",
        "rounds, req/s: "
        + "; ".join(
            f"{m} " + ", ".join(f"{r['rps']:.0f}" for r in rs) for m, rs in results.items()
        ),
        f"failed requests: {failed}"
        + ("" if not failed else " " + json.dumps([r for r in every if r["failed"]])),
    ]
    return Row(
        "5 web req/s (verify on vs off)",
        f"{rps['on']:.0f} req/s",
        f"{rps['off']:.0f} req/s",
        f"{factor:.2f}",
        f">= {BUDGET} x, 0 failed",
        factor >= BUDGET and failed == 0,
        notes,
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    parser.add_argument("--requests", type=int, help="requests per round")
    parser.add_argument("--rounds", type=int, help="rounds per mode")
    args = parser.parse_args()
    print_rows([measure(args.quick, args.requests, args.rounds)])


if __name__ == "__main__":
    main()
