"""The couple's weekly reminder: the schedule and its words (schedule.py, pure), the consent
directive, card and answer (consent.py, pure), and the Alexa APIs (client.py, the edge)."""

from skill.reminders.consent import (
    PERMISSION,
    Consent,
    ConsentAnswer,
    ask_for_permission,
    has_permission,
    parse_consent_response,
    permissions_card,
)
from skill.reminders.schedule import (
    Day,
    Weekly,
    describe,
    format_when,
    parse_weekly,
    reminder_request,
    say_when,
)

__all__ = [
    "PERMISSION",
    "Consent",
    "ConsentAnswer",
    "Day",
    "Weekly",
    "ask_for_permission",
    "describe",
    "format_when",
    "has_permission",
    "parse_consent_response",
    "parse_weekly",
    "permissions_card",
    "reminder_request",
    "say_when",
]
