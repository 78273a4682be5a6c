"""Provides `snapshot_from_store`: a mentee's progress read from the progress database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.domain.scheduling import STATE_NAMES, card_state
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    NoteRecord,
    ProgressSnapshot,
    QuestionRecord,
    ReviewRecord,
)
from tracker.store.events import EVENT_KINDS, EventKind
from tracker.store.progress_store import ProgressStore

__all__ = ["DEFAULT_NAME", "StatsInputs", "snapshot_from_store", "stats_inputs"]

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
    cards = {
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
        questions=tuple(
            QuestionRecord(q.text, q.created, q.meeting, q.is_done)
            for q in sorted(store.questions(), key=lambda q: (q.created, q.id))
        ),
        reviews=tuple(
            ReviewRecord(
                r.question_id, r.at, r.rating, r.is_correct, r.is_cram, due_after.get(r.id)
            )
            for r in store.reviews()
        ),
        cards=cards,
        events=tuple(
            EventRecord(e.at, e.kind, e.key, EVENT_KINDS[e.kind].number(e.value)) for e in events
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
        EventRecord(at, kind, key, EVENT_KINDS[kind].number(value))
        for at, kind, key, value in store.part_events(since)
        if at <= until
    )
    reviews = tuple(
        ReviewRecord(
            key,
            at,
            int(value["rating"]),
            bool(value["is_correct"]),
            bool(value["is_cram"]),
            _moment((value.get("new") or {}).get("due")),
        )
        for key, at, value in store.review_log()
        if at <= until
    )
    return StatsInputs(slices, events, reviews)
