"""Provides `estimate_time`: time spent studying, estimated from the event log.

The log records moments (a tick, a position, a note, an answer), not sessions. The estimate
adds, for each day, the gaps between consecutive events of that day, each gap capped at
`GAP_CAP` (30 minutes): two ticks 10 minutes apart count 10 minutes, two ticks 3 hours apart
count 30 minutes (the mentee probably paused), and a day with a single event counts nothing.
Days are the user's days (the report passes its clock's `day_of`). The figure is a lower-bound
estimate, shown as "about ...".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = ["GAP_CAP", "TimeSpent", "estimate_time", "format_duration"]

GAP_CAP = timedelta(minutes=30)
"""The most a single gap between two events of one day counts for."""


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


@dataclass(frozen=True, slots=True)
class TimeSpent:
    """Estimated study time over a period."""

    seconds: int
    """The estimate (see the module docstring)."""
    days: int
    """Days with at least one event."""


def estimate_time(
    moments: Iterable[datetime],
    *,
    cap: timedelta = GAP_CAP,
    day: Callable[[datetime], date] = _utc_day,
) -> TimeSpent:
    """Estimates study time from event moments.

    Args:
        moments: When events happened (UTC-aware), in any order.
        cap: The most one gap counts for.
        day: The day an instant falls on (`Clock.day_of`; default: its UTC date).

    Returns:
        The sum over days of the capped gaps between consecutive events, and the active days.
    """
    ordered = sorted(moments)
    total = timedelta()
    days = set()
    previous: datetime | None = None
    for moment in ordered:
        days.add(day(moment))
        if previous is not None and day(previous) == day(moment):
            total += min(moment - previous, cap)
        previous = moment
    return TimeSpent(int(total.total_seconds()), len(days))


def format_duration(seconds: int) -> str:
    """Seconds as `2 h 05 min`, `45 min` or `0 min` (rounded down to the minute)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
