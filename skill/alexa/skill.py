"""skill_builder(store): the ask-sdk-core skill. Handlers are registered in one visible order;
each maps a request to an engine event and lets Household do the rest."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill import oplog
from skill.alexa import playback
from skill.alexa.household import Household, request_locale
from skill.alexa.intents import INTENT_EVENTS, slot_values
from skill.alexa.requestlog import RequestLog
from skill.alexa.serializer import CheckInSerializer
from skill.apl.devices import supports_apl
from skill.content.loader import default_content
from skill.content.model import Content
from skill.engine.effects import AskConsent, CallReminders, Play, StopAudio
from skill.engine.events import Event, EventKind
from skill.engine.outcome import Outcome
from skill.engine.state import State
from skill.engine.variants import pick
from skill.speech.ssml import to_ssml
from skill.store.base import Store

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
RUNTIME_ERROR = "Alexa.Presentation.APL.RuntimeError"
BUTTON_EVENTS = {
    "next": EventKind.NEXT,  # the values of skill.apl.screen.Button
    "skip": EventKind.SKIP,
    "switch": EventKind.SWITCH,
    "pause": EventKind.PAUSE,
    "repeat": EventKind.REPEAT,
}
LOG_FIELDS = "log_fields"  # request attribute: what the handler adds to the log line
STARTED = "started"  # request attribute: when the request reached the skill


def note(handler_input: HandlerInput, **fields: Any) -> None:
    """Fields for this request's log line (intent names, phases, outcomes: never words)."""
    handler_input.attributes_manager.request_attributes.setdefault(LOG_FIELDS, {}).update(fields)


class StartClock(AbstractRequestInterceptor):
    """Notes when the request arrived, for the latency in the log line."""

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STARTED] = time.perf_counter()


class LogLine(AbstractResponseInterceptor):
    """Writes the one log line of a request that a handler answered. (An exception skips
    response interceptors: RecoverInWords writes its own line through log_line.)"""

    def __init__(self, request_log: RequestLog) -> None:
        self.request_log = request_log

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        log_line(self.request_log, handler_input)


def log_line(request_log: RequestLog, handler_input: HandlerInput, **extra: Any) -> None:
    attributes = handler_input.attributes_manager.request_attributes
    request = getattr(handler_input.request_envelope, "request", None)
    fields = {"request": getattr(request, "object_type", None), **attributes.get(LOG_FIELDS, {})}
    fields.update(extra)
    started = attributes.get(STARTED)
    if started is not None:
        fields["ms"] = round((time.perf_counter() - started) * 1000, 1)
    request_log(**fields)


class EventHandler(AbstractRequestHandler):
    """Base: run an engine event and turn the reply into an Alexa response."""

    def __init__(self, store: Store, content: Content) -> None:
        self.store = store
        self.content = content

    def event(self, handler_input: HandlerInput) -> Event:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput) -> Response:
        event = self.event(handler_input)
        content = spelled(self.content, request_locale(handler_input))
        household = Household(
            handler_input,
            self.store,
            content,
            audio=playback.can_play(handler_input),
            calls=lambda call, state: reminder_calls(handler_input, call, state),
        )
        outcome, loaded = household.run(event)
        reply = outcome.reply
        request = handler_input.request_envelope.request
        builder = handler_input.response_builder
        silent = playback.is_silent(getattr(request, "object_type", None))
        if not silent and reply.speech:  # replies to the audio player: its directives only
            builder.speak(to_ssml(reply.speech))
        effect = outcome.effect
        carry_out(builder, outcome, content, silent)
        if not silent and not isinstance(effect, Play) and supports_apl(handler_input):
            builder.add_directive(render_document(outcome, content, event))
        note(
            handler_input,
            intent=getattr(getattr(request, "intent", None), "name", None),
            event=str(event.kind),
            phase=str(outcome.state.phase),
            outcome="unsaved" if loaded.dirty else ("ended" if reply.end_session else "ok"),
        )
        return builder.response


def carry_out(builder: Any, outcome: Outcome, content: Content, silent: bool) -> None:
    """The effect the engine asked for, as directives, and whether the session goes on. A
    reply to the audio player (silent) holds its directives and nothing else, not even
    shouldEndSession: there is no session."""
    effect, reply = outcome.effect, outcome.reply
    if isinstance(effect, Play):
        directive = playback.play_directive(effect.meditation, effect.offset, content)
        if directive is not None:
            builder.add_directive(directive)
    elif isinstance(effect, StopAudio):
        builder.add_directive(playback.stop_directive())
    elif isinstance(effect, AskConsent):  # Alexa asks next: no reprompt of ours
        from skill.alexa.reminding import ask_consent

        ask_consent(builder)
        return
    if silent:
        return
    if effect is not None or reply.end_session:  # (the audio player's directives end it)
        builder.set_should_end_session(True)
    else:
        builder.ask(to_ssml((reply.reprompt or "",)))


def reminder_calls(handler_input: HandlerInput, call: CallReminders, state: State) -> Event:
    """The Reminders API call the engine asked for, made (imported only then)."""
    from skill.alexa.reminder_calls import make_call

    return make_call(handler_input, call, state)


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


class TouchHandler(EventHandler):
    """A button on the screen: the same engine event as the voice command it stands for, so
    the engine never knows which was used."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(USER_EVENT)(handler_input)

    def event(self, handler_input: HandlerInput) -> Event:
        from skill.apl.screen import button_event  # only screens send UserEvents

        button = button_event(getattr(handler_input.request_envelope.request, "arguments", None))
        return Event(BUTTON_EVENTS[button] if button else EventKind.FALLBACK)


class PlayerHandler(EventHandler):
    """The audio player's reports and buttons during a meditation: the same engine events as
    the voice commands they stand for (PlaybackController.PauseCommandIssued is "pause").
    Their replies carry AudioPlayer directives only (EventHandler.handle)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = getattr(handler_input.request_envelope.request, "object_type", None)
        return kind in playback.REPORTS or kind in playback.COMMANDS

    def event(self, handler_input: HandlerInput) -> Event:
        kind = handler_input.request_envelope.request.object_type
        if kind in playback.REPORTS:
            return playback.report_event(handler_input)
        return Event(playback.COMMANDS[kind])


def spelled(content: Content, locale: str) -> Content:
    """The content in the locale's spelling. (en-US, the content's own, imports nothing: a
    cold start pays for skill.content.localized only in another locale.)"""
    if locale == "en-US":
        return content
    from skill.content.localized import for_locale

    return for_locale(content, locale)


class ConsentAnswerHandler(AbstractRequestHandler):
    """Connections.Response, the answer to our permission request: handled by
    skill.alexa.reminding.ConsentHandler, imported when such an answer first comes (a cold
    start of any other request never loads the reminder code)."""

    def __init__(self, store: Store, content: Content) -> None:
        self.made: tuple[Store, Content] = (store, content)
        self.handler: AbstractRequestHandler | None = None

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = getattr(handler_input.request_envelope, "request", None)
        if getattr(request, "object_type", None) != "Connections.Response":
            return False
        return self.real().can_handle(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.real().handle(handler_input)

    def real(self) -> AbstractRequestHandler:
        if self.handler is None:
            from skill.alexa.reminding import ConsentHandler

            self.handler = ConsentHandler(*self.made)
        return self.handler


class ScreenErrorHandler(AbstractRequestHandler):
    """The device could not show the document: logged (the error types only), never a break
    in the conversation. No speech answers it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(RUNTIME_ERROR)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        errors = getattr(handler_input.request_envelope.request, "errors", None) or []
        kinds = sorted({str(getattr(e, "object_type", None) or type(e).__name__) for e in errors})
        note(handler_input, outcome="screen_error", errors=kinds)
        return handler_input.response_builder.response


def render_document(outcome: Outcome, content: Content, event: Event) -> Any:
    """The RenderDocument directive for this answer: the document is read once per process,
    only the datasource changes. Imported here: a speaker without a screen never pays for
    skill.apl at its cold start."""
    from skill.apl.screen import TOKEN, deferred_directive
    from skill.apl.view import screen_for

    screen = screen_for(outcome.state, outcome.reply, content, event.kind)
    return deferred_directive(screen, TOKEN)  # the directive itself comes in with_documents()


class SessionEndedHandler(AbstractRequestHandler):
    """Saves what is unsaved; no speech may answer a SessionEndedRequest."""

    def __init__(self, store: Store, content: Content) -> None:
        self.store = store
        self.content = content

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(
            getattr(getattr(request, "error", None), "object_type", None), "value", None
        )
        Household(handler_input, self.store, self.content).flush()
        note(handler_input, reason=reason, error=error, outcome="ended")
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Any other request type (display events, playback, system): an empty answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        note(handler_input, outcome="ignored")
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
        log_line(self.request_log, handler_input, outcome="error", error=line["error"])
        oplog.error(line)  # errors also reach the logging handlers, for alerting
        if request is None or request_type == "SessionEndedRequest":
            return handler_input.response_builder.response
        if playback.is_silent(request_type):  # never words to the audio player
            return handler_input.response_builder.response
        sorry = pick(self.content.phrases["error"], type(exception).__name__)
        builder = handler_input.response_builder
        return builder.speak(to_ssml((sorry,))).ask(to_ssml((sorry,))).response


# What the RenderDocument directive carries through the SDK in place of the document; the
# answer gets the document itself once serialised (with_documents). The SDK's serializer
# would walk the document's thousand nodes on every answer: about 0.2 ms of a warm turn.
DOCUMENT_PENDING: dict[str, str] = {"type": "Link", "src": "our-checkin:pending"}


def with_documents(response: dict[str, Any]) -> dict[str, Any]:
    """The serialised answer with each deferred RenderDocument directive (a str to the SDK's
    serializer: skill.apl.screen.Deferred) in its place, and the APL document in place of
    DOCUMENT_PENDING."""
    body = response.get("response")
    directives = (body.get("directives") if isinstance(body, dict) else None) or ()
    for index, directive in enumerate(directives):
        if isinstance(directive, str):
            directives[index] = directive.directive  # type: ignore[attr-defined]
        elif directive.get("document") == DOCUMENT_PENDING:
            from skill.apl.screen import document

            directive["document"] = document()
    return response


class CheckInSkillBuilder(CustomSkillBuilder):
    """The SDK's builder, whose Lambda handler makes the skill once per process (the SDK's
    own makes one per request), reads the event without a JSON round trip (CheckInSerializer)
    and puts the APL document in the serialised answer."""

    def create(self) -> Any:
        skill = super().create()
        skill.serializer = CheckInSerializer()
        return skill

    def lambda_handler(self) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        skill = self.create()

        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            envelope = skill.serializer.deserialize_event(event)
            return with_documents(skill.serializer.serialize(skill.invoke(envelope, context)))

        return handler


def skill_builder(
    store: Store,
    content: Content | None = None,
    skill_id: str | None = None,
    request_log: RequestLog | None = None,
) -> CheckInSkillBuilder:
    content = content or default_content()
    request_log = request_log or RequestLog()
    builder = CheckInSkillBuilder()
    if skill_id:
        builder.skill_id = skill_id
    handlers = (LaunchHandler, IntentHandler, TouchHandler, PlayerHandler, SessionEndedHandler)
    for handler in handlers:
        builder.add_request_handler(handler(store, content))
    builder.add_request_handler(ConsentAnswerHandler(store, content))
    builder.add_request_handler(ScreenErrorHandler())
    builder.add_request_handler(UnknownRequestHandler())
    builder.add_exception_handler(RecoverInWords(content, request_log))
    builder.add_global_request_interceptor(StartClock())
    builder.add_global_response_interceptor(LogLine(request_log))
    return builder
