"""The Lambda entry point, fed events shaped like the ones Alexa sends."""

from __future__ import annotations

import json

import pytest

from skill.alexa.guard import WrongSkill
from tests.conftest import load_lambda_module

LAUNCH = json.loads(
    """{
  "version": "1.0",
  "session": {
    "new": true,
    "sessionId": "amzn1.echo-api.session.0000",
    "application": {"applicationId": "amzn1.ask.skill.our-checkin-local"},
    "user": {"userId": "amzn1.ask.account.lambda-test"}
  },
  "context": {
    "System": {
      "application": {"applicationId": "amzn1.ask.skill.our-checkin-local"},
      "user": {"userId": "amzn1.ask.account.lambda-test"},
      "device": {"deviceId": "amzn1.ask.device.0000", "supportedInterfaces": {}},
      "apiEndpoint": "https://api.amazonalexa.com",
      "apiAccessToken": "token"
    }
  },
  "request": {
    "type": "LaunchRequest",
    "requestId": "amzn1.echo-api.request.0000",
    "timestamp": "2026-11-23T20:00:00Z",
    "locale": "en-US",
    "shouldLinkResultBeReturned": false
  }
}"""
)


def test_a_launch_request_gets_a_spoken_welcome_and_an_open_microphone(db_path) -> None:
    response = load_lambda_module().lambda_handler(LAUNCH, None)
    assert response["version"] == "1.0"
    body = response["response"]
    assert body["outputSpeech"]["type"] == "SSML"
    assert "first names" in body["outputSpeech"]["ssml"]
    assert body["shouldEndSession"] is False
    assert body["reprompt"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert json.loads(response["sessionAttributes"]["state"])["phase"] == "names"


def test_the_skill_id_is_verified_when_set(db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.the-real-one")
    handler = load_lambda_module("lambda_with_skill_id").lambda_handler
    with pytest.raises(WrongSkill):
        handler(LAUNCH, None)
    good = json.loads(json.dumps(LAUNCH).replace("our-checkin-local", "the-real-one"))
    assert "first names" in handler(good, None)["response"]["outputSpeech"]["ssml"]


def test_the_skill_is_built_once_per_container(db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import skill.alexa.skill as skill_module

    builds = []
    real_builder = skill_module.skill_builder

    def counting_builder(*args, **kwargs):
        builds.append(1)
        return real_builder(*args, **kwargs)

    monkeypatch.setattr(skill_module, "skill_builder", counting_builder)
    handler = load_lambda_module("lambda_counted").lambda_handler
    for _ in range(3):
        handler(LAUNCH, None)
    assert len(builds) == 1


def test_a_check_in_on_a_speaker_loads_no_reminder_audio_or_screen_code(tmp_path) -> None:
    """A cold start pays only for what the request needs: a fresh interpreter (as a new
    Lambda container) that launches and takes a first check-in step on a speaker never
    imports the Reminders API client (requests, time zones), the meditation scripts, the
    screen's document code, the handlers of meditations, reminders and the deck by voice,
    or the spelling of other locales. (Measured: the reminder client alone added about 20 ms.)"""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = f"""
import json, sys
sys.path.insert(0, {str(root / "lambda")!r})
import lambda_function
from skill.console.envelopes import Session, launch_request
session = Session(user_id="amzn1.ask.account.cold", audio=True)
lambda_function.lambda_handler(launch_request(session), None)
heavy = {{"requests", "zoneinfo", "skill.reminders.client", "skill.reminders.schedule",
          "skill.alexa.reminder_calls", "skill.apl.screen", "skill.audio.render",
          "skill.engine.meditation", "skill.engine.reminding", "skill.engine.choosing",
          "skill.alexa.reminding", "skill.reminders.consent", "skill.audio.hosting",
          "skill.content.localized"}}
print(json.dumps(sorted(heavy & set(sys.modules))))
"""
    env = {"CHECKIN_DB": str(tmp_path / "cold.db"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout.splitlines()[-1]) == []
