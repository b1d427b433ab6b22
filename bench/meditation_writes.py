"""DynamoDB requests per meditation, counted against dynalite.

Skill: the skill on its DynamoDB store (its own HTTP client, every request it sends counted
by the store's listener), a couple already known. One meditation, request by request, as
two Echos of the household send them: in the living room "a ten minute meditation"
(MeditateIntent: Play), the player's PlaybackStarted, "Alexa, pause" (AMAZON.PauseIntent:
Stop), the player's PlaybackStopped (the offset); in the kitchen "resume"
(AMAZON.ResumeIntent: Play at that offset), PlaybackStarted, and at the end
PlaybackFinished (the meditation counts). Budget: at most one PutItem per PlaybackStarted
or PlaybackStopped, and none from a request that changes nothing stored.

Baseline: the SDK-sample hello world with DynamoDbAdapter gets the same seven requests, each
as a HelloWorldIntent (which reads and saves every turn, as the samples do; the samples'
audio players save their playback state on every request too).

    .venv/bin/python -m bench.meditation_writes

Exits 1 when a PlaybackStarted or PlaybackStopped wrote more than once (a rule, not a
timing); the figure is printed either way.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass

from bench.common import (
    BASELINE_USER,
    NOW,
    SKILL_USER,
    Row,
    counted_baseline,
    counted_skill_store,
    dynalite,
    item_size,
    quiet_logs,
    run_figure,
    sink_log,
)

AUDIO_URL = "https://audio.bench.test/meditations/"  # never fetched: only the URL is built
LIVING_ROOM = "amzn1.ask.device.bench-living-room"
KITCHEN = "amzn1.ask.device.bench-kitchen"
PAUSED_AT = 184_000
TEN_MINUTES = 600_000
# The requests of one meditation: (device, what is sent). A said line, or a report.
STEPS: tuple[tuple[str, str], ...] = (
    (LIVING_ROOM, "Alexa, ask our check in for a ten minute meditation"),
    (LIVING_ROOM, "AudioPlayer.PlaybackStarted"),
    (LIVING_ROOM, "Alexa, pause"),
    (LIVING_ROOM, "AudioPlayer.PlaybackStopped"),
    (KITCHEN, "Alexa, ask our check in to resume"),
    (KITCHEN, "AudioPlayer.PlaybackStarted"),
    (KITCHEN, "AudioPlayer.PlaybackFinished"),
)
LIMITED = ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped")


@dataclass
class Step:
    """One request of the meditation and the DynamoDB calls it made."""

    device: str
    sent: str
    request: str  # the request's type, or the intent's name
    gets: int
    puts: int
    directives: list[str]


def skill_meditation(endpoint: str) -> tuple[list[Step], int]:
    """The meditation through the skill on DynamoDB, each request's calls counted; and the
    household's item size (DynamoDB's bytes) once it is over."""
    from skill.alexa.skill import skill_builder
    from skill.store.base import household_key
    from skill.store.table import KEY
    from tests.audio_envelopes import AudioEcho, Report, directive_types

    os.environ["CHECKIN_AUDIO_URL"] = AUDIO_URL
    counted = counted_skill_store(endpoint, "checkin-meditation")
    calls = counted.calls
    handler = skill_builder(counted.store, request_log=sink_log()).lambda_handler()
    echos = {
        device: AudioEcho(handler, SKILL_USER, device, clock=lambda: NOW)
        for device in (LIVING_ROOM, KITCHEN)
    }
    living_room = echos[LIVING_ROOM]
    for line in ("Alexa, start our check-in", "we are Sam and Alex", "yes"):  # not counted
        living_room.hear(line)
    living_room.close()
    steps = []
    for device, sent in STEPS:
        echo = echos[device]
        calls.clear()
        if sent == Report.STOPPED:
            turn = echo.report(Report.STOPPED, offset=PAUSED_AT)
        elif sent == Report.FINISHED:
            turn = echo.report(Report.FINISHED, offset=TEN_MINUTES)
        elif sent.startswith("AudioPlayer."):
            turn = echo.report(Report(sent))
        else:
            turn = echo.hear(sent)
        steps.append(
            Step(
                device,
                sent,
                turn.intent,
                calls["GetItem"],
                calls["PutItem"],
                directive_types(turn.response),
            )
        )
    item = counted.inspector.get_item(
        TableName=counted.table, Key={KEY: {"S": household_key(SKILL_USER)}}
    )
    state = json.loads(item["Item"]["state"]["S"])
    if state.get("meditated") != 1:
        raise RuntimeError(f"the finished meditation was not counted: {state}")
    return steps, item_size(item["Item"])


def baseline_meditation(endpoint: str) -> list[tuple[int, int]]:
    """The hello world through the same seven requests: (GetItem, PutItem) of each."""
    from skill.console.envelopes import Session, intent_request

    handler, calls = counted_baseline(endpoint, "hello-meditation")
    out = []
    for _ in STEPS:
        calls.clear()
        handler(intent_request(Session(user_id=BASELINE_USER), "HelloWorldIntent", now=NOW), None)
        out.append((calls["GetItem"], calls["PutItem"]))
    return out


def within_budget(steps: list[Step]) -> list[str]:
    """What breaks the rule: a Started or Stopped that wrote more than once."""
    return [
        f"{step.sent} ({step.device}): {step.puts} PutItem"
        for step in steps
        if step.sent in LIMITED and step.puts > 1
    ]


def measure(quick: bool = False, endpoint: str | None = None) -> Row:
    """Measure the figure; its row for the report. (The same with --quick: it is a count.)"""
    with dynalite(endpoint) as url, quiet_logs():
        steps, size = skill_meditation(url)
        baseline = baseline_meditation(url)
    problems = within_budget(steps)
    gets, puts = sum(s.gets for s in steps), sum(s.puts for s in steps)
    base_gets, base_puts = sum(g for g, _ in baseline), sum(p for _, p in baseline)
    each = [f"{s.request} {s.gets}/{s.puts} {'+'.join(s.directives) or '-'}" for s in steps]
    notes = [
        "per request (GetItem/PutItem, directives): " + "; ".join(each),
        f"baseline per request (GetItem/PutItem): {'; '.join(f'{g}/{p}' for g, p in baseline)}",
        f"the household's item after the meditation: {size} bytes",
        *problems,
    ]
    return Row(
        "DynamoDB writes per meditation (Put; Get+Put)",
        f"{puts}; {gets}+{puts} = {gets + puts}",
        f"{base_puts}; {base_gets}+{base_puts} = {base_gets + base_puts}",
        f"{puts / base_puts:.2f}; {(gets + puts) / (base_gets + base_puts):.2f}",
        "<= 1 Put per Started/Stopped",
        not problems,
        notes,
    )


def main() -> None:
    """The command line: measure and print the figure's row; exit 1 if the rule is broken."""
    if not run_figure(__doc__, measure).ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
