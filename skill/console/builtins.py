"""Built-in slot values as a device resolves them, for the console and the test envelopes:
AMAZON.NUMBER gives digits ("ten" -> "10"), AMAZON.TIME gives "HH:MM" ("eight pm" ->
"20:00"; "noon" -> "12:00"; "evening" -> "EV"), AMAZON.DayOfWeek gives the day's name.
Anything else is passed on as heard."""

from __future__ import annotations

import re

from skill.speech.numbers import parse_number

PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
FIXED_TIMES = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
NOT_HALF = r"(?![ap]\.? ?m\b)(?:o'?clock\b)?"
TIME = re.compile(
    rf"^(?:at )?(?P<hour>\w+)(?:[: ](?P<minute>{NOT_HALF}\w+(?: {NOT_HALF}\w+)?))?"
    r"(?: ?(?P<half>[ap])\.? ?m\.?)?(?: o'?clock)?"
    r"(?: (?P<when>in the (?:morning|evening|afternoon)|at night|tonight))?$"
)


def time_value(text: str) -> str | None:
    text = text.strip().lower()
    if text in FIXED_TIMES:
        return FIXED_TIMES[text]
    for word, code in PARTS_OF_DAY.items():
        if text in (word, f"in the {word}", f"this {word}", f"at {word}"):
            return code
    match = TIME.match(text)
    if not match:
        return None
    hour = parse_number(match["hour"])
    minute = parse_number(match["minute"]) if match["minute"] else 0
    if hour is None or minute is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    later = match["half"] == "p" or (match["when"] or "").endswith(
        ("evening", "afternoon", "night", "tonight")
    )
    if later and hour < 12:
        hour += 12
    elif match["half"] == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def resolve(slot_type: str, raw: str) -> str:
    if slot_type == "AMAZON.NUMBER":
        value = parse_number(raw)
        return raw if value is None else str(value)
    if slot_type == "AMAZON.TIME":
        return time_value(raw) or raw
    if slot_type == "AMAZON.DayOfWeek":
        return raw.lower().removesuffix("s") if raw.lower().endswith("days") else raw.lower()
    return raw
