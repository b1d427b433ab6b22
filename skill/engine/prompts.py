"""What the current place asks, and what can be said there: for repeat and resume, for
reprompts, for help and for the fallback."""

from __future__ import annotations

from skill.engine import beats
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.outcome import Outcome, reply
from skill.engine.state import Phase, State
from skill.engine.words import plan_title, say
from skill.speech.timing import Part

NAMING = (Phase.NEW, Phase.NAMES)


def prompt(state: State, ctx: Ctx, *lead: Part) -> Outcome:
    """What the current phase asks, said again exactly (for repeat, resume, carry on)."""
    if state.phase == Phase.BEAT:
        return beats.speak(state, ctx, list(lead))
    if state.phase in NAMING and not state.heard:
        asking = state.replace(phase=Phase.NAMES, seed=state.seed or ctx.new_seed())
        welcome = say(ctx.content, state, "welcome_new")
        return reply(asking, *lead, welcome, reprompt=say(ctx.content, state, "ask_names_reprompt"))
    text, again = question_and_reprompt(state, ctx)
    return reply(state, *lead, text, reprompt=again)


def question_and_reprompt(state: State, ctx: Ctx) -> tuple[str, str]:
    """The phase's question, and its reprompt, for the phases outside the exercises."""
    content = ctx.content
    if state.phase in NAMING:
        if state.heard:
            return (
                say(content, state, "one_name", name=state.heard[0]),
                say(content, state, "one_name_reprompt"),
            )
        return say(content, state, "ask_names_reprompt"), say(content, state, "help_names")
    if state.phase == Phase.CONFIRM_NAMES:
        pair = {"first": state.heard[0], "second": state.heard[-1]}
        return (
            say(content, state, "confirm_names", **pair),
            say(content, state, "confirm_names_reprompt", **pair),
        )
    if state.phase == Phase.READY:
        return (
            say(content, state, "plan_ready", plan=plan_title(content, state.preferred_plan)),
            say(content, state, "plan_ready_reprompt"),
        )
    return say(content, state, "finished_offer"), say(content, state, "finished_reprompt")


def context_reprompt(state: State, ctx: Ctx) -> str:
    if state.phase == Phase.BEAT:
        return beats.turn_reprompt(state, ctx, plans.current(state, ctx.content))
    return question_and_reprompt(state, ctx)[1]


def where_and_what(state: State, ctx: Ctx) -> str:
    """Where the couple are and what they can say now (for help and fallback)."""
    content = ctx.content
    if state.phase == Phase.BEAT:
        pos = plans.current(state, content)
        name = plans.speaker(state, pos.beat)
        if name:
            return say(content, state, "help_turn", where=beats.where(state, pos), speaker=name)
        return say(content, state, "help_both", where=beats.where(state, pos))
    if state.phase in NAMING:
        return say(content, state, "help_names")
    if state.phase == Phase.CONFIRM_NAMES:
        return question_and_reprompt(state, ctx)[1]
    if state.phase == Phase.READY:
        return say(content, state, "help_ready", plan=plan_title(content, state.preferred_plan))
    return say(content, state, "help_done")


def not_understood(state: State, ctx: Ctx, help_key: str = "", **values: str) -> Outcome:
    """Fallback: say so, then what can be said here."""
    what = say(ctx.content, state, help_key, **values) if help_key else where_and_what(state, ctx)
    sorry = say(ctx.content, state, "not_understood")
    return reply(state, sorry, what, reprompt=context_reprompt(state, ctx))
