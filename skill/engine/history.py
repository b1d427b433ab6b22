"""The little history: completed check-ins, and the one line worth saying about them.

Streaks forgive: one missed week does not break a run, and a gap is never announced."""

from __future__ import annotations

from datetime import date, timedelta

from skill.engine.state import KEEP_DAYS, State

MONTH_MILESTONES = (3, 5, 10, 15, 20, 25, 30)
TOTAL_MILESTONES = (10, 25, 50, 75, 100, 150, 200, 250, 300, 365, 400, 500)
WEEK_MILESTONES = (3, 4, 6, 8, 10, 12, 16, 20, 26, 52)
ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def ordinal(n: int) -> str:
    if 0 <= n < len(ORDINALS):
        return ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def record_completion(state: State, today: date) -> State:
    days = (*state.days, today.isoformat())[-KEEP_DAYS:]
    return state.replace(days=days, completed=state.completed + 1)


def completed_days(state: State) -> list[date]:
    days = []
    for text in state.days:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            continue
    return days


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_streak(days: list[date], today: date) -> int:
    """Weeks with a check-in, counting this one, in a run where single missed weeks are forgiven."""
    weeks = {week_start(d) for d in days} | {week_start(today)}
    count, week, misses = 0, week_start(today), 0
    while misses < 2:
        if week in weeks:
            count, misses = count + 1, 0
        else:
            misses += 1
        week -= timedelta(weeks=1)
    return count


def milestone(state: State, today: date) -> tuple[str, dict[str, str]] | None:
    """The one history line for the check-in starting today, if it means something."""
    days = completed_days(state)
    this_month = 1 + sum(1 for d in days if (d.year, d.month) == (today.year, today.month))
    if this_month in MONTH_MILESTONES:
        return "month_count", {"nth": ordinal(this_month)}
    if state.completed + 1 in TOTAL_MILESTONES:
        return "total_count", {"nth": ordinal(state.completed + 1)}
    first_this_week = all(week_start(d) != week_start(today) for d in days)
    streak = week_streak(days, today)
    if first_this_week and streak in WEEK_MILESTONES:
        return "week_streak", {"count": str(streak)}
    return None
