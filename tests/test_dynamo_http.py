"""The skill's small DynamoDB client: its signatures agree with botocore's, and it behaves
like the botocore configuration it replaces (one retry, short timeouts, clear errors)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from unittest import mock

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from skill.store.dynamo_http import (
    Credentials,
    DynamoError,
    DynamoUnreachable,
    HttpDynamo,
    env_endpoint,
    sign,
)
from tests.servers import FaultProxy

NOW = datetime(2026, 11, 23, 20, 15, 30, tzinfo=UTC)
BODY = b'{"TableName":"checkin","Key":{"household":{"S":"abc"}},"ConsistentRead":true}'


def botocore_authorization(url: str, credentials: Credentials, target: str) -> str:
    request = AWSRequest(
        method="POST",
        url=url,
        data=BODY,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"DynamoDB_20120810.{target}",
        },
    )
    boto = BotoCredentials(credentials.access_key, credentials.secret_key, credentials.token)
    with mock.patch.object(
        botocore.auth, "get_current_datetime", return_value=NOW.replace(tzinfo=None)
    ):
        botocore.auth.SigV4Auth(boto, "dynamodb", "eu-west-1").add_auth(request)
    return request.headers["Authorization"]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://dynamodb.eu-west-1.amazonaws.com/", "dynamodb.eu-west-1.amazonaws.com"),
        ("http://127.0.0.1:8000/", "127.0.0.1:8000"),
    ],
)
@pytest.mark.parametrize("token", [None, "FwoGZXIvYXdzEXAMPLETOKEN"])
def test_signatures_are_the_ones_botocore_makes(url: str, host: str, token: str | None) -> None:
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    ours = sign(credentials, "eu-west-1", host, "GetItem", BODY, NOW)
    assert ours["authorization"] == botocore_authorization(url, credentials, "GetItem")


def test_the_endpoint_follows_the_aws_variables(monkeypatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert env_endpoint("us-east-1") == "https://dynamodb.us-east-1.amazonaws.com"
    assert env_endpoint("cn-north-1") == "https://dynamodb.cn-north-1.amazonaws.com.cn"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:9000")
    assert env_endpoint("us-east-1") == "http://localhost:9000"
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")
    assert env_endpoint("us-east-1") == "http://127.0.0.1:8000"


def test_it_needs_credentials_and_a_region_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "a")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "b")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    assert HttpDynamo.from_env() is None
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert HttpDynamo.from_env() is not None
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert HttpDynamo.from_env() is None


def test_a_failed_condition_comes_back_as_its_error_code(dynamo_table) -> None:
    client = HttpDynamo.from_env()
    item = {"household": {"S": "k"}, "version": {"N": "1"}}
    client.call("put_item", TableName=dynamo_table, Item=item)
    with pytest.raises(DynamoError) as raised:
        client.call(
            "put_item",
            TableName=dynamo_table,
            Item=item,
            ConditionExpression="attribute_not_exists(household)",
        )
    assert raised.value.code == "ConditionalCheckFailedException"
    got = client.call("get_item", TableName=dynamo_table, Key={"household": {"S": "k"}})
    assert got["Item"] == item


def test_throttling_is_retried_once_then_reported(dynamo_table, dynalite) -> None:
    with FaultProxy(("127.0.0.1", dynalite.port), mode="throttle") as proxy:
        client = HttpDynamo.from_env(endpoint=proxy.endpoint)
        sent: Counter[str] = Counter()
        client.listeners.append(lambda operation: sent.update([operation]))
        with pytest.raises(DynamoError) as raised:
            client.call("get_item", TableName=dynamo_table, Key={"household": {"S": "k"}})
        assert raised.value.code == "ThrottlingException"
        assert sent == {"GetItem": 2} and proxy.requests == 2


@pytest.mark.parametrize("mode", ["blackhole", "refuse"])
def test_no_answer_is_unreachable_after_one_retry(dynamo_table, dynalite, mode: str) -> None:
    with FaultProxy(("127.0.0.1", dynalite.port), mode=mode) as proxy:
        client = HttpDynamo.from_env(endpoint=proxy.endpoint, attempt_deadline=0.3)
        sent: Counter[str] = Counter()
        client.listeners.append(lambda operation: sent.update([operation]))
        with pytest.raises(DynamoUnreachable):
            client.call("get_item", TableName=dynamo_table, Key={"household": {"S": "k"}})
        assert sent == {"GetItem": 2}
        proxy.mode = "pass"
        got = client.call("get_item", TableName=dynamo_table, Key={"household": {"S": "k"}})
        assert got == {}  # the connection is made anew once the server answers again
