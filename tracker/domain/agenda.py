"""Provides the agenda: what is due at the next meeting, what carried over, and the timeline.

Pure computation over the curriculum and the part states; no I/O, no clock (`today` is given).

Progress belongs to resource parts, so one part can be due at several meetings (book 2.6 on
28/03 and again on 08/04). An earlier, unfinished item whose unfinished parts a later item (up to
the next meeting) assigns again is not listed twice: it is merged into the later item, which
records the earlier meeting in `AgendaEntry.reassigned_from`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tracker.domain.curriculum import (
    Curriculum,
    Item,
    Meeting,
    Owner,
    Text,
    mentor_key,
    task_key,
)
from tracker.domain.item_kinds import ITEM_KINDS, is_open_ended
from tracker.domain.progress import (
    ItemProgress,
    PartState,
    WatchHistory,
    covered_since,
    item_progress,
)

__all__ = [
    "Agenda",
    "AgendaEntry",
    "MeetingSummary",
    "MentorTodo",
    "Totals",
    "build_agenda",
    "countdown_text",
    "finished_at",
    "meeting_timeline",
    "next_meeting",
    "short_date",
]


@dataclass(frozen=True, slots=True)
class Totals:
    """Parts done out of parts in all (a video counts as one part, done when watched to its end)."""

    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        """Completion between 0.0 and 1.0 (0.0 when there is nothing to do)."""
        return self.done / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One mentee item on the agenda, with how long it has been carried."""

    progress: ItemProgress
    carried: int = 0
    """How many meetings, after the item's own and up to the next one, it stayed unfinished."""
    reassigned_from: tuple[date, ...] = ()
    """Earlier meetings whose unfinished parts this item assigns again (merged into this entry)."""

    @property
    def item(self) -> Item:
        """The item."""
        return self.progress.item

    @property
    def since(self) -> date:
        """The first meeting at which this work was due."""
        return min((self.item.meeting, *self.reassigned_from))

    @property
    def reassigned_text(self) -> str:
        """`re-assigned from 28/03` (or "" when this item assigns nothing again)."""
        if not self.reassigned_from:
            return ""
        return "re-assigned from " + ", ".join(short_date(d) for d in self.reassigned_from)

    @property
    def carried_text(self) -> str:
        """`carried x2 since 28/03`, `re-assigned from 28/03` (or both), or "" when on time."""
        words = []
        if self.carried:
            words.append(f"carried x{self.carried} since {short_date(self.item.meeting)}")
        if self.reassigned_from:
            words.append(self.reassigned_text)
        return ", ".join(words)


@dataclass(frozen=True, slots=True)
class MentorTodo:
    """Something the mentor owes: an item owned by the mentor, or an item's "HB TODO"."""

    key: str
    """The progress key that ticks it (`task/{id}` or `task/{id}/mentor`)."""
    item: Item
    text: Text
    is_done: bool
    waits_on: Item | None = None
    """The mentee's item this TODO follows ("tell me when you've pushed it"), if any."""
    ready_at: datetime | None = None
    """When the mentee finished `waits_on` (the TODO is ready to do); None while it is not."""

    @property
    def is_ready(self) -> bool:
        """Whether the mentee's side is done and the TODO waits only on the mentor."""
        return self.ready_at is not None and not self.is_done


@dataclass(frozen=True, slots=True)
class Agenda:
    """The home screen's content."""

    today: date
    meeting: Meeting | None
    """The next meeting: the first on or after `today`, else the last one; None with no meetings."""
    days: int
    """Days from `today` to the meeting (negative when it is past)."""
    entries: tuple[AgendaEntry, ...] = ()
    """The meeting's mentee items, in the mentor's order (the optional ones apart)."""
    optional: tuple[AgendaEntry, ...] = ()
    """The meeting's "if you have time" items: never overdue, never carried over."""
    carried: tuple[AgendaEntry, ...] = ()
    """Unfinished mentee items of earlier meetings, oldest first."""
    mentor_todos: tuple[MentorTodo, ...] = ()
    """The mentor's items and follow-ups up to the meeting: unfinished ones, and the meeting's own."""
    meeting_totals: Totals = Totals()
    overall_totals: Totals = Totals()

    @property
    def countdown(self) -> str:
        """`in 3 days`, `tomorrow`, `today`, `yesterday`, `12 days ago`."""
        return countdown_text(self.days)

    @property
    def is_past(self) -> bool:
        """Whether the meeting shown is already past (no later meeting is planned yet)."""
        return self.days < 0

    @property
    def carried_groups(self) -> tuple[tuple[date, tuple[AgendaEntry, ...]], ...]:
        """The carried items grouped by the meeting they were first due at, oldest first.

        Each group is `(meeting date, entries in the mentor's order)`.
        """
        groups: dict[date, list[AgendaEntry]] = {}
        for entry in self.carried:
            groups.setdefault(entry.item.meeting, []).append(entry)
        return tuple((day, tuple(entries)) for day, entries in sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    """One meeting on the timeline with its completion."""

    meeting: Meeting
    totals: Totals
    is_past: bool
    is_next: bool


def short_date(day: date) -> str:
    """`28/03`, the way the mentor writes dates."""
    return day.strftime("%d/%m")


def countdown_text(days: int) -> str:
    """Words for a number of days from today: `in 3 days`, `today`, `12 days ago`.

    Args:
        days: Days until the event; negative when it is past.

    Returns:
        The countdown in words.
    """
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def next_meeting(meetings: Iterable[Meeting], today: date) -> Meeting | None:
    """The first meeting on or after `today`; the last one when all are past; None when none.

    Args:
        meetings: The meetings, in any order.
        today: The mentee's date.

    Returns:
        The meeting, or None when there are none.
    """
    ordered = sorted(meetings, key=lambda m: m.date)
    for meeting in ordered:
        if meeting.date >= today:
            return meeting
    return ordered[-1] if ordered else None


def build_agenda(
    curriculum: Curriculum,
    states: Mapping[str, PartState],
    today: date,
    *,
    watching: Mapping[str, WatchHistory] | None = None,
) -> Agenda:
    """Computes the agenda for `today`.

    Args:
        curriculum: The loaded curriculum.
        states: The part states by progress key.
        today: The local date to count from.
        watching: Each video's watched spans after each change, by position key, for when a
            video task was finished (`finished_at`); None: its video's last change.

    Returns:
        The next meeting, its items, carried items, the mentor's TODOs and the totals.
    """
    meetings = sorted(curriculum.meetings, key=lambda m: m.date)
    meeting = next_meeting(meetings, today)
    if meeting is None:
        return Agenda(today=today, meeting=None, days=0)
    upto = [m for m in meetings if m.date <= meeting.date]
    mentee = [i for m in upto for i in m.items if _is_owed(i)]
    progress = {i.id: item_progress(i, states) for i in mentee}

    merged_into: dict[str, str] = {}
    """Earlier item id -> the id of the later item (up to the meeting) that covers its rest."""
    covering = _Covers(mentee, states)
    for item in mentee:
        if item.meeting >= meeting.date or progress[item.id].is_done:
            continue
        cover = covering.latest(item)
        if cover is not None:
            merged_into[item.id] = cover.id
    reassigned: dict[str, list[date]] = {}
    for earlier, later in merged_into.items():
        target = _final_target(later, merged_into)
        reassigned.setdefault(target, []).append(progress[earlier].item.meeting)

    dates = [m.date for m in meetings]
    upto_meeting = bisect_right(dates, meeting.date)

    def entry(item: Item) -> AgendaEntry:
        carried = 0
        if item.meeting < meeting.date:  # meetings after the item's own, up to the next one
            carried = upto_meeting - bisect_right(dates, item.meeting)
        return AgendaEntry(
            progress[item.id], carried, tuple(sorted(set(reassigned.get(item.id, ()))))
        )

    entries = tuple(entry(i) for i in meeting.items if _is_owed(i))
    optional = tuple(
        AgendaEntry(item_progress(i, states))
        for i in meeting.items
        if i.owner is Owner.MENTEE and i.is_optional
    )
    carried = tuple(
        entry(i)
        for i in mentee
        if i.meeting < meeting.date and not progress[i.id].is_done and i.id not in merged_into
    )
    overall_units: dict[str, bool] = {}
    for item in (i for m in meetings for i in m.items if _is_owed(i)):
        overall_units.update(_units(item, states))
    return Agenda(
        today=today,
        meeting=meeting,
        days=(meeting.date - today).days,
        entries=entries,
        optional=optional,
        carried=carried,
        mentor_todos=_mentor_todos(upto, meeting, states, watching),
        meeting_totals=_meeting_totals(meeting, states),
        overall_totals=Totals(sum(overall_units.values()), len(overall_units)),
    )


def meeting_timeline(
    curriculum: Curriculum, states: Mapping[str, PartState], today: date
) -> tuple[MeetingSummary, ...]:
    """Every meeting, by date, with its completion.

    Args:
        curriculum: The loaded curriculum.
        states: The part states by progress key.
        today: The local date; meetings before it are past.

    Returns:
        One summary per meeting; exactly one is the next meeting (when there are any).
    """
    meetings = sorted(curriculum.meetings, key=lambda m: m.date)
    upcoming = next_meeting(meetings, today)
    return tuple(
        MeetingSummary(
            meeting=m,
            totals=_meeting_totals(m, states),
            is_past=m.date < today,
            is_next=upcoming is not None and m.date == upcoming.date,
        )
        for m in meetings
    )


def _meeting_totals(meeting: Meeting, states: Mapping[str, PartState]) -> Totals:
    units: dict[str, bool] = {}
    for item in meeting.items:
        if _is_owed(item):
            units.update(_units(item, states))
    return Totals(sum(units.values()), len(units))


def _is_owed(item: Item) -> bool:
    """Whether the mentee owes the item: theirs, and not "if you have time"."""
    return item.owner is Owner.MENTEE and not item.is_optional


def _units(item: Item, states: Mapping[str, PartState]) -> dict[str, bool]:
    """The item's countable units, keyed so that the same part counts once across meetings."""
    return ITEM_KINDS[item.kind].units(item, states)


def _covers(later: Item, earlier: Item, states: Mapping[str, PartState]) -> bool:
    """Whether `later` assigns again everything of `earlier` that is not done yet."""
    return ITEM_KINDS[earlier.kind].covers(later, earlier, states)


class _Covers:
    """Finds, for an unfinished item, the latest later item that assigns all its rest again.

    Indexed by part key (and by resource, for a position kind), so that each search looks only at the items that share
    a part with it, not at every item: linear in the curriculum, not quadratic.
    """

    def __init__(self, items: Sequence[Item], states: Mapping[str, PartState]) -> None:
        self._states = states
        self._by_key: dict[str, list[Item]] = {}
        self._by_position: dict[tuple[str, str | None], list[Item]] = {}
        for item in items:  # in the mentor's order, meeting by meeting
            if ITEM_KINDS[item.kind].has_position:  # covered by the same kind of the resource
                self._by_position.setdefault((item.kind, item.resource), []).append(item)
            for part in item.parts:
                found = self._by_key.setdefault(part.key, [])
                if not found or found[-1] is not item:
                    found.append(item)

    def latest(self, earlier: Item) -> Item | None:
        """The last item, of a later meeting, that covers `earlier` (`_covers`), or None."""
        if ITEM_KINDS[earlier.kind].has_position:
            candidates = self._by_position.get((earlier.kind, earlier.resource), [])
        else:
            pending = [
                p.key for p in earlier.parts if not ((s := self._states.get(p.key)) and s.is_done)
            ]
            if not pending:
                return None
            candidates = self._by_key.get(pending[0], [])
        for later in reversed(candidates):
            if later.meeting <= earlier.meeting:
                break  # the rest are earlier still
            if _covers(later, earlier, self._states):
                return later
        return None


def _final_target(item_id: str, merged_into: Mapping[str, str]) -> str:
    seen = set()
    while item_id in merged_into and item_id not in seen:
        seen.add(item_id)
        item_id = merged_into[item_id]
    return item_id


def _mentor_todos(
    meetings: Iterable[Meeting],
    upcoming: Meeting,
    states: Mapping[str, PartState],
    watching: Mapping[str, WatchHistory] | None,
) -> tuple[MentorTodo, ...]:
    todos = []
    for meeting in meetings:
        for item in meeting.items:
            found: list[tuple[str, Text]] = []
            if item.owner is Owner.MENTOR:
                text = item.text or Text(en=item.resource or item.id)
                found.append((item.parts[0].key if item.parts else task_key(item.id), text))
            if item.mentor_todo is not None:
                found.append((mentor_key(item.id), item.mentor_todo))
            for key, text in found:
                is_done = bool((s := states.get(key)) and s.is_done)
                waits_on = (
                    item if key == mentor_key(item.id) and item.owner is Owner.MENTEE else None
                )
                ready_at = finished_at(item, states, watching) if waits_on is not None else None
                if not is_done or meeting.date == upcoming.date:
                    todos.append(MentorTodo(key, item, text, is_done, waits_on, ready_at))
    return tuple(todos)


def finished_at(
    item: Item,
    states: Mapping[str, PartState],
    watching: Mapping[str, WatchHistory] | None = None,
) -> datetime | None:
    """When the mentee finished `item`, or None while it is not.

    A video item on a segment is finished when its segment became watched whole (and stayed
    so), read from its video's history in `watching`; watching other segments of the video
    later does not move it. Without that history (or when it does not reach the current
    state), and for any other item, it is the last change of the item's parts (an open-ended
    video: of its "watched to the end" tick).

    Args:
        item: A mentee item.
        states: The part states by progress key (their `updated` times).
        watching: Each video's watched spans after each change, by position key
            (`WatchHistory`); None or a missing key: use `updated`.

    Returns:
        The UTC instant of the change that completed it, or None when it is unfinished.
    """
    if not item_progress(item, states).is_done:
        return None
    position = ITEM_KINDS[item.kind].position_key(item)
    if position is not None and is_open_ended(item):
        position = None  # done by its tick, not by what was watched
    elif position is not None and watching and (history := watching.get(position)):
        covered = covered_since(history, item.start or 0, item.end or 0)
        if covered is not None:
            return covered
    keys = [position] if position is not None else [part.key for part in item.parts]
    moments = [s.updated for key in keys if (s := states.get(key)) is not None and s.updated]
    return max(moments, default=None)
