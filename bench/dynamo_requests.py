"""Figure 3, DynamoDB requests in whole quick check-ins, counted by botocore's event hooks
(before-call.dynamodb) against dynalite.

The skill runs on its DynamoDB store through a simulated Echo (typed lines become real
request envelopes), over four Alexa sessions: a first meeting that stops in the gratitude
round, a resume that times out (two silences: a SessionEndedRequest), a resume to the end
(where the first check-in offers a weekly reminder and the couple say no: a change, the
declined offer is remembered), and the next evening a whole check-in in one session (no
offer: one was declined within 30 days), with help and repeat (which change nothing) along
the way. A turn "changed the state" when the state the skill carries in its
session attributes differs from the one before (at a session's start: the stored item, read
by an uncounted client). Budget: exactly one GetItem per session, and a PutItem on exactly
the turns that changed the state.

The baseline (the SDK-sample hello world with DynamoDbAdapter) gets the same sessions with
the same request types: LaunchRequest for LaunchRequest, HelloWorldIntent (which reads and
saves, every turn, as the samples do) for every IntentRequest, SessionEndedRequest for
SessionEndedRequest.

    .venv/bin/python -m bench.dynamo_requests
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bench.common import (
    BASELINE_USER,
    NOW,
    SKILL_USER,
    Row,
    counted_baseline,
    counted_skill_store,
    dynalite,
    quiet_logs,
    run_figure,
    sink_log,
)

# Each session: (days after the first evening, what the couple say; None is a silence).
SESSIONS: tuple[tuple[int, tuple[str | None, ...]], ...] = (
    (0, ("Alexa, start our check-in", "we are Sam and Alex", "yes", "yes", "next", "help",
         "repeat", "stop")),
    (0, ("Alexa, resume our check-in", "repeat", None, None)),
    (0, ("Alexa, resume our check-in", "next", "next", "help", "next", "next", "no")),
    (1, ("Alexa, start our check-in", "next", "next", "repeat", "next", "next", "next")),
)  # fmt: skip


@dataclass
class Turn:
    """One request of a flow and the DynamoDB calls it made."""

    session: int
    request: str  # the request type
    said: str | None
    gets: int
    puts: int
    changed: bool


@dataclass
class Flow:
    """The requests of all the sessions, in order."""

    turns: list[Turn] = field(default_factory=list)

    def per_session(self) -> list[tuple[int, int, int, int]]:
        """(requests, GetItem, PutItem, turns that changed the state) per session."""
        out = []
        for number in sorted({t.session for t in self.turns}):
            turns = [t for t in self.turns if t.session == number]
            out.append(
                (
                    len(turns),
                    sum(t.gets for t in turns),
                    sum(t.puts for t in turns),
                    sum(t.changed for t in turns),
                )
            )
        return out

    def total(self, attribute: str) -> int:
        return sum(getattr(t, attribute) for t in self.turns)


def stored_state(inspector: Any, table: str, household: str) -> dict[str, Any]:
    """The stored state (a new couple's if none), read without being counted."""
    from skill.engine.state import State
    from skill.store.table import KEY

    item = inspector.get_item(TableName=table, Key={KEY: {"S": household}}).get("Item")
    return json.loads(item["state"]["S"]) if item else State().to_dict()


def skill_flow(endpoint: str) -> Flow:
    """The sessions through the skill on DynamoDB, each turn's calls counted."""
    from skill.alexa.skill import skill_builder
    from skill.console.device import Device
    from skill.store.base import household_key

    counted = counted_skill_store(endpoint, "checkin-requests")
    inspector, table, calls = counted.inspector, counted.table, counted.calls
    clock = {"now": NOW}
    device = Device(
        skill_builder(counted.store, request_log=sink_log()).lambda_handler(),
        SKILL_USER,
        clock=lambda: clock["now"],
    )
    household = household_key(SKILL_USER)
    flow = Flow()
    for number, (days, lines) in enumerate(SESSIONS, start=1):
        clock["now"] = NOW + timedelta(days=days, minutes=10 * number)
        before = stored_state(inspector, table, household)
        for said in lines:
            calls.clear()
            turn = device.hear(said) if said is not None else device.silence()
            if turn is None:  # the first silence: Alexa reprompts, the skill hears nothing
                continue
            request = turn.request["request"]["type"]
            after = turn.state or before
            flow.turns.append(
                Turn(number, request, said, calls["GetItem"], calls["PutItem"], after != before)
            )
            before = after
        if device.in_session:
            raise RuntimeError(f"session {number} did not end: {lines}")
    return flow


def baseline_flow(endpoint: str, shape: Flow) -> Flow:
    """The baseline through the same sessions and request types, calls counted."""
    from skill.console.envelopes import (
        Session,
        intent_request,
        launch_request,
        session_ended_request,
    )

    handler, calls = counted_baseline(endpoint, "hello-requests")
    flow = Flow()
    sessions: dict[int, Session] = {}
    for turn in shape.turns:
        session = sessions.setdefault(turn.session, Session(user_id=BASELINE_USER))
        if turn.request == "LaunchRequest":
            event = launch_request(session, NOW)
        elif turn.request == "IntentRequest":
            event = intent_request(session, "HelloWorldIntent", now=NOW)
        else:
            event = session_ended_request(session, now=NOW)
        calls.clear()
        response = handler(event, None)
        if turn.request != "SessionEndedRequest":
            session.absorb(response)
        flow.turns.append(
            Turn(turn.session, turn.request, None, calls["GetItem"], calls["PutItem"], True)
        )
    return flow


def within_budget(flow: Flow) -> list[str]:
    """What breaks the budget: sessions not read exactly once, turns written wrongly."""
    problems = []
    for number, (_requests, gets, _puts, _changed) in enumerate(flow.per_session(), start=1):
        if gets != 1:
            problems.append(f"session {number}: {gets} GetItem")
    for turn in flow.turns:
        if turn.puts != int(turn.changed):
            problems.append(
                f"session {turn.session}, {turn.said or turn.request!r}: {turn.puts} PutItem, "
                f"state {'changed' if turn.changed else 'unchanged'}"
            )
    return problems


def measure(quick: bool = False, endpoint: str | None = None) -> Row:
    """Measure the figure; its row for the report."""
    with dynalite(endpoint) as url, quiet_logs():
        skill = skill_flow(url)
        baseline = baseline_flow(url, skill)
    problems = within_budget(skill)
    requests = len(skill.turns)
    skill_calls = skill.total("gets") + skill.total("puts")
    baseline_calls = baseline.total("gets") + baseline.total("puts")
    notes = [
        f"{len(SESSIONS)} sessions, {requests} requests per side; skill turns that changed the "
        f"state: {skill.total('changed')}",
        "skill per session (requests, GetItem, PutItem, changed turns): "
        + "; ".join(f"{r}/{g}/{p}/{c}" for r, g, p, c in skill.per_session()),
        "baseline per session (requests, GetItem, PutItem): "
        + "; ".join(f"{r}/{g}/{p}" for r, g, p, _ in baseline.per_session()),
        *problems,
    ]
    return Row(
        "3 DynamoDB requests (Get+Put)",
        f"{skill.total('gets')}+{skill.total('puts')} = {skill_calls}",
        f"{baseline.total('gets')}+{baseline.total('puts')} = {baseline_calls}",
        f"{skill_calls / baseline_calls:.2f}",
        "1 Get/session, Put iff changed",
        not problems,
        notes,
    )


def main() -> None:
    """The command line: measure and print the figure's row."""
    run_figure(__doc__, measure)


if __name__ == "__main__":
    main()
