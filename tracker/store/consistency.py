"""Provides the consistency check: the state tables against a replay of the event log.

The store keeps its current-state tables in step with the log inside each write; these tools
(used by tests and benchmarks, never by the app) rebuild the tables from the log in Python,
through the same `EVENT_KINDS` table, and compare.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracker.domain.progress import PartState
from tracker.domain.spans import merge
from tracker.errors import StoreError
from tracker.store.events import Tables, event_handler
from tracker.store.progress_store import ProgressStore

__all__ = ["check_consistency", "replay", "replay_state", "stored_state"]


def replay(store: ProgressStore) -> Tables:
    """Every current-state table rebuilt from the log alone, in Python.

    Args:
        store: The open store.

    Returns:
        The tables' rows, comparable with `stored_state(store)`.

    Raises:
        StoreError: The log holds an event of a kind this version does not know.
    """
    with store.reading() as cursor:
        rows = cursor.execute("SELECT at, kind, key, value FROM events ORDER BY id").fetchall()
    tables = Tables()
    for at, kind, key, raw in rows:
        handler = event_handler(kind)
        if handler is None:
            raise StoreError(f"{store.path}: unknown event kind {kind!r}")
        handler.replay(tables, key, json.loads(raw), at)
    return tables


def replay_state(store: ProgressStore) -> dict[str, PartState]:
    """The part states derived from the log alone (what `store.states()` must equal)."""
    return {
        key: PartState(key, is_done, position, datetime.fromisoformat(updated), watched)
        for key, (is_done, position, updated, watched) in replay(store).parts.items()
    }


def stored_state(store: ProgressStore) -> Tables:
    """Every current-state table as stored, in the form of `replay`."""
    with store.reading() as cursor:
        return Tables(
            parts={
                k: (bool(d), p, u, None if w is None else merge(json.loads(w)))
                for k, d, p, u, w in cursor.execute(
                    "SELECT key, is_done, position, updated, watched FROM part_state"
                )
            },
            notes={
                i: (k, t, c)
                for i, k, t, c in cursor.execute("SELECT id, key, text, created FROM notes")
            },
            questions={
                i: (m, t, bool(d), c)
                for i, m, t, d, c in cursor.execute(
                    "SELECT id, meeting, text, is_done, created FROM questions"
                )
            },
            cards={
                q: (json.loads(c), due, lapses, reps)
                for q, c, due, lapses, reps in cursor.execute(
                    "SELECT question_id, card, due, lapses, reps FROM cards"
                )
            },
        )


def check_consistency(store: ProgressStore) -> list[str]:
    """Compares every current-state table with a replay of the log.

    Args:
        store: The open store.

    Returns:
        One line per difference; empty when the state equals the replay.
    """
    with store.reading():
        stored, replayed = stored_state(store), replay(store)
    problems = []
    for table in ("parts", "notes", "questions", "cards"):
        have: Mapping[Any, Any] = getattr(stored, table)
        want: Mapping[Any, Any] = getattr(replayed, table)
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key) != want.get(key):
                problems.append(
                    f"{table}[{key!r}]: stored {have.get(key)!r}, replay {want.get(key)!r}"
                )
    return problems
