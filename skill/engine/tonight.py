"""Handlers of tonight's check-in: choosing it, moving through its beats, and after it."""

from __future__ import annotations

from datetime import datetime, timedelta

from skill.content.model import Source
from skill.content.rules import REQUIRED_PLANS
from skill.engine import beats
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.events import Event, EventKind
from skill.engine.names import same_name
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import context_reprompt, not_understood, prompt
from skill.engine.state import Phase, State
from skill.engine.words import mark, plan_title, plan_words, say, tonight
from skill.speech.timing import Pause

# The plans a couple chooses between (the content must have them); the others are formats.
LENGTHS = REQUIRED_PLANS
STALE_AFTER = timedelta(hours=12)  # an unfinished check-in older than this is not resumed on launch


def chosen_length(event: Event, ctx: Ctx) -> str | None:
    """The plan id the event names ("full", "quick", "weekly_meeting"), when we have it."""
    length = event.slots.get("length")
    return length if length in ctx.content.plans else None


def choose(state: State, plan_id: str) -> State:
    """A length (quick or full) becomes the couple's usual choice; a format (a temperature
    reading, a weekly meeting) is for tonight only."""
    return state.replace(preferred_plan=plan_id) if plan_id in LENGTHS else state


def start(state: State, ctx: Ctx, plan_id: str | None, welcome: bool = False) -> Outcome:
    """Begin the plan named (the usual one when none is named); a format says its name and
    length first, since the couple may not know it."""
    if plan_id is None or plan_id in LENGTHS:
        return beats.begin(choose(state, plan_id) if plan_id else state, ctx, welcome=welcome)
    named = plan_words(ctx.content, plan_id, state.turn_seconds)
    lead = say(ctx, state, "plan_changed", plan=named)
    return beats.begin(state, ctx, plan=plan_id, welcome=welcome, lead=lead)


def unknown_length(state: State, ctx: Ctx) -> Outcome:
    lengths = {p: plan_words(ctx.content, p, state.turn_seconds) for p in LENGTHS}
    unknown = say(ctx, state, "unknown_length", **lengths)
    return reply(state, unknown, reprompt=context_reprompt(state, ctx))


# --- before tonight's check-in -------------------------------------------------------------
def begin_tonight(state: State, event: Event, ctx: Ctx) -> Outcome:
    return beats.begin(state, ctx, welcome=event.kind == EventKind.LAUNCH)


def start_with_length(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Start our full check-in": the length named (if any) is kept as the couple's choice."""
    return start(state, ctx, chosen_length(event, ctx))


def choose_length(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Make it full" before starting: noted, then "shall we start?". A format named
    starts at once."""
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    if length not in LENGTHS:
        return start(state, ctx, length)
    state = choose(state, length)
    content = ctx.content
    return reply(
        state,
        say(ctx, state, "plan_changed", plan=plan_words(content, length, state.turn_seconds)),
        say(ctx, state, "ready_to_begin"),
        reprompt=say(ctx, state, "plan_ready_reprompt"),
    )


def not_ready(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(
        state,
        say(ctx, state, "not_ready"),
        reprompt=say(ctx, state, "plan_ready_reprompt"),
    )


def ask_again(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx)


def ready_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(
        state,
        ctx,
        "help_ready",
        plan=tonight(ctx, state),
    )


def single(state: State, event: Event, ctx: Ctx) -> Outcome:
    """One exercise on its own. A check-in in progress is set aside, to resume afterwards."""
    exercise = event.slots.get("exercise")
    if exercise not in ctx.content.exercises:
        unknown = say(ctx, state, "unknown_exercise")
        return reply(state, unknown, reprompt=context_reprompt(state, ctx))
    if state.phase == Phase.BEAT and not plans.is_single(state):
        state = state.replace(held=hold(state))
    return beats.begin(state, ctx, plan=f"{plans.SINGLE_PREFIX}{exercise}")


def hold(state: State) -> tuple[str, ...]:
    fields = (state.plan, state.step, state.beat, int(state.swapped), state.question)
    return (*(str(f) for f in fields), str(state.started))


def unhold(state: State) -> State | None:
    """The check-in a single exercise set aside, back in place; None when there is none
    (or what was kept cannot be read)."""
    try:
        plan, step, beat, swapped, question, started = state.held
        return state.replace(
            phase=Phase.BEAT,
            plan=plan,
            step=int(step),
            beat=int(beat),
            swapped=swapped == "1",
            question=question,
            started=int(started),
            held=(),
        )
    except ValueError:
        return None


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
    return say(ctx, state, "resuming", optional=True, where=where)


def return_to_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A launch mid-check-in: welcome back and pick up where they were (unless it is old)."""
    if is_stale(state, ctx.now):
        return beats.begin(state, ctx, welcome=True)
    first, second = state.names
    welcome = say(ctx, state, "welcome_back", optional=True, first=first, second=second)
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
        say(ctx, state, "more_time", optional=True),
        Pause(state.turn_seconds),
        beats.ready_again(state, ctx),
        reprompt=beats.turn_reprompt(state, ctx, pos),
    )


def skip(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A question beat draws another question for the same partner; any other beat passes."""
    pos = plans.current(state, ctx.content)
    if pos.beat.source == Source.QUESTION:
        state = mark(beats.next_question(state, ctx), ctx).replace(another=True)
        return beats.speak(state, ctx, [], intro=False)
    return beats.advance(state, ctx, [say(ctx, state, "skipping")])


def switch(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Switch" / "Alex wants to go first": the order flips for the rest of tonight."""
    content = ctx.content
    pos = plans.current(state, content)
    current = plans.speaker(state, pos.beat)
    again = beats.turn_reprompt(state, ctx, pos)
    if current is None:
        both = say(ctx, state, "switch_both", optional=True)
        return reply(state, both, beats.ready_again(state, ctx), reprompt=again)
    wanted = event.slots.get("partner")
    if wanted and same_name(wanted.strip(), current):
        return reply(
            state,
            say(ctx, state, "already_their_turn", optional=True, name=current),
            reprompt=again,
        )
    other = plans.listener(state, pos.beat) or ""
    before = plans.previous(state, content)
    if before is not None and plans.speaker(state, before.beat) == other:
        # The other partner just had a turn: a swap would give them two in a row.
        alternate = say(ctx, state, "turns_alternate", optional=True, name=other, speaker=current)
        return reply(state, alternate, beats.ready_again(state, ctx), reprompt=again)
    here = state.step * 64 + state.beat + 1
    if state.switched_at == here:  # once per turn: no back and forth on one prompt
        once = say(ctx, state, "switch_once", optional=True, speaker=current)
        return reply(state, once, beats.ready_again(state, ctx), reprompt=again)
    state = mark(state.replace(swapped=not state.swapped, switched_at=here), ctx)
    return beats.speak(state, ctx, [say(ctx, state, "switching")], intro=False)


def change_length(state: State, length: str, ctx: Ctx) -> Outcome:
    """During the opening pause the plan changes now, and the pause already done counts;
    at the very start of another step too; later, it is noted for next time."""
    content = ctx.content
    state = choose(state, length)
    title = plan_words(content, length, state.turn_seconds)
    if state.step == 0 and state.beat == 0 and not plans.is_single(state):
        paused = plans.current(state, content).beat.source == Source.PAUSE
        state = state.replace(plan=length)
        opens_with_pause = plans.current(state, content).beat.source == Source.PAUSE
        if paused and opens_with_pause and plans.position(state, content, 1, 0) is not None:
            state = beats.enter(state, ctx, 1, 0)
            return beats.speak(
                state, ctx, [say(ctx, state, "plan_changed_after_pause", optional=True, plan=title)]
            )
        state = beats.enter(state, ctx, 0, 0)
        return beats.speak(state, ctx, [say(ctx, state, "plan_changed", optional=True, plan=title)])
    pos = plans.current(state, content)
    if length in LENGTHS:
        later = say(ctx, state, "length_later", optional=True, plan=title)
    else:
        later = say(ctx, state, "format_later", optional=True, plan=plan_title(content, length))
    return reply(
        state,
        later,
        resumed_lead(state, ctx),
        beats.ready_again(state, ctx),
        reprompt=beats.turn_reprompt(state, ctx, pos),
    )


def start_during_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Start our check-in" when one is under way: where they are, not the beat again."""
    length = chosen_length(event, ctx)
    if length and length != state.plan:
        return change_length(state, length, ctx)
    return reply(
        state,
        say(ctx, state, "already_started", optional=True),
        resumed_lead(state, ctx),
        beats.ready_again(state, ctx),
        reprompt=context_reprompt(state, ctx),
    )


def length_during_beat(state: State, event: Event, ctx: Ctx) -> Outcome:
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    return change_length(state, length, ctx)


def start_over(state: State, event: Event, ctx: Ctx) -> Outcome:
    # From the top, as asked: the words start afresh too.
    state = beats.enter(state.replace(swapped=False, said="", said_mark=0), ctx, 0, 0)
    return beats.speak(state, ctx, [say(ctx, state, "start_over")])


def heard_name(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A name-like answer outside naming is never taken as new names: "what?" asks again,
    a partner's name during a turn asks for that partner's turn, anything else gets the
    usual "here is what you can say"."""
    heard = " ".join(str(v) for v in event.slots.values() if v).strip()
    if heard.casefold() in ctx.content.not_names or not heard:
        return prompt(state, ctx)
    if state.phase == Phase.BEAT and any(same_name(heard, name) for name in state.names):
        return switch(state, Event(EventKind.SWITCH, {"partner": heard}), ctx)
    if state.phase == Phase.READY:
        return ready_not_understood(state, event, ctx)
    if state.phase == Phase.DONE:
        return done_not_understood(state, event, ctx)
    return not_understood(state, ctx)


def beat_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


# --- after tonight's check-in ----------------------------------------------------------------
def again_tonight(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Another check-in after the last one finished (the length named is kept); after a
    single exercise, "resume" (or a launch) goes back to the check-in it set aside."""
    held = unhold(state) if state.held else None
    resuming = event.kind in (EventKind.RESUME, EventKind.LAUNCH, EventKind.NEXT, EventKind.YES)
    if held is not None and resuming and not is_stale(state, ctx.now):
        return resume_beat(held, event, ctx)
    state = state.replace(held=())
    return start(state, ctx, chosen_length(event, ctx), welcome=event.kind == EventKind.LAUNCH)


def length_when_done(state: State, event: Event, ctx: Ctx) -> Outcome:
    length = chosen_length(event, ctx)
    if length is None:
        return unknown_length(state, ctx)
    return start(state, ctx, length)


def goodbye(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, say(ctx, state, "stop_plain"), end=True)


def done_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx, "help_done")
