"""Provides the progress store: the only package that speaks SQL."""

from __future__ import annotations

from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore
from tracker.store.records import (
    CardRecord,
    Event,
    MenteeQuestion,
    Note,
    StoredReview,
    UndoResult,
)

__all__ = [
    "CardRecord",
    "Event",
    "MenteeQuestion",
    "Note",
    "ProgressStore",
    "StoredReview",
    "UndoResult",
    "connect",
]
