"""Provides `snapshot_from_store`: a mentee's progress read from the progress database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.domain.scheduling import STATE_NAMES, card_state
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    MenteeQuestion,
    NoteRecord,
    ProgressSnapshot,
    ReviewRecord,
)
from tracker.store.events import EVENT_KINDS, EventKind
from tracker.store.progress_store import ProgressStore

__all__ = ["DEFAULT_NAME", "snapshot_from_store"]

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
            MenteeQuestion(q.text, q.created, q.meeting, q.is_done)
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
