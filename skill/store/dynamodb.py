"""The DynamoDB store (botocore, the core of boto3), for production.

botocore is imported lazily and no AWS call happens at import or construction. Configuration
follows the AWS conventions boto3 and botocore read: AWS_REGION or AWS_DEFAULT_REGION, the standard
credential chain, and AWS_ENDPOINT_URL_DYNAMODB for a local server.

Timeouts are short and retries bounded so that a request still answers well within Alexa's
roughly 8 seconds when DynamoDB is slow, throttling or down."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from skill.store.base import Conflict, Record, StoreUnavailable
from skill.store.table import KEY, RETENTION_DAYS, TTL_ATTRIBUTE

CONNECT_TIMEOUT = 0.5  # seconds
READ_TIMEOUT = 0.8  # seconds
TOTAL_ATTEMPTS = 2  # the first try and one retry (botocore's max_attempts counts retries only)


def client_config() -> Any:
    from botocore.config import Config

    return Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"total_max_attempts": TOTAL_ATTEMPTS, "mode": "standard"},
        tcp_keepalive=True,
    )


def make_client() -> Any:
    """A botocore DynamoDB client. botocore rather than boto3: boto3 adds nothing used here,
    and its import (with s3transfer) costs about 100 ms of every Lambda cold start."""
    from botocore.session import get_session

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return get_session().create_client("dynamodb", region_name=region, config=client_config())


class DynamoStore:
    def __init__(self, table: str, client: Any = None) -> None:
        self.table = table
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client()
        return self._client

    def call(self, operation: str, **request: Any) -> Any:
        """One DynamoDB call; every failure but a failed condition is StoreUnavailable."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(TableName=self.table, **request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise Conflict("version changed") from error
            raise StoreUnavailable(code or "ClientError") from error
        except BotoCoreError as error:
            raise StoreUnavailable(type(error).__name__) from error

    def load(self, household: str) -> Record | None:
        response = self.call("get_item", Key={KEY: {"S": household}}, ConsistentRead=True)
        item = response.get("Item")
        if not item:
            return None
        try:
            state = json.loads(item["state"]["S"])
            version = int(item["version"]["N"])
        except (KeyError, TypeError, ValueError):
            return Record({"damaged": True}, int(item.get("version", {}).get("N", 0) or 0))
        return Record(state if isinstance(state, dict) else {"damaged": True}, version)

    def save(self, household: str, state: dict[str, Any], version: int | None) -> int:
        new_version = (version or 0) + 1
        item = {
            KEY: {"S": household},
            "version": {"N": str(new_version)},
            "state": {"S": json.dumps(state, separators=(",", ":"), ensure_ascii=False)},
            TTL_ATTRIBUTE: {"N": str(int(time.time()) + RETENTION_DAYS * 86400)},
        }
        if version is None:
            condition = {"ConditionExpression": f"attribute_not_exists({KEY})"}
        else:
            condition = {
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": {"N": str(version)}},
            }
        self.call("put_item", Item=item, **condition)
        return new_version

    def delete(self, household: str) -> None:
        self.call("delete_item", Key={KEY: {"S": household}})
