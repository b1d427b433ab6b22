"""A fresh Lambda container, as one process: import `lambda_function` from a directory and
answer one request. Run by bench.cold_start, never imported:

    python bench/cold_driver.py DIRECTORY EVENT.json

Prints one JSON line: milliseconds from this file's start to the import done and to the
response, and whether the response had speech."""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    """Import the entry point the way the Lambda runtime does, then invoke it once."""
    directory, event_path = sys.argv[1], sys.argv[2]
    sys.path[0] = directory  # the task root, in place of this script's own folder
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
            }
        )
    )


if __name__ == "__main__":
    main()
