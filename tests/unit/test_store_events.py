"""Tests for the event kinds' table: every kind has a handler, and apply agrees with replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tracker.store import ProgressStore
from tracker.store.consistency import check_consistency, replay, stored_state
from tracker.store.database import connect
from tracker.store.events import EVENT_KINDS, EventKind, event_handler

NOW = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)


def test_every_event_kind_has_a_handler() -> None:
    assert set(EVENT_KINDS) == set(EventKind)
    assert event_handler("done") is EVENT_KINDS[EventKind.DONE]
    assert event_handler("from a newer version") is None


def test_an_undo_appends_the_inverse_kind_with_new_and_old_swapped() -> None:
    value = {"id": 7, "new": {"key": "k"}, "old": None}
    assert EVENT_KINDS[EventKind.NOTE].reverse(value) == (
        EventKind.NOTE,
        {"id": 7, "new": None, "old": {"key": "k"}},
    )
    review = {"rating": 3, "answer": "42", "is_correct": True, "is_cram": False}
    kind, undo = EVENT_KINDS[EventKind.REVIEW].reverse({**review, "new": "B", "old": "A"})
    assert (kind, undo) == (EventKind.CARD, {"new": "A", "old": "B"})


def test_each_kind_applied_by_the_store_equals_its_replay() -> None:
    store = ProgressStore(connect(":memory:"))
    store.mark(["book/1.1"], True, now=NOW)
    store.set_position("video/position", 90, now=NOW)
    store.watch("video/position", 1800, 4200, 3000, now=NOW)
    store.add_note("book/1.1", "a note", now=NOW)
    store.add_question(date(2024, 4, 9), "why?", now=NOW)
    card = {"card_id": 1, "state": 2}
    store.record_review(
        "q1", card=card, due=NOW + timedelta(days=1), lapses=0, rating=3, answer="4",
        is_correct=True, now=NOW,
    )  # fmt: skip
    store.undo(now=NOW)  # a card event
    kinds = {event.kind for event in store.events()}
    assert kinds == set(EventKind)
    assert replay(store) == stored_state(store)
    assert check_consistency(store) == []
