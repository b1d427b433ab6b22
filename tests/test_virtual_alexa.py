"""End to end: virtual-alexa (npm) holds a whole check-in over HTTP against the real Flask
server, from the interaction model, then resumes it in a new session of the same couple."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def wait_for_health(url: str, server: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited before it was healthy")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server never became healthy")


def run_virtual_alexa(script: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The Flask server (`skill.cli serve --no-verify`, on a free port, its store the SQLite
    file tmp_path/e2e.db, its output in tmp_path/server.log, with ``env`` added), and the node
    ``script`` against its /alexa with the interaction model; the script's result."""
    port = free_port()
    server_env = {**os.environ, "CHECKIN_DB": str(tmp_path / "e2e.db"), **env}
    server_env.pop("CHECKIN_TABLE", None)
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "skill.cli", "serve", "--no-verify", "--port", str(port)],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_health(f"http://127.0.0.1:{port}/health", server)
            return subprocess.run(
                [
                    "node",
                    str(script),
                    f"http://127.0.0.1:{port}/alexa",
                    str(ROOT / "interaction_models" / "en-US.json"),
                ],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=ROOT,
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_virtual_alexa_holds_a_whole_check_in_and_resumes_it(tmp_path: Path) -> None:
    result = run_virtual_alexa(ROOT / "tests" / "e2e" / "virtual_alexa_checkin.js", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "virtual-alexa check-in: OK" in result.stdout
    for step in ("mindful pause", "gratitude, Alex", "questions, Sam", "stop", "resume", "goodbye"):
        assert f"\n{step}: " in result.stdout
