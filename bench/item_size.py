"""Figure 4, the stored item after 365 simulated check-ins, in DynamoDB's bytes; and, with
--json, one JSON line on the question deck after 500 check-ins (issue 13's note).

Skill: a couple with long names holds a whole quick check-in every evening for a year (the
engine, as tests/test_dynamodb.py does), then the state is written by the DynamoDB store to
dynalite and read back raw. Baseline: the SDK-sample hello world launched once a day for a
year through its handler and DynamoDbAdapter (its item is a visit counter). Budget: the
skill's item <= 2 KB.

--json: two couples hold 500 check-ins through the engine: one only says "next"; the other
uses the deck by voice at every question turn (skips, kinds, favourites kept and asked for,
questions refused), with a full check-in every fourth evening. For each: the bytes of the
state's JSON (State.to_dict(), as stored), of the item DynamoStore writes with it (counted
as DynamoDB counts, no server needed), and of the deck's own fields; then the questions per
category. No dynalite needed.

    .venv/bin/python -m bench.item_size [--quick]
    .venv/bin/python -m bench.item_size --json
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.common import (
    BASELINE_USER,
    SKILL_USER,
    Row,
    add_common_args,
    allow_baseline_import,
    create_baseline_table,
    dynalite,
    dynamo_client,
    dynamo_resource,
    item_size,
    print_rows,
    quiet_logs,
)

BUDGET = 2048
DAYS = 365
FIRST_EVENING = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)


def skill_item(endpoint: str, days: int) -> tuple[int, int]:
    """(item bytes, check-ins completed) after ``days`` evenings of whole check-ins."""
    from skill.store.base import household_key
    from skill.store.dynamodb import DynamoStore
    from skill.store.table import KEY, create_table
    from tests.simulate import nightly_check_ins

    client = dynamo_client(endpoint)
    table = f"checkin-size-{uuid.uuid4().hex[:8]}"
    create_table(client, table)
    state = nightly_check_ins(days, FIRST_EVENING)
    key = household_key(SKILL_USER)
    DynamoStore(table, client=client).save(key, state.to_dict(), None)
    item = client.get_item(TableName=table, Key={KEY: {"S": key}}, ConsistentRead=True)["Item"]
    return item_size(item), state.completed


def baseline_item(endpoint: str, days: int) -> int:
    """Item bytes after ``days`` launches of the baseline, through its handler."""
    allow_baseline_import()
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    from bench.baseline.lambda_function import skill_builder
    from skill.console.envelopes import Session, launch_request

    client = dynamo_client(endpoint)
    table = f"hello-size-{uuid.uuid4().hex[:8]}"
    create_baseline_table(client, table)
    adapter = DynamoDbAdapter(
        table, create_table=False, dynamodb_resource=dynamo_resource(endpoint)
    )
    handler = skill_builder(adapter).lambda_handler()
    for day in range(days):
        handler(
            launch_request(Session(user_id=BASELINE_USER), FIRST_EVENING + timedelta(day)), None
        )
    item = client.get_item(TableName=table, Key={"id": {"S": BASELINE_USER}})["Item"]
    return item_size(item)


def measure(quick: bool = False, endpoint: str | None = None) -> Row:
    """Measure the figure; its row for the report."""
    baseline_days = 20 if quick else DAYS
    with dynalite(endpoint) as url, quiet_logs():
        skill, completed = skill_item(url, DAYS)
        baseline = baseline_item(url, baseline_days)
    return Row(
        "4 item size after 365 check-ins",
        f"{skill} B",
        f"{baseline} B",
        f"{skill / baseline:.1f}",
        f"<= {BUDGET} B",
        skill <= BUDGET and completed == DAYS,
        [
            f"skill: {completed} check-ins completed, names Maximiliana and Bartholomew; "
            f"baseline: {baseline_days} launches (a visit counter only)",
        ],
    )


# --- --json: the deck after 500 check-ins ---------------------------------------------------
CHECK_INS = 500
DECK_FIELDS = ("asked", "kept", "never", "wish")
# What a couple who uses the deck by voice says at its question turns, in turn.
DECK_MOVES: tuple[tuple[str, dict[str, str] | None], ...] = (
    ("keep_question", None),
    ("skip", None),
    ("question_kind", {"questionKind": "deep"}),
    ("never_again", None),
    ("next", None),
    ("favourite", None),
    ("question_kind", {"questionKind": "fun"}),
    ("next", None),
    ("never_again", None),
    ("question_kind", {"questionKind": "memory"}),
)


class Recorder:
    """A stand-in for the store's transport: keeps the item DynamoStore would put."""

    def __init__(self) -> None:
        self.listeners: list = []
        self.items: list[dict] = []

    def call(self, operation: str, **request: object) -> dict:
        self.items.append(request["Item"])  # type: ignore[arg-type]
        return {}


def deck_heavy_check_ins(check_ins: int) -> tuple[object, int]:
    """A couple who use the deck by voice at every question turn; the state and the largest
    state JSON seen (mid-check-in included)."""
    from skill.content.model import Source
    from skill.engine import plan as plans
    from skill.engine.conversation import handle
    from skill.engine.events import Event
    from skill.engine.state import Phase, State
    from tests.simulate import CONTENT

    state, largest, turn = State(), 0, 0

    def say(kind: str, slots: dict[str, str] | None = None, night: int = 0) -> None:
        nonlocal state, largest
        evening = FIRST_EVENING + timedelta(days=night)
        state = handle(state, Event(kind, slots), evening, CONTENT).state
        largest = max(largest, len(json.dumps(state.to_dict(), separators=(",", ":"))))

    say("launch")
    say("names", {"firstName": "Maximiliana", "secondName": "Bartholomew"})
    say("yes")
    for night in range(check_ins):
        say("start", {"length": "full" if night % 4 == 0 else "quick"}, night)
        while state.phase == Phase.BEAT:
            at_question = plans.current(state, CONTENT).beat.source == Source.QUESTION
            if at_question:
                kind, slots = DECK_MOVES[turn % len(DECK_MOVES)]
                turn += 1
                say(kind, slots, night)
            if not at_question or kind != "next":
                say("next", None, night)
    return state, largest


def sizes(state: object, largest: int | None = None) -> dict[str, object]:
    from skill.store.base import household_key
    from skill.store.dynamodb import DynamoStore

    data = state.to_dict()  # type: ignore[attr-defined]
    recorder = Recorder()
    token = uuid.uuid4().hex  # the longest writer token the household writes
    DynamoStore("checkin", transport=recorder).save(household_key(SKILL_USER), data, 7, token)
    found: dict[str, object] = {
        "check_ins": data.get("completed", 0),
        "state_json_bytes": len(json.dumps(data, separators=(",", ":"), ensure_ascii=False)),
        "item_bytes": item_size(recorder.items[0]),
        "deck_bytes": {f: len(json.dumps(data[f])) for f in DECK_FIELDS if f in data},
    }
    if largest is not None:
        found["largest_state_json_bytes_during_the_run"] = largest
    return found


def deck_report(check_ins: int = CHECK_INS) -> dict[str, object]:
    """The figures of --json, as one dict."""
    from tests.simulate import CONTENT, nightly_check_ins

    heavy, largest = deck_heavy_check_ins(check_ins)
    per_category = Counter(q.category for q in CONTENT.questions.values())
    on_request = {c.id for c in CONTENT.categories.values() if c.on_request}
    return {
        "figure": "deck",
        "budget_bytes": BUDGET,
        "only_next": sizes(nightly_check_ins(check_ins, FIRST_EVENING)),
        "deck_by_voice": sizes(heavy, largest),
        "questions": len(CONTENT.questions),
        "drawn_for_everyone": sum(n for c, n in per_category.items() if c not in on_request),
        "per_category": dict(per_category),
        "on_request": sorted(on_request),
        "kinds": {
            kind: sorted(c.id for c in CONTENT.categories.values() if kind in c.kinds)
            for kind in ("deep", "fun", "memory", "dreams", "romance")
        },
    }


def main() -> None:
    """The command line: measure and print the figure's row (or, with --json, one line)."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    parser.add_argument("--json", action="store_true", help="the deck after 500 check-ins")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(deck_report()))
        return
    print_rows([measure(args.quick)])


if __name__ == "__main__":
    main()
