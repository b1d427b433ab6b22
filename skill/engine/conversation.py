"""The conversation: one pure function from (state, event, time) to (state, reply).

Every phase answers every event: an event a phase has no use for gets a short, kind answer
that says where the couple are and what they can say now."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from skill.content.loader import default_content
from skill.content.model import Content
from skill.content.rules import AUDIO_BUDGET
from skill.engine import plan as plans
from skill.engine.events import Event
from skill.engine.history import milestone, record_completion
from skill.engine.names import NameProblem, clean_name, same_name
from skill.engine.plan import Position
from skill.engine.reply import Part, Pause, Reply, estimated_seconds
from skill.engine.state import MAX_TURN_SECONDS, MIN_TURN_SECONDS, State
from skill.engine.variants import pick

STALE_AFTER = timedelta(hours=12)  # an unfinished check-in older than this is not resumed on launch
TURN_STEP = 15  # seconds added or taken by "longer turns" / "shorter turns"
MINUTE_WORDS = {1: "one minute", 2: "two minute", 3: "three minute"}


@dataclass(frozen=True)
class Outcome:
    state: State
    reply: Reply
    forget: bool = False  # the couple confirmed "forget us": delete everything stored


def handle(state: State, event: Event, now: datetime, content: Content | None = None) -> Outcome:
    """Answer one event. The state in the outcome is the one to save (if it changed)."""
    outcome = Conversation(state, content or default_content(), now).respond(event)
    if outcome.state != state and not outcome.forget:
        stamped = outcome.state.replace(updated=now.isoformat(timespec="seconds"))
        outcome = Outcome(stamped, outcome.reply, outcome.forget)
    return outcome


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


def seconds_words(seconds: int) -> str:
    if seconds == 60:
        return "a minute"
    if seconds == 90:
        return "a minute and a half"
    return f"{seconds} seconds"


def describe(state: State, content: Content | None = None) -> dict[str, str]:
    """Where the couple are, for the console's status line (never logged: it holds names)."""
    content = content or default_content()
    info = {"phase": state.phase}
    if state.phase == "beat" and len(state.names) == 2:
        pos = plans.current(state, content)
        plan = plans.plan_of(state, content)
        info["exercise"] = pos.exercise.title
        info["turn"] = plans.speaker(state, pos.beat) or "both of you"
        info["step"] = f"{state.step + 1}/{len(plan.steps)}"
    return info


class Conversation:
    def __init__(self, state: State, content: Content, now: datetime) -> None:
        self.state = state
        self.content = content
        self.now = now

    # --- words -------------------------------------------------------------------------
    def say(self, key: str, **values: str) -> str:
        s = self.state
        variant = pick(self.content.phrases[key], s.seed, s.started, s.step, s.beat, key)
        return variant.format(**values)

    def names(self) -> dict[str, str]:
        first, second = plans.order(self.state)
        return {"first": first, "second": second}

    def plan_title(self, plan_id: str | None = None) -> str:
        plan = self.content.plans.get(plan_id or self.state.length) or self.content.plans["quick"]
        return plan.title

    def reply(
        self, state: State, *parts: Part, reprompt: str | None = None, end: bool = False
    ) -> Outcome:
        return Outcome(state, Reply(tuple(p for p in parts if p != ""), reprompt, end))

    # --- dispatch ----------------------------------------------------------------------
    def respond(self, event: Event) -> Outcome:
        kind = event.kind
        if kind == "support":
            return self.support()
        if self.state.asking:
            answered = self.answer_pending(event)
            if answered:
                return answered
            self.state = self.state.replace(asking="")
        if kind in ("stop", "cancel", "home"):
            return self.stop()
        if kind == "pause":
            return self.stop("pause")
        if kind == "forget":
            return self.ask_forget()
        if kind == "help":
            return self.help()
        if kind == "repeat":
            return self.prompt()
        if kind == "turn_time":
            return self.turn_time(event)
        return getattr(self, f"on_{self.state.phase}")(event)

    # --- prompts for the current place ---------------------------------------------------
    def prompt(self, *lead: Part) -> Outcome:
        """What the current phase asks, said again exactly (for repeat, resume, carry on)."""
        s = self.state
        if s.phase == "beat":
            return self.beat_reply(list(lead))
        if s.phase in ("new", "names") and not s.heard:
            return self.reply(
                s.replace(phase="names", seed=s.seed or self.new_seed()),
                *lead,
                self.say("welcome_new"),
                reprompt=self.say("ask_names_reprompt"),
            )
        text, reprompt = self.question_and_reprompt()
        return self.reply(s, *lead, text, reprompt=reprompt)

    def question_and_reprompt(self) -> tuple[str, str]:
        """The phase's question, and its reprompt, for the phases outside the exercises."""
        s = self.state
        if s.phase in ("new", "names"):
            if s.heard:
                return self.say("one_name", name=s.heard[0]), self.say("one_name_reprompt")
            return self.say("ask_names_reprompt"), self.say("help_names")
        if s.phase == "confirm_names":
            pair = {"first": s.heard[0], "second": s.heard[-1]}
            return self.say("confirm_names", **pair), self.say("confirm_names_reprompt", **pair)
        if s.phase == "ready":
            return (
                self.say("plan_ready", plan=self.plan_title()),
                self.say("plan_ready_reprompt"),
            )
        return self.say("finished_offer"), self.say("finished_reprompt")

    def new_seed(self) -> int:
        return int(self.now.timestamp() * 1000) % 2_147_483_647 or 1

    def where(self, pos: Position) -> str:
        name = plans.speaker(self.state, pos.beat)
        return f"{pos.exercise.title}, {name}'s turn" if name else pos.exercise.title

    def context_reprompt(self) -> str:
        if self.state.phase == "beat":
            return self.turn_reprompt(plans.current(self.state, self.content))
        return self.question_and_reprompt()[1]

    def turn_reprompt(self, pos: Position) -> str:
        name = plans.speaker(self.state, pos.beat)
        return self.say("turn_reprompt", speaker=name) if name else self.say("both_reprompt")

    # --- the beats of an exercise ------------------------------------------------------
    def enter(self, state: State, step: int, beat: int) -> State:
        """Move to a beat, drawing a fresh question when the beat asks one."""
        state = state.replace(step=step, beat=beat)
        pos = plans.current(state, self.content)
        if pos.beat.source == "question":
            state = self.draw_question(state)
        return state

    def draw_question(self, state: State) -> State:
        """The next question of this pass through the deck: none comes twice until the
        couple have heard them all. A pass is a seeded shuffle, so only (seed, position)
        is stored; a changed deck starts a new pass."""
        deck, signature = deck_of(self.content)
        seed, position = state.deck_seed, state.deck_pos
        if state.deck_sig != signature or position >= len(deck) or not seed:
            seed, position = new_pass(deck, state), 0
        question = shuffled(deck, seed)[position]
        return state.replace(
            question=question, deck_seed=seed, deck_pos=position + 1, deck_sig=signature
        )

    def beat_body(self, state: State, intro: bool) -> tuple[list[Part], Position]:
        self.state = state
        pos = plans.current(state, self.content)
        keys = (state.seed, state.started, state.step, state.beat)
        parts: list[Part] = []
        if intro and pos.beat_index == 0:
            minutes = MINUTE_WORDS.get(pos.minutes, "short")
            parts.append(pick(pos.exercise.intro, *keys, "intro").format(minutes=minutes))
        speaker = plans.speaker(state, pos.beat)
        values = {**self.names(), "speaker": speaker or "", "other": ""}
        values["other"] = plans.listener(state, pos.beat) or ""
        if pos.beat.source == "pause":
            for line in self.content.pauses[pos.minutes]:
                parts.append(Pause(line) if isinstance(line, int) else line)
        else:
            if pos.beat.source == "question":
                question = self.content.questions.get(state.question)
                text = question.text if question else ""
                values["question"] = text.format(other=values["other"])
            parts.append(pick(pos.beat.prompts, *keys, "prompt").format(**values))
        floor = state.turn_seconds if pos.beat.floor is None else pos.beat.floor
        if floor:
            parts.append(Pause(floor))
        if pos.beat.after:
            parts.append(pick(pos.beat.after, *keys, "after").format(**values))
        return parts, pos

    def ask_line(self, state: State) -> str | None:
        """The question that ends a beat, or None when the beat ends the plan."""
        following = plans.following(state, self.content)
        if following is None:
            return None
        nxt = plans.position(state, self.content, *following)
        assert nxt is not None
        if following[0] != state.step:
            return self.say("ready_next", title=nxt.exercise.title)
        name = plans.speaker(state, nxt.beat)
        return self.say("ready_turn", next=name) if name else self.say("ready_beat")

    def beat_reply(self, lead: list[Part], intro: bool = True) -> Outcome:
        state = self.state
        body, pos = self.beat_body(state, intro)
        ask = self.ask_line(state)
        if ask is None:  # the last beat of the plan: say goodbye and finish
            if plans.is_single(state):
                body.append(self.say("single_done", title=pos.exercise.title))
                state = state.replace(phase="done")
            else:
                body.append(self.say("goodbye_done"))
                state = record_completion(state.replace(phase="done"), self.now.date())
            return self.reply(state, *self.fit(lead, body), end=True)
        body.append(ask)
        return self.reply(state, *self.fit(lead, body), reprompt=self.turn_reprompt(pos))

    @staticmethod
    def fit(lead: list[Part], body: list[Part]) -> list[Part]:
        """Drop lead-in lines (last first) until the response fits the audio budget."""
        lead = list(lead)
        while lead and estimated_seconds(tuple(lead + body)) > AUDIO_BUDGET:
            lead.pop()
        return lead + body

    def advance(self, lead: list[Part]) -> Outcome:
        following = plans.following(self.state, self.content)
        if following is None:  # only a damaged state lands here: finish gently
            return self.reply(self.state.replace(phase="done"), self.say("goodbye_done"), end=True)
        self.state = self.enter(self.state, *following)
        return self.beat_reply(lead)

    def begin(self, plan: str | None = None, welcome: bool = False, lead: Part = "") -> Outcome:
        """Start tonight's check-in (or one exercise) at its first beat."""
        s = self.state
        opening: list[Part] = [lead] if lead else []
        if welcome:
            story = milestone(s, self.now.date())
            opening.append(self.say("welcome_back", first=s.names[0], second=s.names[1]))
        s = s.replace(
            phase="beat",
            plan=plan or s.length,
            started=s.started + 1,
            swapped=False,
            asking="",
            seed=s.seed or self.new_seed(),
        )
        self.state = s = self.enter(s, 0, 0)
        if welcome:
            if plans.speaker(s, plans.current(s, self.content).beat) is None:
                opening.append(self.say("goes_first", name=plans.order(s)[0]))
            if story:
                opening.append(self.say(story[0], **story[1]))
        return self.beat_reply(opening)

    # --- the phases --------------------------------------------------------------------
    def on_new(self, event: Event) -> Outcome:
        self.state = self.state.replace(phase="names", seed=self.state.seed or self.new_seed())
        if event.kind == "names":
            return self.take_names(event)
        if event.kind == "fallback":
            return self.not_understood("help_names")
        return self.prompt()

    def on_names(self, event: Event) -> Outcome:
        if event.kind == "names":
            return self.take_names(event)
        if event.kind in ("launch", "start_over"):
            self.state = self.state.replace(heard=())
            return self.prompt()
        return self.not_understood("help_names")

    def take_names(self, event: Event) -> Outcome:
        s = self.state
        heard = [] if s.phase == "confirm_names" else list(s.heard)
        problem = ""
        for slot in ("firstName", "secondName"):
            if slot not in event.slots:
                continue
            try:
                heard.append(clean_name(event.slots[slot]))
            except NameProblem as error:
                problem = problem or str(error)
        reprompt = self.say("ask_names_reprompt")
        if problem == "too_long":
            state = s.replace(phase="names", heard=tuple(heard[:1]))
            return self.reply(state, self.say("name_too_long"), reprompt=reprompt)
        if not heard:
            state = s.replace(phase="names", heard=())
            return self.reply(state, self.say("names_missing"), reprompt, reprompt=reprompt)
        heard = heard[-2:]
        if len(heard) == 2 and same_name(*heard):
            self.state = s.replace(phase="names", heard=(heard[0],))
            return self.reply(self.state, self.say("same_names", name=heard[0]), reprompt=reprompt)
        if len(heard) == 1:
            self.state = s.replace(phase="names", heard=tuple(heard))
        else:
            self.state = s.replace(phase="confirm_names", heard=tuple(heard))
        return self.prompt()

    def on_confirm_names(self, event: Event) -> Outcome:
        s = self.state
        if event.kind == "yes":
            self.state = s.replace(names=s.heard, heard=(), phase="ready")
            return self.prompt(self.say("names_set"))
        if event.kind == "no":
            self.state = s.replace(heard=(), phase="names")
            return self.reply(
                self.state, self.say("names_wrong"), reprompt=self.say("ask_names_reprompt")
            )
        if event.kind == "names":
            return self.take_names(event)
        if event.kind == "launch":
            return self.prompt()
        return self.not_understood("confirm_names_reprompt", first=s.heard[0], second=s.heard[-1])

    def on_ready(self, event: Event) -> Outcome:
        kind = event.kind
        if kind in ("yes", "next", "resume", "launch"):
            return self.begin(welcome=kind == "launch")
        if kind in ("start", "length"):
            length = event.slots.get("length")
            if kind == "length" and length not in self.content.plans:
                return self.reply(
                    self.state, self.say("unknown_length"), reprompt=self.context_reprompt()
                )
            if length in self.content.plans:
                self.state = self.state.replace(length=length)
            if kind == "start":
                return self.begin()
            return self.reply(
                self.state,
                self.say("plan_changed", plan=self.plan_title()),
                self.say("ready_to_begin"),
                reprompt=self.say("plan_ready_reprompt"),
            )
        if kind == "exercise":
            return self.single(event)
        if kind == "no":
            return self.reply(
                self.state, self.say("not_ready"), reprompt=self.say("plan_ready_reprompt")
            )
        if kind == "start_over":
            return self.prompt()
        return self.not_understood("help_ready", plan=self.plan_title())

    def on_beat(self, event: Event) -> Outcome:
        kind = event.kind
        s = self.state
        pos = plans.current(s, self.content)
        if kind == "launch":
            if self.is_stale():
                return self.begin(welcome=True)
            welcome = self.say("welcome_back", first=s.names[0], second=s.names[1])
            lead = [welcome, self.say("resuming", where=self.where(pos))]
            return self.beat_reply(lead, intro=False)
        if kind in ("next", "yes"):
            return self.advance([])
        if kind == "no":
            ask = self.ask_line(s) or ""
            return self.reply(
                s,
                self.say("more_time"),
                Pause(s.turn_seconds),
                ask,
                reprompt=self.turn_reprompt(pos),
            )
        if kind == "skip":
            if pos.beat.source == "question":
                self.state = self.draw_question(s)
                return self.beat_reply([self.say("another_question")], intro=False)
            return self.advance([self.say("skipping")])
        if kind == "switch":
            return self.switch(event, pos)
        if kind == "resume":
            return self.beat_reply([self.say("resuming", where=self.where(pos))], intro=False)
        if kind == "start":
            length = event.slots.get("length")
            if length in self.content.plans and length != s.plan:
                return self.change_length(length, pos)
            return self.beat_reply([self.say("already_started")])
        if kind == "start_over":
            self.state = self.enter(s.replace(swapped=False), 0, 0)
            return self.beat_reply([self.say("start_over")])
        if kind == "length":
            length = event.slots.get("length")
            if length not in self.content.plans:
                return self.reply(s, self.say("unknown_length"), reprompt=self.turn_reprompt(pos))
            return self.change_length(length, pos)
        if kind == "exercise":
            return self.single(event)
        if kind == "names":
            known = self.say("names_known", first=s.names[0], second=s.names[1])
            return self.reply(s, known, self.ask_line(s) or "", reprompt=self.turn_reprompt(pos))
        return self.not_understood()

    def on_done(self, event: Event) -> Outcome:
        kind = event.kind
        if kind in ("launch", "yes", "next", "start", "resume", "start_over"):
            length = event.slots.get("length")
            if length in self.content.plans:
                self.state = self.state.replace(length=length)
            return self.begin(welcome=kind == "launch")
        if kind == "length":
            length = event.slots.get("length")
            if length not in self.content.plans:
                return self.reply(
                    self.state, self.say("unknown_length"), reprompt=self.context_reprompt()
                )
            self.state = self.state.replace(length=length)
            return self.begin()
        if kind == "exercise":
            return self.single(event)
        if kind == "no":
            return self.reply(self.state, self.say("stop_plain"), end=True)
        return self.not_understood("help_done")

    # --- actions that work in several phases -------------------------------------------
    def is_stale(self) -> bool:
        try:
            updated = datetime.fromisoformat(self.state.updated)
        except ValueError:
            return True
        if updated.tzinfo is None or self.now.tzinfo is None:
            updated, now = updated.replace(tzinfo=None), self.now.replace(tzinfo=None)
        else:
            now = self.now
        return now - updated > STALE_AFTER

    def change_length(self, length: str, pos: Position) -> Outcome:
        s = self.state.replace(length=length)
        at_start = s.step == 0 and s.beat == 0 and not plans.is_single(s)
        if at_start:
            self.state = self.enter(s.replace(plan=length), 0, 0)
            return self.beat_reply([self.say("plan_changed", plan=self.plan_title(length))])
        self.state = s
        later = self.say("length_later", plan=self.plan_title(length))
        return self.reply(s, later, self.ask_line(s) or "", reprompt=self.turn_reprompt(pos))

    def switch(self, event: Event, pos: Position) -> Outcome:
        s = self.state
        current = plans.speaker(s, pos.beat)
        if current is None:
            return self.reply(
                s, self.say("switch_both"), self.ask_line(s) or "", reprompt=self.turn_reprompt(pos)
            )
        wanted = event.slots.get("partner")
        if wanted and same_name(wanted.strip(), current):
            return self.reply(
                s,
                self.say("already_their_turn", name=current),
                reprompt=self.turn_reprompt(pos),
            )
        self.state = s.replace(swapped=not s.swapped)
        return self.beat_reply([self.say("switching")], intro=False)

    def single(self, event: Event) -> Outcome:
        exercise = event.slots.get("exercise")
        if exercise not in self.content.exercises:
            return self.reply(
                self.state, self.say("unknown_exercise"), reprompt=self.context_reprompt()
            )
        return self.begin(plan=f"{plans.SINGLE_PREFIX}{exercise}")

    def turn_time(self, event: Event) -> Outcome:
        s = self.state
        direction = event.slots.get("turnTime")
        if direction not in ("longer", "shorter"):
            return self.not_understood()
        step = TURN_STEP if direction == "longer" else -TURN_STEP
        seconds = min(MAX_TURN_SECONDS, max(MIN_TURN_SECONDS, s.turn_seconds + step))
        if seconds == s.turn_seconds:
            word = "long" if direction == "longer" else "short"
            said = self.say("turns_limit", direction=word, length=seconds_words(seconds))
        else:
            key = "turns_longer" if direction == "longer" else "turns_shorter"
            said = self.say(key, length=seconds_words(seconds))
        self.state = s = s.replace(turn_seconds=seconds)
        if s.phase == "beat":
            follow = self.ask_line(s) or ""
        else:
            follow = self.question_and_reprompt()[0] if s.names else self.say("ask_names_reprompt")
        return self.reply(s, said, follow, reprompt=self.context_reprompt())

    def help(self) -> Outcome:
        return self.reply(
            self.state,
            self.where_and_what(),
            self.say("not_therapy"),
            reprompt=self.context_reprompt(),
        )

    def where_and_what(self) -> str:
        """Where the couple are and what they can say now (for help and fallback)."""
        s = self.state
        if s.phase == "beat":
            pos = plans.current(s, self.content)
            name = plans.speaker(s, pos.beat)
            if name:
                return self.say("help_turn", where=self.where(pos), speaker=name)
            return self.say("help_both", where=self.where(pos))
        if s.phase in ("new", "names"):
            return self.say("help_names")
        if s.phase == "confirm_names":
            return self.question_and_reprompt()[1]
        if s.phase == "ready":
            return self.say("help_ready", plan=self.plan_title())
        return self.say("help_done")

    def not_understood(self, help_key: str = "", **values: str) -> Outcome:
        """Fallback: say so, then what can be said here."""
        what = self.say(help_key, **values) if help_key else self.where_and_what()
        return self.reply(
            self.state, self.say("not_understood"), what, reprompt=self.context_reprompt()
        )

    def stop(self, kind: str = "stop") -> Outcome:
        s = self.state.replace(asking="")
        if s.phase == "beat":
            return self.reply(s, self.say("pause" if kind == "pause" else "stop_saved"), end=True)
        return self.reply(s, self.say("stop_plain"), end=True)

    def ask_forget(self) -> Outcome:
        s = self.state
        if not s.names and not s.heard:
            if s.phase == "new":
                return self.reply(s, self.say("forget_nothing"), self.say("stop_plain"), end=True)
            return self.prompt(self.say("forget_nothing"))
        return self.reply(
            s.replace(asking="forget"),
            self.say("forget_confirm"),
            reprompt=self.say("forget_reprompt"),
        )

    def support(self) -> Outcome:
        return self.reply(
            self.state.replace(asking="support"),
            self.say("support"),
            self.say("support_offer_stop"),
            reprompt=self.say("support_reprompt"),
        )

    def answer_pending(self, event: Event) -> Outcome | None:
        """Yes or no to "forget us?" or "stop for tonight?"; None lets the event through."""
        s = self.state
        asking = s.asking
        self.state = s.replace(asking="")
        if asking == "forget" and event.kind == "yes":
            return Outcome(State(), Reply((self.say("forget_done"),), None, True), forget=True)
        if asking == "forget" and event.kind in ("no", "cancel"):
            return self.carry_on(self.say("forget_kept"))
        if asking == "support" and event.kind == "yes":
            return self.reply(self.state, self.say("stop_plain"), end=True)
        if asking == "support" and event.kind == "no":
            return self.carry_on(self.say("carry_on"))
        self.state = s
        return None

    def carry_on(self, lead: str) -> Outcome:
        return self.prompt(lead)
