"""Check a built Lambda artifact: it imports on its own and answers a LaunchRequest.

    python3.12 -I -S lambda/check_artifact.py .aws-sam/build/CheckInFunction

Run with -I -S so that nothing but the artifact (and the standard library) is importable,
as in the Lambda runtime (which adds boto3; the embedded store used here does not need it).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

LAUNCH = {
    "version": "1.0",
    "session": {
        "new": True,
        "sessionId": "amzn1.echo-api.session.artifact-check",
        "application": {"applicationId": "amzn1.ask.skill.artifact-check"},
        "user": {"userId": "amzn1.ask.account.artifact-check"},
    },
    "context": {
        "System": {
            "application": {"applicationId": "amzn1.ask.skill.artifact-check"},
            "user": {"userId": "amzn1.ask.account.artifact-check"},
            "device": {"deviceId": "amzn1.ask.device.artifact-check", "supportedInterfaces": {}},
            "apiEndpoint": "https://api.amazonalexa.com",
        }
    },
    "request": {
        "type": "LaunchRequest",
        "requestId": "amzn1.echo-api.request.artifact-check",
        "timestamp": "2026-11-23T20:00:00Z",
        "locale": "en-US",
    },
}


def main() -> int:
    artifact = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(artifact))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CHECKIN_DB"] = str(Path(tmp) / "check.db")
        os.environ.pop("CHECKIN_TABLE", None)
        os.environ.pop("SKILL_ID", None)
        import lambda_function  # the artifact's own copy

        loaded_from = Path(lambda_function.__file__).resolve().parent
        response = lambda_function.lambda_handler(LAUNCH, None)
    speech = response["response"]["outputSpeech"]["ssml"]
    if loaded_from != artifact or "first names" not in speech:
        print(f"artifact check FAILED: loaded from {loaded_from}; said {speech!r}")
        return 1
    print(f"artifact OK ({sys.version.split()[0]}): {json.dumps(speech)[:90]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
