"""Handlers of tonight's check-in: choosing it, moving through its beats, and after it."""

from __future__ import annotations

from datetime import datetime, timedelta

from skill.content.model import Source
from skill.engine import beats
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.deck import draw_question
from skill.engine.events import Event, EventKind
from skill.engine.names import same_name
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import context_reprompt, not_understood, prompt
from skill.engine.state import State
from skill.engine.words import plan_title, say
from skill.speech.timing import Pause

STALE_AFTER = timedelta(hours=12)  # an unfinished check-in older than this is not resumed on launch


def chosen_length(event: Event, ctx: Ctx) -> str | None:
    """The plan id the event names ("full", "quick"), when it names one we have."""
    length = event.slots.get("length")
    return length if length in ctx.content.plans else None


def unknown_length(state: State, ctx: Ctx) -> Outcome:
    unknown = say(ctx.content, state, "unknown_length")
    return reply(state, unknown, reprompt=context_reprompt(state, ctx))


# --- before tonight's check-in -------------------------------------------------------------
def begin_tonight(state: State, event: Event, ctx: Ctx) -> Outcome:
    return beats.begin(state, ctx, welcome=event.kind == EventKind.LAUNCH)


def start_with_length(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Start our full check-in": the length named (if any) is kept as the couple's choice."""
    length = chosen_length(event, ctx)
    if length:
        state = state.replace(preferred_plan=length)
    return beats.begin(state, ctx)


def choose_length(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Make it full" before starting: noted, then "shall we start?"."""
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    state = state.replace(preferred_plan=length)
    content = ctx.content
    return reply(
        state,
        say(content, state, "plan_changed", plan=plan_title(content, length)),
        say(content, state, "ready_to_begin"),
        reprompt=say(content, state, "plan_ready_reprompt"),
    )


def not_ready(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(
        state,
        say(ctx.content, state, "not_ready"),
        reprompt=say(ctx.content, state, "plan_ready_reprompt"),
    )


def ask_again(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx)


def ready_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(
        state, ctx, "help_ready", plan=plan_title(ctx.content, state.preferred_plan)
    )


def single(state: State, event: Event, ctx: Ctx) -> Outcome:
    """One exercise on its own."""
    exercise = event.slots.get("exercise")
    if exercise not in ctx.content.exercises:
        unknown = say(ctx.content, state, "unknown_exercise")
        return reply(state, unknown, reprompt=context_reprompt(state, ctx))
    return beats.begin(state, ctx, plan=f"{plans.SINGLE_PREFIX}{exercise}")


# --- during tonight's check-in ---------------------------------------------------------------
def is_stale(state: State, now: datetime) -> bool:
    try:
        updated = datetime.fromisoformat(state.updated)
    except ValueError:
        return True
    if updated.tzinfo is None or now.tzinfo is None:
        updated, now = updated.replace(tzinfo=None), now.replace(tzinfo=None)
    return now - updated > STALE_AFTER


def resumed_lead(state: State, ctx: Ctx) -> str:
    where = beats.where(state, plans.current(state, ctx.content))
    return say(ctx.content, state, "resuming", where=where)


def return_to_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A launch mid-check-in: welcome back and pick up where they were (unless it is old)."""
    if is_stale(state, ctx.now):
        return beats.begin(state, ctx, welcome=True)
    first, second = state.names
    welcome = say(ctx.content, state, "welcome_back", first=first, second=second)
    return beats.speak(state, ctx, [welcome, resumed_lead(state, ctx)], intro=False)


def resume_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    return beats.speak(state, ctx, [resumed_lead(state, ctx)], intro=False)


def next_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    return beats.advance(state, ctx, [])


def more_time(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "No" to "ready for the next turn?": another floor of silence."""
    pos = plans.current(state, ctx.content)
    return reply(
        state,
        say(ctx.content, state, "more_time"),
        Pause(state.turn_seconds),
        beats.ask_line(state, ctx),
        reprompt=beats.turn_reprompt(state, ctx, pos),
    )


def skip(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A question beat draws another question for the same partner; any other beat passes."""
    if plans.current(state, ctx.content).beat.source == Source.QUESTION:
        state = draw_question(state, ctx.content)
        return beats.speak(state, ctx, [say(ctx.content, state, "another_question")], intro=False)
    return beats.advance(state, ctx, [say(ctx.content, state, "skipping")])


def switch(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Switch" / "Alex wants to go first": the order flips for the rest of tonight."""
    content = ctx.content
    pos = plans.current(state, content)
    current = plans.speaker(state, pos.beat)
    again = beats.turn_reprompt(state, ctx, pos)
    if current is None:
        both = say(content, state, "switch_both")
        return reply(state, both, beats.ask_line(state, ctx), reprompt=again)
    wanted = event.slots.get("partner")
    if wanted and same_name(wanted.strip(), current):
        return reply(state, say(content, state, "already_their_turn", name=current), reprompt=again)
    state = state.replace(swapped=not state.swapped)
    return beats.speak(state, ctx, [say(content, state, "switching")], intro=False)


def change_length(state: State, length: str, ctx: Ctx) -> Outcome:
    """At the very start the plan changes now; later, it is noted for next time."""
    content = ctx.content
    state = state.replace(preferred_plan=length)
    title = plan_title(content, length)
    if state.step == 0 and state.beat == 0 and not plans.is_single(state):
        state = beats.enter(state.replace(plan=length), ctx, 0, 0)
        return beats.speak(state, ctx, [say(content, state, "plan_changed", plan=title)])
    pos = plans.current(state, content)
    return reply(
        state,
        say(content, state, "length_later", plan=title),
        beats.ask_line(state, ctx),
        reprompt=beats.turn_reprompt(state, ctx, pos),
    )


def start_during_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    length = chosen_length(event, ctx)
    if length and length != state.plan:
        return change_length(state, length, ctx)
    return beats.speak(state, ctx, [say(ctx.content, state, "already_started")])


def length_during_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    return change_length(state, length, ctx)


def start_over(state: State, event: Event, ctx: Ctx) -> Outcome:
    state = beats.enter(state.replace(swapped=False), ctx, 0, 0)
    return beats.speak(state, ctx, [say(ctx.content, state, "start_over")])


def names_during_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    first, second = state.names
    pos = plans.current(state, ctx.content)
    return reply(
        state,
        say(ctx.content, state, "names_known", first=first, second=second),
        beats.ask_line(state, ctx),
        reprompt=beats.turn_reprompt(state, ctx, pos),
    )


def beat_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


# --- after tonight's check-in ----------------------------------------------------------------
def again_tonight(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Another check-in after the last one finished (the length named is kept)."""
    length = chosen_length(event, ctx)
    if length:
        state = state.replace(preferred_plan=length)
    return beats.begin(state, ctx, welcome=event.kind == EventKind.LAUNCH)


def length_when_done(state: State, event: Event, ctx: Ctx) -> Outcome:
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    return beats.begin(state.replace(preferred_plan=length), ctx)


def goodbye(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, say(ctx.content, state, "stop_plain"), end=True)


def done_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx, "help_done")
