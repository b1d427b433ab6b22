"""The conversation: one pure function from (state, event, time, content) to an outcome.

Every phase answers every event (routes.py declares how): an event a phase has no use for
gets a short, kind answer that says where the couple are and what they can say now."""

from __future__ import annotations

from datetime import datetime

from skill.content.model import Content
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.events import Event, EventKind
from skill.engine.outcome import Outcome
from skill.engine.routes import ANSWERS, NEVER_AN_ANSWER, ROUTES
from skill.engine.state import Asking, Phase, State
from skill.engine.words import remember

__all__ = ["Outcome", "after_call", "describe", "handle", "route"]

HEARD_AGAIN = frozenset({EventKind.HELP, EventKind.REPEAT, EventKind.FALLBACK})


def handle(
    state: State,
    event: Event,
    now: datetime,
    content: Content,
    locale: str = "en-US",
    audio: bool = False,
) -> Outcome:
    """Answer one event. The state in the outcome is the one to save (if it changed): it
    remembers the lines said, so that tonight's check-in never says one twice. What the
    couple ask to hear again (help, repeat) or could not be understood changes nothing.
    `audio`: this device can play a hosted meditation (Ctx.audio)."""
    ctx = Ctx(content, now, locale, [], audio)
    outcome = route(state, event, ctx)
    if outcome.forget:
        return outcome
    new = outcome.state
    if event.kind not in HEARD_AGAIN:
        new = remember(new, ctx.spoken)
    if new != state:
        new = new.replace(updated=now.isoformat(timespec="seconds"))
    return outcome._replace(state=new) if new is not outcome.state else outcome


def after_call(
    first: Outcome,
    result: Event,
    now: datetime,
    content: Content,
    locale: str = "en-US",
    audio: bool = False,
) -> Outcome:
    """The answer once a call the engine asked for (first.effect) came back as `result`:
    first's words, then what the result means, on first's state."""
    after = handle(first.state, result, now, content, locale, audio)
    speech = (*first.reply.speech, *after.reply.speech)
    return after._replace(reply=after.reply._replace(speech=speech))


def route(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A pending yes/no question takes its answers first; everything else follows ROUTES."""
    if state.asking and event.kind not in NEVER_AN_ANSWER:
        answer = ANSWERS.get((state.asking, event.kind))
        state = state.replace(asking=Asking.NOTHING)
        if answer is not None:
            return answer(state, event, ctx)
    return ROUTES[state.phase, event.kind](state, event, ctx)


def describe(state: State, content: Content) -> dict[str, str]:
    """Where the couple are, for the console's status line (never logged: it holds names)."""
    info = {"phase": str(state.phase)}
    if state.phase == Phase.BEAT and len(state.names) == 2:
        pos = plans.current(state, content)
        plan = plans.plan_of(state, content)
        info["exercise"] = pos.exercise.title
        info["turn"] = plans.speaker(state, pos.beat) or "both of you"
        info["step"] = f"{state.step + 1}/{len(plan.steps)}"
    return info
