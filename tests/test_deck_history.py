"""No question twice over a couple's whole history, content updates included.

The promise (issue 13): a couple never hears a question again until they have heard every
question of the deck, even when questions are added or removed in between; then a new round
begins. A question they asked never to hear again never comes back; a favourite they ask
for is the one repeat they choose. And all of it fits the household item after 500
check-ins.

Each test checks what the couple heard against an oracle of its own (the questions heard in
this round, the deck as it is at that moment), not against the deck's stored bits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.content.loader import default_content
from skill.content.model import Content, Kind, Question, Source
from skill.engine import deck
from skill.engine import plan as plans
from skill.engine.conversation import handle
from skill.engine.events import Event, EventKind
from skill.engine.schema import load_state
from skill.engine.state import KEEP_FAVOURITES, Phase, State

CONTENT = default_content()
ITEM_BUDGET = 2048  # bytes: the household item, DynamoDB's size
# What the item holds besides the state's JSON: the key (a 64-digit hash), the version,
# the expiry time and the writer's token, with their names (skill/store/dynamodb.py).
ITEM_OVERHEAD = len("household") + 64 + len("version") + 4 + len("state")
ITEM_OVERHEAD += len("expires") + 6 + len("writer") + 36
FIRST_EVENING = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)


def updated(content: Content, removed: set[str], added: int) -> Content:
    """The content after an update: some questions gone, `added` new ones in each category
    (new ids after the category's highest number, as a writer adds them)."""
    questions = {q_id: q for q_id, q in content.questions.items() if q_id not in removed}
    for category in content.categories:
        own = [deck.QUESTION_ID.fullmatch(q) for q in content.questions]
        numbers = [
            (m.group(1), int(m.group(2)))
            for m, q in zip(own, content.questions.values(), strict=True)
            if m and q.category == category
        ]
        if not numbers:
            continue
        prefix, top = numbers[0][0], max(n for _, n in numbers)
        for n in range(top + 1, top + 1 + added):
            q_id = f"{prefix}{n:02d}"
            questions[q_id] = Question(q_id, category, f"What is new question {q_id} about?")
    return Content(
        content.exercises,
        content.plans,
        questions,
        content.pauses,
        content.phrases,
        content.categories,
        content.locales,
        content.not_names,
        content.meditations,
    )


@cache
def drawn_deck(content: Content) -> frozenset[str]:
    """The questions drawn unasked: every category but those asked for by name."""
    asked_for = {c.id for c in content.categories.values() if c.on_request}
    return frozenset(q.id for q in content.questions.values() if q.category not in asked_for)


@dataclass
class Oracle:
    """What the couple heard, round by round, and what they refused."""

    heard: set[str] = field(default_factory=set)  # in this round
    refused: set[str] = field(default_factory=set)
    rounds: int = 1
    count: int = 0
    problems: list[str] = field(default_factory=list)

    def hears(self, q_id: str, content: Content, chosen: bool = False) -> None:
        """A question heard; `chosen`: a favourite the couple asked for (a repeat they want)."""
        self.count += 1
        if q_id not in content.questions:
            self.problems.append(f"#{self.count} {q_id}: not in the deck any more")
        deck_now = drawn_deck(content) - self.refused
        if q_id in self.refused and deck_now:  # (a couple who refused them all still hear some)
            self.problems.append(f"#{self.count} {q_id}: asked never to hear it again")
        if chosen or q_id not in self.heard:
            self.heard.add(q_id)
        elif deck_now <= self.heard:  # the whole deck heard: a new round
            self.heard = {q_id}
            self.rounds += 1
        else:
            unheard = len(deck_now - self.heard)
            self.problems.append(f"#{self.count} {q_id} again, {unheard} questions unheard")


# --- the deck alone: many histories, fast ------------------------------------------------------
OPS = st.one_of(
    st.tuples(st.just("draw"), st.sampled_from([None, "gratitude"])),
    st.tuples(st.just("kind"), st.sampled_from(list(Kind))),
    st.tuples(st.just("never"), st.none()),
    st.tuples(st.just("keep"), st.none()),
    st.tuples(st.just("favourite"), st.none()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(1, 2**31 - 2),
    ops=st.lists(OPS, min_size=1, max_size=30),
    update_at=st.integers(0, 900),
    removed=st.sets(st.sampled_from(sorted(CONTENT.questions)), max_size=60),
    added=st.integers(0, 4),
)
def test_no_question_comes_again_before_the_deck_is_heard_whatever_the_updates(
    seed: int, ops: list, update_at: int, removed: set[str], added: int
) -> None:
    """1,200 draws (well over two whole decks), the couple's requests mixed in as the ops
    say (a favourite asked for is a repeat they chose, not a draw), and a content update
    at draw `update_at`."""
    content = CONTENT
    state = State(seed=seed)
    oracle, draws = Oracle(), 0
    for i in range(4000):  # favourites asked for are repeats, not draws: 1,200 draws
        if draws == 1200:
            break
        if draws == update_at:
            content = updated(content, removed, added)
        state = state.replace(started=i // 3, step=2, beat=i % 3)
        op, arg = ops[i % len(ops)]
        if op == "favourite" and deck.favourite_for(state, content):
            state = deck.ask_favourite(state, content, deck.favourite_for(state, content))
            oracle.hears(state.question, content, chosen=True)
            continue
        draws += 1
        if op == "kind":
            drawn = deck.draw_kind(state, content, arg, None)
            state = drawn or deck.draw_question(state, content)
        elif op == "never" and state.question in content.questions:
            oracle.refused.add(state.question)
            state = deck.draw_question(deck.refuse(state, content, state.question), content)
        elif op == "keep" and state.question:
            state = deck.draw_question(deck.keep(state, state.question), content)
        else:
            state = deck.draw_question(state, content, arg if op == "draw" else None)
        oracle.hears(state.question, content)
    assert oracle.problems == []
    assert oracle.rounds >= 2  # the deck ran out at least once, and started again
    assert len(state.kept) <= KEEP_FAVOURITES


def test_a_question_added_mid_round_is_asked_in_that_round_and_none_twice() -> None:
    """The deck grows by one question after half a round: it comes before any repeat."""
    state = State(seed=11)
    half = len(drawn_deck(CONTENT)) // 2
    heard = []
    for i in range(half):
        state = deck.draw_question(state.replace(started=i), CONTENT)
        heard.append(state.question)
    grown = updated(CONTENT, set(), 1)
    new = drawn_deck(grown) - drawn_deck(CONTENT)
    for i in range(half, len(drawn_deck(grown))):
        state = deck.draw_question(state.replace(started=i), grown)
        heard.append(state.question)
    assert len(heard) == len(set(heard)) == len(drawn_deck(grown))
    assert new <= set(heard)


def test_questions_removed_mid_round_are_not_waited_for() -> None:
    """Half the deck goes after 100 questions: the round ends when every question still in
    the deck was heard, with none twice and none of those removed, and the next begins."""
    state, oracle = State(seed=5), Oracle()
    for i in range(100):
        state = deck.draw_question(state.replace(started=i), CONTENT)
        oracle.hears(state.question, CONTENT)
    smaller = updated(CONTENT, set(sorted(CONTENT.questions)[::2]), 0)
    for i in range(100, 100 + len(drawn_deck(smaller)) + 10):
        state = deck.draw_question(state.replace(started=i), smaller)
        oracle.hears(state.question, smaller)
    assert oracle.problems == []
    assert oracle.rounds == 2


# --- 500 check-ins through the engine ------------------------------------------------------------
MOVES = st.sampled_from(
    ["next", "next", "next", "skip", "deep", "fun", "keep", "favourite", "never", "wish"]
)


def question_turn(state: State, content: Content) -> bool:
    if state.phase != Phase.BEAT:
        return False
    return plans.current(state, content).beat.source == Source.QUESTION


@dataclass
class Couple:
    content: Content
    state: State = field(default_factory=State)
    now: datetime = FIRST_EVENING
    oracle: Oracle = field(default_factory=Oracle)
    largest: int = 0

    def say(self, kind: EventKind, slots: dict | None = None) -> None:
        before = self.state
        self.state = handle(before, Event(kind, slots), self.now, self.content).state
        after = self.state
        place = (after.started, after.step, after.beat, after.question)
        if question_turn(after, self.content) and place != (
            before.started,
            before.step,
            before.beat,
            before.question,
        ):
            chosen = kind == EventKind.FAVOURITE
            if kind == EventKind.NEVER_AGAIN:
                self.oracle.refused.add(before.question)
            self.oracle.hears(after.question, self.content, chosen=chosen)
        size = len(json.dumps(after.to_dict(), separators=(",", ":")).encode())
        self.largest = max(self.largest, size)


SAID = {
    "next": (EventKind.NEXT, None),
    "skip": (EventKind.SKIP, None),
    "deep": (EventKind.QUESTION_KIND, {"questionKind": "deep"}),
    "fun": (EventKind.QUESTION_KIND, {"questionKind": "fun"}),
    "keep": (EventKind.KEEP_QUESTION, None),
    "favourite": (EventKind.FAVOURITE, None),
    "never": (EventKind.NEVER_AGAIN, None),
    "wish": (EventKind.QUESTION_KIND, {"questionKind": "memory"}),
}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moves=st.lists(MOVES, min_size=5, max_size=40),
    update_at=st.integers(100, 400),
    removed=st.sets(st.sampled_from(sorted(CONTENT.questions)), max_size=80),
    added=st.integers(1, 5),
    full_every=st.integers(2, 7),
)
def test_500_check_ins_with_an_update_in_the_middle_repeat_nothing_and_fit_the_item(
    moves: list[str], update_at: int, removed: set[str], added: int, full_every: int
) -> None:
    """A couple holds 500 check-ins, one an evening, quick and now and then full. At
    question turns they skip, ask for a kind, keep, ask for a favourite or refuse a question,
    as `moves` goes round; the content is updated before check-in `update_at`."""
    couple = Couple(CONTENT)
    couple.say(EventKind.LAUNCH)
    couple.say(EventKind.NAMES, {"firstName": "Maximiliana", "secondName": "Bartholomew"})
    couple.say(EventKind.YES)
    turn = 0
    for night in range(500):
        if night == update_at:
            couple.content = updated(CONTENT, removed, added)
        couple.now = FIRST_EVENING + timedelta(days=night)
        length = "full" if night % full_every == 0 else "quick"
        couple.say(EventKind.START, {"length": length})
        if night % 5 == 0:  # during the opening pause: a wish for the first question
            couple.say(EventKind.QUESTION_KIND, {"questionKind": "memory"})
        while couple.state.phase == Phase.BEAT:
            if question_turn(couple.state, couple.content):
                kind, slots = SAID[moves[turn % len(moves)]]
                turn += 1
                couple.say(kind, slots)
                if kind == EventKind.NEXT:
                    continue
            couple.say(EventKind.NEXT)
    oracle = couple.oracle
    assert oracle.problems == []
    assert couple.state.completed == 500
    assert oracle.rounds >= 2, f"{oracle.count} questions heard in {oracle.rounds} round(s)"
    assert couple.largest + ITEM_OVERHEAD <= ITEM_BUDGET, couple.largest
    # The stored item reads back as the same couple, with the same history of questions.
    restored = load_state(json.loads(json.dumps(couple.state.to_dict())))
    assert restored.state == couple.state and not restored.damaged


# --- stored records --------------------------------------------------------------------------
def test_a_version_1_record_keeps_the_questions_it_had_asked() -> None:
    """v1 stored every question asked: they stay heard, and come only after the rest."""
    v1 = {"v": 1, "names": ["Sam", "Alex"], "phase": "ready", "seed": 9}
    restored = load_state({**v1, "asked": ["mem01", "dre04", "not an id"]})
    assert not restored.damaged
    state, first = restored.state, []
    for i in range(len(drawn_deck(CONTENT)) - 2):
        state = deck.draw_question(state.replace(started=i), CONTENT)
        first.append(state.question)
    assert not {"mem01", "dre04"} & set(first)
    assert len(set(first)) == len(first)


def test_a_record_with_the_old_pass_through_the_deck_loads_as_it_was() -> None:
    """deck_seed, deck_pos, deck_sig and deck_early (the pass before the whole history) are
    not read, not an error, and not written again."""
    old = {
        "v": 4,
        "names": ["Sam", "Alex"],
        "phase": "done",
        "completed": 12,
        "deck_seed": 77,
        "deck_pos": 30,
        "deck_sig": "0badcafe",
        "deck_early": ["mem03"],
    }
    restored = load_state(old)
    assert not restored.damaged and restored.state.completed == 12
    assert not {"deck_seed", "deck_pos", "deck_sig", "deck_early"} & set(restored.state.to_dict())


@pytest.mark.parametrize(
    "stored",
    ["mem", "mem:", "mem:zz", ":ff", "MEM:ff", "mem:-5", "mem:ff,,dre:1:2", "a" * 300],
)
def test_a_damaged_history_of_questions_is_read_for_what_it_holds(stored: str) -> None:
    """A damaged `asked` never stops the draw: what cannot be read counts as unheard."""
    state = State(seed=3, asked=stored, never=stored)
    drawn = deck.draw_question(state, CONTENT)
    assert drawn.question in CONTENT.questions
    assert deck.bits_of(drawn.asked)


def test_keeping_a_thirteenth_favourite_lets_the_oldest_go() -> None:
    ids = sorted(drawn_deck(CONTENT))[: KEEP_FAVOURITES + 1]
    state = State()
    for q_id in ids:
        state = deck.keep(state, q_id)
    assert state.kept == tuple(ids[1:])
    assert deck.keep(state, ids[5]) is state  # kept already: nothing moves
