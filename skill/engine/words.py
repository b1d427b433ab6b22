"""The choice of words: which variant of a phrase is said, and small spoken forms.

Within one check-in no variant is said again until its phrase has used them all, and then
not the one said last: hand-offs rotate, and a partner never hears the same prompt twice.
The memory is the state's `said`: tokens "<position>:<id>" for the variants said so far.
A variant said at the current position does not count against it, so the same moment
always says the same words ("repeat"), and choices stay deterministic: seeded, no clock."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from skill.content.durations import plan_minutes
from skill.content.model import Content
from skill.content.rules import DEFAULT_TURN_SECONDS
from skill.engine.context import Ctx
from skill.engine.state import Phase, State

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
KEEP_SAID = 40  # tokens kept: more than one full check-in says lines that matter
NUMBERS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty"}
MINUTE_WORDS = {1: "one minute", 2: "two minute", 3: "three minute"}


def position(state: State) -> str:
    """Where in the check-in a line is said: two characters, step and beat."""
    return DIGITS[min(state.step, 35)] + DIGITS[min(state.beat, 35)]


def token_id(tag: str, index: int) -> str:
    return f"{zlib.crc32(f'{tag}#{index}'.encode()) & 0xFFFFFF:06x}"


def choose(ctx: Ctx, state: State, variants: Sequence[str], tag: str) -> str:
    """One of `variants`, avoiding those said elsewhere in this check-in."""
    if not variants:
        return ""
    here = position(state)
    ids = [token_id(tag, i) for i in range(len(variants))]
    elsewhere = set()
    last = None
    if state.phase == Phase.BEAT:
        for token in (*state.said, *ctx.spoken):
            where, _, said_id = token.partition(":")
            if said_id in ids:
                last = said_id
                if where != here:
                    elsewhere.add(said_id)
    fresh = [i for i, id_ in enumerate(ids) if id_ not in elsewhere]
    if not fresh:  # all said: start the round again, but never with the one said last
        fresh = [i for i, id_ in enumerate(ids) if id_ != last] or list(range(len(ids)))
    digest = zlib.crc32(repr((state.seed, state.started, state.step, state.beat, tag)).encode())
    index = fresh[digest % len(fresh)]
    if state.phase == Phase.BEAT:
        ctx.spoken.append(f"{here}:{ids[index]}")
    return variants[index]


def say(ctx: Ctx, state: State, key: str, **values: str) -> str:
    return choose(ctx, state, ctx.content.phrases[key], key).format(**values)


def remember(state: State, spoken: list[str]) -> State:
    """The state with this request's lines added to the check-in's memory."""
    if state.phase != Phase.BEAT:
        return state
    new = [t for t in dict.fromkeys(spoken) if t not in state.said]
    if not new:
        return state
    return state.replace(said=(*state.said, *new)[-KEEP_SAID:])


def number_words(n: int) -> str:
    if 0 <= n < len(NUMBERS):
        return NUMBERS[n]
    tens, ones = divmod(n, 10)
    if tens in TENS:
        return TENS[tens] + (f"-{NUMBERS[ones]}" if ones else "")
    return str(n)


def plan_words(content: Content, plan_id: str, turn_seconds: int) -> str:
    """A plan as it is announced: "a full check-in, about fifteen minutes", and with other
    turns than the default, its length with them ("about twenty minutes with longer turns")."""
    plan = content.plans.get(plan_id) or content.plans["quick"]
    if turn_seconds == DEFAULT_TURN_SECONDS:
        return f"{plan.title}, about {number_words(plan.minutes)} minutes"
    minutes = plan_minutes(content, plan, turn_seconds)
    if minutes >= 10:
        minutes = 5 * round(minutes / 5)
    turns = "longer" if turn_seconds > DEFAULT_TURN_SECONDS else "shorter"
    return f"{plan.title}, about {number_words(minutes)} minutes with {turns} turns"


def tonight(ctx: Ctx, state: State) -> str:
    """The plan the couple will do next, as it is announced."""
    return plan_words(ctx.content, state.preferred_plan, state.turn_seconds)


def seconds_words(seconds: int) -> str:
    if seconds == 60:
        return "a minute"
    if seconds == 90:
        return "a minute and a half"
    return f"{seconds} seconds"
