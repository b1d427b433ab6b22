"""Whether a device has a screen for our APL document. A module of its own, with no
dataclasses: every request asks, and a speaker's cold start should not pay for the rest of
skill.apl."""

from __future__ import annotations

from collections.abc import Mapping

APL_INTERFACE = "Alexa.Presentation.APL"

__all__ = ["APL_INTERFACE", "supports_apl"]


def _get(node: object, *keys: str) -> object:
    """Walk a JSON envelope (dicts) or an ask-sdk model (snake_case attributes) alike."""
    for key in keys:
        if node is None:
            return None
        node = node.get(key) if isinstance(node, Mapping) else getattr(node, _snake(key), None)
    return node


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key).lstrip("_")


def supports_apl(envelope: object) -> bool:
    """True only when the device says it renders APL: context.System.device.
    supportedInterfaces has "Alexa.Presentation.APL". Takes the request envelope as JSON
    (a dict), an ask-sdk RequestEnvelope, or a HandlerInput."""
    if not isinstance(envelope, Mapping) and hasattr(envelope, "request_envelope"):
        envelope = envelope.request_envelope
    interfaces = _get(envelope, "context", "System", "device", "supportedInterfaces")
    if isinstance(interfaces, Mapping):
        return interfaces.get(APL_INTERFACE) is not None
    # ask-sdk's SupportedInterfaces names the interface alexa_presentation_apl
    return getattr(interfaces, "alexa_presentation_apl", None) is not None
