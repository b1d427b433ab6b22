"""The question deck: none comes twice until the couple have heard them all, and questions
are spaced: never two of one category in a row, and never a category right after an
exercise it should not follow (no appreciation question straight after the gratitude round).

A pass through the deck is a seeded shuffle, so only (seed, position) is stored; a changed
deck (its signature differs) starts a new pass. A question taken ahead of its place, to keep
the spacing, is noted in `deck_early` and passed over when its place comes."""

from __future__ import annotations

import zlib
from functools import lru_cache

from skill.content.model import Content
from skill.engine.state import State


@lru_cache(maxsize=8)
def deck_of(content: Content) -> tuple[tuple[str, ...], str]:
    """The question ids drawn unasked, in a stable order (not the categories for some
    couples only), and a signature that changes with the deck."""
    asked_for = {c.id for c in content.categories.values() if c.on_request}
    deck = tuple(sorted(q.id for q in content.questions.values() if q.category not in asked_for))
    return deck, f"{zlib.crc32(chr(10).join(deck).encode()):08x}"


@lru_cache(maxsize=64)
def shuffled(deck: tuple[str, ...], seed: int) -> tuple[str, ...]:
    from random import Random  # the first draw only: a launch needs no shuffle

    order = list(deck)
    Random(seed).shuffle(order)
    return tuple(order)


def new_pass(deck: tuple[str, ...], state: State) -> int:
    """A seed for a new pass whose first question is not the one just heard."""
    seed = zlib.crc32(f"{state.seed}:{state.completed}:{state.started}".encode()) or 1
    while len(deck) > 1 and shuffled(deck, seed)[0] == state.question:
        seed += 1
    return seed


def unwelcome(state: State, content: Content, after: str | None) -> frozenset[str]:
    """Categories the next question should not be from: the last question's, and those that
    must not follow the exercise just done (`after`)."""
    last = content.questions.get(state.question)
    avoid = {last.category} if last else set()
    if after:
        avoid |= {c.id for c in content.categories.values() if after in c.not_after}
    return frozenset(avoid)


def draw_question(state: State, content: Content, after: str | None = None) -> State:
    """The state with the next question of this pass drawn, spaced as above."""
    deck, signature = deck_of(content)
    seed, position, early = state.deck_seed, state.deck_pos, set(state.deck_early)
    if state.deck_sig != signature or position >= len(deck) or not seed:
        seed, position, early = new_pass(deck, state), 0, set()
    order = shuffled(deck, seed)
    while position < len(order) and order[position] in early:  # taken ahead already
        early.discard(order[position])
        position += 1
    if position >= len(order):
        return draw_question(state.replace(deck_pos=len(deck), deck_early=()), content, after)
    avoid = unwelcome(state, content, after)
    chosen = position
    for index in range(position, len(order)):
        if order[index] not in early and content.questions[order[index]].category not in avoid:
            chosen = index
            break
    question = order[chosen]
    if chosen == position:
        position += 1
    else:
        early.add(question)
    return state.replace(
        question=question,
        deck_seed=seed,
        deck_pos=position,
        deck_sig=signature,
        deck_early=tuple(sorted(early)),
    )
