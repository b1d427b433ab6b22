"""A fresh Lambda container, as one process: import `lambda_function` from a directory and
answer one request. Run by bench.cold_start and bench.artifact_cold, never imported:

    python bench/cold_driver.py DIRECTORY EVENT.json
    python3.12 -I -S -B bench/cold_driver.py ARTIFACT EVENT.json   # as Lambda runs it

Prints one JSON line: milliseconds from this file's start to the import done and to the
response, whether the response had speech, and how many modules were compiled from source
on the way (zero when the directory ships valid bytecode for this Python)."""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from importlib.machinery import SourceFileLoader  # noqa: E402 (already loaded at start-up)

COMPILED: list[str] = []
_source_to_code = SourceFileLoader.source_to_code


def _counting_source_to_code(self, data, path, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Called only when no valid .pyc exists: each call is one module compiled at start."""
    COMPILED.append(path)
    return _source_to_code(self, data, path, *args, **kwargs)


def main() -> None:
    """Import the entry point the way the Lambda runtime does, then invoke it once."""
    directory, event_path = sys.argv[1], sys.argv[2]
    if not sys.flags.safe_path:  # drop this script's own folder (-I and -P never add it)
        del sys.path[0]
    sys.path.insert(0, directory)  # the task root
    SourceFileLoader.source_to_code = _counting_source_to_code  # type: ignore[method-assign]
    with open(event_path, encoding="utf-8") as file:
        event = json.load(file)
    import lambda_function

    imported = time.perf_counter()
    response = lambda_function.lambda_handler(event, None)
    answered = time.perf_counter()
    speech = (response.get("response") or {}).get("outputSpeech")
    print(
        json.dumps(
            {
                "import_ms": (imported - STARTED) * 1000,
                "first_ms": (answered - imported) * 1000,
                "ok": bool(speech),
                "compiled": len(COMPILED),
            }
        ),
        flush=True,  # the caller may time the response apart from the process's exit
    )


if __name__ == "__main__":
    main()
