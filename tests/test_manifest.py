"""The skill package that ASK CLI users deploy: the manifest and the interaction model."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]


def test_the_package_model_is_the_one_the_tests_and_console_use() -> None:
    packaged = ROOT / "skill-package" / "interactionModels" / "custom" / "en-US.json"
    assert packaged.resolve() == (ROOT / "interaction_models" / "en-US.json").resolve()


def test_every_example_phrase_is_understood_by_the_model(matcher) -> None:
    phrases = MANIFEST["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    for phrase in phrases:
        kind, rest = matcher.split_invocation(phrase)
        assert kind in ("launch", "oneshot"), phrase
        assert kind == "launch" or matcher.match(rest) is not None, phrase


def test_the_manifest_declares_no_permission_the_skill_does_not_use() -> None:
    assert MANIFEST.get("permissions", []) == []


def test_the_description_says_it_is_not_therapy() -> None:
    description = MANIFEST["publishingInformation"]["locales"]["en-US"]["description"]
    assert "not therapy" in description
    privacy = MANIFEST["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is True  # first names are stored
    assert privacy["isChildDirected"] is False and privacy["allowsPurchases"] is False
