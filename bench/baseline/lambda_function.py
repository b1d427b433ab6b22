"""A hello-world skill built the way the ASK SDK for Python samples build one: the benchmark
baseline, not part of the skill.

ask-sdk-core handlers, and ask-sdk-dynamodb-persistence-adapter's DynamoDbAdapter wired with
CustomSkillBuilder(persistence_adapter=...). Every handler that touches the persistent
attributes reads them (one GetItem on first access in a request) and saves them (one PutItem),
as the samples do. Needs AWS_DEFAULT_REGION (or AWS_REGION) at import: the adapter builds
boto3.resource("dynamodb") in a default argument. The table (BASELINE_TABLE, default
"hello-world") has the partition key "id" (S).
"""

from __future__ import annotations

import logging
import os

import ask_sdk_core.utils as ask_utils
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import Response

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


class LaunchRequestHandler(AbstractRequestHandler):
    """Skill launch: count the visit in the persistent attributes and save them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return ask_utils.is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        attributes["visits"] = attributes.get("visits", 0) + 1
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speak_output = (
            f"Welcome, you can say Hello or Help. This is visit number {attributes['visits']}."
        )
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class HelloWorldIntentHandler(AbstractRequestHandler):
    """Hello World: count the turn in the persistent attributes and save them every turn."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return ask_utils.is_intent_name("HelloWorldIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        attributes["turns"] = attributes.get("turns", 0) + 1
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speak_output = "Hello World!"
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class HelpIntentHandler(AbstractRequestHandler):
    """Help: a fixed answer, nothing read or saved."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return ask_utils.is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        speak_output = "You can say hello to me! How can I help?"
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class CancelOrStopIntentHandler(AbstractRequestHandler):
    """Cancel and Stop: goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return ask_utils.is_intent_name("AMAZON.CancelIntent")(
            handler_input
        ) or ask_utils.is_intent_name("AMAZON.StopIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Goodbye!").response


class SessionEndedRequestHandler(AbstractRequestHandler):
    """Session end: nothing to clean up."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return ask_utils.is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Any error: log it and apologise."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        logger.error(exception, exc_info=True)
        speak_output = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


def skill_builder(persistence_adapter: AbstractPersistenceAdapter) -> CustomSkillBuilder:
    """The sample's skill builder, on any persistence adapter."""
    sb = CustomSkillBuilder(persistence_adapter=persistence_adapter)
    sb.add_request_handler(LaunchRequestHandler())
    sb.add_request_handler(HelloWorldIntentHandler())
    sb.add_request_handler(HelpIntentHandler())
    sb.add_request_handler(CancelOrStopIntentHandler())
    sb.add_request_handler(SessionEndedRequestHandler())
    sb.add_exception_handler(CatchAllExceptionHandler())
    return sb


adapter = DynamoDbAdapter(
    table_name=os.environ.get("BASELINE_TABLE", "hello-world"), create_table=False
)
lambda_handler = skill_builder(adapter).lambda_handler()
