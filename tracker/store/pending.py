"""Provides `PendingChanges`: the mentee's changes that the store could not save yet, in order.

When a write fails (the database locked past the timeout, the disk full, a read-only file, an
I/O error) the change is not lost: it is kept here, with the time the mentee made it, and
retried with back-off (1 s, 2 s, 4 s ... up to a minute) until it is saved or the mentee
discards it. Changes are saved in the order they were made: while one is pending, later ones
wait behind it, so that an untick never lands before its tick.

A retry opens its own connection (`save_all(path)`), so a retry that waits for a lock never
holds the app's connection: the app keeps reading while it waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.errors import StoreError

__all__ = [
    "FIRST_DELAY",
    "MAX_DELAY",
    "WRITES",
    "PendingChange",
    "PendingChanges",
    "SavedChange",
    "describe_change",
]

FIRST_DELAY = 1.0
"""Seconds before the first retry; each failed retry doubles it."""
MAX_DELAY = 60.0
"""The longest wait between two retries, in seconds."""

WRITES = frozenset(
    {
        "mark",
        "set_position",
        "add_note",
        "delete_note",
        "add_question",
        "edit_question",
        "tick_question",
        "delete_question",
        "undo",
        "redo",
    }
)
"""The `ProgressStore` methods a pending change may call (each takes `now` as a keyword)."""


def describe_change(method: str, args: Sequence[Any]) -> str:
    """A change in the mentee's words, from the store method and its arguments.

    Args:
        method: One of `WRITES`.
        args: Its positional arguments.

    Returns:
        "tick llm-book/2.6", "note on llm-book/2.6: “Why is it …”", "undo" ...
    """

    def short(text: Any) -> str:
        words = " ".join(str(text).split())
        return f"“{words[:40]}…”" if len(words) > 40 else f"“{words}”"

    def keys(value: Any) -> str:
        listed = [value] if isinstance(value, str) else list(value)
        return ", ".join(listed[:3]) + (f" and {len(listed) - 3} more" if len(listed) > 3 else "")

    match method, list(args):
        case "mark", [marked, done, *_]:
            return f"{'tick' if done else 'untick'} {keys(marked)}"
        case "set_position", [key, seconds, *_]:
            return f"position of {key}" + ("" if seconds is None else f" at {seconds} s")
        case "add_note", [key, text, *_]:
            return f"note on {key}: {short(text)}"
        case "delete_note", _:
            return "note deleted"
        case "add_question", [_, text, *_]:
            return f"question {short(text)}"
        case "edit_question", [_, text, *_]:
            return f"question edited to {short(text)}"
        case "tick_question", [_, done, *_]:
            return "question ticked" if done else "question unticked"
        case "delete_question", _:
            return "question deleted"
    return method.replace("_", " ")


@dataclass(frozen=True, slots=True)
class PendingChange:
    """One change the mentee made that is not saved yet."""

    method: str
    """The `ProgressStore` method that saves it (one of `WRITES`)."""
    args: tuple[Any, ...]
    """Its positional arguments (the note's text, the keys ticked ...)."""
    at: datetime
    """When the mentee made it: saved with this time, not the time of the retry."""
    description: str
    """What it was, in the mentee's words ("tick 2.6", "note on 2.6")."""


@dataclass(frozen=True, slots=True)
class SavedChange:
    """A pending change that a retry saved."""

    change: PendingChange
    result: Any
    """What the store method returned (an action id, an `UndoResult` ...)."""


@dataclass(slots=True)
class PendingChanges:
    """The changes not saved yet, oldest first, with the back-off of the next retry.

    Safe to use from the UI thread and one retry thread at a time.
    """

    changes: list[PendingChange] = field(default_factory=list)
    """Oldest first."""
    error: StoreError | None = None
    """Why the last attempt failed."""
    failures: int = 0
    """Failed attempts since the last success."""
    saving: PendingChange | None = None
    """The change a retry is saving right now (it can no longer be discarded)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def delay(self) -> float:
        """Seconds to wait before the next retry (doubling per failure, at most `MAX_DELAY`)."""
        return float(min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, self.failures - 1)))

    def keep(self, change: PendingChange, error: StoreError | None = None) -> None:
        """Keeps a change that could not be saved (or must wait behind one that could not).

        Args:
            change: The change.
            error: Why it failed; None when it was not tried (others are pending).
        """
        if change.method not in WRITES:
            raise ValueError(f"{change.method!r} is not a store write")
        with self._lock:
            self.changes.append(change)
            if error is not None:
                self.error = error
                self.failures = max(self.failures, 1)

    def discard_last(self) -> PendingChange | None:
        """Drops the newest pending change (the mentee chose to); returns it, or None (nothing
        pending, or the newest is being saved right now: see `saving`)."""
        with self._lock:
            if not self.changes or self.changes[-1] is self.saving:
                return None
            dropped = self.changes.pop()
            if not self.changes:
                self.error, self.failures = None, 0
            return dropped

    def discard_all(self) -> list[PendingChange]:
        """Drops every pending change but one being saved right now; returns them."""
        with self._lock:
            kept = [c for c in self.changes if c is self.saving]
            dropped = [c for c in self.changes if c is not self.saving]
            self.changes = kept
            if not kept:
                self.error, self.failures = None, 0
            return dropped

    def save_all(self, store: Any) -> list[SavedChange]:
        """Saves the pending changes in order, stopping at the first that fails.

        Args:
            store: An open `ProgressStore` (a connection of the retry's own, ideally).

        Returns:
            The changes saved (they are no longer pending); the rest stay, with `error` and
            `failures` updated when one failed.
        """
        saved: list[SavedChange] = []
        while True:
            with self._lock:
                if not self.changes:
                    self.error, self.failures = None, 0
                    return saved
                change = self.saving = self.changes[0]
            try:
                result = getattr(store, change.method)(*change.args, now=change.at)
            except StoreError as error:
                with self._lock:
                    self.error = error
                    self.failures += 1
                    self.saving = None
                return saved
            with self._lock:
                self.saving = None
                if self.changes and self.changes[0] is change:
                    self.changes.pop(0)
            saved.append(SavedChange(change, result))

    def retry(self, path: str | Path, open_store: Callable[[str], Any]) -> list[SavedChange]:
        """One retry on a connection of its own: opens the store, saves what it can, closes.

        Args:
            path: The database file.
            open_store: Opens a `ProgressStore` on `path` (`ProgressStore.open`).

        Returns:
            The changes saved.
        """
        try:
            store = open_store(str(path))
        except StoreError as error:
            with self._lock:
                self.error = error
                self.failures += 1
            return []
        try:
            return self.save_all(store)
        finally:
            store.close()

    def descriptions(self) -> Sequence[str]:
        """What each pending change was, oldest first."""
        with self._lock:
            return [change.description for change in self.changes]
