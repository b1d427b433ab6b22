"""The DynamoDB table, defined once: used by `checkin create-table`, the tests, and checked
against template.yaml by a test.

One item per household:
    household  S  SHA-256 of the Alexa userId (the partition key; the raw userId is not stored)
    version    N  bumped by every write; each write is conditional on the version it read
    state      S  the couple's state as compact JSON, with its own schema version "v"
    expires    N  epoch seconds; DynamoDB's TTL deletes households unused for RETENTION_DAYS
    writer     S  the token of the write that stored the item (see store/base.py)
"""

from __future__ import annotations

from typing import Any

KEY = "household"
TTL_ATTRIBUTE = "expires"
WRITER = "writer"
RETENTION_DAYS = 400  # a little over a year without a single check-in


def create_table_request(name: str) -> dict[str, Any]:
    """The CreateTable request (PAY_PER_REQUEST, server-side encryption)."""
    return {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": KEY, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": KEY, "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True},
    }


def time_to_live_request(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "TimeToLiveSpecification": {"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    }


def point_in_time_recovery_request(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
    }


def create_table(client: Any, name: str) -> list[str]:
    """Create the table, wait until it is ACTIVE, then turn on TTL and point-in-time
    recovery. Returns notes on settings the endpoint does not support (local servers)."""
    from botocore.exceptions import ClientError

    client.create_table(**create_table_request(name))
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    notes = []
    for label, call, request in (
        ("time to live", client.update_time_to_live, time_to_live_request(name)),
        (
            "point-in-time recovery",
            client.update_continuous_backups,
            point_in_time_recovery_request(name),
        ),
    ):
        try:
            call(**request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in ("UnknownOperationException", "UnrecognizedClientException"):
                raise
            notes.append(f"{label} is not supported by this endpoint ({code}); skipped")
    return notes
