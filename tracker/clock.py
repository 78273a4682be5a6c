"""Provides `Clock`: the one place that reads the time ("today" in the user's zone, "now" in UTC).

Every screen and command asks one `Clock` for the date and the instant, so the agenda, Meetings,
the report, `study new`, Stats and the quiz's unlocking agree on what day it is:

- `today()` is the *local* date: the calendar of the user's time zone (the machine's `TZ`, or
  the zone the clock was given), never the UTC date. At 00:30 on 16/04 in UTC+14 it is 16/04
  everywhere in the app, although it is still 15/04 in UTC.
- `now()` is a timezone-aware UTC instant: what the store writes and FSRS schedules with.

`--today DATE` (or `STUDY_TODAY`) fixes the date: `today()` is that date, and `now()` is the last
microsecond of that local day (23:59:59.999999), so everything recorded on that day counts and
everything recorded after it does not. Progress recorded while the date is fixed is stamped with
that instant. Tests and demos use a fixed date or a fixed instant instead of patching the clock.

Only this module reads the system clock (`tests/unit/test_boundaries.py` enforces it); durations
measured with `time.monotonic` or `time.perf_counter` are not readings of the date.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as day_time

__all__ = ["TODAY_ENV", "Clock", "wall_seconds"]

TODAY_ENV = "STUDY_TODAY"
"""The environment variable that fixes the date, like `--today` (the option wins)."""

_LAST_MICROSECOND = timedelta(microseconds=1)


class Clock:
    """Today's date in the user's zone and the current UTC instant, real or fixed.

    Args:
        source: A fixed instant, or a function returning the current instant (UTC-aware): tests
            pass one; None reads the system clock.
        today: A fixed date (`--today`): `today()` returns it and `now()` the end of that local
            day. Wins over `source`.
        tz: The user's time zone; None uses the machine's local zone (`TZ`), read at each call.
    """

    def __init__(
        self,
        source: datetime | Callable[[], datetime] | None = None,
        *,
        today: date | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        if isinstance(source, datetime):
            _require_aware(source)
        self._source = source
        """The fixed instant or the function that gives it (None: the system clock)."""
        self.fixed_today = today
        """The date given with `--today`, or None for the real date."""
        self.tz = tz
        """The user's zone (None: the machine's local zone)."""

    def __repr__(self) -> str:
        return f"Clock(source={self._source!r}, today={self.fixed_today!r}, tz={self.tz!r})"

    @property
    def is_fixed(self) -> bool:
        """Whether the date was fixed with `--today` (the report then says "as of")."""
        return self.fixed_today is not None

    def now(self) -> datetime:
        """The current instant, UTC-aware (with a fixed date: the end of that local day)."""
        if self.fixed_today is not None:
            return self.end_of(self.fixed_today)
        if self._source is None:
            return datetime.now(UTC)
        moment = self._source if isinstance(self._source, datetime) else self._source()
        return _require_aware(moment).astimezone(UTC)

    def today(self) -> date:
        """The user's date now: the fixed date, or the local date of `now()`."""
        if self.fixed_today is not None:
            return self.fixed_today
        return self.day_of(self.now())

    def day_of(self, moment: datetime) -> date:
        """The user's (local) date of an instant.

        Args:
            moment: A timezone-aware instant (a naive one is taken as UTC, as the store writes).

        Returns:
            Its date in the clock's zone.
        """
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz).date()

    def start_of(self, day: date) -> datetime:
        """The first instant of a local day, in UTC."""
        if self.tz is None:
            local = datetime.combine(day, day_time.min).astimezone()  # naive: the local zone
        else:
            local = datetime.combine(day, day_time.min, tzinfo=self.tz)
        return local.astimezone(UTC)

    def end_of(self, day: date) -> datetime:
        """The last instant (microsecond) of a local day, in UTC."""
        return self.start_of(day + timedelta(days=1)) - _LAST_MICROSECOND


def wall_seconds() -> float:
    """Seconds since the epoch, for timings compared across processes (never for dates)."""
    return _time.time()


def _require_aware(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"the clock needs a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the clock needs a timezone-aware instant, got {moment.isoformat()}")
    return moment
