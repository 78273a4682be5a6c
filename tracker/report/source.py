"""Provides `snapshot_from_store`: a mentee's progress read from the progress database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.domain.progress import PartState
from tracker.domain.scheduling import STATE_NAMES, card_state
from tracker.report.exchange import (
    ExportSections,
    card_entry,
    note_entry,
    question_entry,
    state_entry,
    stored_event_lines,
    stored_moment,
)
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    NoteRecord,
    ProgressSnapshot,
    QuestionRecord,
    ReviewRecord,
    watch_history,
)
from tracker.report.summary import ProgressSummary, Window
from tracker.report.timing import estimate_time
from tracker.store import aggregates
from tracker.store.events import EVENT_KINDS, EventKind
from tracker.store.progress_store import ProgressStore

__all__ = [
    "DEFAULT_NAME",
    "StatsInputs",
    "snapshot_from_store",
    "states_as_of",
    "stats_inputs",
    "store_sections",
    "summary_from_store",
]

DEFAULT_NAME = "mentee"
"""The name a snapshot gets when none is given."""


def _moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def snapshot_from_store(store: ProgressStore, *, name: str = DEFAULT_NAME) -> ProgressSnapshot:
    """Reads everything the mentor's side needs from the store.

    Args:
        store: The open progress store.
        name: The mentee's name.

    Returns:
        The snapshot: part states, notes, questions, reviews (not undone), cards and the event
        log (undo events included: replaying `value`s in order gives the state at any time).
    """
    cards = _cards(store)
    events = store.events()
    due_after = {
        e.id: _moment((e.value.get("new") or {}).get("due"))
        for e in events
        if e.kind is EventKind.REVIEW
    }
    return ProgressSnapshot(
        name=name,
        states=store.states(),
        notes=tuple(NoteRecord(n.key, n.text, n.created) for n in store.notes()),
        questions=_questions(store),
        reviews=tuple(
            ReviewRecord(
                r.question_id, r.at, r.rating, r.is_correct, r.is_cram, due_after.get(r.id)
            )
            for r in store.reviews()
        ),
        cards=cards,
        events=tuple(
            EventRecord(
                e.at,
                e.kind,
                e.key,
                EVENT_KINDS[e.kind].number(e.value),
                EVENT_KINDS[e.kind].spans(e.value),
            )
            for e in events
        ),
    )


def _cards(store: ProgressStore) -> dict[str, CardSummary]:
    return {
        qid: CardSummary(
            question=qid,
            reps=record.reps,
            lapses=record.lapses,
            state=STATE_NAMES[state] if (state := card_state(record.card)) else "new",
            due=record.due,
            last_review=_moment(record.card.get("last_review")),
        )
        for qid, record in store.cards().items()
    }


def _questions(store: ProgressStore) -> tuple[QuestionRecord, ...]:
    return tuple(
        QuestionRecord(q.text, q.created, q.meeting, q.is_done)
        for q in sorted(store.questions(), key=lambda q: (q.created, q.id))
    )


def store_sections(store: ProgressStore, *, name: str = DEFAULT_NAME) -> ExportSections:
    """The store's progress as export sections read row by row (call it within
    `store.reading()`, so that every section is of one moment of the database).

    The text `write_export` makes of them equals `dump_snapshot(snapshot_from_store(store))`;
    the events and the reviews come from cursors and are never all in memory.

    Args:
        store: The open progress store.
        name: The mentee's name.

    Returns:
        The sections (each iterable read once).
    """
    return ExportSections(
        name=name,
        states=(state_entry(key, s) for key, s in sorted(store.states().items())),
        notes=(note_entry(NoteRecord(n.key, n.text, n.created)) for n in store.notes()),
        questions=(question_entry(q) for q in _questions(store)),
        reviews=(
            {
                "question": key,
                "at": stored_moment(at),
                "rating": int(rating),
                "correct": bool(is_correct),
                "cram": bool(is_cram),
                "due": stored_moment(due) if isinstance(due, str) else None,
            }
            for key, at, rating, is_correct, is_cram, due in aggregates.review_rows(store)
        ),
        cards=(card_entry(qid, c) for qid, c in sorted(_cards(store).items())),
        events=stored_event_lines(aggregates.event_rows(store)),
    )


def states_as_of(store: ProgressStore, until: datetime) -> dict[str, PartState]:
    """The part states at `until`: what `as_of(snapshot_from_store(store), until).states`
    gives, read with one SQL aggregate instead of the whole log."""
    return aggregates.states_as_of(store, until)


def summary_from_store(
    store: ProgressStore,
    window: Window,
    *,
    day: Callable[[datetime], date],
    name: str = DEFAULT_NAME,
) -> ProgressSummary:
    """Reads what a report over `window` needs from the store, without loading the event log.

    Equal to `summarize(as_of(snapshot_from_store(store, name=name), window.end), window,
    day=day)`, at a cost that grows with the keys and the window's events, not with the log:
    the states at the window's end, the window's distinct moments and its reviews per question
    are SQL aggregates; each video's position and watched events up to the end (few) are read
    for when its items were finished.

    Args:
        store: The open progress store.
        window: The report's window (`tracker.report.model.report_window`).
        day: The day an instant falls on (`Clock.day_of`), for the time estimate.
        name: The mentee's name.

    Returns:
        The summary.
    """
    end = window.end
    with store.reading():  # one snapshot of the database for every query
        return ProgressSummary(
            name=name,
            window=window,
            states=aggregates.states_as_of(store, end),
            questions=tuple(q for q in _questions(store) if q.at <= end),
            cards=_cards(store),
            time=estimate_time(aggregates.event_moments(store, window.start, end), day=day),
            attempts=tuple(aggregates.review_counts(store, window.start, end)),
            watching=watch_history(
                EventRecord(*row) for row in aggregates.watch_events(store, end)
            ),
        )


@dataclass(frozen=True, slots=True)
class StatsInputs:
    """What the Stats screen's figures are made of, read without loading the whole log."""

    slices: tuple[tuple[datetime, int], ...]
    """Events (undo events included) per quarter hour, UTC: the activity by day in any zone."""
    part_events: tuple[EventRecord, ...]
    """Each key's last tick or position before the period, then every one in it, by time."""
    reviews: tuple[ReviewRecord, ...]
    """Every review not undone, by time."""


def stats_inputs(store: ProgressStore, *, since: datetime, until: datetime) -> StatsInputs:
    """Reads the Stats screen's inputs with SQL aggregates, not the whole event log.

    What `snapshot_from_store` followed by `as_of(until)` gives for the same figures, at a cost
    that grows with the period, not with the log: a million events are counted in SQL.

    Args:
        store: The open progress store.
        since: The start of the earliest period a figure shows (UTC-aware).
        until: Leave out what was recorded after this instant (the clock's now).

    Returns:
        The inputs.
    """
    slices = tuple((at, count) for at, count in store.event_counts() if at <= until)
    events = tuple(
        EventRecord(at, kind, key, EVENT_KINDS[kind].number(value), EVENT_KINDS[kind].spans(value))
        for at, kind, key, value in store.part_events(since)
        if at <= until
    )
    parse = datetime.fromisoformat
    with store.reading():  # the review's fields read by SQL, not its whole JSON (two cards)
        reviews = tuple(
            ReviewRecord(key, moment, int(rating), bool(right), bool(cram), _moment(due))
            for key, at, rating, right, cram, due in aggregates.review_rows(store)
            if (moment := parse(at)) <= until
        )
    return StatsInputs(slices, events, reviews)
