"""The DynamoDB store against a real DynamoDB-API server (dynalite on 127.0.0.1, started by
the test session): configuration, whole check-ins, faults, old items, size, forget us."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from skill.alexa.skill import skill_builder
from skill.console.device import Device
from skill.engine.state import SCHEMA_VERSION, State
from skill.store import store_from_env
from skill.store.base import household_key
from skill.store.dynamo_http import HttpDynamo
from skill.store.dynamodb import BotocoreTransport, DynamoStore, make_client
from skill.store.sqlite import SqliteStore
from skill.store.table import KEY
from tests.conftest import COUPLE_ID, Clock, decline_offers, meet
from tests.servers import FaultProxy
from tests.simulate import nightly_check_ins

ROOT = Path(__file__).resolve().parents[1]


def item_size(item: dict) -> int:
    """DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about
    one byte per two digits plus one)."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        if "S" in value:
            size += len(value["S"].encode())
        elif "N" in value:
            size += (len(value["N"].lstrip("-").replace(".", "")) + 1) // 2 + 1
    return size


def raw_item(table: str, user_id: str = COUPLE_ID) -> dict | None:
    response = make_client().get_item(TableName=table, Key={KEY: {"S": household_key(user_id)}})
    return response.get("Item")


def counted_device(store: DynamoStore, clock: Clock, device_id: str = "amzn1.ask.device.a"):
    """A device on the skill, with every DynamoDB request counted by operation."""
    calls: Counter[str] = Counter()
    store.listen(lambda operation: calls.update([operation]))
    handler = skill_builder(store).lambda_handler()
    return Device(handler, COUPLE_ID, device_id, clock=clock), calls


def test_importing_the_store_makes_no_aws_call_and_loads_no_aws_sdk() -> None:
    code = (
        "import sys; import skill.store.dynamodb as d; s = d.DynamoStore('t');"
        "assert s._transport is None; assert 'boto3' not in sys.modules;"
        "assert 'botocore' not in sys.modules; print('lazy')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "lazy", result.stderr


def test_with_credentials_in_the_environment_no_aws_sdk_is_loaded(dynamo_table, aws_env) -> None:
    """As on Lambda: the first response of a cold start needs neither boto3 nor botocore."""
    code = (
        "import sys; from skill.store.dynamodb import DynamoStore;"
        f"s = DynamoStore('{dynamo_table}'); s.save('k', {{'v': 2}}, None);"
        "assert s.load('k').state == {'v': 2};"
        "assert 'botocore' not in sys.modules and 'boto3' not in sys.modules; print('light')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=os.environ
    )
    assert result.stdout.strip() == "light", result.stderr


def test_without_credentials_in_the_environment_botocore_finds_them(monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert isinstance(DynamoStore("t").transport, BotocoreTransport)


def test_the_table_name_selects_dynamodb_and_its_absence_sqlite(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CHECKIN_DB", str(tmp_path / "c.db"))
    monkeypatch.delenv("CHECKIN_TABLE", raising=False)
    assert isinstance(store_from_env(), SqliteStore)
    monkeypatch.setenv("CHECKIN_TABLE", "our-checkin")
    store = store_from_env()
    assert isinstance(store, DynamoStore) and store.table == "our-checkin"


def test_the_client_follows_the_aws_environment_variables(aws_env, monkeypatch) -> None:
    light = DynamoStore("t").transport
    assert isinstance(light, HttpDynamo)
    assert light.region == "eu-west-1" and aws_env.endswith(light.host)
    settings = (light.connect_timeout, light.attempt_deadline, light.call_deadline, light.attempts)
    assert settings == (0.5, 0.8, 1.2, 2)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB")
    light = DynamoStore("t").transport
    assert (light.region, light.host) == ("ap-southeast-2", "dynamodb.ap-southeast-2.amazonaws.com")
    client = make_client()  # the botocore path, for everything else
    assert client.meta.region_name == "ap-southeast-2"
    config = client.meta.config
    assert config.connect_timeout <= 1 and config.read_timeout <= 1
    assert config.retries["total_max_attempts"] == 1  # the store's calls retry in BotocoreTransport


def test_a_whole_check_in_reads_once_per_session_and_writes_only_on_change(
    dynamo_store: DynamoStore, clock: Clock
) -> None:
    echo, calls = counted_device(dynamo_store, clock)
    meet(echo)  # session 1: launch, names, yes
    echo.hear("yes")
    echo.hear("next")
    echo.hear("help")  # changes nothing
    echo.hear("repeat")  # changes nothing
    echo.hear("stop")
    # launch, names, confirm, pause, gratitude, stop (the line said is remembered, so that a
    # later stop in this check-in says another)
    assert calls == {"GetItem": 1, "PutItem": 6}
    calls.clear()
    for line in ("Alexa, resume our check-in", "next", "next", "next"):
        echo.hear(line)  # session 2: resume (its lead line is remembered), three steps
    decline_offers(echo, echo.hear("next"))  # the closing offers a reminder: "no", goodbye
    assert not echo.in_session
    # resume, four steps, and the no (the offer declined is remembered, not to ask for 30 days)
    assert calls == {"GetItem": 1, "PutItem": 6}


def test_resume_on_a_second_device_of_the_same_household(
    dynamo_store: DynamoStore, clock: Clock
) -> None:
    living_room, _ = counted_device(dynamo_store, clock)
    meet(living_room)
    living_room.hear("yes")
    living_room.hear("next")
    assert living_room.silence() is None and living_room.silence() is not None
    kitchen, _ = counted_device(dynamo_store, clock, "amzn1.ask.device.kitchen")
    turn = kitchen.hear("Alexa, resume our check-in")
    assert "gratitude round, Sam's turn" in turn.speech


def test_two_devices_at_once_lose_no_update(dynamo_store: DynamoStore, clock: Clock) -> None:
    living_room, _ = counted_device(dynamo_store, clock)
    kitchen, _ = counted_device(dynamo_store, clock, "amzn1.ask.device.kitchen")
    meet(living_room)
    living_room.hear("yes")
    kitchen.hear("Alexa, resume our check-in")
    living_room.hear("next")
    kitchen.hear("next")  # its version is stale: re-read, re-applied on top
    state = State.from_dict(json.loads(raw_item(dynamo_store.table)["state"]["S"]))
    assert (state.step, state.beat) == (1, 1)
    # launch, names, yes, yes, the kitchen's resume (its line is remembered), next, next
    assert raw_item(dynamo_store.table)["version"]["N"] == "7"


def test_an_old_schema_item_loads_and_resumes(dynamo_store: DynamoStore, clock: Clock) -> None:
    v1 = {
        "v": 1,
        "names": ["Sam", "Alex"],
        "phase": "beat",
        "step": 1,
        "beat": 1,
        "started": 1,
        "days": ["2026-11-02", "2026-11-09"],
        "asked": ["mem01"],
        "completed": 2,
        "updated": clock.now.isoformat(),
    }
    make_client().put_item(
        TableName=dynamo_store.table,
        Item={
            KEY: {"S": household_key(COUPLE_ID)},
            "version": {"N": "7"},
            "state": {"S": json.dumps(v1)},
        },
    )
    echo, _ = counted_device(dynamo_store, clock)
    turn = echo.hear("Alexa, resume our check-in")
    assert "gratitude round, Alex's turn" in turn.speech and "Sorry" not in turn.speech
    echo.hear("next")
    stored = json.loads(raw_item(dynamo_store.table)["state"]["S"])
    assert stored["v"] == SCHEMA_VERSION and stored["completed"] == 2 and "days" not in stored


def test_the_item_stays_under_2_kb_after_365_check_ins(
    dynamo_store: DynamoStore, clock: Clock
) -> None:
    state = nightly_check_ins(365)
    key = household_key(COUPLE_ID)
    dynamo_store.save(key, state.to_dict(), None)
    item = raw_item(dynamo_store.table)
    size = item_size(item)
    print(f"item size after 365 check-ins: {size} bytes")
    assert state.completed == 365 and size <= 2048


def test_forget_us_deletes_the_item(dynamo_store: DynamoStore, clock: Clock) -> None:
    echo, calls = counted_device(dynamo_store, clock)
    meet(echo)
    assert raw_item(dynamo_store.table) is not None
    echo.hear("forget us")
    turn = echo.hear("yes")
    assert "deleted" in turn.speech and turn.ended
    assert raw_item(dynamo_store.table) is None
    assert calls["DeleteItem"] == 1
    assert "first names" in echo.hear("Alexa, start our check-in").speech


@pytest.fixture
def behind_proxy(dynamo_table: str, dynalite, clock: Clock):
    """A device whose skill reaches DynamoDB through a fault-injecting proxy."""
    with FaultProxy(("127.0.0.1", dynalite.port)) as proxy:
        store = DynamoStore(dynamo_table, transport=make_client_for(proxy.endpoint))
        echo, _ = counted_device(store, clock)
        yield proxy, echo


@pytest.mark.parametrize("fault", ["throttle", "blackhole", "refuse"])
def test_mid_check_in_faults_keep_the_check_in_going_and_lose_nothing(
    dynamo_table: str, behind_proxy, fault: str
) -> None:
    proxy, echo = behind_proxy
    meet(echo)
    echo.hear("yes")
    before = raw_item(dynamo_table)
    proxy.mode = fault
    turn = echo.hear("next")  # not saved: the store is failing
    assert "Sam" in turn.speech and "[pause 45s]" in turn.speech and not turn.ended
    turn = echo.hear("next")
    assert "Alex" in turn.speech and not turn.ended
    assert raw_item(dynamo_table) == before  # nothing rolled back or half-written
    proxy.mode = "pass"
    echo.hear("next")  # the next change writes everything the session holds
    state = State.from_dict(json.loads(raw_item(dynamo_table)["state"]["S"]))
    assert state.step == 2


def test_faults_at_stop_are_told_to_the_couple(behind_proxy) -> None:
    proxy, echo = behind_proxy
    meet(echo)
    echo.hear("yes")
    proxy.mode = "throttle"
    echo.hear("next")
    turn = echo.hear("stop")
    assert turn.ended
    assert "save" in turn.speech and ("couldn't" in turn.speech or "wasn't" in turn.speech)


def test_a_store_down_at_the_start_of_a_session_apologises_and_overwrites_nothing(
    dynamo_table: str, behind_proxy
) -> None:
    proxy, echo = behind_proxy
    meet(echo)
    echo.hear("stop")
    before = raw_item(dynamo_table)
    proxy.mode = "refuse"
    turn = echo.hear("Alexa, start our check-in")
    assert turn.ended and "Sorry" in turn.speech and "first names" not in turn.speech
    assert raw_item(dynamo_table) == before


def make_client_for(endpoint: str) -> HttpDynamo:
    """The skill's own client, pointed at the fault proxy."""
    transport = HttpDynamo.from_env(endpoint=endpoint)
    assert transport is not None
    return transport


def test_create_table_command_makes_a_ready_table(aws_env) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skill.cli", "create-table", "--table", "checkin-cli-made"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout
    table = make_client().describe_table(TableName="checkin-cli-made")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
