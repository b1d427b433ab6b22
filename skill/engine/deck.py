"""The question deck over a couple's whole history.

No question comes twice until the couple have heard every question of the deck, however
the deck changes in between. `asked` holds the questions heard in this round, and a round
ends only when every question of the deck as it is now is among them: a question added by a
content update is simply unasked, a question removed no longer counts. A question id is a
prefix and a number ("mem23", checked by the validator), so a set of ids is stored as bits
per prefix, in hex: "dre:6,mem:800000" (about 10 characters for 32 questions). `never`
holds the questions a couple never want again, in the same form; `kept` their favourites.

Questions are spaced: never two of one category in a row, and never a category right after
an exercise it should not follow (no appreciation question straight after the gratitude
round). The draw is seeded by the state: the same state draws the same question."""

from __future__ import annotations

import zlib
from collections import namedtuple
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from skill.content.model import QUESTION_ID, Content, Kind
from skill.engine.state import KEEP_FAVOURITES, State

FAVOURITE = "favourite"  # State.wish: the next question is one the couple kept
KINDS = {kind.value: kind for kind in Kind}
Bits = Mapping[str, int]  # prefix -> the numbers in the set, as bits


# (collections.namedtuple, not typing.NamedTuple: half the cost at a Lambda cold start)
class Card(namedtuple("Card", ("id", "prefix", "number", "category"))):
    """A question as the deck handles it: its id split into prefix and number."""

    __slots__ = ()
    id: str
    prefix: str
    number: int
    category: str


class Deck(namedtuple("Deck", ("cards", "drawn", "by_kind"))):
    __slots__ = ()
    cards: dict[str, Card]  # every question of the content, by id
    drawn: tuple[Card, ...]  # the questions drawn unasked (not the on-request categories)
    by_kind: dict[Kind, tuple[Card, ...]]  # the questions each kind asked for by voice draws


@lru_cache(maxsize=8)
def deck_of(content: Content) -> Deck:
    """The content's questions, split for the draw, in a stable order (cached per content)."""
    cards: dict[str, Card] = {}
    for q_id in sorted(content.questions):
        shape = QUESTION_ID.fullmatch(q_id)
        if shape:  # the validator refuses any other id
            category = content.questions[q_id].category
            cards[q_id] = Card(q_id, shape.group(1), int(shape.group(2)), category)
    asked_for = {c.id for c in content.categories.values() if c.on_request}
    drawn = tuple(c for c in cards.values() if c.category not in asked_for)
    by_kind = {
        kind: tuple(c for c in cards.values() if kind in content.categories[c.category].kinds)
        for kind in Kind
    }
    return Deck(cards, drawn, by_kind)


# --- sets of question ids, written compactly ---------------------------------------------------
@lru_cache(maxsize=256)
def bits_of(text: str) -> Bits:
    """The set a stored text holds; a damaged entry is left out, never an error."""
    found: dict[str, int] = {}
    for entry in text.split(","):
        prefix, _, value = entry.partition(":")
        try:
            number = int(value, 16)
        except ValueError:
            continue
        if prefix.isalpha() and prefix.islower() and number > 0:
            found[prefix] = found.get(prefix, 0) | number
    return MappingProxyType(found)


def text_of(bits: Bits) -> str:
    return ",".join(f"{prefix}:{value:x}" for prefix, value in sorted(bits.items()) if value)


def text_of_ids(ids: Iterable[str]) -> str:
    """The stored form of a list of question ids (any that is not an id is left out)."""
    found: dict[str, int] = {}
    for q_id in ids:
        shape = QUESTION_ID.fullmatch(q_id) if isinstance(q_id, str) else None
        if shape:
            prefix, number = shape.group(1), int(shape.group(2))
            found[prefix] = found.get(prefix, 0) | 1 << number
    return text_of(found)


def holds(bits: Bits, card: Card) -> bool:
    return bits.get(card.prefix, 0) >> card.number & 1 == 1


def with_card(text: str, card: Card) -> str:
    """The stored set with one more question."""
    bits = bits_of(text)
    return text_of({**bits, card.prefix: bits.get(card.prefix, 0) | 1 << card.number})


# --- the draw ----------------------------------------------------------------------------------
def unwelcome(state: State, content: Content, after: str | None) -> frozenset[str]:
    """Categories the next question should not be from: the last question's, and those that
    must not follow the exercise just done (`after`)."""
    last = content.questions.get(state.question)
    avoid = {last.category} if last else set()
    if after:
        avoid |= {c.id for c in content.categories.values() if after in c.not_after}
    return frozenset(avoid)


def pick(state: State, content: Content, cards: list[Card], after: str | None) -> Card:
    """A seeded choice among `cards`, spaced when it can be (at the end of a round only one
    category may be left)."""
    avoid = unwelcome(state, content, after)
    spaced = [c for c in cards if c.category not in avoid] or cards
    seed = f"{state.seed}:{state.started}:{state.step}:{state.beat}:{state.asked}"
    return spaced[zlib.crc32(seed.encode()) % len(spaced)]


def ask(state: State, card: Card) -> State:
    return state.replace(question=card.id, asked=with_card(state.asked, card))


def unheard(cards: Iterable[Card], *sets: Bits) -> list[Card]:
    """The cards in none of the sets (one pass, no call per card: the deck is 450 cards)."""
    mask: dict[str, int] = {}
    for bits in sets:
        for prefix, value in bits.items():
            mask[prefix] = mask.get(prefix, 0) | value
    return [c for c in cards if not mask.get(c.prefix, 0) >> c.number & 1]


def draw_question(state: State, content: Content, after: str | None = None) -> State:
    """The state with the next question drawn, unheard in this round and spaced as above.
    A wish made outside a question turn ("a deep one", "ask us a favourite") is granted
    here, once."""
    if state.wish:
        wish, state = state.wish, state.replace(wish="")
        granted = grant(state, content, wish, after)
        if granted is not None:
            return granted
    deck = deck_of(content)
    asked, never = bits_of(state.asked), bits_of(state.never)
    unasked = unheard(deck.drawn, asked, never)
    if not unasked:
        cards = unheard(deck.drawn, never) or list(deck.drawn)  # all refused: ask anyway
        unasked = unheard(cards, asked)
        if not unasked:  # every question of the deck heard: a new round begins
            state = state.replace(asked="")
            unasked = [c for c in cards if c.id != state.question] or cards
    return ask(state, pick(state, content, unasked, after))


def grant(state: State, content: Content, wish: str, after: str | None) -> State | None:
    if wish == FAVOURITE:
        favourite = favourite_for(state, content)
        return None if favourite is None else ask_favourite(state, content, favourite)
    kind = KINDS.get(wish)
    return None if kind is None else draw_kind(state, content, kind, after)


def draw_kind(state: State, content: Content, kind: Kind, after: str | None) -> State | None:
    """A question of the kind asked for, unheard in this round; None when none is left."""
    deck = deck_of(content)
    unasked = unheard(deck.by_kind[kind], bits_of(state.asked), bits_of(state.never))
    return ask(state, pick(state, content, unasked, after)) if unasked else None


# --- favourites and "never again" --------------------------------------------------------------
def favourite_for(state: State, content: Content) -> str | None:
    """The kept question to ask: the one asked longest ago as a favourite, still in the deck,
    and not the one just asked."""
    never = bits_of(state.never)
    cards = deck_of(content).cards
    for q_id in state.kept:
        card = cards.get(q_id)
        if card is not None and q_id != state.question and not holds(never, card):
            return q_id
    return None


def ask_favourite(state: State, content: Content, q_id: str) -> State:
    """Ask a kept question; it goes to the back of the favourites, so they take turns."""
    kept = (*(k for k in state.kept if k != q_id), q_id)
    return ask(state.replace(kept=kept), deck_of(content).cards[q_id])


def keep(state: State, q_id: str) -> State:
    """Keep a question for "ask us a favourite"; beyond KEEP_FAVOURITES the oldest goes."""
    if q_id in state.kept:
        return state
    return state.replace(kept=(*state.kept, q_id)[-KEEP_FAVOURITES:])


def refuse(state: State, content: Content, q_id: str) -> State:
    """Never ask this question of this couple again (nor as a favourite)."""
    card = deck_of(content).cards.get(q_id)
    if card is None:
        return state
    kept = tuple(k for k in state.kept if k != q_id)
    return state.replace(never=with_card(state.never, card), kept=kept)
