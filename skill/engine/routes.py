"""The conversation as a declared machine: one table from (phase, event) to a handler.

Read it top to bottom: what a phase does with an event it names; else what every phase does
with that event; else the phase's answer to anything else. ROUTES is that table expanded to
every (phase, event) pair, so that a reader, a tool or a test can see each route. A pending
yes/no question is a second, smaller table, consulted first.

A new phase (meditation playback, screen events, reminder consent) is a new row here."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from types import MappingProxyType

from skill.engine import anywhere, onboarding, tonight
from skill.engine.context import Ctx
from skill.engine.events import PLAYBACK_EVENTS, Event
from skill.engine.events import EventKind as E
from skill.engine.onboarding import first_contact
from skill.engine.outcome import Handler, Outcome
from skill.engine.state import Asking, Phase, State


class Later:
    """A capability's handlers (meditations, reminders, the deck by voice), imported at the
    first event that needs one: a check-in's cold start does not load them (a Lambda cold
    start is measured against the SDK's hello world)."""

    def __init__(self, module: str) -> None:
        self.module = f"skill.engine.{module}"

    def __getattr__(self, name: str) -> Handler:
        module = self.module

        def handler(state: State, event: Event, ctx: Ctx) -> Outcome:
            return getattr(import_module(module), name)(state, event, ctx)

        handler.__name__ = handler.__qualname__ = name
        handler.__module__ = module
        return handler


CHOOSING, MEDITATION, REMINDING = Later("choosing"), Later("meditation"), Later("reminding")

# What every phase does with these events, unless its own row says otherwise.
EVERYWHERE: dict[E, Handler] = {
    E.SUPPORT: anywhere.support,
    E.SAFETY: anywhere.safety,
    E.STOP: anywhere.stop,
    E.CANCEL: anywhere.stop,
    E.HOME: anywhere.stop,
    E.PAUSE: anywhere.stop,
    E.FORGET: anywhere.ask_forget,
    E.HELP: anywhere.help_here,
    E.TIME_LEFT: anywhere.time_left,
    E.ACKNOWLEDGE: anywhere.acknowledge,
    E.REPEAT: anywhere.repeat,
    E.TURN_TIME: anywhere.turn_time,
    # the question deck by voice
    E.QUESTION_KIND: CHOOSING.kind,
    E.KEEP_QUESTION: CHOOSING.keep,
    E.FAVOURITE: CHOOSING.favourite,
    E.NEVER_AGAIN: CHOOSING.never_again,
    # meditations, and what the audio player reports (never answered in words)
    E.MEDITATE: MEDITATION.meditate,
    E.PLAYER_COMMAND: MEDITATION.player_command,
    E.PLAY_STARTED: MEDITATION.player_report,
    E.PLAY_STOPPED: MEDITATION.player_report,
    E.PLAY_FINISHED: MEDITATION.player_report,
    E.PLAY_FAILED: MEDITATION.player_report,
    # the weekly reminder
    E.REMIND: REMINDING.remind,
    E.REMINDER_WHEN: REMINDING.when,
    E.REMINDER_MOVE: REMINDING.move,
    E.REMINDER_STOP: REMINDING.stop_reminding,
    E.REMINDER_DONE: REMINDING.done,
    E.CONSENT: REMINDING.consent,
}

# Each phase: the events it answers in its own way, and (under None) anything else.
BY_PHASE: dict[Phase, dict[E | None, Handler]] = {
    Phase.NEW: {
        E.NAMES: first_contact(onboarding.take_names),
        E.FALLBACK: first_contact(onboarding.names_not_understood),
        None: first_contact(onboarding.ask_names),
    },
    Phase.NAMES: {
        E.NAMES: onboarding.take_names,
        E.LAUNCH: onboarding.names_again,
        E.START_OVER: onboarding.names_again,
        None: onboarding.names_not_understood,
    },
    Phase.CONFIRM_NAMES: {
        E.YES: onboarding.names_confirmed,
        E.NO: onboarding.names_wrong,
        E.NAMES: onboarding.take_names,
        E.LAUNCH: anywhere.repeat,
        None: onboarding.confirm_not_understood,
    },
    Phase.READY: {
        E.YES: tonight.begin_tonight,
        E.NEXT: tonight.begin_tonight,
        E.RESUME: tonight.begin_tonight,
        E.LAUNCH: tonight.begin_tonight,
        E.START: tonight.start_with_length,
        E.LENGTH: tonight.choose_length,
        E.EXERCISE: tonight.single,
        E.NAMES: tonight.heard_name,
        E.NO: tonight.not_ready,
        E.START_OVER: tonight.ask_again,
        None: tonight.ready_not_understood,
    },
    Phase.BEAT: {
        E.LAUNCH: tonight.return_to_beat,
        E.NEXT: tonight.next_beat,
        E.YES: tonight.next_beat,
        E.NO: tonight.more_time,
        E.SKIP: tonight.skip,
        E.SWITCH: tonight.switch,
        E.RESUME: tonight.resume_beat,
        E.START: tonight.start_during_beat,
        E.START_OVER: tonight.start_over,
        E.LENGTH: tonight.length_during_beat,
        E.EXERCISE: tonight.single,
        E.NAMES: tonight.heard_name,
        None: tonight.beat_not_understood,
    },
    Phase.DONE: {
        E.LAUNCH: tonight.again_tonight,
        E.YES: tonight.again_tonight,
        E.NEXT: tonight.again_tonight,
        E.START: tonight.again_tonight,
        E.RESUME: tonight.again_tonight,
        E.START_OVER: tonight.again_tonight,
        E.LENGTH: tonight.length_when_done,
        E.EXERCISE: tonight.single,
        E.NAMES: tonight.heard_name,
        E.NO: tonight.goodbye,
        None: tonight.done_not_understood,
    },
    Phase.MEDITATION: {
        E.LAUNCH: MEDITATION.paused_welcome,
        E.RESUME: MEDITATION.resume,
        E.YES: MEDITATION.resume,
        E.START_OVER: MEDITATION.start_over,
        E.PAUSE: MEDITATION.pause,
        E.STOP: MEDITATION.pause,
        E.CANCEL: MEDITATION.pause,
        E.HOME: MEDITATION.pause,
        E.NEXT: MEDITATION.not_available,
        E.SKIP: MEDITATION.not_available,
        E.SWITCH: MEDITATION.not_available,
        E.REPEAT: MEDITATION.not_available,
        E.HELP: MEDITATION.help_here,
        E.TIME_LEFT: MEDITATION.time_left,
        E.NO: MEDITATION.goodbye,
        E.START: MEDITATION.elsewhere,
        E.EXERCISE: MEDITATION.elsewhere,
        E.LENGTH: MEDITATION.elsewhere,
        E.NAMES: MEDITATION.elsewhere,
        E.TURN_TIME: MEDITATION.elsewhere,
        E.QUESTION_KIND: MEDITATION.elsewhere,
        E.FAVOURITE: MEDITATION.elsewhere,
        None: MEDITATION.not_understood_here,
    },
}

# A pending yes/no question: the answers it takes. The handler gets the state with the
# question cleared; any other event clears it and goes through ROUTES (support and safety
# are never taken as an answer).
ANSWERS: Mapping[tuple[Asking, E], Handler] = MappingProxyType(
    {
        (Asking.FORGET, E.YES): anywhere.forget_confirmed,
        (Asking.FORGET, E.NO): anywhere.forget_declined,
        (Asking.FORGET, E.CANCEL): anywhere.forget_declined,
        (Asking.SUPPORT, E.YES): anywhere.support_stop,
        (Asking.SUPPORT, E.NO): anywhere.support_carry_on,
        (Asking.MEDITATE, E.YES): MEDITATION.offer_accepted,
        (Asking.MEDITATE, E.MEDITATE): MEDITATION.offer_accepted,
        (Asking.MEDITATE, E.NO): MEDITATION.offer_declined,
        # "next", said all evening, answers an offer at the end as "no, let's finish"
        (Asking.MEDITATE, E.NEXT): MEDITATION.offer_declined,
        (Asking.REMINDER, E.NEXT): REMINDING.offer_declined,
        (Asking.REMINDER, E.YES): REMINDING.offer_accepted,
        (Asking.REMINDER, E.REMIND): REMINDING.offer_accepted,
        (Asking.REMINDER, E.NO): REMINDING.offer_declined,
    }
)
NEVER_AN_ANSWER = frozenset({E.SUPPORT, E.SAFETY}) | PLAYBACK_EVENTS


def expand() -> dict[tuple[Phase, E], Handler]:
    table: dict[tuple[Phase, E], Handler] = {}
    for phase in Phase:
        own = BY_PHASE[phase]
        for kind in E:
            table[phase, kind] = own.get(kind) or EVERYWHERE.get(kind) or own[None]
    return table


ROUTES: Mapping[tuple[Phase, E], Handler] = MappingProxyType(expand())
