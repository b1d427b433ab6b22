"""The DynamoDB store, for production.

No AWS call happens at import or construction. Configuration follows the AWS conventions
boto3 reads: AWS_REGION or AWS_DEFAULT_REGION, the standard credential chain, and
AWS_ENDPOINT_URL_DYNAMODB for a local server. With credentials and region in the environment
(as on Lambda) requests go through a small signed-HTTP client (dynamo_http.py); otherwise
through botocore, imported only then.

Timeouts are short and retries bounded so that a request still answers well within Alexa's
roughly 8 seconds when DynamoDB is slow, throttling or down."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from skill.store.base import Conflict, Record, StoreUnavailable
from skill.store.dynamo_http import DynamoError, DynamoUnreachable, HttpDynamo
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

    # botocore's debug records carry whole requests and responses (names included): keep
    # them out of the logs whatever the root level is.
    for name in ("botocore", "urllib3"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return get_session().create_client("dynamodb", region_name=region, config=client_config())


def stored_version(item: dict[str, Any]) -> int:
    """The item's version; 0 for an item written without one (by hand, or damaged), so that
    repairing it is still a conditional write."""
    try:
        return max(int(item["version"]["N"]), 0)
    except (KeyError, TypeError, ValueError):
        return 0


class BotocoreTransport:
    """The store's calls through a botocore (or boto3) client: for credentials that only
    botocore can find (profiles, SSO, instance roles), and for clients given by tests."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.listeners: list[Callable[[str], None]] = []
        client.meta.events.register("before-call.dynamodb", self._before_call)

    def _before_call(self, model: Any, **_: Any) -> None:
        for listener in self.listeners:
            listener(model.name)

    def call(self, operation: str, **request: Any) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**request)
        except ClientError as error:
            details = error.response.get("Error", {})
            code, message = details.get("Code", "ClientError"), details.get("Message", "")
            raise DynamoError(code, message) from error
        except BotoCoreError as error:
            raise DynamoUnreachable(type(error).__name__) from error


class DynamoStore:
    def __init__(self, table: str, client: Any = None, transport: Any = None) -> None:
        self.table = table
        self._transport = transport or (BotocoreTransport(client) if client else None)

    @property
    def transport(self) -> Any:
        """The small signed-HTTP client when the environment allows it, else botocore."""
        if self._transport is None:
            self._transport = HttpDynamo.from_env(
                connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, attempts=TOTAL_ATTEMPTS
            ) or BotocoreTransport(make_client())
        return self._transport

    def listen(self, listener: Callable[[str], None]) -> None:
        """Call `listener(operation)` before every request sent (counted in tests, benches)."""
        self.transport.listeners.append(listener)

    def call(self, operation: str, **request: Any) -> Any:
        """One DynamoDB call; every failure but a failed condition is StoreUnavailable."""
        try:
            return self.transport.call(operation, TableName=self.table, **request)
        except DynamoError as error:
            if error.code == "ConditionalCheckFailedException":
                raise Conflict("version changed") from error
            raise StoreUnavailable(error.code) from error
        except DynamoUnreachable as error:
            raise StoreUnavailable(str(error)) from error

    def load(self, household: str) -> Record | None:
        response = self.call("get_item", Key={KEY: {"S": household}}, ConsistentRead=True)
        item = response.get("Item")
        if not item:
            return None
        try:
            state = json.loads(item["state"]["S"])
        except (KeyError, TypeError, ValueError, RecursionError):
            state = None
        return Record(state if isinstance(state, dict) else {"damaged": True}, stored_version(item))

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
        elif version == 0:  # the item exists but carries no (usable) version
            condition = {
                "ConditionExpression": "attribute_not_exists(version) OR version = :read",
                "ExpressionAttributeValues": {":read": {"N": "0"}},
            }
        else:
            condition = {
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": {"N": str(version)}},
            }
        self.call("put_item", Item=item, **condition)
        return new_version

    def delete(self, household: str) -> None:
        self.call("delete_item", Key={KEY: {"S": household}})
