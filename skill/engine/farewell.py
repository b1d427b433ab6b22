"""What follows the last beat of a check-in: the offers (a meditation to end with, a weekly
reminder), then goodbye. A meditation comes last, since nothing can be said once the audio
plays: a reminder offer comes before it."""

from __future__ import annotations

from skill.engine import meditation, reminding
from skill.engine.context import Ctx
from skill.engine.outcome import Outcome, reply
from skill.engine.state import Asking, State
from skill.engine.words import say
from skill.speech.timing import Part


def after_check_in(state: State, ctx: Ctx, parts: list[Part]) -> Outcome:
    """`parts`: the closing beat as said. A plan that ends with a meditation offers one (on a
    device that can play it); else a reminder, when one is due; else goodbye."""
    offer = meditation.offer_line(state, ctx)
    if offer:
        reprompt = say(ctx, state, "meditation_offer_reprompt")
        asking = state.replace(asking=Asking.MEDITATE)
        return reply(asking, *parts, offer, reprompt=reprompt, finished=True)
    if reminding.offer_due(state, ctx):
        return finished(reminding.offer(state, ctx, parts))
    return finished(close(state, ctx, *parts))


def finished(outcome: Outcome) -> Outcome:
    """The reply that finished a check-in says so (it counts in the history)."""
    return outcome._replace(reply=outcome.reply._replace(finished=True))


def close(state: State, ctx: Ctx, *lead: Part) -> Outcome:
    """The end of the evening: the meditation chosen to end with (the session ends as it
    plays), or goodbye. A goodbye on the evening of a check-in finished counts as its end
    (the screen shows the history line), after an offer's answer too."""
    if state.then_play:
        return meditation.play(state.replace(then_play=""), ctx, state.then_play, list(lead))
    goodbye = reply(state, *lead, say(ctx, state, "goodbye_done"), end=True)
    today = ctx.now.date().isoformat()
    return finished(goodbye) if state.recent and state.recent[-1] == today else goodbye
