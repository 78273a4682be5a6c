"""Provides the Stats screen's figures: activity by day, progress per resource, reviews, retention.

Pure functions over a `ProgressSnapshot` and the curriculum. Days are the user's days: each
function takes the zone of the user's calendar (`Clock.tz`; None is the machine's local zone), so
an answer given at 00:30 in UTC+14 counts on that local day, the day the agenda calls today.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from tracker.domain.curriculum import Curriculum, Lang, Owner
from tracker.domain.item_kinds import ITEM_KINDS
from tracker.domain.spans import Spans, spans_of
from tracker.domain.spans import seen as seconds_seen
from tracker.report.snapshot import EventRecord, ReviewRecord
from tracker.store.events import event_handler

__all__ = [
    "HEATMAP_WEEKS",
    "ActivityCell",
    "ResourceProgress",
    "ReviewFigures",
    "activity_by_day",
    "activity_from_slices",
    "activity_grid",
    "activity_level",
    "due_days",
    "local_day",
    "resource_progress",
    "review_figures",
    "reviews_per_day",
    "streak",
    "weekly_retention",
]

HEATMAP_WEEKS = 26
"""How many weeks the activity heatmap shows (about six months)."""


@dataclass(frozen=True, slots=True)
class ActivityCell:
    """One day of the heatmap."""

    day: date
    count: int
    """Events recorded that day."""
    level: int
    """0 (nothing) to 4 (the busiest days), for shading."""


@dataclass(frozen=True, slots=True)
class ResourceProgress:
    """How one resource's progress grew, day by day."""

    resource: str
    title: str
    fractions: tuple[float, ...]
    """Completion (0.0-1.0) at the end of each day of the period, oldest first."""

    @property
    def current(self) -> float:
        """Completion at the end of the period."""
        return self.fractions[-1] if self.fractions else 0.0


def local_day(moment: datetime, tz: tzinfo | None) -> date:
    """The date of `moment` in the zone `tz` (None: the machine's local zone)."""
    return moment.astimezone(tz).date()


def activity_by_day(events: Iterable[EventRecord], *, tz: tzinfo | None = UTC) -> dict[date, int]:
    """Event counts by day in the zone `tz` (days without events are absent)."""
    return dict(Counter(local_day(event.at, tz) for event in events))


_UNSEEN = timedelta(days=-99)
"""No offset worked out yet for this day (no zone is 99 days off)."""


def activity_from_slices(
    slices: Iterable[tuple[datetime, int]], *, tz: tzinfo | None = UTC
) -> dict[date, int]:
    """Event counts by day in the zone `tz`, from counts per quarter hour (`StatsInputs.slices`)."""
    counts: Counter[date] = Counter()
    offsets: dict[tuple[date, tzinfo | None], timedelta | None] = {}  # None: not all day
    for start, count in slices:
        day = (start.date(), start.tzinfo)
        if (offset := offsets.get(day, _UNSEEN)) is _UNSEEN:
            offset = offsets[day] = _day_offset(start, tz)
        if offset is None:  # the zone's offset changes that day: this quarter hour's own
            counts[local_day(start, tz)] += count
        else:
            counts[(start + offset).date()] += count
    return dict(counts)


def _day_offset(moment: datetime, tz: tzinfo | None) -> timedelta | None:
    """How far `tz` is from `moment`'s fixed zone all through its day, or None if not all day.

    A million events fill tens of thousands of quarter hours: one zone conversion per day
    instead of one per quarter hour (zones change their offset on a few days a year).
    """
    if not isinstance(moment.tzinfo, timezone):  # naive, or a zone's own days: `local_day`
        return None
    own = moment.utcoffset() or timedelta()
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    first = midnight.astimezone(tz).utcoffset()
    last = (midnight + timedelta(days=1, microseconds=-1)).astimezone(tz).utcoffset()
    if first is None or first != last:
        return None
    return first - own


def activity_level(count: int, busiest: int) -> int:
    """A day's shade: 0 for none, else 1-4 in quarters of the busiest day's count.

    Args:
        count: The day's count.
        busiest: The highest count of the days shown.

    Returns:
        The shade, 0-4.
    """
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // busiest)


def activity_grid(
    counts: Mapping[date, int], today: date, *, weeks: int = HEATMAP_WEEKS
) -> list[list[ActivityCell | None]]:
    """The heatmap: `weeks` columns of 7 days (Monday first), the last column holding today.

    Args:
        counts: Events by day.
        today: The last day shown.
        weeks: How many weeks.

    Returns:
        Columns (oldest week first) of seven cells each; days after today are None.
    """
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    shown = [first + timedelta(days=n) for n in range(weeks * 7)]
    busiest = max((counts.get(day, 0) for day in shown if day <= today), default=0)
    columns: list[list[ActivityCell | None]] = []
    for week in range(weeks):
        column: list[ActivityCell | None] = []
        for day in shown[week * 7 : week * 7 + 7]:
            if day > today:
                column.append(None)
            else:
                count = counts.get(day, 0)
                column.append(ActivityCell(day, count, activity_level(count, busiest)))
        columns.append(column)
    return columns


def resource_progress(
    curriculum: Curriculum,
    events: Sequence[EventRecord],
    today: date,
    *,
    days: int = HEATMAP_WEEKS * 7,
    lang: Lang = "en",
    tz: tzinfo | None = UTC,
) -> list[ResourceProgress]:
    """Each assigned resource's completion at the end of every day of the period.

    A resource's parts are the parts of every mentee item that names it (each counted once); a
    video's completion is the seconds watched of it over its length (or the furthest `until`
    assigned).

    Args:
        curriculum: The curriculum.
        events: The event log, by time (undo events included: they set values back).
        today: The period's last day.
        days: The period's length.
        lang: For titles.
        tz: The zone whose days count.

    Returns:
        One entry per resource with mentee items, in the order they are first assigned.
    """
    parts: dict[str, set[str]] = {}
    video_end: dict[str, int] = {}
    position_keys: dict[str, str] = {}
    for item in curriculum.items:
        if item.owner is not Owner.MENTEE or item.resource is None:
            continue
        keys = parts.setdefault(item.resource, set())
        position_key = ITEM_KINDS[item.kind].position_key(item)
        if position_key is not None:
            found = curriculum.resources.get(item.resource)
            length = found.length if found is not None and found.length else 0
            video_end[item.resource] = max(video_end.get(item.resource, 0), length, item.end or 0)
            position_keys[item.resource] = position_key
        else:
            keys.update(part.key for part in item.parts)
    owner = {key: resource for resource, keys in parts.items() for key in keys}
    owner.update({key: resource for resource, key in position_keys.items()})
    done: dict[str, bool] = {}
    position: dict[str, int] = {}
    watched: dict[str, Spans | None] = {}
    start = today - timedelta(days=days - 1)
    ordered = sorted(events, key=lambda e: e.at)
    index = 0
    series: dict[str, list[float]] = {resource: [] for resource in parts}
    for offset in range(days):
        day = start + timedelta(days=offset)
        while index < len(ordered) and local_day(ordered[index].at, tz) <= day:
            event = ordered[index]
            index += 1
            handler = event_handler(event.kind)
            if event.key not in owner or handler is None:
                continue
            if handler.part_field == "is_done":
                done[event.key] = bool(event.value)
            elif handler.part_field == "position":
                position[event.key] = event.value or 0
            elif handler.part_field == "watched":
                watched[event.key] = event.spans
        for resource, keys in parts.items():
            if resource in video_end:
                end = video_end[resource]
                key = position_keys[resource]
                spans = spans_of(watched.get(key), position.get(key))
                series[resource].append(min(1.0, seconds_seen(spans, 0, end) / end) if end else 0.0)
            else:
                total = len(keys)
                count = sum(1 for key in keys if done.get(key))
                series[resource].append(count / total if total else 0.0)
    return [
        ResourceProgress(
            resource,
            curriculum.resources[resource].title.get(lang)
            if resource in curriculum.resources
            else resource,
            tuple(values),
        )
        for resource, values in series.items()
    ]


def reviews_per_day(
    reviews: Iterable[ReviewRecord], today: date, *, days: int = 56, tz: tzinfo | None = UTC
) -> list[int]:
    """How many reviews were made on each of the last `days` days, oldest first.

    Args:
        reviews: The reviews.
        today: The last day.
        days: How many days.
        tz: The zone whose days count.

    Returns:
        One count per day, `days` of them.
    """
    counts = Counter(local_day(review.at, tz) for review in reviews)
    start = today - timedelta(days=days - 1)
    return [counts.get(start + timedelta(days=n), 0) for n in range(days)]


def weekly_retention(
    reviews: Iterable[ReviewRecord], today: date, *, weeks: int = 12, tz: tzinfo | None = UTC
) -> list[float | None]:
    """True retention per week: of the repeat answers (cards seen before), the share right.

    A card's first answer (learning it) and practice (cram) answers do not count. Weeks start
    on Monday; the last one holds today. The same counting as `review_figures`.

    Args:
        reviews: Every review, by time.
        today: The last day.
        weeks: How many weeks.
        tz: The zone whose days count.

    Returns:
        One value per week, oldest first: a share between 0.0 and 1.0, or None for a week
        without such reviews.
    """
    return list(review_figures(reviews, today, weeks=weeks, tz=tz).shares)


@dataclass(frozen=True, slots=True)
class ReviewFigures:
    """Every quiz figure of the Stats screen, from the same reviews over the same weeks.

    Each review of the window is exactly one of: a card's first answer (learning it), a practice
    (cram) answer, or a repeat answer, the only kind true retention counts; so
    `total == first + cram + repeats`, and `per_day` sums to `total`.
    """

    start: date
    """The window's first day: the Monday `weeks - 1` weeks before today's week."""
    per_day: tuple[int, ...]
    """Reviews on each day from `start` to today."""
    shares: tuple[float | None, ...]
    """True retention per week, oldest first (None: no repeat answers that week)."""
    total: int
    today: int
    """Reviews today."""
    first: int
    """First answers of a card (not counted in retention)."""
    cram: int
    """Practice answers outside the schedule (not counted in retention)."""
    repeats: int
    """Answers to cards seen before, on schedule: what retention is the share of."""
    right: int
    """Repeat answers that were right."""

    @property
    def retention_words(self) -> str:
        """`71% latest week · 5/7 right in 12 weeks`, or why there is no figure yet."""
        if not self.total:
            return "no reviews yet"
        if not self.repeats:
            others = [f"{self.first} first answer{'s' * (self.first != 1)}"]
            if self.cram:
                others.append(f"{self.cram} practice")
            return f"no repeat answers yet ({' and '.join(others)}: retention counts repeats)"
        latest = next(s for s in reversed(self.shares) if s is not None)
        return f"{latest:.0%} latest week · {self.right}/{self.repeats} repeats right"


def review_figures(
    reviews: Iterable[ReviewRecord], today: date, *, weeks: int = 12, tz: tzinfo | None = UTC
) -> ReviewFigures:
    """Counts the reviews of the last `weeks` weeks (Monday first), once, for every figure.

    Args:
        reviews: Every review (not undone), in any order; later than today ones are left out.
        today: The last day.
        weeks: How many weeks, the current one included.
        tz: The zone whose days count.

    Returns:
        The figures.
    """
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    days = (today - start).days + 1
    per_day = [0] * days
    right = [0] * weeks
    repeats = [0] * weeks
    first = cram = 0
    seen: set[str] = set()
    for review in sorted(reviews, key=lambda r: r.at):
        was_seen = review.question in seen
        if not review.is_cram:
            seen.add(review.question)
        day = local_day(review.at, tz)
        if not start <= day <= today:
            continue
        per_day[(day - start).days] += 1
        if review.is_cram:
            cram += 1
        elif not was_seen:
            first += 1
        else:
            week = (day - start).days // 7
            repeats[week] += 1
            right[week] += int(review.is_correct)
    return ReviewFigures(
        start=start,
        per_day=tuple(per_day),
        shares=tuple(right[w] / repeats[w] if repeats[w] else None for w in range(weeks)),
        total=sum(per_day),
        today=per_day[-1],
        first=first,
        cram=cram,
        repeats=sum(repeats),
        right=sum(right),
    )


def due_days(reviews: Iterable[ReviewRecord], today: date, *, tz: tzinfo | None = UTC) -> set[date]:
    """The days on which some card was due and waiting (from its due date to its next review).

    Args:
        reviews: Every review, by time, with the due date each one set.
        today: The last day considered.
        tz: The zone whose days count.

    Returns:
        The days with something due.
    """
    by_card: dict[str, list[ReviewRecord]] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        if not review.is_cram:
            by_card.setdefault(review.question, []).append(review)
    found: set[date] = set()
    for history in by_card.values():
        for current, following in zip(history, [*history[1:], None], strict=True):
            if current.due is None:
                continue
            day = local_day(current.due, tz)
            last = local_day(following.at, tz) if following is not None else today
            while day <= last and day <= today:
                found.add(day)
                day += timedelta(days=1)
    return found


def streak(active: Iterable[date], due: Iterable[date] | None, today: date) -> int:
    """Days in a row with some study, forgiving days when nothing was due.

    Walking back from today: an active day counts; a day with nothing due neither counts nor
    breaks the streak; a day with something due and no activity ends it. Today never ends it
    (the day is not over).

    Args:
        active: Days with at least one event.
        due: Days with something due (`due_days`); None when nothing is scheduled at all (no
            quiz cards yet), which makes every day count as due (a plain streak).
        today: The current day.

    Returns:
        The streak's length in active days.
    """
    active_days = set(active)
    due_set = set(due) if due is not None else None
    if not active_days:
        return 0
    earliest = min(active_days)
    count = 0
    day = today
    while day >= earliest:
        if day in active_days:
            count += 1
        elif (due_set is None or day in due_set) and day != today:
            break
        day -= timedelta(days=1)
    return count
