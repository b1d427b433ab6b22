"""The reminders permission at the edge: the voice-consent request, and the
Connections.Response that answers it (registered at start: it imports nothing heavy; the API
calls themselves are in reminder_calls.py).

- When Alexa could not hold the voice dialog (status code other than 200), or the question
  went unanswered, the answer carries the permissions card for the Alexa app (the docs ask a
  skill without the permission to send one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import Response

from skill.alexa.skill import EventHandler
from skill.engine.events import Event, EventKind
from skill.reminders import consent as permission

if TYPE_CHECKING:
    from skill.reminders.consent import ConsentAnswer


def consent_answer(handler_input: HandlerInput) -> ConsentAnswer | None:
    """The yes this request brings, when it answers our AskFor with ACCEPTED."""
    answer = permission.parse_consent_response(
        getattr(handler_input.request_envelope, "request", None)
    )
    return answer if answer is not None and answer.status == permission.Consent.ACCEPTED else None


def ask_consent(builder: ResponseFactory) -> None:
    """Add the AskFor permission request to the response. Alexa asks in its own words after
    our one line; like the docs' example, the response sets no reprompt and leaves
    shouldEndSession unset (the answer comes back as Connections.Response)."""
    builder.add_directive(permission.as_sdk_directive())


class ConsentHandler(EventHandler):
    """Connections.Response to our AskFor: the CONSENT event with the answer (status None
    when Alexa could not hold the voice dialog). Without a yes by voice, the answer carries
    the permissions card too."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = getattr(handler_input.request_envelope, "request", None)
        return getattr(request, "object_type", None) == "Connections.Response" and (
            permission.parse_consent_response(request) is not None
        )

    def event(self, handler_input: HandlerInput) -> Event:
        answer = permission.parse_consent_response(handler_input.request_envelope.request)
        voiced = answer is not None and answer.voiced
        return Event(EventKind.CONSENT, {"status": str(answer.status) if voiced else None})

    def handle(self, handler_input: HandlerInput) -> Response:
        response = super().handle(handler_input)
        answer = permission.parse_consent_response(handler_input.request_envelope.request)
        if answer is None or not answer.voiced or answer.status == permission.Consent.NOT_ANSWERED:
            handler_input.response_builder.set_card(permission.as_sdk_card())
        return response
