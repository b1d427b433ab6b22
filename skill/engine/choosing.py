"""The question deck by voice: "a deep one", "we love that one", "ask us a favourite",
"never ask that again". They work in every phase.

During a question turn, a kind, a favourite or "never again" replaces the current question
at once, said in words of its own (as "skip" does). Elsewhere, a kind or a favourite is kept
as a wish for the next question drawn (State.wish), and said so; "we love that one" and
"never ask that again" mean the last question asked tonight, if there was one."""

from __future__ import annotations

from skill.content.model import Kind, Source
from skill.engine import beats, deck
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import context_reprompt, prompt
from skill.engine.state import Phase, State
from skill.engine.words import mark, say

BEFORE_NAMES = (Phase.NEW, Phase.NAMES, Phase.CONFIRM_NAMES)


def kind(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "A deep one", "something fun": a question of that kind now, or as the next one."""
    if state.phase in BEFORE_NAMES:
        return prompt(state, ctx, say(ctx, state, "deck_before_names"))
    wanted = deck.KINDS.get(event.slots.get("questionKind") or "")
    if wanted is None:  # heard, but not a kind we know
        return in_place(state, ctx, say(ctx, state, "kind_unknown"))
    if not question_turn(state, ctx):
        noted = say(ctx, state, f"kind_next_{wanted}")
        return in_place(state.replace(wish=wanted.value), ctx, noted)
    return ask_kind(state, ctx, wanted)


def ask_kind(state: State, ctx: Ctx, wanted: Kind) -> Outcome:
    drawn = deck.draw_kind(state, ctx.content, wanted, after(state, ctx))
    if drawn is None:  # every question of that kind heard in this round
        drawn = deck.draw_question(state, ctx.content, after(state, ctx))
        return ask_instead(drawn, ctx, "kind_all_heard")
    return ask_instead(drawn, ctx, f"kind_{wanted}")


def keep(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "We love that one": the question just asked is kept for "ask us a favourite"."""
    if state.phase in BEFORE_NAMES:
        return prompt(state, ctx, say(ctx, state, "deck_before_names"))
    question = just_asked(state, ctx)
    if question is None:
        return in_place(state, ctx, say(ctx, state, "keep_nothing"))
    if question in state.kept:
        return in_place(state, ctx, say(ctx, state, "kept_already"))
    return in_place(deck.keep(state, question), ctx, say(ctx, state, "kept"))


def favourite(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Ask us a favourite": a kept question (not the one just asked) in place of the
    current one, or as the next question."""
    if state.phase in BEFORE_NAMES:
        return prompt(state, ctx, say(ctx, state, "deck_before_names"))
    chosen = deck.favourite_for(state, ctx.content)
    if chosen is None:  # none kept, or only the question just asked
        key = "favourite_just_heard" if state.question in state.kept else "favourite_none"
        return in_place(state, ctx, say(ctx, state, key))
    if not question_turn(state, ctx):
        noted = say(ctx, state, "favourite_next")
        return in_place(state.replace(wish=deck.FAVOURITE), ctx, noted)
    return ask_instead(deck.ask_favourite(state, ctx.content, chosen), ctx, "favourite_lead")


def never_again(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Never ask that again": the question just asked is gone for this couple, for good;
    during its turn, the partner gets another one at once."""
    if state.phase in BEFORE_NAMES:
        return prompt(state, ctx, say(ctx, state, "deck_before_names"))
    question = just_asked(state, ctx)
    if question is None:
        return in_place(state, ctx, say(ctx, state, "never_nothing"))
    state = deck.refuse(state, ctx.content, question)
    if not question_turn(state, ctx):
        return in_place(state, ctx, say(ctx, state, "never_gone"))
    return ask_instead(deck.draw_question(state, ctx.content, after(state, ctx)), ctx, "never_gone")


# --- where the couple are --------------------------------------------------------------------
def question_turn(state: State, ctx: Ctx) -> bool:
    """A partner's turn at a question: the current question can be replaced."""
    if state.phase != Phase.BEAT:
        return False
    return plans.current(state, ctx.content).beat.source == Source.QUESTION


def after(state: State, ctx: Ctx) -> str | None:
    """The exercise the current question follows, for its spacing (as beats.next_question)."""
    before = plans.previous(state, ctx.content) if state.beat == 0 else None
    return before.exercise.id if before else None


def just_asked(state: State, ctx: Ctx) -> str | None:
    """The question asked last in tonight's check-in (or the one just finished), if any."""
    if state.question not in ctx.content.questions:
        return None
    if state.phase not in (Phase.BEAT, Phase.DONE, Phase.MEDITATION):
        return None
    return state.question if asked_tonight(state, ctx) else None


def asked_tonight(state: State, ctx: Ctx) -> bool:
    """Whether the plan has had a question beat up to the current one."""
    content = ctx.content
    for step in range(state.step + 1):
        beat = 0
        while (pos := plans.position(state, content, step, beat)) is not None:
            if step == state.step and beat > state.beat:
                break
            if pos.beat.source == Source.QUESTION:
                return True
            beat += 1
    return False


# --- answers ---------------------------------------------------------------------------------
def ask_instead(drawn: State, ctx: Ctx, lead_key: str) -> Outcome:
    """The question drawn replaces the current one for the same partner, said in words of
    its own after a short lead ("Something deeper, then.")."""
    state = mark(drawn, ctx).replace(another=True)
    return beats.speak(state, ctx, [say(ctx, state, lead_key)], intro=False)


def in_place(state: State, ctx: Ctx, lead: str) -> Outcome:
    """Answered where the couple are: during a check-in, the turn goes on."""
    if state.phase == Phase.BEAT:
        again = context_reprompt(state, ctx)
        return reply(state, lead, beats.ready_again(state, ctx), reprompt=again)
    return prompt(state, ctx, lead)
