"""What the current place asks, and what can be said there: for repeat and resume, for
reprompts, for help and for the fallback."""

from __future__ import annotations

from skill.engine import beats
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.outcome import Outcome, reply
from skill.engine.state import Phase, State
from skill.engine.words import say, tonight
from skill.speech.timing import Part

NAMING = (Phase.NEW, Phase.NAMES)


def prompt(state: State, ctx: Ctx, *lead: Part) -> Outcome:
    """What the current phase asks, said again exactly (for repeat, resume, carry on)."""
    if state.phase == Phase.BEAT:
        return beats.speak(state, ctx, list(lead))
    if state.phase in NAMING and not state.heard:
        asking = state.replace(phase=Phase.NAMES, seed=state.seed or ctx.new_seed())
        welcome = say(ctx, state, "welcome_new")
        return reply(asking, *lead, welcome, reprompt=say(ctx, state, "ask_names_reprompt"))
    text, again = question_and_reprompt(state, ctx)
    return reply(state, *lead, text, reprompt=again)


def question_and_reprompt(state: State, ctx: Ctx) -> tuple[str, str]:
    """The phase's question, and its reprompt, for the phases outside the exercises."""
    if state.phase in NAMING:
        if state.heard:
            return (
                say(ctx, state, "one_name", name=state.heard[0]),
                say(ctx, state, "one_name_reprompt"),
            )
        return say(ctx, state, "ask_names_reprompt"), say(ctx, state, "help_names")
    if state.phase == Phase.CONFIRM_NAMES:
        pair = {"first": state.heard[0], "second": state.heard[-1]}
        return (
            say(ctx, state, "confirm_names", **pair),
            say(ctx, state, "confirm_names_reprompt", **pair),
        )
    if state.phase == Phase.READY:
        return (
            say(
                ctx,
                state,
                "plan_ready",
                plan=tonight(ctx, state),
            ),
            say(ctx, state, "plan_ready_reprompt"),
        )
    return say(ctx, state, "finished_offer"), say(ctx, state, "finished_reprompt")


def context_reprompt(state: State, ctx: Ctx) -> str:
    if state.phase == Phase.BEAT:
        return beats.turn_reprompt(state, ctx, plans.current(state, ctx.content))
    return question_and_reprompt(state, ctx)[1]


def where_and_what(state: State, ctx: Ctx) -> str:
    """Where the couple are and what they can say now (for help and fallback): during a
    check-in, exactly the step and the turn just spoken, and what "next" leads to."""
    if state.phase == Phase.BEAT:
        return " ".join(turn_and_then(state, ctx))
    if state.phase in NAMING:
        return say(ctx, state, "help_names")
    if state.phase == Phase.CONFIRM_NAMES:
        return question_and_reprompt(state, ctx)[1]
    if state.phase == Phase.READY:
        return say(
            ctx,
            state,
            "help_ready",
            plan=tonight(ctx, state),
        )
    return say(ctx, state, "help_done")


def turn_and_then(state: State, ctx: Ctx) -> tuple[str, str]:
    content = ctx.content
    pos = plans.current(state, content)
    name = plans.speaker(state, pos.beat)
    title = pos.exercise.title
    if name:
        now = say(ctx, state, "help_turn", title=title, speaker=name)
    else:
        now = say(ctx, state, "help_both", title=title)
    following = plans.following(state, content)
    if following is None:
        return now, say(ctx, state, "help_then_end")
    nxt = plans.position(state, content, *following)
    assert nxt is not None
    if following[0] != state.step:
        return now, say(ctx, state, "help_then_step", title=nxt.exercise.title)
    then = plans.speaker(state, nxt.beat)
    if then:
        return now, say(ctx, state, "help_then_turn", next=then)
    return now, say(ctx, state, "help_then_together")


def not_understood(state: State, ctx: Ctx, help_key: str = "", **values: str) -> Outcome:
    """Fallback: say so, then what can be said here."""
    what = say(ctx, state, help_key, **values) if help_key else where_and_what(state, ctx)
    sorry = say(ctx, state, "not_understood")
    return reply(state, sorry, what, reprompt=context_reprompt(state, ctx))
