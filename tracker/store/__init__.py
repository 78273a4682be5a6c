"""Provides the progress store: the only package that speaks SQL.

Its names are imported when first asked for (`from tracker.store import ProgressStore`), so that
importing one of its modules (the app's `tracker.store.pending`, before its first frame) does
not import the store, SQLite and the domain with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULES = {
    "connect": "tracker.store.database",
    "ProgressStore": "tracker.store.progress_store",
    **dict.fromkeys(
        ("CardRecord", "Event", "MenteeQuestion", "Note", "StoredReview", "UndoResult"),
        "tracker.store.records",
    ),
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
