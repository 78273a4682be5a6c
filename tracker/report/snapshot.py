"""Provides `ProgressSnapshot`: one mentee's progress as plain values, from a store or an export.

The report, the export and the stats are all built from a snapshot, never from the database
directly, so that a report read from `progress/<name>.json` is the same as one read from the
database the export was written from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from tracker.domain.progress import PartState, WatchHistory
from tracker.domain.spans import Spans, spans_of
from tracker.store.events import EVENT_KINDS, event_handler

__all__ = [
    "CardSummary",
    "EventRecord",
    "NoteRecord",
    "ProgressSnapshot",
    "QuestionRecord",
    "ReviewRecord",
    "as_of",
    "states_from_events",
    "watch_history",
]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One entry of the mentee's event log."""

    at: datetime
    """When it happened (UTC)."""
    kind: str
    """`done`, `undone`, `position`, `note`, `question`, `review`, ... as the store names them."""
    key: str | None = None
    """The progress key (or question id for a review), where the event has one."""
    value: int | None = None
    """What the event set: 1 or 0 for `done`, the seconds for `position`, the rating for
    `review`, the seconds watched in all for `watched`; None otherwise."""
    spans: Spans | None = None
    """For `watched`: the video's spans after it (None: back to its old position alone)."""


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A note the mentee wrote on a progress key."""

    key: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """A question the mentee wants to bring to a meeting."""

    text: str
    at: datetime
    meeting: date | None = None
    """The meeting it is for; None when not tied to one."""
    is_done: bool = False
    """Whether the mentee ticked it as answered."""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One graded answer to a quiz question."""

    question: str
    """The question (card) id."""
    at: datetime
    rating: int
    """The FSRS rating: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    is_correct: bool
    """Whether the automatic check (or the mentee's override) counted the answer as right."""
    is_cram: bool = False
    """A review outside the schedule (practice); it did not move the card."""
    due: datetime | None = None
    """When the card came due next after this review (None when unknown)."""


@dataclass(frozen=True, slots=True)
class CardSummary:
    """Where one quiz card stands in the schedule."""

    question: str
    reps: int = 0
    """Reviews so far."""
    lapses: int = 0
    """Times the card was forgotten after being learned."""
    state: str = "new"
    """`new`, `learning`, `review` or `relearning`."""
    due: datetime | None = None
    last_review: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    """Everything the mentor's side knows about one mentee, at one moment."""

    name: str
    """The mentee's name (an export's `name`, or the name given on the command line)."""
    states: Mapping[str, PartState] = field(default_factory=dict)
    """Current part states by progress key."""
    notes: tuple[NoteRecord, ...] = ()
    """By time."""
    questions: tuple[QuestionRecord, ...] = ()
    """By time."""
    reviews: tuple[ReviewRecord, ...] = ()
    """By time."""
    cards: Mapping[str, CardSummary] = field(default_factory=dict)
    """By question id."""
    events: tuple[EventRecord, ...] = ()
    """The event log, by time."""


def states_from_events(events: Iterable[EventRecord]) -> dict[str, PartState]:
    """The part states a replay of `done`, `position` and `watched` events gives (undo events
    included).

    Args:
        events: Log entries, by time.

    Returns:
        PartState by key, as the store's `part_state` table holds them after these events.
    """
    states: dict[str, PartState] = {}
    for event in events:
        handler = event_handler(event.kind)
        if event.key is None or handler is None or handler.part_field is None:
            continue
        old = states.get(event.key, PartState(event.key))
        if handler.part_field == "is_done":
            states[event.key] = replace(old, is_done=bool(event.value), updated=event.at)
        elif handler.part_field == "watched":
            states[event.key] = replace(old, watched=event.spans, updated=event.at)
        else:
            states[event.key] = replace(old, position=event.value, updated=event.at)
    return states


def watch_history(events: Iterable[EventRecord]) -> dict[str, WatchHistory]:
    """Each video's watched spans after each change, replayed from its `position` and
    `watched` events (undo events included); other events are passed over.

    Args:
        events: Log entries, by time (all of them, or only those two kinds).

    Returns:
        `WatchHistory` by position key; an event that leaves the spans as they were adds
        nothing.
    """
    fields: dict[str, tuple[int | None, Spans | None]] = {}
    history: dict[str, list[tuple[datetime, Spans]]] = {}
    for event in events:
        field = _WATCH_FIELDS.get(event.kind)
        if event.key is None or field is None:
            continue
        position, watched = fields.get(event.key, (None, None))
        if field == "watched":
            watched = event.spans
        else:
            position = event.value
        fields[event.key] = (position, watched)
        spans = spans_of(watched, position)
        changes = history.setdefault(event.key, [])
        if not changes or changes[-1][1] != spans:
            changes.append((event.at, spans))
    return {key: tuple(changes) for key, changes in history.items()}


_WATCH_FIELDS = {
    kind.value: handler.part_field
    for kind, handler in EVENT_KINDS.items()
    if handler.part_field in ("position", "watched")
}
"""Kind name -> the part field its events set, for those that change what a video's spans say
was watched."""


def as_of(snapshot: ProgressSnapshot, moment: datetime) -> ProgressSnapshot:
    """The snapshot as it stood at `moment`: what was recorded later is left out.

    Part states are replayed from the event log up to `moment`; notes, questions, reviews and
    events recorded after it are dropped. A question keeps its current "answered" tick, and the
    quiz cards their current schedule (the log does not say when those changed).

    Args:
        snapshot: The mentee's progress now.
        moment: The instant to look from (UTC-aware), e.g. the end of the `--today` day.

    Returns:
        The snapshot itself when nothing was recorded after `moment`, else a trimmed copy.
    """
    if all(event.at <= moment for event in snapshot.events) and all(
        s.updated is None or s.updated <= moment for s in snapshot.states.values()
    ):
        return snapshot
    events = tuple(event for event in snapshot.events if event.at <= moment)
    return replace(
        snapshot,
        states=states_from_events(events),
        notes=tuple(n for n in snapshot.notes if n.at <= moment),
        questions=tuple(q for q in snapshot.questions if q.at <= moment),
        reviews=tuple(r for r in snapshot.reviews if r.at <= moment),
        events=events,
    )
