"""Handlers for what means the same in every phase: stop, pause, help, repeat, turn length,
support, forgetting the couple, and the answers to a pending yes/no question."""

from __future__ import annotations

from skill.engine import beats
from skill.engine.context import Ctx
from skill.engine.events import Event, EventKind
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import (
    context_reprompt,
    not_understood,
    prompt,
    question_and_reprompt,
    where_and_what,
)
from skill.engine.reply import Reply
from skill.engine.state import MAX_TURN_SECONDS, MIN_TURN_SECONDS, Asking, Phase, State
from skill.engine.words import say, seconds_words

TURN_STEP = 15  # seconds added or taken by "longer turns" / "shorter turns"


def stop(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Stop, cancel, home: the place is kept (a check-in in progress can be resumed)."""
    state = state.replace(asking=Asking.NOTHING)
    if state.phase != Phase.BEAT:
        return reply(state, say(ctx.content, state, "stop_plain"), end=True)
    key = "pause" if event.kind == EventKind.PAUSE else "stop_saved"
    return reply(state, say(ctx.content, state, key), end=True)


def repeat(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx)


def help_here(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(
        state,
        where_and_what(state, ctx),
        say(ctx.content, state, "not_therapy"),
        reprompt=context_reprompt(state, ctx),
    )


def turn_time(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Longer turns" / "shorter turns": the floor of silence moves by 15 s, within bounds."""
    content = ctx.content
    direction = event.slots.get("turnTime")
    if direction not in ("longer", "shorter"):
        return not_understood(state, ctx)
    step = TURN_STEP if direction == "longer" else -TURN_STEP
    seconds = min(MAX_TURN_SECONDS, max(MIN_TURN_SECONDS, state.turn_seconds + step))
    if seconds == state.turn_seconds:
        word = "long" if direction == "longer" else "short"
        said = say(content, state, "turns_limit", direction=word, length=seconds_words(seconds))
    else:
        key = "turns_longer" if direction == "longer" else "turns_shorter"
        said = say(content, state, key, length=seconds_words(seconds))
    state = state.replace(turn_seconds=seconds)
    if state.phase == Phase.BEAT:
        follow = beats.ask_line(state, ctx)
    elif state.names:
        follow = question_and_reprompt(state, ctx)[0]
    else:
        follow = say(content, state, "ask_names_reprompt")
    return reply(state, said, follow, reprompt=context_reprompt(state, ctx))


def support(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "We need help": a calm pointer to support, then an offer to stop for tonight."""
    return reply(
        state.replace(asking=Asking.SUPPORT),
        say(ctx.content, state, "support"),
        say(ctx.content, state, "support_offer_stop"),
        reprompt=say(ctx.content, state, "support_reprompt"),
    )


def ask_forget(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Forget us": asks first; there is nothing to forget before any name."""
    content = ctx.content
    if not state.names and not state.heard:
        nothing = say(content, state, "forget_nothing")
        if state.phase == Phase.NEW:
            return reply(state, nothing, say(content, state, "stop_plain"), end=True)
        return prompt(state, ctx, nothing)
    return reply(
        state.replace(asking=Asking.FORGET),
        say(content, state, "forget_confirm"),
        reprompt=say(content, state, "forget_reprompt"),
    )


# --- answers to a pending yes/no question (the state comes with the question cleared) ---
def forget_confirmed(state: State, event: Event, ctx: Ctx) -> Outcome:
    done = say(ctx.content, state, "forget_done")
    return Outcome(State(), Reply((done,), None, True), forget=True)


def forget_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx, say(ctx.content, state, "forget_kept"))


def support_stop(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, say(ctx.content, state, "stop_plain"), end=True)


def support_carry_on(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx, say(ctx.content, state, "carry_on"))
