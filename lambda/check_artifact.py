"""Check a built Lambda artifact: it imports on its own and answers a LaunchRequest, and a
cold start compiles nothing and warns nothing.

    python3.12 -I -S -B lambda/check_artifact.py .aws-sam/build/CheckInFunction

Run with -I -S so that nothing but the artifact (and the standard library) is importable,
as in the Lambda runtime (which adds boto3; the embedded store used here does not need it),
and with -B, as Lambda's read-only file system allows no bytecode writes. It fails when a
module of the artifact lacks bytecode for this Python (or has bytecode that the source's
time could invalidate), when any module was compiled from source while importing and
answering, when a warning (ask-sdk-model's SyntaxWarnings, for one) was emitted, or when
the content snapshot the build wrote is missing or differs from the content files.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from importlib.machinery import SourceFileLoader
from pathlib import Path
from typing import Any

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


def missing_bytecode(artifact: Path) -> list[str]:
    """The artifact's modules with no unchecked-hash .pyc for this Python: those would be
    compiled at every cold start on a read-only file system (or, with a timestamp .pyc,
    whenever the deployment changed the files' times)."""
    missing = []
    for source in sorted(artifact.rglob("*.py")):
        cached = Path(importlib.util.cache_from_source(str(source)))
        try:
            flags = int.from_bytes(cached.read_bytes()[4:8], "little")
        except FileNotFoundError:
            flags = None
        if flags != 0b01:  # hash-based, source not checked (PEP 552)
            missing.append(str(source.relative_to(artifact)))
    return missing


def compiled_while(run: Callable[[], Any]) -> tuple[Any, list[str]]:
    """run(), and the source files compiled meanwhile (none when all bytecode is valid)."""
    compiled: list[str] = []
    original = SourceFileLoader.source_to_code

    def counting(self: Any, data: Any, path: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(path))
        return original(self, data, path, *args, **kwargs)

    SourceFileLoader.source_to_code = counting  # type: ignore[method-assign]
    try:
        return run(), compiled
    finally:
        SourceFileLoader.source_to_code = original  # type: ignore[method-assign]


def answer_launch(artifact: Path) -> tuple[Path, str]:
    """Import the artifact's entry point and answer a LaunchRequest on a throwaway store."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CHECKIN_DB"] = str(Path(tmp) / "check.db")
        os.environ.pop("CHECKIN_TABLE", None)
        os.environ.pop("SKILL_ID", None)
        import lambda_function  # the artifact's own copy

        loaded_from = Path(lambda_function.__file__).resolve().parent
        response = lambda_function.lambda_handler(LAUNCH, None)
    return loaded_from, response["response"]["outputSpeech"]["ssml"]


def content_snapshot_problems() -> list[str]:
    """The build's content snapshot is there, is for exactly the shipped files, and gives
    the same content as reading and checking those files."""
    from skill.content import loader

    saved = loader.CONTENT_DIR.joinpath(loader.SNAPSHOT)
    if not saved.is_file():
        return [f"no content snapshot ({loader.SNAPSHOT}) in the artifact"]
    if json.loads(saved.read_text(encoding="utf-8")).get("digest") != loader.digest():
        return ["the content snapshot is not for the shipped content files"]
    saved_content, read_content = loader.default_content(), loader.load_content()
    differ = [  # field by field: Content itself compares by identity
        name
        for name in type(read_content).__slots__
        if getattr(saved_content, name) != getattr(read_content, name)
    ]
    if differ:
        return [f"the content snapshot gives other content than the files: {differ}"]
    return []


def main() -> int:
    artifact = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(artifact))
    failures = []
    if not sys.dont_write_bytecode:
        failures.append("run me with -B: Lambda writes no bytecode")
    missing = missing_bytecode(artifact)
    if missing:
        failures.append(f"{len(missing)} module(s) without unchecked-hash bytecode: {missing[:5]}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (loaded_from, speech), compiled = compiled_while(lambda: answer_launch(artifact))
    if compiled:
        failures.append(f"{len(compiled)} module(s) compiled at start: {compiled[:5]}")
    if caught:
        failures.append(f"{len(caught)} warning(s), the first: {caught[0].message!r}")
    if loaded_from != artifact or "first names" not in speech:
        failures.append(f"loaded from {loaded_from}; said {speech!r}")
    failures += content_snapshot_problems()
    if failures:
        print("artifact check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(
        f"artifact OK ({sys.version.split()[0]}; bytecode for every module, none compiled "
        f"at start, no warning, content from the checked snapshot): {json.dumps(speech)[:60]}..."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
