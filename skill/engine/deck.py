"""The question deck: none comes twice until the couple have heard them all.

A pass through the deck is a seeded shuffle, so only (seed, position) is stored; a changed
deck (its signature differs) starts a new pass."""

from __future__ import annotations

import random
import zlib
from functools import lru_cache

from skill.content.model import Content
from skill.engine.state import State


@lru_cache(maxsize=8)
def deck_of(content: Content) -> tuple[tuple[str, ...], str]:
    """The question ids in a stable order, and a signature that changes with the deck."""
    deck = tuple(sorted(content.questions))
    return deck, f"{zlib.crc32(chr(10).join(deck).encode()):08x}"


@lru_cache(maxsize=64)
def shuffled(deck: tuple[str, ...], seed: int) -> tuple[str, ...]:
    order = list(deck)
    random.Random(seed).shuffle(order)
    return tuple(order)


def new_pass(deck: tuple[str, ...], state: State) -> int:
    """A seed for a new pass whose first question is not the one just heard."""
    seed = zlib.crc32(f"{state.seed}:{state.completed}:{state.started}".encode()) or 1
    while len(deck) > 1 and shuffled(deck, seed)[0] == state.question:
        seed += 1
    return seed


def draw_question(state: State, content: Content) -> State:
    """The state with the next question of this pass drawn."""
    deck, signature = deck_of(content)
    seed, position = state.deck_seed, state.deck_pos
    if state.deck_sig != signature or position >= len(deck) or not seed:
        seed, position = new_pass(deck, state), 0
    question = shuffled(deck, seed)[position]
    return state.replace(
        question=question, deck_seed=seed, deck_pos=position + 1, deck_sig=signature
    )
