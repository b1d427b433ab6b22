"""Handlers for what means the same in every phase: stop, pause, help, repeat, turn length,
support, forgetting the couple, and the answers to a pending yes/no question."""

from __future__ import annotations

from skill.content.durations import beat_seconds
from skill.engine import beats
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.events import Event, EventKind
from skill.engine.outcome import Outcome, reply
from skill.engine.plan import Position
from skill.engine.prompts import (
    context_reprompt,
    not_understood,
    prompt,
    question_and_reprompt,
    where_and_what,
)
from skill.engine.reply import Reply
from skill.engine.state import MAX_TURN_SECONDS, MIN_TURN_SECONDS, Asking, Phase, State
from skill.engine.words import number_words, say, seconds_words, tonight

TURN_STEP = 15  # seconds added or taken by "longer turns" / "shorter turns"
HAND_OVER_SECONDS = 2  # "Ready for Alex's turn?", counted with each beat still to come


def stop(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Stop, cancel, home: the place is kept (a check-in in progress can be resumed)."""
    state = state.replace(asking=Asking.NOTHING)
    if state.phase != Phase.BEAT:
        return reply(state, say(ctx, state, "stop_plain"), end=True)
    key = "pause" if event.kind == EventKind.PAUSE else "stop_saved"
    said = say(ctx, state, key, optional=True) or say(ctx, state, "saved_brief")
    return reply(state, said, end=True)


def repeat(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx)


def help_here(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Where they are and what they can say; during a check-in also the commands and the
    one trick worth knowing: "Alexa, next" ends a silence early."""
    during = state.phase == Phase.BEAT
    return reply(
        state,
        where_and_what(state, ctx),
        say(ctx, state, "help_commands") if during else "",
        say(ctx, state, "help_tip") if during else "",
        say(ctx, state, "not_therapy"),
        reprompt=context_reprompt(state, ctx),
    )


def time_left(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "How long is this?": the minutes and the steps left, or tonight's length."""
    content = ctx.content
    plan = tonight(ctx, state)
    if state.phase == Phase.BEAT:
        ahead = plans.remaining(state, content)
        seconds = sum(
            beat_seconds(content, p.beat, p.minutes, state.turn_seconds) + HAND_OVER_SECONDS
            for p in ahead
        )
        parts = still_to_come(state, ahead)
        if not ahead:
            said = say(ctx, state, "time_left_last")
        elif len(parts) == 1 and ahead[-1].step_index == state.step:
            said = say(ctx, state, "time_left_step", minutes=minutes_words(seconds))
        else:
            steps = ", then ".join(parts) if len(parts) < 4 else f"{parts[0]}, then more"
            said = say(ctx, state, "time_left", minutes=minutes_words(seconds), steps=steps)
        again = context_reprompt(state, ctx)
        return reply(state, said, beats.ready_again(state, ctx), reprompt=again)
    if state.phase == Phase.DONE:
        return prompt(state, ctx, say(ctx, state, "time_left_done"))
    if state.phase == Phase.READY:
        said = say(ctx, state, "time_left_ready", plan=plan)
        return reply(
            state, said, say(ctx, state, "ready_to_begin"), reprompt=context_reprompt(state, ctx)
        )
    return prompt(state, ctx, say(ctx, state, "time_left_naming", plan=plan))


def still_to_come(state: State, ahead: list[Position]) -> list[str]:
    """What is left, in words: the next partner's turn in this step, then each step."""
    parts: list[str] = []
    if ahead and ahead[0].step_index == state.step:
        name = plans.speaker(state, ahead[0].beat)
        parts.append(f"{name}'s turn" if name else f"the rest of {ahead[0].exercise.title}")
    steps = (p.exercise.title for p in ahead if p.step_index != state.step)
    return parts + list(dict.fromkeys(steps))


def minutes_words(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    if minutes == 1:
        return "about a minute"
    return f"about {number_words(minutes)} minutes"


def acknowledge(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Thank you", "okay", "hmm": a word back, and where we were."""
    thanks = say(ctx, state, "acknowledge")
    if state.phase == Phase.BEAT:
        return reply(
            state, thanks, beats.ready_again(state, ctx), reprompt=context_reprompt(state, ctx)
        )
    return prompt(state, ctx, thanks)


def safety(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Fear or danger: the emergency number and a helpline, calmly, then quiet. No
    counselling for two, and nothing a partner could hear as an accusation."""
    place = ctx.content.locale(ctx.locale)
    said = say(ctx, state, "safety", emergency=place.emergency, helpline=place.helpline)
    return reply(state.replace(asking=Asking.NOTHING), said, end=True)


def turn_time(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Longer turns" / "shorter turns": the floor of silence moves by 15 s, within bounds."""
    direction = event.slots.get("turnTime")
    if direction not in ("longer", "shorter"):
        return not_understood(state, ctx)
    step = TURN_STEP if direction == "longer" else -TURN_STEP
    seconds = min(MAX_TURN_SECONDS, max(MIN_TURN_SECONDS, state.turn_seconds + step))
    if seconds == state.turn_seconds:
        word = "long" if direction == "longer" else "short"
        said = say(
            ctx, state, "turns_limit", optional=True, direction=word, length=seconds_words(seconds)
        )
    else:
        key = "turns_longer" if direction == "longer" else "turns_shorter"
        said = say(ctx, state, key, optional=True, length=seconds_words(seconds))
    state = state.replace(turn_seconds=seconds)
    if state.phase == Phase.BEAT:
        follow = beats.ready_again(state, ctx)
    elif state.names:
        follow = question_and_reprompt(state, ctx)[0]
    else:
        follow = say(ctx, state, "ask_names_reprompt")
    return reply(state, said, follow, reprompt=context_reprompt(state, ctx))


def support(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "We need help": a calm pointer to support, then an offer to stop for tonight."""
    return reply(
        state.replace(asking=Asking.SUPPORT),
        say(ctx, state, "support"),
        say(ctx, state, "support_offer_stop"),
        reprompt=say(ctx, state, "support_reprompt"),
    )


def ask_forget(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Forget us": asks first; there is nothing to forget before any name."""
    if not state.names and not state.heard:
        nothing = say(ctx, state, "forget_nothing")
        if state.phase == Phase.NEW:
            return reply(state, nothing, say(ctx, state, "stop_plain"), end=True)
        return prompt(state, ctx, nothing)
    return reply(
        state.replace(asking=Asking.FORGET),
        say(ctx, state, "forget_confirm"),
        reprompt=say(ctx, state, "forget_reprompt"),
    )


# --- answers to a pending yes/no question (the state comes with the question cleared) ---
def forget_confirmed(state: State, event: Event, ctx: Ctx) -> Outcome:
    done = say(ctx, state, "forget_done")
    return Outcome(State(), Reply((done,), None, True), forget=True)


def forget_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx, say(ctx, state, "forget_kept"))


def support_stop(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, say(ctx, state, "stop_plain"), end=True)


def support_carry_on(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx, say(ctx, state, "carry_on"))
