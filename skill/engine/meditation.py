"""Guided meditations: choosing one, handing it to the audio player, and following what the
player reports (started, stopped, finished, failed). Written next."""

from __future__ import annotations

from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.outcome import Outcome, reply
from skill.engine.prompts import not_understood
from skill.engine.state import State
from skill.speech.timing import Part


def offer_line(state: State, ctx: Ctx) -> str:
    """ "End with ten minutes of meditation together?", when tonight's plan ends with one."""
    return ""


def play(state: State, ctx: Ctx, meditation_id: str, lead: list[Part]) -> Outcome:
    raise NotImplementedError


def meditate(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def player_command(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def player_report(state: State, event: Event, ctx: Ctx) -> Outcome:
    return reply(state, end=True)


def offer_accepted(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)


def offer_declined(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx)
