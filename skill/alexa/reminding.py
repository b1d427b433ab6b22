"""The Reminders API at the edge: the calls the engine asks for (effects.CallReminders),
the voice-consent request, and the Connections.Response that answers it. (To be written.)"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type

from skill.alexa.skill import EventHandler
from skill.engine.effects import CallReminders
from skill.engine.events import Event, EventKind
from skill.engine.state import State


def make_call(handler_input: HandlerInput, call: CallReminders, state: State) -> Event:
    """Make the call; its result as a REMINDER_DONE event."""
    return Event(EventKind.REMINDER_DONE, {"result": "unavailable"})


def ask_consent(builder: Any) -> None:
    """Add the AskFor permission request to the response."""


class ConsentHandler(EventHandler):
    """Connections.Response to our AskFor: the CONSENT event with the answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("Connections.Response")(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        return Event(EventKind.CONSENT, {"status": None})
