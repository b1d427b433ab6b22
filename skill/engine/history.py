"""The little history: completed check-ins, and the one line worth saying about them.

Streaks forgive: one missed week does not break a run, and a gap is never announced."""

from __future__ import annotations

from datetime import date

from skill.engine.schema import week_start
from skill.engine.state import KEEP_RECENT, WEEK_BITS, State

MONTH_MILESTONES = (3, 5, 10, 15, 20, 25, 30)
TOTAL_MILESTONES = (10, 25, 50, 75, 100, 150, 200, 250, 300, 365, 400, 500)
WEEK_MILESTONES = (3, 4, 6, 8, 10, 12, 16, 20, 26, 52)
ORDINALS = [
    *("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
    *("ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
    *("sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
]
WEEK_MASK = (1 << WEEK_BITS) - 1


def ordinal(n: int) -> str:
    if 0 <= n < len(ORDINALS):
        return ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def weeks_ago(state: State, today: date) -> set[int]:
    """Which weeks before this one (0 = this week) had a completed check-in."""
    try:
        anchor = date.fromisoformat(state.week)
    except ValueError:
        return set()
    shift = (week_start(today) - anchor).days // 7
    return {i + shift for i in range(WEEK_BITS) if state.weeks >> i & 1 and i + shift >= 0}


def record_completion(state: State, today: date) -> State:
    this_week = week_start(today)
    weeks = {i for i in weeks_ago(state, today)} | {0}
    bits = sum(1 << i for i in weeks if i < WEEK_BITS) & WEEK_MASK
    month = month_key(today)
    return state.replace(
        completed=state.completed + 1,
        month=month,
        month_count=state.month_count + 1 if state.month == month else 1,
        week=this_week.isoformat(),
        weeks=bits,
        recent=(*state.recent, today.isoformat())[-KEEP_RECENT:],
    )


def week_streak(weeks: set[int]) -> int:
    """Weeks with a check-in, counting this one, in a run where single missed weeks are forgiven."""
    weeks = weeks | {0}
    count, week, misses = 0, 0, 0
    while misses < 2 and week < WEEK_BITS:
        if week in weeks:
            count, misses = count + 1, 0
        else:
            misses += 1
        week += 1
    return count


def milestone(state: State, today: date) -> tuple[str, dict[str, str]] | None:
    """The one history line for the check-in starting today, if it means something."""
    this_month = 1 + (state.month_count if state.month == month_key(today) else 0)
    if this_month in MONTH_MILESTONES:
        return "month_count", {"nth": ordinal(this_month)}
    if state.completed + 1 in TOTAL_MILESTONES:
        return "total_count", {"nth": ordinal(state.completed + 1)}
    weeks = weeks_ago(state, today)
    streak = week_streak(weeks)
    if 0 not in weeks and streak in WEEK_MILESTONES:
        return "week_streak", {"count": str(streak)}
    return None
