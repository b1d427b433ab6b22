"""The skill package that ASK CLI users deploy: the manifest and the interaction model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.console.matcher import UtteranceMatcher
from skill.locales import LOCALES
from skill.speech.spelling import respell

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_package_model_is_the_one_the_tests_and_console_use(locale: str) -> None:
    packaged = ROOT / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"
    assert packaged.resolve() == (ROOT / "interaction_models" / f"{locale}.json").resolve()


def test_the_package_has_a_model_and_a_manifest_entry_for_every_locale_and_no_other() -> None:
    packaged = ROOT / "skill-package" / "interactionModels" / "custom"
    assert sorted(p.stem for p in packaged.glob("*.json")) == sorted(LOCALES)
    assert sorted(MANIFEST["publishingInformation"]["locales"]) == sorted(LOCALES)
    assert sorted(MANIFEST["privacyAndCompliance"]["locales"]) == sorted(LOCALES)
    countries = {locale.split("-")[1] for locale in LOCALES}
    assert set(MANIFEST["publishingInformation"]["distributionCountries"]) == countries
    assert MANIFEST["publishingInformation"]["isAvailableWorldwide"] is False


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_entry_is_complete_and_spelled_for_its_locale(locale: str) -> None:
    entry = MANIFEST["publishingInformation"]["locales"][locale]
    for key in ("name", "summary", "description", "examplePhrases", "keywords"):
        assert entry.get(key), (locale, key)
    assert entry["name"] == "Our Check-In"
    assert len(entry["summary"]) <= 160 and len(entry["description"]) <= 4000
    assert 1 <= len(entry["keywords"]) <= 30
    for key in ("name", "summary", "description"):
        assert entry[key] == respell(entry[key], locale), (locale, key)
    privacy = MANIFEST["privacyAndCompliance"]["locales"][locale]
    assert privacy["privacyPolicyUrl"].startswith("https://")
    assert privacy["termsOfUseUrl"].startswith("https://")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_example_phrase_is_understood_by_the_model(locale: str) -> None:
    matcher = UtteranceMatcher.from_file(ROOT / "interaction_models" / f"{locale}.json")
    phrases = MANIFEST["publishingInformation"]["locales"][locale]["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    assert phrases[0].startswith("Alexa, ")
    for phrase in phrases:
        kind, rest = matcher.split_invocation(phrase)
        assert kind in ("launch", "oneshot"), phrase
        assert kind == "launch" or matcher.match(rest) is not None, phrase


def test_the_manifest_declares_exactly_the_permissions_the_skill_uses() -> None:
    """Reminders only (issue 13): the weekly reminder asks for this scope by voice and by card,
    and a declared permission the skill never asks for fails certification."""
    from skill.reminders.consent import PERMISSION, ask_for_permission, permissions_card

    assert MANIFEST.get("permissions", []) == [{"name": PERMISSION}]
    scopes = ask_for_permission()["payload"]["permissionScopes"]
    assert scopes == [{"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}]
    assert permissions_card()["permissions"] == [PERMISSION]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_description_says_it_is_not_therapy(locale: str) -> None:
    description = MANIFEST["publishingInformation"]["locales"][locale]["description"]
    assert "not therapy" in description
    privacy = MANIFEST["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is True  # first names are stored
    assert privacy["isChildDirected"] is False and privacy["allowsPurchases"] is False


def _apl_viewports() -> list[dict]:
    interfaces = MANIFEST["apis"]["custom"].get("interfaces", [])
    (apl,) = [i for i in interfaces if i["type"] == "ALEXA_PRESENTATION_APL"]
    return apl["supportedViewports"]


def _declared(viewport: dict) -> list[dict]:
    """The manifest's entries a device's viewport falls in (sizes in dp, modes in capitals)."""
    return [
        entry
        for entry in _apl_viewports()
        if entry["mode"] == viewport["mode"].upper()
        and entry["shape"] == viewport["shape"].upper()
        and entry["minWidth"] <= viewport["width"] <= entry["maxWidth"]
        and entry["minHeight"] <= viewport["height"] <= entry["maxHeight"]
    ]


def test_the_manifest_declares_apl_for_every_screen_the_document_is_checked_on() -> None:
    from tests.apl.render import VIEWPORTS

    entries = _apl_viewports()
    for entry in entries:
        assert set(entry) == {"mode", "shape", "minWidth", "maxWidth", "minHeight", "maxHeight"}
        assert entry["mode"] in ("HUB", "TV") and entry["shape"] in ("ROUND", "RECTANGLE")
        assert entry["minWidth"] <= entry["maxWidth"] and entry["minHeight"] <= entry["maxHeight"]
    for name, viewport in VIEWPORTS.items():
        assert _declared(viewport), f"{name} is not among the supported viewports"
    # and no entry claims a screen the document's tests never looked at
    for entry in entries:
        assert any(entry in _declared(v) for v in VIEWPORTS.values()), entry


def test_the_manifest_declares_the_screen_and_the_audio_player_only() -> None:
    """A declared interface changes what Alexa sends and what certification checks: the
    screen (APL) and the audio player (the meditations), nothing else."""
    interfaces = MANIFEST["apis"]["custom"].get("interfaces", [])
    assert sorted(i["type"] for i in interfaces) == ["ALEXA_PRESENTATION_APL", "AUDIO_PLAYER"]
