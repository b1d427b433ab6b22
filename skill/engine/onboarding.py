"""Handlers of the first meeting: hearing the two first names and confirming them."""

from __future__ import annotations

import re

from skill.engine.context import Ctx
from skill.engine.events import Event
from skill.engine.names import NameProblem, clean_name, same_name
from skill.engine.outcome import Handler, Outcome, reply
from skill.engine.prompts import not_understood, prompt
from skill.engine.state import Phase, State
from skill.engine.words import say

NAME_SLOTS = ("firstName", "secondName", "thirdName")
SEVERAL = re.compile(r"\s*(?:,|\band\b|\bplus\b)\s*", re.IGNORECASE)


def first_contact(handler: Handler) -> Handler:
    """In the NEW phase, an event first moves the couple to naming, with their seed."""

    def handle(state: State, event: Event, ctx: Ctx) -> Outcome:
        meeting = state.replace(phase=Phase.NAMES, seed=state.seed or ctx.new_seed())
        return handler(meeting, event, ctx)

    handle.__name__ = handle.__qualname__ = f"first_contact({handler.__name__})"
    return handle


def names_heard(event: Event) -> list[str | None]:
    """Each name in the slots: "Zoë and Mark and Ana" in one slot is three."""
    found: list[str | None] = []
    for slot in NAME_SLOTS:
        if slot not in event.slots:
            continue
        value = event.slots[slot]
        parts = SEVERAL.split(value) if value else []
        found += [part for part in parts if part.strip()] or [value]
    return found


def take_names(state: State, event: Event, ctx: Ctx) -> Outcome:
    """One or two names heard: keep them until there are two, then ask to confirm. "What?"
    is not a name, and three names are one too many."""
    values = names_heard(event)
    if values and all((v or "").strip().casefold() in ctx.content.not_names for v in values):
        return prompt(state, ctx)  # "what?", "sorry?": the question again
    heard = [] if state.phase == Phase.CONFIRM_NAMES else list(state.heard)
    if len(heard) + len(values) > 2:
        again = say(ctx, state, "ask_names_reprompt")
        cleared = state.replace(phase=Phase.NAMES, heard=())
        return reply(cleared, say(ctx, state, "for_two"), reprompt=again)
    names, problem = cleaned(values)
    return keep_names(state, ctx, heard + names, problem)


def cleaned(values: list[str | None]) -> tuple[list[str], str]:
    """The names that can be used, and the first problem with one that cannot."""
    names: list[str] = []
    problem = ""
    for value in values:
        try:
            names.append(clean_name(value))
        except NameProblem as error:
            problem = problem or str(error)
    return names, problem


def keep_names(state: State, ctx: Ctx, heard: list[str], problem: str) -> Outcome:
    """Ask again, ask for the second name, or ask to confirm both."""
    again = say(ctx, state, "ask_names_reprompt")
    if problem == "too_long":
        kept = state.replace(phase=Phase.NAMES, heard=tuple(heard[:1]))
        return reply(kept, say(ctx, state, "name_too_long"), reprompt=again)
    if not heard:
        cleared = state.replace(phase=Phase.NAMES, heard=())
        return reply(cleared, say(ctx, state, "names_missing"), again, reprompt=again)
    heard = heard[-2:]
    if len(heard) == 2 and same_name(*heard):
        one = state.replace(phase=Phase.NAMES, heard=(heard[0],))
        return reply(one, say(ctx, state, "same_names", name=heard[0]), reprompt=again)
    if len(heard) == 1:
        return prompt(state.replace(phase=Phase.NAMES, heard=tuple(heard)), ctx)
    return prompt(state.replace(phase=Phase.CONFIRM_NAMES, heard=tuple(heard)), ctx)


def ask_names(state: State, event: Event, ctx: Ctx) -> Outcome:
    return prompt(state, ctx)


def names_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    return not_understood(state, ctx, "help_names")


def names_again(state: State, event: Event, ctx: Ctx) -> Outcome:
    """A launch or "start over" while naming: ask for both names afresh."""
    return prompt(state.replace(heard=()), ctx)


def names_confirmed(state: State, event: Event, ctx: Ctx) -> Outcome:
    known = state.replace(names=state.heard, heard=(), phase=Phase.READY)
    return prompt(known, ctx, say(ctx, known, "names_set"))


def names_wrong(state: State, event: Event, ctx: Ctx) -> Outcome:
    cleared = state.replace(heard=(), phase=Phase.NAMES)
    return reply(
        cleared,
        say(ctx, cleared, "names_wrong"),
        reprompt=say(ctx, cleared, "ask_names_reprompt"),
    )


def confirm_not_understood(state: State, event: Event, ctx: Ctx) -> Outcome:
    first, second = state.heard[0], state.heard[-1]
    return not_understood(state, ctx, "confirm_names_reprompt", first=first, second=second)
