"""`checkin publish-audio`: upload the rendered MP3s and manifest.json to S3 through botocore.

Every call has a deadline: connect and read timeouts, at most three attempts, and an overall
deadline checked before each upload. The MP3s are immutable (their names carry the version):
cached for a year. The manifest is cached for five minutes.
"""

from __future__ import annotations

import os
import time
from typing import Any

from skill.audio.render import MANIFEST, read_manifest

AUDIO_CACHE = "public, max-age=31536000, immutable"
MANIFEST_CACHE = "public, max-age=300"


class PublishRefused(RuntimeError):
    """Nothing was uploaded: the folder or the voice licence says no."""


def make_s3_client() -> Any:
    import botocore.session
    from botocore.config import Config

    config = Config(
        connect_timeout=5,
        read_timeout=60,
        retries={"total_max_attempts": 3, "mode": "standard"},
    )
    return botocore.session.get_session().create_client("s3", config=config)


def publish(
    directory: str,
    bucket: str,
    prefix: str = "audio/",
    allow_piper: bool = False,
    deadline: float | None = None,
    client: Any = None,
) -> list[str]:
    """Upload every file the manifest lists, then the manifest; the keys uploaded."""
    entries = read_manifest(directory)["meditations"]
    if not entries:
        raise PublishRefused(f"no {MANIFEST} with meditations in {directory}: render first")
    piper = [e["id"] for e in entries if e.get("engine") == "piper"]
    if piper and not allow_piper:
        raise PublishRefused(
            f"{', '.join(piper)} rendered with the piper voice, whose licence for published "
            "audio is unclear (see the README): render with --engine polly, or pass "
            "--allow-piper if you have checked it for your use"
        )
    missing = [e["file"] for e in entries if not os.path.isfile(os.path.join(directory, e["file"]))]
    if missing:
        raise PublishRefused(f"listed in {MANIFEST} but not in {directory}: {', '.join(missing)}")
    client = client or make_s3_client()
    uploads = [(e["file"], "audio/mpeg", AUDIO_CACHE) for e in entries]
    uploads.append((MANIFEST, "application/json", MANIFEST_CACHE))
    keys = []
    for name, content_type, cache in uploads:
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"the publish deadline passed before {name} (uploaded: {keys})")
        with open(os.path.join(directory, name), "rb") as body:
            client.put_object(
                Bucket=bucket,
                Key=prefix + name,
                Body=body.read(),
                ContentType=content_type,
                CacheControl=cache,
            )
        keys.append(prefix + name)
    return keys
