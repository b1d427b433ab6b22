"""Shared pieces of the benchmark suite: the table row, statistics, AWS settings for the local
DynamoDB server, DynamoDB item sizes, peak memory, and ready-made skill and baseline turns."""

from __future__ import annotations

import contextlib
import math
import os
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BASELINE_DIR = ROOT / "bench" / "baseline"
LAMBDA_DIR = ROOT / "lambda"
REGION = "us-east-1"
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # a Monday evening, as in the tests

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class Row:
    """One figure of the report: the skill's value next to the baseline's, and the verdict."""

    figure: str
    skill: str
    baseline: str
    ratio: str
    budget: str
    ok: bool
    notes: list[str] = field(default_factory=list)


HEADER = ("figure", "skill", "baseline", "ratio", "budget", "ok")


def table(rows: list[Row]) -> str:
    """The rows as one Markdown table; a missed budget reads MISSED."""
    cells = [HEADER] + [
        (r.figure, r.skill, r.baseline, r.ratio, r.budget, "ok" if r.ok else "MISSED") for r in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]

    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells[1:]]
    return "\n".join(out)


def report(rows: list[Row]) -> str:
    """The table, then each figure's notes, then the missed budgets by name."""
    parts = [table(rows)]
    for row in rows:
        if row.notes:
            parts.append(f"\n{row.figure}:\n" + "\n".join(f"  {note}" for note in row.notes))
    missed = [row.figure for row in rows if not row.ok]
    parts.append("\nMISSED: " + ", ".join(missed) if missed else "\nall budgets met")
    return "\n".join(parts)


def print_rows(rows: list[Row]) -> None:
    """Print the report of ``rows``."""
    print(report(rows), flush=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def ratio(skill: float, baseline: float) -> float:
    """skill / baseline (infinite for a zero baseline)."""
    return skill / baseline if baseline else float("inf")


# --- AWS settings for dynalite -------------------------------------------------------------

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}


def aws_env(endpoint: str) -> dict[str, str]:
    """Everything boto3 needs for the local server: fake credentials, region, endpoint."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
    }


def process_env(endpoint: str, **extra: str) -> dict[str, str]:
    """os.environ without any AWS_* or skill setting, plus the local-server settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k not in ("CHECKIN_TABLE", "CHECKIN_DB", "SKILL_ID")
    }
    env.update(aws_env(endpoint))
    env.update(extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def allow_baseline_import() -> None:
    """The baseline module builds a boto3 resource at import: give it a region and fake
    credentials, and an endpoint that is never called, unless they are already set."""
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    for name, value in FAKE_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")


def dynamo_client(endpoint: str) -> Any:
    """A plain DynamoDB client for the local server (for setup and inspection: not counted)."""
    import boto3

    return boto3.session.Session(**_session_credentials()).client(
        "dynamodb", region_name=REGION, endpoint_url=endpoint
    )


def dynamo_resource(endpoint: str) -> Any:
    """A boto3 DynamoDB resource for the local server, as the SDK adapter takes."""
    import boto3

    return boto3.session.Session(**_session_credentials()).resource(
        "dynamodb", region_name=REGION, endpoint_url=endpoint
    )


def _session_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def create_baseline_table(client: Any, name: str) -> None:
    """The SDK adapter's table: partition key "id" (S)."""
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})


@contextlib.contextmanager
def dynalite(endpoint: str | None = None) -> Iterator[str]:
    """The given endpoint, or a dynalite of our own for the length of the block."""
    if endpoint:
        yield endpoint
        return
    from tests.servers import Dynalite

    with Dynalite() as server:
        yield server.endpoint


# --- sizes and memory ----------------------------------------------------------------------


def _value_size(value: dict[str, Any]) -> int:
    ((kind, data),) = value.items()
    if kind == "S":
        return len(data.encode())
    if kind == "B":
        return len(data)
    if kind == "N":
        return (len(data.lstrip("-").replace(".", "").lstrip("0") or "0") + 1) // 2 + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in data)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(v) for k, v in data.items())
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: v}) for v in data)
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about one
    byte per two digits plus one, maps and lists 3 bytes plus 1 per element)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def peak_rss_kb() -> int:
    """This process's peak resident set size (VmHWM), in KiB."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- ready-made turns ----------------------------------------------------------------------

SKILL_USER = "amzn1.ask.account.bench-couple"
BASELINE_USER = "amzn1.ask.account.bench-hello"


@dataclass
class MidCheckIn:
    """A couple in the gratitude round on the in-memory store, with the session attributes
    Alexa would send back, ready to build the next requests from."""

    store: Any
    handler: Handler
    session: Any  # skill.console.envelopes.Session
    household: str
    record: Any  # the stored Record to put back before a turn that writes


def mid_check_in(user_id: str = SKILL_USER, *, quiet: bool = True) -> MidCheckIn:
    """Meet, start a quick check-in, finish the pause: the gratitude round, Sam's turn."""
    from skill.alexa.skill import skill_builder
    from skill.console.device import Device
    from skill.store.base import household_key
    from skill.store.memory import MemoryStore

    store = MemoryStore()
    handler = skill_builder(store, request_log=sink_log()).lambda_handler()
    device = Device(handler, user_id, clock=lambda: NOW)
    with quiet_logs(quiet):
        for line in ("Alexa, start our check-in", "we are Sam and Alex", "yes", "yes", "next"):
            device.hear(line)
    assert device.session is not None and device.in_session, "the check-in ended early"
    key = household_key(user_id)
    return MidCheckIn(store, handler, device.session, key, store.records[key])


@contextlib.contextmanager
def quiet_logs(quiet: bool = True) -> Iterator[None]:
    """Silence the skill's per-request log lines for the block (setup, not measured)."""
    import logging

    logger = logging.getLogger("checkin")
    level = logger.level
    if quiet:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def sink_log() -> Any:
    """The skill's one-line-per-request log, written (here to /dev/null) as on Lambda."""
    from skill.alexa.requestlog import RequestLog

    return RequestLog(stream=open(os.devnull, "w"))


def lambda_logging() -> None:
    """Logging as in AWS Lambda: the skill's INFO lines are formatted and written (here to
    /dev/null) the way the runtime's root handler writes them to CloudWatch."""
    import logging

    root = logging.getLogger()
    if not any(getattr(h, "bench_sink", False) for h in root.handlers):
        sink = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 (lives with the process)
        sink.bench_sink = True  # type: ignore[attr-defined]
        sink.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s\t%(message)s"))
        root.addHandler(sink)
    root.setLevel(logging.WARNING)
    logging.getLogger("checkin").setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def add_common_args(parser: Any) -> None:
    """--quick, common to every figure."""
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (tests)")


def run_figure(
    doc: str | None,
    measure: Callable[..., Row],
    option: str | None = None,
    option_help: str = "",
) -> Row:
    """The command line of one figure: --quick (and an optional whole-number ``option``, passed
    to ``measure`` by its name), then the figure's row printed; the row is returned."""
    import argparse

    parser = argparse.ArgumentParser(description=doc)
    add_common_args(parser)
    if option:
        parser.add_argument(f"--{option}", type=int, help=option_help)
    args = parser.parse_args()
    extra = {option: getattr(args, option)} if option else {}
    row = measure(args.quick, **extra)
    print_rows([row])
    return row


# --- warm turns ----------------------------------------------------------------------------

Samples = dict[str, dict[str, list[float]]]  # per side ("skill", "baseline"), per kind


def timed(handler: Handler, event: dict[str, Any], speaks: bool = True) -> float:
    """Microseconds for one request; checks that it spoke (``speaks``) or did not (a reply
    to the audio player)."""
    import time

    started = time.perf_counter_ns()
    response = handler(event, None)
    elapsed = (time.perf_counter_ns() - started) / 1000
    if bool(response["response"].get("outputSpeech")) != speaks:
        raise RuntimeError(f"{'no' if speaks else 'unexpected'} speech in {response}")
    return elapsed


@dataclass
class WarmFigures:
    """The median and p99 of every measured request per side, and the skill's ratios."""

    med: dict[str, float]
    p99: dict[str, float]
    med_ratio: float
    p99_ratio: float

    @classmethod
    def of(cls, samples: Samples) -> WarmFigures:
        every = {side: [t for ts in kinds.values() for t in ts] for side, kinds in samples.items()}
        med = {side: median(ts) for side, ts in every.items()}
        p99 = {side: percentile(ts, 99) for side, ts in every.items()}
        return cls(
            med,
            p99,
            ratio(med["skill"], med["baseline"]),
            ratio(p99["skill"], p99["baseline"]),
        )

    def ratio_note(self, median_budget: float, p99_budget: float) -> str:
        return (
            f"median ratio {self.med_ratio:.2f} (budget {median_budget}), "
            f"p99 ratio {self.p99_ratio:.2f} (budget {p99_budget})"
        )

    def row(self, figure: str, median_budget: float, p99_budget: float, notes: list[str]) -> Row:
        """The figure's row: median / p99 per side in ms, both ratios, both budgets."""
        return Row(
            figure,
            f"{self.med['skill'] / 1000:.2f} / {self.p99['skill'] / 1000:.2f} ms",
            f"{self.med['baseline'] / 1000:.2f} / {self.p99['baseline'] / 1000:.2f} ms",
            f"{self.med_ratio:.2f} / {self.p99_ratio:.2f}",
            f"<= {median_budget} x / <= {p99_budget} x",
            self.med_ratio <= median_budget and self.p99_ratio <= p99_budget,
            notes,
        )


def kind_notes(samples: Samples) -> list[str]:
    """One note per side: each kind's median and p99, in microseconds."""
    return [
        f"{side}: "
        + ", ".join(
            f"{kind} median {median(ts):.0f} us p99 {percentile(ts, 99):.0f} us"
            for kind, ts in kinds.items()
        )
        for side, kinds in samples.items()
    ]


# --- DynamoDB calls, counted ---------------------------------------------------------------


def counting(client: Any) -> Counter[str]:
    """Every DynamoDB call of boto3 ``client``, by operation name, from now on."""
    calls: Counter[str] = Counter()
    client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.update([model.name])
    )
    return calls


@dataclass
class CountedStore:
    """The skill's DynamoDB store on a fresh table of the local server, on its own HTTP client
    as on Lambda, every request it sends counted in ``calls``; ``inspector`` reads the table
    without being counted."""

    inspector: Any
    table: str
    store: Any  # skill.store.dynamodb.DynamoStore
    calls: Counter[str]


def counted_skill_store(endpoint: str, prefix: str) -> CountedStore:
    """A fresh skill table named ``prefix``-<random> and its counted store."""
    import uuid

    from skill.store.dynamo_http import Credentials, HttpDynamo
    from skill.store.dynamodb import DynamoStore
    from skill.store.table import create_table

    inspector = dynamo_client(endpoint)
    table = f"{prefix}-{uuid.uuid4().hex[:8]}"
    create_table(inspector, table)
    store = DynamoStore(
        table, transport=HttpDynamo("us-east-1", Credentials("bench", "bench"), endpoint)
    )
    calls: Counter[str] = Counter()
    store.listen(lambda operation: calls.update([operation]))
    return CountedStore(inspector, table, store, calls)


def counted_baseline(endpoint: str, prefix: str) -> tuple[Handler, Counter[str]]:
    """The baseline's handler on DynamoDbAdapter over a fresh table named ``prefix``-<random>,
    and its DynamoDB calls, counted."""
    import uuid

    allow_baseline_import()
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    from bench.baseline.lambda_function import skill_builder

    table = f"{prefix}-{uuid.uuid4().hex[:8]}"
    create_baseline_table(dynamo_client(endpoint), table)
    resource = dynamo_resource(endpoint)
    calls = counting(resource.meta.client)
    handler = skill_builder(
        DynamoDbAdapter(table, create_table=False, dynamodb_resource=resource)
    ).lambda_handler()
    return handler, calls
