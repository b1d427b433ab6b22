"""The weekly reminder as a value: parsed from what Alexa's slots give, turned into the body
the Alexa Reminders API takes, and put into words per locale. Pure: no I/O, no clock (the
caller passes `now`), no ask-sdk.

Facts this module relies on (Alexa Reminders API reference, "Create a reminder" and
"Reminder object"; ask-sdk-model's reminder_management models name the same fields):
- POST /v1/alerts/reminders takes requestTime, trigger, alertInfo.spokenInfo.content[] of
  {locale, text}, and pushNotification.status ENABLED|DISABLED.
- trigger.type SCHEDULED_ABSOLUTE takes scheduledTime and recurrence times as local ISO 8601
  *without* an offset ("2019-09-22T19:00:00.000"; developers report that a trailing Z is
  refused as an invalid scheduled-time format), and timeZoneId, an IANA zone. Set timeZoneId, or the
  reminder may ring at the wrong time; it comes from the settings API, never from a guess.
- recurrence.freq and recurrence.byDay are deprecated for recurrence.startDateTime,
  endDateTime and recurrenceRules[] (RFC 5545 rules like
  "FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"); when those are present
  the API ignores freq, byDay and scheduledTime. So the body carries the rule, a startDateTime
  at the first occurrence, and the same instant as scheduledTime for older readers.
- AMAZON.TIME gives "HH:MM", or for a part of the day MO (morning), AF (afternoon),
  EV (evening), NI (night); AMAZON.DayOfWeek gives the English day name ("sunday").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.speech.numbers import number_words
from skill.speech.spelling import clock_time

DEFAULT_LOCALE = "en-US"


class Day(StrEnum):
    """A day of the week as RFC 5545 (and so recurrenceRules' BYDAY) spells it."""

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"

    @property
    def weekday(self) -> int:
        """Monday is 0, as datetime.weekday() counts."""
        return list(Day).index(self)

    @property
    def spoken(self) -> str:
        return DAY_NAMES[self.weekday].capitalize()


DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The parts of the day AMAZON.TIME gives instead of a clock time, and the time we choose for
# each: an evening ritual lands after dinner, a night one before bed.
PARTS_OF_DAY = {"MO": (9, 0), "AF": (15, 0), "EV": (19, 0), "NI": (21, 0)}

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


@dataclass(frozen=True, order=True)
class Weekly:
    """Every week on `day` at `hour`:`minute`, local time where the device is."""

    day: Day
    hour: int
    minute: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.day, Day):
            object.__setattr__(self, "day", Day(self.day))
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"no such time of day: {self.hour}:{self.minute}")

    @property
    def rule(self) -> str:
        """The recurrence rule, in the form the Reminders API reference shows."""
        return (
            f"FREQ=WEEKLY;BYDAY={self.day};BYHOUR={self.hour};BYMINUTE={self.minute};"
            "BYSECOND=0;INTERVAL=1"
        )

    @classmethod
    def from_rule(cls, rule: str) -> Weekly | None:
        """The schedule a rule read back from the API describes; None for any rule this skill
        does not write (not weekly, several days, no hour)."""
        parts: dict[str, str] = {}
        for item in rule.replace(" ", "").strip(";").split(";"):
            key, sep, value = item.partition("=")
            if not sep:
                return None
            parts[key.upper()] = value.upper()
        if parts.get("FREQ") != "WEEKLY" or parts.get("INTERVAL", "1") != "1":
            return None
        try:
            return cls(Day(parts["BYDAY"]), int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0")))
        except (KeyError, ValueError):
            return None

    @property
    def key(self) -> str:
        """A compact form to keep in the household item: "SU20:00"."""
        return f"{self.day}{self.hour:02d}:{self.minute:02d}"

    @classmethod
    def from_key(cls, key: str) -> Weekly | None:
        match = re.fullmatch(r"(MO|TU|WE|TH|FR|SA|SU)(\d{2}):(\d{2})", key or "")
        if not match:
            return None
        try:
            return cls(Day(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None


def parse_day(value: str | None) -> Day | None:
    """An AMAZON.DayOfWeek value ("sunday"; also "Sundays", "sun", "SU") as a Day. A value
    that caught a word or two around the day ("every sunday", "sunday evenings": a slot
    filled from a sample without them) is read for the day it names."""
    text = (value or "").strip().lower().rstrip(".")
    if not text:
        return None
    if text.upper() in Day.__members__:
        return Day(text.upper())
    for word in text.split():
        for index, name in enumerate(DAY_NAMES):
            if word in (name, name + "s") or (
                len(text) >= 3 and text == word and name.startswith(word)
            ):
                return list(Day)[index]
    return None


# Words for a part of the day that a day slot may have caught ("sunday evening").
PART_WORDS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def part_of_day_in(value: str | None) -> tuple[int, int] | None:
    """The time a part of the day named beside the day stands for ("sunday evening": 19:00)."""
    for word in (value or "").lower().split():
        part = PART_WORDS.get(word.rstrip("s"))
        if part:
            return PARTS_OF_DAY[part]
    return None


def parse_time(value: str | None) -> tuple[int, int] | None:
    """An AMAZON.TIME value ("20:00", "7:05", or MO/AF/EV/NI) as (hour, minute)."""
    text = (value or "").strip().upper()
    if text in PARTS_OF_DAY:
        return PARTS_OF_DAY[text]
    match = _CLOCK.match(text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def wanted(day: str | None, time: str | None, before: str = "") -> str:
    """What two slot values ask for, as a key for CallReminders.when: a whole Weekly.key; a
    day alone ("SU") or a time alone ("20:00"), the rest to be taken from `before` (the key
    of the reminder being moved) or else from the device's clock (complete()); "" for
    neither ("this day and time")."""
    parsed_day, parsed_time = parse_day(day), parse_time(time) or part_of_day_in(day)
    old = Weekly.from_key(before)
    if old is not None:
        parsed_day = parsed_day or old.day
        parsed_time = parsed_time or (old.hour, old.minute)
    if parsed_day and parsed_time:
        return Weekly(parsed_day, *parsed_time).key
    if parsed_day:
        return str(parsed_day)
    return f"{parsed_time[0]:02d}:{parsed_time[1]:02d}" if parsed_time else ""


def complete(when: str, local: datetime) -> Weekly | None:
    """The schedule `when` (wanted()'s key) means, at the device's local time `local`: what is
    missing is taken from now. "This time" is the quarter hour at or before it (a check-in
    that ends at 8:07 is reminded at 8:00), so that the day never moves. None for a key that
    is none of wanted()'s forms."""
    if not when:
        return Weekly(list(Day)[local.weekday()], local.hour, local.minute // 15 * 15)
    full = Weekly.from_key(when)
    if full is not None:
        return full
    if when in Day.__members__:
        return Weekly(Day(when), local.hour, local.minute // 15 * 15)
    time = parse_time(when)
    return Weekly(list(Day)[local.weekday()], *time) if time else None


def parse_weekly(day: str | None, time: str | None) -> Weekly | None:
    """The schedule two slot values describe, or None when either is missing or unreadable
    (the engine then asks for the missing part)."""
    parsed_day, parsed_time = parse_day(day), parse_time(time)
    if parsed_day is None or parsed_time is None:
        return None
    return Weekly(parsed_day, *parsed_time)


# --- the request body --------------------------------------------------------------------


def local_now(now: datetime, time_zone: str) -> datetime:
    """`now` (timezone-aware) as the wall-clock time in `time_zone`, without an offset. When
    this machine lacks the zone's data, UTC stands in: only the date of the first occurrence
    can then be a day off, and the rule itself still fires in the device's zone."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).replace(tzinfo=None)


def first_occurrence(weekly: Weekly, local: datetime) -> datetime:
    """The first time the schedule comes round strictly after the local time `local`."""
    days_ahead = (weekly.day.weekday - local.weekday()) % 7
    day: date = local.date() + timedelta(days=days_ahead)
    candidate = datetime(day.year, day.month, day.day, weekly.hour, weekly.minute)
    if candidate <= local.replace(tzinfo=None):
        candidate += timedelta(days=7)
    return candidate


def iso_local(moment: datetime, *, millis: bool = False) -> str:
    """Local ISO 8601 without an offset, as the Reminders API wants it."""
    text = moment.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond // 1000:03d}" if millis else f"{text}.000"


def reminder_text(names: tuple[str, str], locale: str) -> str:
    first, second = (name.strip() for name in names)
    if not first or not second:
        raise ValueError("the reminder names both partners")
    return _locale(locale)["reminder"].format(first=first, second=second)


def reminder_request(
    weekly: Weekly,
    *,
    names: tuple[str, str],
    locale: str,
    time_zone: str,
    now: datetime,
) -> dict[str, Any]:
    """The body for POST (create) and PUT (update) /v1/alerts/reminders: every `weekly`, in
    the device's `time_zone`, read aloud in `locale`, naming both partners. `now` must be
    timezone-aware; it sets requestTime and the first occurrence."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = local_now(now, time_zone)
    start = iso_local(first_occurrence(weekly, local))
    return {
        "requestTime": iso_local(local, millis=True),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": start,
            "timeZoneId": time_zone,
            "recurrence": {"startDateTime": start, "recurrenceRules": [weekly.rule]},
        },
        "alertInfo": {
            "spokenInfo": {
                "content": [{"locale": _locale_name(locale), "text": reminder_text(names, locale)}]
            }
        },
        "pushNotification": {"status": "ENABLED"},
    }


# --- words ----------------------------------------------------------------------------------


@cache
def _phrases() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("phrases.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["locales"]


def _locale_name(locale: str | None) -> str:
    return locale if locale in _phrases() else DEFAULT_LOCALE


def _locale(locale: str | None) -> dict[str, str]:
    return _phrases()[_locale_name(locale)]


def locales() -> tuple[str, ...]:
    return tuple(_phrases())


def format_when(weekly: Weekly, locale: str | None) -> str:
    """The day and time as the locale writes them, for cards and screens: "Sunday at 8:00 PM"
    (en-US), "Sunday at 20:00" (en-GB). The clock is the skill's one per-locale clock table
    (skill/content/spelling.toml, through skill.speech.spelling.clock_time)."""
    clock = clock_time(weekly.hour, weekly.minute, _locale_name(locale), written=True)
    return f"{weekly.day.spoken} at {clock}"


def say_when(weekly: Weekly, locale: str | None = None) -> str:
    """The day and time as short speech: "Sunday at 8 p.m.". The 12-hour clock is said in
    every English locale (as skill.speech.spelling.clock_time says it), so no table is read:
    the engine, which does no I/O, says it."""
    return f"{weekly.day.spoken} at {clock_time(weekly.hour, weekly.minute, DEFAULT_LOCALE)}"


def _part_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "in the morning"
    if 12 <= hour < 17:
        return "in the afternoon"
    if 17 <= hour < 21:
        return "in the evening"
    return "at night"


def _minutes_past(minute: int) -> str:
    if minute == 15:
        return "quarter"
    if minute == 30:
        return "half"
    words = number_words(minute)
    return words if minute % 5 == 0 else f"{words} minutes" if minute > 1 else "one minute"


def time_words(hour: int, minute: int, locale: str | None) -> str:
    """A time of day in words: "eight in the evening", "half past eight in the evening"
    (en-GB) or "eight thirty in the evening" (en-US), "noon" or "midday", "midnight"."""
    data = _locale(locale)
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else data["noon"]
    twelve = hour % 12 or 12
    if minute == 0:
        clock = number_words(twelve)
    elif data["minutes"] == "past":
        if minute <= 30:
            clock = f"{_minutes_past(minute)} past {number_words(twelve)}"
        else:
            clock = f"{_minutes_past(60 - minute)} to {number_words(twelve % 12 + 1)}"
    else:
        spoken = f"oh {number_words(minute)}" if minute < 10 else number_words(minute)
        clock = f"{number_words(twelve)} {spoken}"
    return f"{clock} {_part_of_day(hour)}"


def describe(weekly: Weekly, locale: str | None) -> str:
    """The schedule in words for Alexa to say: "every Sunday at eight in the evening"."""
    return f"every {weekly.day.spoken} at {time_words(weekly.hour, weekly.minute, locale)}"
