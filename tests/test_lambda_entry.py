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
