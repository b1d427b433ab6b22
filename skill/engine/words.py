"""The choice of words: which variant of a phrase is said, and small spoken forms.

Within one check-in no variant is said again until its phrase has used them all, and then
not the one said last: hand-offs rotate, and a partner never hears the same prompt twice.
The memory is the state's `said`: the ids of the variants said so far, in order, and
`said_mark`, how many of them came before the current beat began: the beat's own lines
avoid only those, so the same moment always says the same words ("repeat"). Choices stay
deterministic: seeded, no clock."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

from skill.content.durations import plan_minutes
from skill.content.model import Content
from skill.content.rules import DEFAULT_TURN_SECONDS
from skill.engine.context import Ctx
from skill.engine.state import Phase, State
from skill.speech.numbers import number_words

ID_CHARS = 4
KEEP_SAID = 120  # ids kept: more than a full check-in says, a few hundred bytes stored
MINUTE_WORDS = {1: "one minute", 2: "two minute", 3: "three minute"}


@lru_cache(maxsize=2048)
def variant_ids(tag: str, count: int) -> tuple[str, ...]:
    """The ids of a phrase's variants in the memory: four hex digits each (a rare clash
    only costs variety). Cached: a turn asks for the same few phrases."""
    return tuple(f"{zlib.crc32(f'{tag}#{index}'.encode()) & 0xFFFF:04x}" for index in range(count))


@lru_cache(maxsize=256)
def said_set(said: str) -> frozenset[str]:
    return frozenset(split_ids(said))


@lru_cache(maxsize=256)
def split_ids(said: str) -> tuple[str, ...]:
    return tuple(said[i : i + ID_CHARS] for i in range(0, len(said), ID_CHARS))


def mark(state: State, ctx: Ctx) -> State:
    """The state with its beat's mark set here: the lines of the beat about to be spoken
    avoid everything said so far, and keep those words when said again ("repeat")."""
    return state.replace(said_mark=len(split_ids(state.said)) + len(ctx.spoken))


def choose(
    ctx: Ctx,
    state: State,
    variants: Sequence[str],
    tag: str,
    beat: bool = False,
    optional: bool = False,
) -> str:
    """One of `variants`, avoiding those said before in this check-in. A beat's own lines
    (beat=True) avoid only what was said before the beat began, so saying the beat again
    says the same words. An optional line whose variants have all been said is left out
    (empty), rather than said again."""
    if not variants:
        return ""
    ids = variant_ids(tag, len(variants))
    before = ""
    if state.phase == Phase.BEAT:
        before = state.said[: state.said_mark * ID_CHARS] if beat else state.said
    spoken = () if beat and state.phase == Phase.BEAT else ctx.spoken
    said = said_set(before)
    fresh = [i for i, id_ in enumerate(ids) if id_ not in said and id_ not in spoken]
    if not fresh and optional:
        return ""
    if fresh:
        digest = zlib.crc32(repr((state.seed, state.started, state.step, state.beat, tag)).encode())
        index = fresh[digest % len(fresh)]
    else:
        index = said_longest_ago(ids, (*split_ids(before), *spoken))
    ctx.spoken.append(ids[index])  # kept only if the answer leaves the couple in a check-in
    return variants[index]


def said_longest_ago(ids: tuple[str, ...], history: tuple[str, ...]) -> int:
    """When every variant was said: the one said longest ago, so the round goes on in the
    same order."""
    mine = [i for i in history if i in ids]
    return min(range(len(ids)), key=lambda i: len(mine) - mine[::-1].index(ids[i]))


def heard_before(ctx: Ctx, state: State, key: str) -> bool:
    """Whether any variant of the phrase was said before this beat began."""
    ids = set(variant_ids(key, len(ctx.content.phrases[key])))
    return any(i in ids for i in split_ids(state.said)[: state.said_mark])


def say(
    ctx: Ctx, state: State, key: str, beat: bool = False, optional: bool = False, **values: str
) -> str:
    """A phrase, filled in; a sentence that starts with a filled-in word gets its capital.
    Optional: what an answer given in place may leave out once every variant was said."""
    text = choose(ctx, state, ctx.content.phrases[key], key, beat, optional).format(**values)
    return text[:1].upper() + text[1:]


def remember(state: State, spoken: list[str]) -> State:
    """The state with this request's lines added to the check-in's memory (the oldest go
    first when it is full)."""
    if state.phase != Phase.BEAT or not spoken:
        return state
    ids = [*split_ids(state.said), *spoken]
    dropped = max(0, len(ids) - KEEP_SAID)
    return state.replace(said="".join(ids[dropped:]), said_mark=max(0, state.said_mark - dropped))


def plan_title(content: Content, plan_id: str) -> str:
    return (content.plans.get(plan_id) or content.plans["quick"]).title


def plan_words(content: Content, plan_id: str, turn_seconds: int) -> str:
    """A plan as it is announced: "a full check-in, about fifteen minutes", and with other
    turns than the default, its length with them ("about twenty minutes with longer turns")."""
    plan = content.plans.get(plan_id) or content.plans["quick"]
    if turn_seconds == DEFAULT_TURN_SECONDS:
        return f"{plan.title}, about {number_words(plan.minutes)} minutes"
    minutes = plan_minutes(content, plan, turn_seconds)
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
