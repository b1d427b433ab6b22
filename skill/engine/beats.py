"""Saying a beat of an exercise: its intro, prompt, question or breathing script, the floor
of silence, and the line that hands over to what comes next. Moving through a plan
(entering a beat, advancing, beginning tonight's check-in) lives here too, since each move
ends by saying the beat it arrives at."""

from __future__ import annotations

from skill.content.model import Source
from skill.content.rules import AUDIO_BUDGET
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.deck import draw_question
from skill.engine.history import milestone, record_completion
from skill.engine.outcome import Outcome, reply
from skill.engine.plan import Position
from skill.engine.state import Asking, Phase, State
from skill.engine.words import MINUTE_WORDS, choose, heard_before, mark, say
from skill.speech.timing import Part, Pause, estimated_seconds


def enter(state: State, ctx: Ctx, step: int, beat: int) -> State:
    """Move to a beat, drawing a fresh question when the beat asks one."""
    state = mark(state.replace(step=step, beat=beat, another=False), ctx)
    if plans.current(state, ctx.content).beat.source == Source.QUESTION:
        state = next_question(state, ctx)
    return state


def next_question(state: State, ctx: Ctx) -> State:
    """A question for the current beat; the first of a step keeps clear of the categories
    that should not follow the exercise before it."""
    before = plans.previous(state, ctx.content) if state.beat == 0 else None
    return draw_question(state, ctx.content, before.exercise.id if before else None)


def where(state: State, pos: Position) -> str:
    """The exercise, and whose turn it is: "the gratitude round, Sam's turn"."""
    name = plans.speaker(state, pos.beat)
    return f"{pos.exercise.title}, {name}'s turn" if name else pos.exercise.title


def body(state: State, ctx: Ctx, intro: bool) -> tuple[list[Part], Position]:
    """The beat's own words and silences, without the hand-over line. A question drawn by
    "skip" is said in words of its own, so its partner never hears a prompt twice."""
    pos = plans.current(state, ctx.content)
    parts: list[Part] = []
    if intro and pos.beat_index == 0:
        minutes = MINUTE_WORDS.get(pos.minutes, "short")
        line = choose(ctx, state, pos.exercise.intro, f"intro:{pos.exercise.id}", beat=True)
        parts.append(line.format(minutes=minutes))
    values = beat_values(state, ctx, pos)
    which = f"{pos.exercise.id}.{pos.beat_index % len(pos.exercise.beats)}"
    if pos.beat.source == Source.PAUSE:
        for line in ctx.content.pauses[pos.minutes]:
            parts.append(Pause(line) if isinstance(line, int) else line)
    elif state.another and pos.beat.source == Source.QUESTION:  # said again as it was said
        parts.append(say(ctx, state, "another_question", beat=True, **values))
    else:
        line = choose(ctx, state, pos.beat.prompts, f"prompt:{which}", beat=True)
        parts.append(line.format(**values))
    floor = state.turn_seconds if pos.beat.floor is None else pos.beat.floor
    if floor:
        parts.append(Pause(floor))
    if pos.beat.after:
        after = choose(ctx, state, pos.beat.after, f"after:{which}", beat=True)
        parts.append(after.format(**values))
    return parts, pos


def beat_values(state: State, ctx: Ctx, pos: Position) -> dict[str, str]:
    first, second = plans.order(state)
    values = {
        "first": first,
        "second": second,
        "speaker": plans.speaker(state, pos.beat) or "",
        "other": plans.listener(state, pos.beat) or "",
    }
    if pos.beat.source == Source.QUESTION:
        question = ctx.content.questions.get(state.question)
        values["question"] = question.text.format(other=values["other"]) if question else ""
    return values


def ask_line(state: State, ctx: Ctx) -> str:
    """The question that ends a beat; empty when the beat ends the plan. For a question
    drawn in place of another ("skip", "a deep one") it may be left out once every wording
    was said this evening: the reprompt still asks, and no hand-off is heard twice."""
    following = plans.following(state, ctx.content)
    if following is None:
        return ""
    nxt = plans.position(state, ctx.content, *following)
    assert nxt is not None
    spare = state.another  # (said again and again only when the couple keep asking)
    if following[0] != state.step:
        title = nxt.exercise.title
        return say(ctx, state, "ready_next", beat=True, optional=spare, title=title)
    name = plans.speaker(state, nxt.beat)
    if name:
        return say(ctx, state, "ready_turn", beat=True, optional=spare, next=name)
    return say(ctx, state, "ready_beat", beat=True, optional=spare)


def ready_again(state: State, ctx: Ctx) -> str:
    """The end of an answer given in place, mid-check-in: a short "ready when you are"
    (with the name of whose turn is next), never the beat's own hand-over line again.
    Empty at the plan's last beat."""
    following = plans.following(state, ctx.content)
    if following is None:
        return ""
    nxt = plans.position(state, ctx.content, *following)
    name = plans.speaker(state, nxt.beat) if nxt and following[0] == state.step else None
    if name:
        return say(ctx, state, "ready_again_turn", next=name)
    return say(ctx, state, "ready_again")


def turn_reprompt(state: State, ctx: Ctx, pos: Position) -> str:
    name = plans.speaker(state, pos.beat)
    if name:
        return say(ctx, state, "turn_reprompt", speaker=name)
    return say(ctx, state, "both_reprompt")


def fit(lead: list[Part], parts: list[Part]) -> list[Part]:
    """Drop lead-in lines (last first) until the response fits the audio budget."""
    lead = list(lead)
    while lead and estimated_seconds(tuple(lead + parts)) > AUDIO_BUDGET:
        lead.pop()
    return lead + parts


def speak(state: State, ctx: Ctx, lead: list[Part], intro: bool = True) -> Outcome:
    """Say the current beat after `lead`; the plan's last beat also says goodbye and
    finishes the check-in. After the first turn of a couple's first check-in, a tip:
    "Alexa, next" ends a silence early, and turns can be longer."""
    parts, pos = body(state, ctx, intro)
    if plans.following(state, ctx.content) is None:
        return finish(state, ctx, lead, parts, pos)
    first_turn = plans.first_turn(state, ctx.content) == (state.step, state.beat)
    if first_turn and not state.completed and not heard_before(ctx, state, "tip_next"):
        parts.append(say(ctx, state, "tip_next", beat=True))
    parts.append(ask_line(state, ctx))
    return reply(state, *fit(lead, parts), reprompt=turn_reprompt(state, ctx, pos))


def finish(state: State, ctx: Ctx, lead: list[Part], parts: list[Part], pos: Position) -> Outcome:
    """The plan's last beat: goodbye. A finished check-in counts in the history and decides
    the next closing; a single exercise says how to go back to a check-in it set aside."""
    if plans.is_single(state):
        key = "single_done_held" if state.held else "single_done"
        parts.append(say(ctx, state, key, title=pos.exercise.title))
        return reply(state.replace(phase=Phase.DONE), *fit(lead, parts), end=True)
    from skill.engine.farewell import after_check_in  # (it leads on to meditation and beats)

    if not state.completed:  # the first check-in: how to start the next one, once
        parts.append(say(ctx, state, "next_time_hint"))
    done = state.replace(phase=Phase.DONE, said="", said_mark=0)
    done = record_completion(done, ctx.now.date())
    done = done.replace(last_closing=pos.exercise.id, held=())
    return after_check_in(done, ctx, fit(lead, parts))


def advance(state: State, ctx: Ctx, lead: list[Part]) -> Outcome:
    """On to the next beat (or the next step), and say it."""
    following = plans.following(state, ctx.content)
    if following is None:  # only a damaged state lands here: finish gently
        goodbye = say(ctx, state, "goodbye_done")
        return reply(state.replace(phase=Phase.DONE, said="", said_mark=0), goodbye, end=True)
    return speak(enter(state, ctx, *following), ctx, lead)


def begin(
    state: State, ctx: Ctx, plan: str | None = None, welcome: bool = False, lead: Part = ""
) -> Outcome:
    """Start tonight's check-in (or one exercise) at its first beat."""
    opening: list[Part] = [lead] if lead else []
    story = milestone(state, ctx.now.date()) if welcome else None
    if welcome:
        first, second = state.names
        opening.append(say(ctx, state, "welcome_back", first=first, second=second))
    state = state.replace(
        phase=Phase.BEAT,
        plan=plan or state.preferred_plan,
        started=state.started + 1,
        swapped=False,
        asking=Asking.NOTHING,
        seed=state.seed or ctx.new_seed(),
        # A single exercise set beside a check-in keeps its memory: the check-in goes on.
        said=state.said if state.held else "",
        said_mark=0,
    )
    state = enter(state, ctx, 0, 0)
    if welcome:
        if plans.speaker(state, plans.current(state, ctx.content).beat) is None:
            opening.append(say(ctx, state, "goes_first", name=plans.order(state)[0]))
        if story:
            opening.append(say(ctx, state, story[0], **story[1]))
    return speak(state, ctx, opening)
