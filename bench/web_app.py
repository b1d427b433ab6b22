"""The gunicorn app factory of the web-service benchmark (figure 5):

    gunicorn --workers 2 --bind 127.0.0.1:PORT 'bench.web_app:create()'
    gunicorn --workers 2 --bind 127.0.0.1:PORT 'bench.web_app:create(verify=False)'

skill.web.create_app on an in-memory store (one per worker), with the benchmark's test PKI:
the root to trust and the chain to serve (from memory, in place of the download) are read
from $BENCH_PKI_DIR, written there by bench.web_throughput."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-bench.pem"
SKILL_ID = "amzn1.ask.skill.our-checkin-local"  # what skill.console.envelopes sends


def create(verify: bool = True) -> Flask:
    """The web service with verification on (the default) or off."""
    from cryptography import x509

    from skill.store.memory import MemoryStore
    from skill.web import create_app

    if not verify:
        return create_app(MemoryStore(), verify=False, skill_id=SKILL_ID)
    folder = Path(os.environ["BENCH_PKI_DIR"])
    root = x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())
    chain = (folder / "chain.pem").read_bytes()

    def fetch(url: str) -> bytes:
        if url != CERT_URL:
            raise OSError(f"cannot reach {url}")
        return chain

    return create_app(
        MemoryStore(), verify=True, skill_id=SKILL_ID, trusted_roots=[root], fetch=fetch
    )
