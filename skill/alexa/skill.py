"""skill_builder(store): the ask-sdk-core skill. Handlers are registered in one visible order;
each maps a request to an engine event and lets Household do the rest."""

from __future__ import annotations

import json
import logging
import time

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.household import Household
from skill.alexa.intents import INTENT_EVENTS, slot_values
from skill.alexa.requestlog import RequestLog
from skill.content.loader import default_content
from skill.content.model import Content
from skill.engine.events import Event
from skill.engine.variants import pick
from skill.speech.ssml import to_ssml
from skill.store.base import Store

log = logging.getLogger("checkin")


class EventHandler(AbstractRequestHandler):
    """Base: run an engine event and turn the reply into an Alexa response."""

    def __init__(self, store: Store, content: Content, request_log: RequestLog) -> None:
        self.store = store
        self.content = content
        self.request_log = request_log

    def event(self, handler_input: HandlerInput) -> Event:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput) -> Response:
        started = time.perf_counter()
        event = self.event(handler_input)
        outcome, loaded = Household(handler_input, self.store, self.content).run(event)
        reply = outcome.reply
        builder = handler_input.response_builder.speak(to_ssml(reply.speech))
        if reply.end_session:
            builder.set_should_end_session(True)
        else:
            builder.ask(to_ssml((reply.reprompt or "",)))
        request = handler_input.request_envelope.request
        self.request_log(
            request=request.object_type,
            intent=getattr(getattr(request, "intent", None), "name", None),
            event=event.kind,
            phase=outcome.state.phase,
            outcome="unsaved" if loaded.dirty else ("ended" if reply.end_session else "ok"),
            ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return builder.response


class LaunchHandler(EventHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        return Event("launch")


class IntentHandler(EventHandler):
    """Every intent; one the engine does not know is heard as a fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        intent = handler_input.request_envelope.request.intent
        kind = INTENT_EVENTS.get(intent.name, "fallback")
        return Event(kind, slot_values(intent) if kind != "fallback" else {})


class SessionEndedHandler(AbstractRequestHandler):
    """Saves what is unsaved; no speech may answer a SessionEndedRequest."""

    def __init__(self, store: Store, content: Content, request_log: RequestLog) -> None:
        self.store = store
        self.content = content
        self.request_log = request_log

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(
            getattr(getattr(request, "error", None), "object_type", None), "value", None
        )
        Household(handler_input, self.store, self.content).flush()
        self.request_log(request=request.object_type, reason=reason, error=error, outcome="ended")
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Any other request type (display events, playback, system): an empty answer."""

    def __init__(self, request_log: RequestLog) -> None:
        self.request_log = request_log

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        request_type = handler_input.request_envelope.request.object_type
        self.request_log(request=request_type, outcome="ignored")
        return handler_input.response_builder.response


class RecoverInWords(AbstractExceptionHandler):
    """The last resort: apologise and keep the session open. Logs the error type only."""

    def __init__(self, content: Content, request_log: RequestLog) -> None:
        self.content = content
        self.request_log = request_log

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = getattr(handler_input.request_envelope, "request", None)
        request_type = getattr(request, "object_type", None)
        line = {"request": request_type, "outcome": "error", "error": type(exception).__name__}
        self.request_log(**line)
        log.error(json.dumps(line))  # errors also reach the logging handlers, for alerting
        if request is None or request_type == "SessionEndedRequest":
            return handler_input.response_builder.response
        sorry = pick(self.content.phrases["error"], type(exception).__name__)
        builder = handler_input.response_builder
        return builder.speak(to_ssml((sorry,))).ask(to_ssml((sorry,))).response


def skill_builder(
    store: Store,
    content: Content | None = None,
    skill_id: str | None = None,
    request_log: RequestLog | None = None,
) -> CustomSkillBuilder:
    content = content or default_content()
    request_log = request_log or RequestLog()
    builder = CustomSkillBuilder()
    if skill_id:
        builder.skill_id = skill_id
    for handler in (LaunchHandler, IntentHandler, SessionEndedHandler):
        builder.add_request_handler(handler(store, content, request_log))
    builder.add_request_handler(UnknownRequestHandler(request_log))
    builder.add_exception_handler(RecoverInWords(content, request_log))
    return builder
