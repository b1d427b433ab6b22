"""The table is defined once (skill/store/table.py); template.yaml must say the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml

from skill.store import table

ROOT = Path(__file__).resolve().parents[1]


def template_table() -> dict:
    template = cfn_yaml.load(str(ROOT / "template.yaml"))
    return template["Resources"]["CheckInTable"]["Properties"]


def test_the_template_table_has_the_same_key_and_billing_as_the_definition() -> None:
    request = table.create_table_request("any-name")
    props = template_table()
    assert props["KeySchema"] == request["KeySchema"]
    assert props["AttributeDefinitions"] == request["AttributeDefinitions"]
    assert props["BillingMode"] == request["BillingMode"] == "PAY_PER_REQUEST"


def test_the_template_table_is_encrypted_recoverable_and_expires_unused_households() -> None:
    props = template_table()
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table.create_table_request("t")["SSESpecification"]["Enabled"] is True
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    ttl = table.time_to_live_request("t")["TimeToLiveSpecification"]
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": ttl["AttributeName"],
        "Enabled": True,
    }


def test_the_function_may_touch_only_items_of_this_table() -> None:
    template = cfn_yaml.load(str(ROOT / "template.yaml"))
    policies = template["Resources"]["CheckInFunction"]["Properties"]["Policies"]
    statements = [s for p in policies for s in p["Statement"]]
    actions = {a for s in statements for a in s["Action"]}
    assert actions == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}
    assert all(s["Resource"] == {"Fn::GetAtt": ["CheckInTable", "Arn"]} for s in statements)


def test_cfn_lint_passes_offline() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
