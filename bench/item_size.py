"""Figure 4, the stored item after 365 simulated check-ins, in DynamoDB's bytes.

Skill: a couple with long names holds a whole quick check-in every evening for a year (the
engine, as tests/test_dynamodb.py does), then the state is written by the DynamoDB store to
dynalite and read back raw. Baseline: the SDK-sample hello world launched once a day for a
year through its handler and DynamoDbAdapter (its item is a visit counter). Budget: the
skill's item <= 2 KB.

    .venv/bin/python -m bench.item_size [--quick]
"""

from __future__ import annotations

import argparse
import uuid
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


def main() -> None:
    """The command line: measure and print the figure's row."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    args = parser.parse_args()
    print_rows([measure(args.quick)])


if __name__ == "__main__":
    main()
