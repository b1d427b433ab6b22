"""An in-memory persistence adapter for the baseline: DynamoDbAdapter's contract, no I/O."""

from __future__ import annotations

import copy
import threading
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope


def user_key(request_envelope: RequestEnvelope) -> str:
    """The key the SDK's default partition keygen uses: the Alexa userId."""
    return request_envelope.context.system.user.user_id


class MemoryPersistenceAdapter(AbstractPersistenceAdapter):
    """Attributes by userId in a dict; copies in and out, as a round trip to a table would."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.reads = 0
        self.writes = 0

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        with self.lock:
            self.reads += 1
            return copy.deepcopy(self.items.get(user_key(request_envelope), {}))

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        with self.lock:
            self.writes += 1
            self.items[user_key(request_envelope)] = copy.deepcopy(attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        with self.lock:
            self.items.pop(user_key(request_envelope), None)
