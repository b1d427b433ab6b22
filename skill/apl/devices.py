"""Whether a device has a screen for our APL document. A module of its own, with no
dataclasses: every request asks, and a speaker's cold start should not pay for the rest of
skill.apl."""

from __future__ import annotations

from collections.abc import Mapping

APL_INTERFACE = "Alexa.Presentation.APL"

__all__ = ["APL_INTERFACE", "supports_apl"]


def supports_apl(envelope: object) -> bool:
    """True only when the device says it renders APL: context.System.device.
    supportedInterfaces has "Alexa.Presentation.APL". Takes the request envelope as JSON
    (a dict), an ask-sdk RequestEnvelope, or a HandlerInput."""
    if not isinstance(envelope, Mapping) and hasattr(envelope, "request_envelope"):
        envelope = envelope.request_envelope
    if isinstance(envelope, Mapping):
        interfaces: object = envelope
        for key in ("context", "System", "device", "supportedInterfaces"):
            interfaces = interfaces.get(key) if isinstance(interfaces, Mapping) else None
        return isinstance(interfaces, Mapping) and interfaces.get(APL_INTERFACE) is not None
    # An ask-sdk model: SupportedInterfaces names the interface alexa_presentation_apl.
    system = getattr(getattr(envelope, "context", None), "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None
