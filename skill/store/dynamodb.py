"""The DynamoDB store, for production.

No AWS call happens at import or construction. Configuration follows the AWS conventions
boto3 reads: AWS_REGION or AWS_DEFAULT_REGION, the standard credential chain, and
AWS_ENDPOINT_URL_DYNAMODB for a local server. With credentials and region in the environment
(as on Lambda) requests go through a small signed-HTTP client (dynamo_http.py); otherwise
through botocore, imported only then.

Both clients send through the same deadline-bound HTTP exchange (deadline.py) and retry alike
(dynamo_http.with_retries), with the settings of config.py: every call is over within its
overall deadline, and every turn within its budget, however DynamoDB behaves."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from skill.store.base import Conflict, Record, StoreUnavailable, read_state
from skill.store.config import (
    ATTEMPT_DEADLINE,
    ATTEMPTS,
    CALL_DEADLINE,
    CONNECT_TIMEOUT,
    env_region,
)
from skill.store.deadline import Deadline, Endpoint
from skill.store.dynamo_http import (
    MAX_RESPONSE_BYTES,
    DynamoError,
    DynamoUnreachable,
    HttpDynamo,
    with_retries,
)
from skill.store.table import KEY, RETENTION_DAYS, TTL_ATTRIBUTE, WRITER


def client_config() -> Any:
    """botocore's own settings: its timeouts serve only calls made outside the store (such
    as create-table); the store's calls are sent, timed and retried by BotocoreTransport."""
    from botocore.config import Config

    return Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=ATTEMPT_DEADLINE,
        retries={"total_max_attempts": 1, "mode": "standard"},
        tcp_keepalive=True,
    )


def make_client() -> Any:
    """A botocore DynamoDB client. botocore rather than boto3: boto3 adds nothing used here,
    and its import (with s3transfer) costs about 100 ms of every Lambda cold start."""
    import logging

    from botocore.session import get_session

    # botocore's debug records carry whole requests and responses (names included): keep
    # them out of the logs whatever the root level is.
    for name in ("botocore", "urllib3"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    return get_session().create_client("dynamodb", region_name=env_region(), config=client_config())


def stored_version(item: dict[str, Any]) -> int:
    """The item's version; 0 for an item written without one (by hand, or damaged), so that
    repairing it is still a conditional write."""
    try:
        return max(int(item["version"]["N"]), 0)
    except (KeyError, TypeError, ValueError):
        return 0


class _Body:
    """What botocore reads an answer's body from."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data


class BotocoreTransport:
    """The store's calls through a botocore (or boto3) client: for credentials that only
    botocore can find (profiles, SSO, instance roles), and for clients given by tests.

    botocore builds, signs and parses each request; it is sent through the same
    deadline-bound exchange as the small client's (a `before-send` handler answers in
    botocore's place), and retried by the same with_retries: botocore's own sockets only
    limit each read, and its backoff could sleep a second."""

    def __init__(
        self,
        client: Any,
        attempt_deadline: float = ATTEMPT_DEADLINE,
        attempts: int = ATTEMPTS,
        call_deadline: float = CALL_DEADLINE,
    ) -> None:
        self.client = client
        self.attempt_deadline = attempt_deadline
        self.attempts = attempts
        self.call_deadline = call_deadline
        self.listeners: list[Callable[[str], None]] = []
        self.endpoints: dict[tuple[str, str, int], Endpoint] = {}
        self.local = threading.local()  # .deadline: of this thread's attempt under way
        client.meta.events.register("before-call.dynamodb", self._before_call)
        client.meta.events.register("before-send.dynamodb", self._send)

    def _before_call(self, model: Any, **_: Any) -> None:
        for listener in self.listeners:
            listener(model.name)

    def _send(self, request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        deadline = getattr(self.local, "deadline", None) or Deadline.after(self.attempt_deadline)
        url = urlsplit(request.url)
        https = url.scheme == "https"
        port = url.port or (443 if https else 80)
        key = (url.scheme, url.hostname or "", port)
        endpoint = self.endpoints.get(key)
        if endpoint is None:
            endpoint = self.endpoints[key] = Endpoint(
                url.hostname or "",
                port,
                https,
                connect_timeout=CONNECT_TIMEOUT,
                context=_botocore_ssl_context() if https else None,
            )
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {
            name: value.decode("latin-1") if isinstance(value, bytes) else value
            for name, value in request.headers.items()
        }
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        answer = endpoint.exchange(
            request.method, path, body or None, headers, deadline, MAX_RESPONSE_BYTES
        )
        return AWSResponse(request.url, answer.status, answer.headers, _Body(answer.body))

    def close(self) -> None:
        """Close this thread's kept-alive connections."""
        for endpoint in self.endpoints.values():
            endpoint.close()

    def call(self, operation: str, **request: Any) -> dict[str, Any]:
        return with_retries(
            operation,
            lambda deadline: self.attempt(operation, deadline, request),
            attempts=self.attempts,
            attempt_seconds=self.attempt_deadline,
            call_seconds=self.call_deadline,
            listeners=[],  # botocore's before-call tells the listeners
        )

    def attempt(self, operation: str, deadline: Deadline, request: dict[str, Any]) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        self.local.deadline = deadline
        try:
            return getattr(self.client, operation)(**request)
        except ClientError as error:
            details = error.response.get("Error", {})
            code, message = details.get("Code", "ClientError"), details.get("Message", "")
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            raise DynamoError(code, message, int(status or 400)) from error
        except BotoCoreError as error:
            raise DynamoUnreachable(type(error).__name__) from error
        finally:
            self.local.deadline = None


def _botocore_ssl_context() -> Any:
    import ssl

    from botocore.httpsession import get_cert_path

    return ssl.create_default_context(cafile=get_cert_path(True))


class DynamoStore:
    def __init__(self, table: str, client: Any = None, transport: Any = None) -> None:
        self.table = table
        self._transport = transport or (BotocoreTransport(client) if client else None)

    @property
    def transport(self) -> Any:
        """The small signed-HTTP client when the environment allows it, else botocore."""
        if self._transport is None:
            self._transport = HttpDynamo.from_env() or BotocoreTransport(make_client())
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
        text = item["state"].get("S") if isinstance(item.get("state"), dict) else None
        state = read_state(text)
        token = item.get(WRITER, {}).get("S") if isinstance(item.get(WRITER), dict) else None
        return Record(state, stored_version(item), token)

    def save(
        self, household: str, state: dict[str, Any], version: int | None, token: str | None = None
    ) -> int:
        new_version = (version or 0) + 1
        item = {
            KEY: {"S": household},
            "version": {"N": str(new_version)},
            "state": {"S": json.dumps(state, separators=(",", ":"), ensure_ascii=False)},
            TTL_ATTRIBUTE: {"N": str(int(time.time()) + RETENTION_DAYS * 86400)},
        }
        if token:
            item[WRITER] = {"S": token}
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
