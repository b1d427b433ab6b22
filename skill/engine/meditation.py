"""Guided meditations: choosing one, handing it to the audio player, and following what the
player reports (started, stopped, finished, failed).

A meditation is long-form audio: the skill speaks before it, then hands the stream to the
device's audio player, and the session ends (effects.Play). From then on the player's
reports arrive without a session, and their replies may carry no words at all: a report
only moves the stored state (the offset at which it stopped; a finished meditation counted).
"Alexa, pause" stops the stream, "Alexa, resume" plays it again from the offset saved, on
any device of the household, since the offset lives in the household's item.

Phase.MEDITATION: a meditation was handed to the player and has not finished (it may be
playing or paused). Whatever else the couple start leaves it."""

from __future__ import annotations

from skill.content.model import Track
from skill.engine import plan as plans
from skill.engine.context import Ctx
from skill.engine.effects import Play, StopAudio
from skill.engine.events import Event, EventKind
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import not_understood, prompt
from skill.engine.state import Asking, Phase, State
from skill.engine.words import number_words, say
from skill.speech.timing import Part

DEFAULT_MINUTES = 10  # "a guided meditation": the one for two, of appreciation
SHORT, LONG = "short", "long"  # the kinds that name a length, not a meditation
FALLBACK_EXERCISE = "mindful_pause"  # spoken, where the audio cannot play


# --- choosing --------------------------------------------------------------------------------
def chosen(event: Event, ctx: Ctx) -> Track | None:
    """The meditation asked for: by kind ("the body scan"), by length ("ten minutes": the
    nearest one), else the default. None when the content has none."""
    tracks = sorted(ctx.content.meditations.values(), key=lambda t: t.minutes)
    if not tracks:
        return None
    kind = event.slots.get("meditation")
    if kind == SHORT:
        return tracks[0]
    if kind == LONG:
        return tracks[-1]
    if kind:
        named = [t for t in tracks if t.id.startswith(kind.replace("_", "-"))]
        if named:
            return named[0]
    minutes = whole(event.slots.get("minutes"))
    wanted = DEFAULT_MINUTES if minutes is None else minutes
    return min(tracks, key=lambda t: (abs(t.minutes - wanted), t.minutes))


def whole(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number > 0 else None


def by_minutes(ctx: Ctx, minutes: int) -> Track | None:
    return next((t for t in ctx.content.meditations.values() if t.minutes == minutes), None)


def length_words(track: Track) -> str:
    return f"{number_words(track.minutes)} minutes"


def token(track: Track) -> str:
    """What the audio player's reports carry back: the meditation and its version."""
    return f"{track.id}.{track.version}"


# --- starting ------------------------------------------------------------------------------
def meditate(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "A ten minute meditation": played at once where the device can; elsewhere said so,
    with the spoken pause offered in its place."""
    track = chosen(event, ctx)
    if track is None or not ctx.audio:
        return spoken_instead(state, ctx)
    return play(state, ctx, track.id, [])


def play(state: State, ctx: Ctx, meditation_id: str, lead: list[Part]) -> Outcome:
    """Say `lead` and the meditation's opening line, then hand it to the audio player: the
    session ends. A check-in in progress is set aside, to resume afterwards."""
    from skill.engine.tonight import hold  # (tonight leads on to the farewell, and here)

    track = ctx.content.meditations[meditation_id]
    if state.phase == Phase.BEAT and not plans.is_single(state):
        state = state.replace(held=hold(state))
    playing = state.replace(
        phase=Phase.MEDITATION,
        meditation=track.id,
        offset=0,
        retried=False,
        asking=Asking.NOTHING,
        then_play="",
    )
    opening = say(ctx, state, "meditation_opening", length=length_words(track), title=track.title)
    return reply(playing, *lead, opening, end=True, effect=Play(track.id, 0))


def spoken_instead(state: State, ctx: Ctx) -> Outcome:
    """No long audio on this device (or none hosted): say so, and offer the spoken pause."""
    if len(state.names) != 2:
        return prompt(state, ctx, say(ctx, state, "meditation_unavailable_here"))
    sorry = say(ctx, state, "meditation_unavailable")
    from skill.engine.beats import begin

    if state.phase == Phase.MEDITATION:
        state = left(state)
    return begin(state, ctx, plan=f"{plans.SINGLE_PREFIX}{FALLBACK_EXERCISE}", lead=sorry)


# --- the offer at the end of a check-in ---------------------------------------------------------
def offer_line(state: State, ctx: Ctx) -> str:
    """ "End with ten minutes of meditation together?", when tonight's plan offers one and
    this device can play it."""
    minutes = plans.plan_of(state, ctx.content).meditation
    track = by_minutes(ctx, minutes) if minutes and ctx.audio else None
    if track is None:
        return ""
    return say(ctx, state, "meditation_offer", length=length_words(track))


def offer_accepted(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Yes to the meditation: the reminder offer first, if one is due (nothing can be said
    once the audio plays), then the meditation."""
    from skill.engine import reminding

    minutes = plans.plan_of(state, ctx.content).meditation
    track = by_minutes(ctx, minutes) or chosen(event, ctx)
    if track is None or not ctx.audio:
        return reply(state, say(ctx, state, "goodbye_done"), end=True)
    if reminding.offer_due(state, ctx):
        return reminding.offer(state.replace(then_play=track.id), ctx, [])
    return play(state, ctx, track.id, [])


def offer_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    from skill.engine import reminding
    from skill.engine.farewell import close

    if reminding.offer_due(state, ctx):
        return reminding.offer(state, ctx, [])
    return close(state, ctx)


# --- during a meditation (voice) -----------------------------------------------------------------
def current(state: State, ctx: Ctx) -> Track | None:
    return ctx.content.meditations.get(state.meditation)


def left(state: State) -> State:
    """The state once the meditation is put away: back to where a couple is after one."""
    after = Phase.DONE if len(state.names) == 2 else Phase.NEW
    return state.replace(phase=after, meditation="", offset=0, retried=False)


def resume(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Alexa, resume": the stream again from the offset saved, with nothing said."""
    track = current(state, ctx)
    if track is None:  # the content no longer has it
        return elsewhere(left(state), event, ctx)
    if not ctx.audio:
        return reply(state, say(ctx, state, "meditation_elsewhere", title=track.title), end=True)
    offset = state.offset
    return reply(state.replace(retried=False), end=True, effect=Play(track.id, offset))


def start_over(state: State, event: Event, ctx: Ctx) -> Outcome:
    track = current(state, ctx)
    if track is None or not ctx.audio:
        return resume(state, event, ctx)
    return reply(state.replace(offset=0, retried=False), end=True, effect=Play(track.id, 0))


def pause(state: State, event: Event, ctx: Ctx) -> Outcome:
    """ "Alexa, stop" during a meditation arrives as pause: the stream stops, and the player
    reports the offset (PLAY_STOPPED)."""
    return reply(state, end=True, effect=StopAudio())


def not_available(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Next, previous, loop, shuffle, repeat: a meditation has no tracks to move between."""
    return reply(state, say(ctx, state, "meditation_no_such_command"), end=True)


def player_command(state: State, event: Event, ctx: Ctx) -> Outcome:
    if state.phase == Phase.MEDITATION:
        return not_available(state, event, ctx)
    return not_understood(state, ctx)


def paused_welcome(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A launch with a meditation paused: where it stands, and what can be said."""
    track = current(state, ctx)
    if track is None:
        return elsewhere(left(state), event, ctx)
    minutes = state.offset // 60_000
    into = "a moment" if not minutes else f"{number_words(minutes)} minute{'s' * (minutes > 1)}"
    text = say(ctx, state, "meditation_paused", title=track.title, into=into)
    return reply(state, text, reprompt=say(ctx, state, "meditation_paused_reprompt"))


def help_here(state: State, event: Event, ctx: Ctx) -> Outcome:
    track = current(state, ctx)
    title = track.title if track else ""
    text = say(ctx, state, "meditation_help", title=title)
    return reply(state, text, reprompt=say(ctx, state, "meditation_paused_reprompt"))


def time_left(state: State, event: Event, ctx: Ctx) -> Outcome:
    track = current(state, ctx)
    if track is None:
        return elsewhere(left(state), event, ctx)
    remaining = max(1, round((track.minutes * 60_000 - state.offset) / 60_000))
    text = say(ctx, state, "meditation_time_left", left=number_words(remaining))
    return reply(state, text, reprompt=say(ctx, state, "meditation_paused_reprompt"))


def goodbye(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, say(ctx, state, "stop_plain"), end=True)


def not_understood_here(state: State, event: Event, ctx: Ctx) -> Outcome:
    sorry = say(ctx, state, "not_understood")
    track = current(state, ctx)
    text = say(ctx, state, "meditation_help", title=track.title if track else "")
    return reply(state, sorry, text, reprompt=say(ctx, state, "meditation_paused_reprompt"))


def elsewhere(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Anything that starts something else (a check-in, an exercise, new names) puts the
    meditation away first, then is answered as it would be after one."""
    from skill.engine.routes import ROUTES

    if state.phase == Phase.MEDITATION:
        state = left(state)
    return ROUTES[state.phase, event.kind](state, event, ctx)


# --- what the audio player reports (no words: the reply may carry directives only) --------------
def player_report(state: State, event: Event, ctx: Ctx) -> Outcome:
    """Started, stopped, finished, failed. A report about another stream (an older version,
    a meditation since put away) changes nothing."""
    track = current(state, ctx)
    if state.phase != Phase.MEDITATION or track is None or event.slots.get("token") != token(track):
        return reply(state, end=True)
    offset = whole(event.slots.get("offset"))
    kind = event.kind
    if kind == EventKind.PLAY_STARTED:  # nothing to keep (a failed stream's one retry
        return reply(state, end=True)  # stays spent until the couple ask again)
    if kind == EventKind.PLAY_STOPPED:
        return reply(state.replace(offset=offset or 0), end=True)
    if kind == EventKind.PLAY_FINISHED:
        done = left(state).replace(meditated=state.meditated + 1)
        return reply(done, end=True)
    # PLAY_FAILED: once more from where it was; then rest (a later "resume" tries again).
    at = state.offset if offset is None else offset
    if state.retried:
        return reply(state.replace(offset=at), end=True)
    again = state.replace(offset=at, retried=True)
    return reply(again, end=True, effect=Play(track.id, at))
