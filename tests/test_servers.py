"""The test harness itself: dynalite really serves the DynamoDB API, and the fault proxy really
forwards, refuses, swallows and throttles what boto3 sends it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from tests.servers import Dynalite, FaultProxy, free_port

TABLE = "harness-check"
# One attempt, no retry. botocore's retries={"max_attempts": N} counts *retries* (N + 1
# attempts); "total_max_attempts" counts attempts, the initial one included.
FAST_FAIL = Config(
    connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 1, "mode": "standard"}
)


def use_fake_aws(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials, and nothing from the machine's own AWS configuration."""
    env.setenv("AWS_ACCESS_KEY_ID", "testing")
    env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    env.setenv("AWS_DEFAULT_REGION", "us-east-1")
    env.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        env.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fake_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_aws(monkeypatch, tmp_path)


def dynamodb(endpoint: str, config: Config | None = None) -> Any:
    return boto3.session.Session().client("dynamodb", endpoint_url=endpoint, config=config)


def create_table(client: Any, name: str = TABLE) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50}
    )


@pytest.fixture(scope="module")
def dynalite() -> Iterator[Dynalite]:
    with Dynalite() as server:
        yield server


@pytest.fixture(scope="module")
def seeded(dynalite: Dynalite, tmp_path_factory: pytest.TempPathFactory) -> Dynalite:
    """The module's dynalite with TABLE holding one item, pk "seed"."""
    with pytest.MonkeyPatch.context() as env:  # module scope: runs before fake_aws
        use_fake_aws(env, tmp_path_factory.mktemp("aws"))
        client = dynamodb(dynalite.endpoint)
        create_table(client)
        client.put_item(TableName=TABLE, Item={"pk": {"S": "seed"}, "n": {"N": "1"}})
    return dynalite


@pytest.fixture
def proxy(seeded: Dynalite) -> Iterator[FaultProxy]:
    with FaultProxy(("127.0.0.1", seeded.port)) as fault_proxy:
        yield fault_proxy


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        pass


def test_dynalite_serves_the_dynamodb_api_and_stops_on_exit() -> None:
    with Dynalite() as server:
        assert server.endpoint == f"http://127.0.0.1:{server.port}"
        port = server.port
        client = dynamodb(server.endpoint)
        create_table(client, "started-here")
        assert client.describe_table(TableName="started-here")["Table"]["TableStatus"] == "ACTIVE"
        client.put_item(TableName="started-here", Item={"pk": {"S": "a"}, "v": {"S": "hello"}})
        item = client.get_item(TableName="started-here", Key={"pk": {"S": "a"}})["Item"]
        assert item == {"pk": {"S": "a"}, "v": {"S": "hello"}}
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_each_dynalite_starts_empty(dynalite: Dynalite) -> None:
    with Dynalite() as other:
        assert other.port != dynalite.port
        assert dynamodb(other.endpoint).list_tables()["TableNames"] == []


def test_pass_forwards_real_requests(proxy: FaultProxy) -> None:
    client = dynamodb(proxy.endpoint, FAST_FAIL)
    item = client.get_item(TableName=TABLE, Key={"pk": {"S": "seed"}})["Item"]
    assert item == {"pk": {"S": "seed"}, "n": {"N": "1"}}
    assert proxy.connections >= 1


def test_refuse_fails_the_connection(proxy: FaultProxy) -> None:
    proxy.mode = "refuse"
    client = dynamodb(proxy.endpoint, FAST_FAIL)
    with pytest.raises((EndpointConnectionError, ConnectionClosedError)):
        client.get_item(TableName=TABLE, Key={"pk": {"S": "seed"}})


def test_blackhole_times_the_read_out(proxy: FaultProxy) -> None:
    proxy.mode = "blackhole"
    client = dynamodb(proxy.endpoint, FAST_FAIL)
    with pytest.raises(ReadTimeoutError):
        client.get_item(TableName=TABLE, Key={"pk": {"S": "seed"}})


def test_throttle_answers_throttling_exception(proxy: FaultProxy) -> None:
    proxy.mode = "throttle"
    client = dynamodb(proxy.endpoint, FAST_FAIL)
    with pytest.raises(ClientError) as caught:
        client.put_item(TableName=TABLE, Item={"pk": {"S": "throttled"}})
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert proxy.requests == 1


def test_mode_changes_apply_to_a_client_with_pooled_connections(proxy: FaultProxy) -> None:
    client = dynamodb(proxy.endpoint, FAST_FAIL)
    key = {"pk": {"S": "seed"}}
    assert client.get_item(TableName=TABLE, Key=key)["Item"]["n"] == {"N": "1"}

    proxy.mode = "throttle"
    with pytest.raises(ClientError) as caught:
        client.get_item(TableName=TABLE, Key=key)
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"

    proxy.mode = "refuse"
    with pytest.raises((EndpointConnectionError, ConnectionClosedError)):
        client.get_item(TableName=TABLE, Key=key)

    proxy.mode = "pass"
    assert client.get_item(TableName=TABLE, Key=key)["Item"]["n"] == {"N": "1"}
    assert proxy.requests == 1


def test_proxy_counts_every_attempt_botocore_makes(proxy: FaultProxy) -> None:
    """Pins botocore's reading of retries={"max_attempts": 1}: one retry, so two requests."""
    proxy.mode = "throttle"
    config = Config(read_timeout=1, retries={"max_attempts": 1, "mode": "standard"})
    with pytest.raises(ClientError):
        dynamodb(proxy.endpoint, config).put_item(TableName=TABLE, Item={"pk": {"S": "x"}})
    assert proxy.requests == 2


def test_throttled_write_never_reaches_dynalite(proxy: FaultProxy, seeded: Dynalite) -> None:
    proxy.mode = "throttle"
    with pytest.raises(ClientError):
        dynamodb(proxy.endpoint, FAST_FAIL).put_item(
            TableName=TABLE, Item={"pk": {"S": "never-written"}}
        )
    direct = dynamodb(seeded.endpoint)
    assert "Item" not in direct.get_item(TableName=TABLE, Key={"pk": {"S": "never-written"}})


def test_unknown_mode_is_rejected(proxy: FaultProxy) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        proxy.mode = "drop"  # type: ignore[assignment]
    assert proxy.mode == "pass"


def test_proxy_stops_listening_on_exit(seeded: Dynalite) -> None:
    with FaultProxy(("127.0.0.1", seeded.port), mode="blackhole") as fault_proxy:
        port = fault_proxy.port
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
