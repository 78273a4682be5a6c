"""Provides ProgressStore: the mentee's progress as an append-only event log with derived state.

Every change is one *action* of one or more events, written in one `BEGIN IMMEDIATE` transaction
together with the current-state tables it changes (`part_state`, `notes`, `questions`, `cards`),
so the state always equals a replay of the log (`tracker.store.consistency`).

Each event's JSON value holds a `new` and an `old` snapshot of what it changed (`null` = absent),
so an undo appends the same events with the snapshots swapped, and a redo undoes the undo. The
log is never updated or deleted. `tracker.store.events` holds the one table that interprets each
event kind (apply, replay, reverse, describe).

| kind       | key                | value                                                        |
|------------|--------------------|--------------------------------------------------------------|
| `done`     | progress key       | `{new: bool, old: bool \\| null}`                              |
| `position` | progress key       | `{new: seconds \\| null, old: ...}`                            |
| `watched`  | progress key       | `{from, until, to, new: [[from, to], ...] \\| null, old: ...}` |
| `note`     | progress key       | `{id, new: {key, text, created} \\| null, old: ...}`           |
| `question` | `question/{id}`    | `{id, new: {meeting, text, is_done, created} \\| null, old}`   |
| `review`   | quiz question id   | `{rating, answer, is_correct, is_cram, new: card, old: card}` |
| `card`     | quiz question id   | `{new: card \\| null, old: ...}` (an undone or redone review)  |

A card snapshot is `{card: fsrs Card.to_dict(), due, lapses, reps}`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tracker.domain.progress import PartState
from tracker.domain.spans import Spans, merge, spans_of, with_watched
from tracker.errors import StoreError, UndoConflictError
from tracker.store.database import BUSY_TIMEOUT_MS, connect, store_error
from tracker.store.events import EVENT_KINDS, EventKind, LoggedEvent

if TYPE_CHECKING:  # imported where they are made: not on the app's way to its first screen
    from tracker.store.records import (
        CardRecord,
        Event,
        MenteeQuestion,
        Note,
        StoredReview,
        UndoResult,
    )

__all__ = ["ProgressStore"]

_UNDONE = (
    "EXISTS (SELECT 1 FROM events u WHERE u.undoes = {alias}.action"
    " AND NOT EXISTS (SELECT 1 FROM events r WHERE r.undoes = u.action))"
)
"""SQL: whether the action of event `{alias}` was undone (by an undo that was not redone)."""

_OWN = "(SELECT action FROM temp.own_actions)"
"""SQL: the actions this connection appended (a per-connection TEMP table), which its undo and
redo may reverse; another app instance on the same database has its own."""

_EVENT_COLUMNS = "e.id, e.action, e.at, e.kind, e.key, e.value, e.undoes, " + _UNDONE.format(
    alias="e"
)


class ProgressStore:
    """The mentee's progress, notes, questions and quiz cards, in one SQLite database.

    Build it with `ProgressStore.open(path)` or around a connection from
    `tracker.store.database.connect`. Every method is safe to call from several threads (one at
    a time) and from several processes (writers wait for each other).
    """

    def __init__(self, connection: sqlite3.Connection, *, path: str | None = None) -> None:
        """Wraps an open, migrated connection.

        Args:
            connection: From `tracker.store.database.connect` (switched to autocommit if not).
            path: The file's name, for messages.
        """
        connection.isolation_level = None  # no implicit BEGIN: every write opens its own
        self._connection = connection
        """The autocommit connection; writes open `BEGIN IMMEDIATE` themselves."""
        self._lock = threading.RLock()
        """Serialises use of the connection between threads."""
        self.path = path or ":memory:"
        """The database file, for messages."""
        with self._lock:  # this connection's own actions: what its undo may take back
            connection.execute(
                "CREATE TEMP TABLE IF NOT EXISTS own_actions (action INTEGER PRIMARY KEY)"
            )

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> ProgressStore:
        """Opens (creating and migrating if needed) the progress database.

        A database where it cannot be written is opened read-only (`is_read_only`).

        Args:
            path: The database file, or ":memory:"; default `tracker.paths.database_path()`.
            busy_timeout_ms: How long a write waits for another process's lock (the app's UI
                thread waits briefly and keeps the change pending instead).

        Returns:
            The store. Close it with `close()` or use it as a context manager.

        Raises:
            SchemaTooNewError: The file was written by a newer version; it is left untouched.
            StoreError: The file cannot be opened.
        """
        if path is None:
            from tracker.paths import database_path

            path = database_path(create=False)
        return cls(connect(path, busy_timeout_ms=busy_timeout_ms), path=str(path))

    def close(self) -> None:
        """Closes the connection (every write is already committed)."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def is_read_only(self) -> bool:
        """Whether the database was opened read-only (it cannot be written where it is)."""
        return bool(getattr(self._connection, "is_read_only", False))

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (for tests and benchmarks)."""
        return self._connection

    # --- progress of parts --------------------------------------------------------------------

    def mark(self, keys: Sequence[str], done: bool, *, now: datetime) -> int:
        """Ticks (or unticks) parts, as one action: one undo reverses all of them.

        Keys whose state already is `done` are left out of the action.

        Args:
            keys: Progress keys (e.g. every part of an item).
            done: True to tick, False to untick.
            now: The current time, UTC-aware.

        Returns:
            The action's id, or 0 when no key changed (nothing was recorded).

        Raises:
            ValueError: `now` is naive, or a key is empty.
            TypeError: `keys` is a single string.
        """
        at = _iso(now)
        if isinstance(keys, str):
            raise TypeError(f"keys must be a list of progress keys, not the string {keys!r}")
        wanted = list(dict.fromkeys(keys))
        if any(not key for key in wanted):
            raise ValueError("a progress key must not be empty")
        with self._write() as cursor:
            events = []
            for key in wanted:
                row = cursor.execute(
                    "SELECT is_done FROM part_state WHERE key = ?", (key,)
                ).fetchone()
                old = None if row is None else bool(row[0])
                if bool(old) != done:
                    events.append((EventKind.DONE, key, {"new": bool(done), "old": old}))
            return self._append(cursor, events, at)

    def set_position(self, key: str, seconds: int | None, *, now: datetime) -> int:
        """Records how far a video was watched.

        Args:
            key: The video's position key (`tracker.domain.curriculum.position_key`).
            seconds: Seconds watched (None clears the position).
            now: The current time, UTC-aware.

        Returns:
            The action's id, or 0 when the position was already `seconds`.

        Raises:
            ValueError: `now` is naive, the key is empty or `seconds` is negative.
        """
        at = _iso(now)
        if not key:
            raise ValueError("a progress key must not be empty")
        if seconds is not None and (isinstance(seconds, bool) or int(seconds) < 0):
            raise ValueError(f"a position is a number of seconds >= 0, not {seconds!r}")
        new = None if seconds is None else int(seconds)
        with self._write() as cursor:
            row = cursor.execute("SELECT position FROM part_state WHERE key = ?", (key,)).fetchone()
            old = None if row is None else row[0]
            if old == new:
                return 0
            value = {"new": new, "old": old}
            return self._append(cursor, [(EventKind.POSITION, key, value)], at)

    def watch(self, key: str, start: int, end: int | None, upto: int, *, now: datetime) -> int:
        """Records how far one item's segment of a video was watched.

        The segment's seconds become "watched from `start` up to `upto`"; the rest of the video
        keeps what was recorded on it, so another item's segment never changes. A video with
        only a position (recorded before spans) starts from that position, watched from 0.

        Args:
            key: The video's position key (`tracker.domain.curriculum.position_key`).
            start: The segment's start (the item's `from`, else 0), seconds.
            end: The segment's end (the item's `until` or the video's length; None: unknown).
            upto: Where the mentee is, seconds; clamped to the segment.
            now: The current time, UTC-aware.

        Returns:
            The action's id, or 0 when nothing watched changed.

        Raises:
            ValueError: `now` is naive, the key is empty, or a number is negative or not whole.
        """
        at = _iso(now)
        if not key:
            raise ValueError("a progress key must not be empty")
        for name, number in (("start", start), ("end", end), ("position", upto)):
            if number is None and name == "end":
                continue
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ValueError(f"a {name} is a number of seconds >= 0, not {number!r}")
        if end is not None and end <= start:
            raise ValueError(f"a segment ends after it starts, not {start}-{end}")
        with self._write() as cursor:
            row = cursor.execute(
                "SELECT position, watched FROM part_state WHERE key = ?", (key,)
            ).fetchone()
            position, old = (None, None) if row is None else (row[0], _spans_column(row[1]))
            before = spans_of(old, position)
            after = with_watched(before, start, end, upto)
            if after == before:
                return 0
            value = {
                "from": start,
                "until": end,
                "to": max(start, upto if end is None else min(upto, end)),
                "new": [list(span) for span in after],
                "old": None if old is None else [list(span) for span in old],
            }
            return self._append(cursor, [(EventKind.WATCHED, key, value)], at)

    def states(self) -> dict[str, PartState]:
        """The current state of every key that was ever ticked or positioned.

        Returns:
            PartState by key (keys never touched are absent: count them as not started).
        """
        with self._lock:
            rows = self._connection.execute(
                "SELECT key, is_done, position, updated, watched FROM part_state"
            ).fetchall()
        parse = datetime.fromisoformat
        return {
            key: PartState(key, bool(is_done), position, parse(updated), _spans_column(watched))
            for key, is_done, position, updated, watched in rows
        }

    def state(self, key: str) -> PartState:
        """The current state of one key.

        Args:
            key: A progress key.

        Returns:
            Its state; a not-started PartState when it was never touched.
        """
        with self._lock:
            row = self._connection.execute(
                "SELECT is_done, position, updated, watched FROM part_state WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return PartState(key)
        updated = datetime.fromisoformat(row[2])
        return PartState(key, bool(row[0]), row[1], updated, _spans_column(row[3]))

    def orphans(self, known_keys: set[str] | frozenset[str]) -> list[PartState]:
        """Progress recorded for keys the curriculum no longer has (kept, never deleted).

        Args:
            known_keys: Every progress key of the current curriculum.

        Returns:
            The states with some progress (done, a position or spans) whose key is unknown, by
            key.
        """
        return sorted(
            (
                s
                for key, s in self.states().items()
                if key not in known_keys and (s.is_done or s.position is not None or s.watched)
            ),
            key=lambda s: s.key,
        )

    # --- notes --------------------------------------------------------------------------------

    def add_note(self, key: str, text: str, *, now: datetime) -> int:
        """Adds a note to an item or part (several per key are allowed).

        Args:
            key: The progress key (or item key) the note belongs to.
            text: The note.
            now: The current time, UTC-aware.

        Returns:
            The note's id.

        Raises:
            ValueError: `now` is naive, or the key or text is empty.
        """
        at = _iso(now)
        if not key or not text.strip():
            raise ValueError("a note needs a key and some text")
        with self._write() as cursor:
            note_id = _next_event_id(cursor)
            new = {"key": key, "text": text, "created": at}
            value = {"id": note_id, "new": new, "old": None}
            self._append(cursor, [(EventKind.NOTE, key, value)], at)
            return note_id

    def delete_note(self, note_id: int, *, now: datetime) -> int:
        """Deletes a note (undo brings it back).

        Args:
            note_id: The note's id, as `add_note` returned it.
            now: The current time, UTC-aware.

        Returns:
            The action's id.

        Raises:
            ValueError: `now` is naive or there is no such note.
        """
        at = _iso(now)
        with self._write() as cursor:
            old = _note_snapshot(cursor, note_id)
            if old is None:
                raise ValueError(f"there is no note with id {note_id}")
            value = {"id": note_id, "new": None, "old": old}
            return self._append(cursor, [(EventKind.NOTE, old["key"], value)], at)

    def notes(self, key: str | None = None) -> list[Note]:
        """The notes on a key, or every note.

        Args:
            key: The progress key (or item key); None for the notes on every key.

        Returns:
            The notes, oldest first.
        """
        sql = "SELECT id, key, text, created FROM notes"
        args: tuple[Any, ...] = ()
        if key is not None:
            sql, args = sql + " WHERE key = ?", (key,)
        with self._lock:
            rows = self._connection.execute(sql + " ORDER BY id", args).fetchall()
        from tracker.store.records import Note

        return [Note(i, k, t, datetime.fromisoformat(c)) for i, k, t, c in rows]

    # --- the mentee's questions for meetings --------------------------------------------------

    def add_question(self, meeting: date, text: str, *, now: datetime) -> int:
        """Adds a question the mentee wants to ask at `meeting`.

        Args:
            meeting: The date of the meeting the question is for.
            text: The question.
            now: The current time, UTC-aware.

        Returns:
            The question's id.

        Raises:
            ValueError: `now` is naive or the text is empty.
        """
        at = _iso(now)
        if not text.strip():
            raise ValueError("a question needs some text")
        with self._write() as cursor:
            qid = _next_event_id(cursor)
            new = {"meeting": meeting.isoformat(), "text": text, "is_done": False, "created": at}
            value = {"id": qid, "new": new, "old": None}
            self._append(cursor, [(EventKind.QUESTION, f"question/{qid}", value)], at)
            return qid

    def edit_question(self, qid: int, text: str, *, now: datetime) -> int:
        """Changes a question's text.

        Args:
            qid: The question's id, as `add_question` returned it.
            text: The new text.
            now: The current time, UTC-aware.

        Returns:
            The action's id (0 when the text did not change).

        Raises:
            ValueError: `now` is naive, the text is empty or there is no such question.
        """
        if not text.strip():
            raise ValueError("a question needs some text")
        return self._change_question(qid, {"text": text}, now=now)

    def tick_question(self, qid: int, done: bool, *, now: datetime) -> int:
        """Marks a question answered (or not).

        Args:
            qid: The question's id, as `add_question` returned it.
            done: True when it was answered, False to open it again.
            now: The current time, UTC-aware.

        Returns:
            The action's id (0 when it already was).

        Raises:
            ValueError: `now` is naive or there is no such question.
        """
        return self._change_question(qid, {"is_done": bool(done)}, now=now)

    def delete_question(self, qid: int, *, now: datetime) -> int:
        """Deletes a question (undo brings it back).

        Args:
            qid: The question's id, as `add_question` returned it.
            now: The current time, UTC-aware.

        Returns:
            The action's id.

        Raises:
            ValueError: `now` is naive or there is no such question.
        """
        return self._change_question(qid, None, now=now)

    def _change_question(
        self, qid: int, changes: Mapping[str, Any] | None, *, now: datetime
    ) -> int:
        """Applies `changes` to a question's snapshot (None deletes it), as one action."""
        at = _iso(now)
        with self._write() as cursor:
            old = _question_snapshot(cursor, qid)
            if old is None:
                raise ValueError(f"there is no question with id {qid} (deleted or never added)")
            new = None if changes is None else {**old, **changes}
            if new == old:
                return 0
            value = {"id": qid, "new": new, "old": old}
            return self._append(cursor, [(EventKind.QUESTION, f"question/{qid}", value)], at)

    def questions(self, meeting: date | None = None) -> list[MenteeQuestion]:
        """The mentee's questions for one meeting, or for every meeting.

        Args:
            meeting: The meeting's date; None for every meeting.

        Returns:
            The questions, by meeting, then in the order they were added.
        """
        sql = "SELECT id, meeting, text, is_done, created FROM questions"
        args: tuple[Any, ...] = ()
        if meeting is not None:
            sql, args = sql + " WHERE meeting = ?", (meeting.isoformat(),)
        with self._lock:
            rows = self._connection.execute(sql + " ORDER BY meeting, id", args).fetchall()
        from tracker.store.records import MenteeQuestion

        return [
            MenteeQuestion(i, date.fromisoformat(m), t, bool(d), datetime.fromisoformat(c))
            for i, m, t, d, c in rows
        ]

    # --- quiz cards ---------------------------------------------------------------------------

    def card(self, question_id: str) -> CardRecord | None:
        """The stored card of a quiz question.

        Args:
            question_id: The quiz question's id.

        Returns:
            Its card, or None when it was never reviewed on schedule.
        """
        with self._lock:
            row = self._connection.execute(
                "SELECT question_id, card, due, lapses, reps FROM cards WHERE question_id = ?",
                (question_id,),
            ).fetchone()
        return None if row is None else _card_record(*row)

    def record_review(
        self,
        question_id: str,
        *,
        card: Mapping[str, Any],
        due: datetime,
        lapses: int,
        rating: int,
        answer: str | None,
        is_correct: bool,
        is_cram: bool = False,
        now: datetime,
    ) -> int:
        """Stores a review and the card's new state, as one action (undo restores the old card).

        Args:
            question_id: The quiz question.
            card: The new `fsrs.Card.to_dict()` (for a cram review, the card unchanged).
            due: When the card is next due (UTC-aware).
            lapses: The card's lapse count after this review.
            rating: The FSRS rating given (1 Again .. 4 Easy).
            answer: What the mentee answered.
            is_correct: What the automatic check said.
            is_cram: A review outside the schedule: recorded, but the card is left exactly as
                it is (a question never scheduled gets no card), so `card`, `due` and
                `lapses` are not used.
            now: The current time, UTC-aware.

        Returns:
            The review's event id.

        Raises:
            ValueError: `now` or `due` is naive, or the card is not JSON.
        """
        at = _iso(now)
        new_due = _iso(due, name="due")
        try:
            card_json = json.loads(json.dumps(card, sort_keys=True))
        except (TypeError, ValueError) as error:
            raise ValueError(f"the card of {question_id} is not JSON: {error}") from error
        with self._write() as cursor:
            old = _card_snapshot(cursor, question_id)
            if is_cram:  # outside the schedule: the card stays as it is, or absent
                new = old
            else:
                reps = (old["reps"] if old else 0) + 1
                new = {"card": card_json, "due": new_due, "lapses": int(lapses), "reps": reps}
            value = {
                "rating": int(rating),
                "answer": answer,
                "is_correct": bool(is_correct),
                "is_cram": bool(is_cram),
                "new": new,
                "old": old,
            }
            return self._append(cursor, [(EventKind.REVIEW, question_id, value)], at)

    def due_cards(self, now: datetime, *, limit: int | None = None) -> list[str]:
        """The quiz questions whose card is due at `now`, most overdue first.

        Args:
            now: The current time, UTC-aware.
            limit: At most this many (all when None).

        Returns:
            Question ids sorted by due time.

        Raises:
            ValueError: `now` is naive.
        """
        at = _iso(now)
        sql = "SELECT question_id FROM cards WHERE due <= ? ORDER BY due, question_id"
        args: tuple[Any, ...] = (at,)
        if limit is not None:
            sql, args = sql + " LIMIT ?", (at, int(limit))
        with self._lock:
            return [row[0] for row in self._connection.execute(sql, args)]

    def cards(self, *, min_lapses: int = 0) -> dict[str, CardRecord]:
        """Stored cards by question id: every one, or those that lapsed at least `min_lapses` times.

        Args:
            min_lapses: Leave out cards with fewer lapses (the leeches ask for 4, and the filter
                runs in SQL, so they do not decode every card's JSON on each change).

        Returns:
            The cards, by question id.
        """
        with self._lock:
            rows = self._connection.execute(
                "SELECT question_id, card, due, lapses, reps FROM cards WHERE lapses >= ?",
                (int(min_lapses),),
            ).fetchall()
        return {row[0]: _card_record(*row) for row in rows}

    def reviews(
        self, question_id: str | None = None, *, since: datetime | None = None
    ) -> list[StoredReview]:
        """Reviews that were not undone, oldest first.

        Args:
            question_id: Only this question's reviews (all when None).
            since: Only reviews at or after this time (UTC-aware).

        Returns:
            The reviews.
        """
        sql = (
            "SELECT e.id, e.key, e.at, e.value FROM events e WHERE e.kind = ?"
            f" AND NOT {_UNDONE.format(alias='e')}"
        )
        args: list[Any] = [EventKind.REVIEW.value]
        if question_id is not None:
            sql += " AND e.key = ?"
            args.append(question_id)
        if since is not None:
            sql += " AND e.at >= ?"
            args.append(_iso(since, name="since"))
        with self._lock:
            rows = self._connection.execute(sql + " ORDER BY e.id", args).fetchall()
        from tracker.store.records import StoredReview

        records = []
        for event_id, key, at, raw in rows:
            value = json.loads(raw)
            records.append(
                StoredReview(
                    event_id,
                    key,
                    datetime.fromisoformat(at),
                    value["rating"],
                    value["answer"],
                    value["is_correct"],
                    value["is_cram"],
                )
            )
        return records

    # --- undo and redo ------------------------------------------------------------------------

    def undo(self, *, now: datetime) -> UndoResult | None:
        """Reverses this store's latest action not yet undone, by appending its inverse events.

        Calling it again walks further back. A tick of seven keys is one action; a review's undo
        restores the card as it was before (or removes it if it had none). Undo is per store
        (per app instance): another store on the same database has its own actions, which this
        one never takes back, and an action of ours whose keys another store has changed since
        is not undone (that would lose the other's change).

        Args:
            now: The current time, UTC-aware.

        Returns:
            What was undone, or None when there is nothing left to undo.

        Raises:
            ValueError: `now` is naive.
            UndoConflictError: Another store changed the action's keys since; nothing was done.
        """
        at = _iso(now)
        with self._write() as cursor:
            row = cursor.execute(
                "SELECT e.action FROM events e WHERE e.undoes IS NULL"
                f" AND e.action IN {_OWN} AND NOT {_UNDONE.format(alias='e')}"
                " ORDER BY e.id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            _refuse_if_changed_elsewhere(cursor, row[0])
            return self._reverse(cursor, row[0], at, is_redo=False)

    def redo(self, *, now: datetime) -> UndoResult | None:
        """Reverses this store's latest undo, if it recorded no new action since.

        Args:
            now: The current time, UTC-aware.

        Returns:
            What was redone (its description is of the redone action), or None.

        Raises:
            ValueError: `now` is naive.
            UndoConflictError: Another store changed the keys since; nothing was done.
        """
        at = _iso(now)
        with self._write() as cursor:
            row = cursor.execute(
                "SELECT e.action FROM events e"
                " JOIN events t ON t.id = e.undoes AND t.undoes IS NULL"
                f" WHERE e.action IN {_OWN} AND NOT {_UNDONE.format(alias='e')}"
                " AND NOT EXISTS (SELECT 1 FROM events n WHERE n.undoes IS NULL AND n.id > e.id"
                f" AND n.action IN {_OWN})"
                " ORDER BY e.id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            _refuse_if_changed_elsewhere(cursor, row[0])
            return self._reverse(cursor, row[0], at, is_redo=True)

    # --- the log ------------------------------------------------------------------------------

    def events(self, since: datetime | None = None) -> list[Event]:
        """The log, oldest first (undo events included; see `Event.undoes`, `Event.is_undone`).

        Args:
            since: Only events at or after this time (UTC-aware).

        Returns:
            The events, undone or not.
        """
        sql = f"SELECT {_EVENT_COLUMNS} FROM events e"
        args: tuple[Any, ...] = ()
        if since is not None:
            sql, args = sql + " WHERE e.at >= ?", (_iso(since, name="since"),)
        with self._lock:
            rows = self._connection.execute(sql + " ORDER BY e.id", args).fetchall()
        from tracker.store.records import Event

        return [
            Event(i, a, datetime.fromisoformat(at), EventKind(k), key, json.loads(v), u, bool(x))
            for i, a, at, k, key, v, u, x in rows
        ]

    def event_counts(self) -> list[tuple[datetime, int]]:
        """How many events (undo events included) each quarter hour holds, oldest first.

        Kept by a trigger as each event is written (the `activity` table): a year of studying
        is a few thousand rows, however long the log. A quarter hour lies within one local day
        in every time zone in use, so the counts add up to days in any zone.

        Returns:
            `(the quarter hour's start, UTC, count)` for every quarter hour with events.
        """
        with self._lock:
            rows = self._connection.execute(
                "SELECT hour, quarter, events FROM activity ORDER BY hour, quarter"
            ).fetchall()
        parse = datetime.fromisoformat
        return [(parse(f"{hour}{part * 15:02d}+00:00"), count) for hour, part, count in rows]

    def part_events(self, since: datetime) -> list[tuple[datetime, EventKind, str, Any]]:
        """The events that set a part's state, as far as they matter from `since` on.

        For each key, its last such event before `since`, then every one from `since` on (undo
        events included: their values set the state back), by time. Replaying them gives the
        same states on every day from `since` as replaying the whole log.

        Args:
            since: The first instant that matters (UTC-aware).

        Returns:
            `(at, kind, key, value)` tuples, `value` the event's JSON value.
        """
        kinds = [kind.value for kind, handler in EVENT_KINDS.items() if handler.part_field]
        marks = ", ".join("?" * len(kinds))
        at = _iso(since, name="since")
        with self._lock:
            # Each key's last event of each kind before `since`: one index search per key
            # (part_state holds every key such an event ever set), not a scan of the log.
            before = self._connection.execute(
                f"WITH kinds(kind) AS (VALUES {', '.join('(?)' for _ in kinds)})"
                " SELECT e.at, e.kind, e.key, e.value, e.id FROM kinds, part_state p"
                " JOIN events e ON e.id = (SELECT x.id FROM events x WHERE x.kind = kinds.kind"
                " AND x.key = p.key AND x.at < ? ORDER BY x.id DESC LIMIT 1)",
                (*kinds, at),
            ).fetchall()
            after = self._connection.execute(  # +kind: by the time index, not the kind's
                f"SELECT at, kind, key, value, id FROM events WHERE +kind IN ({marks})"
                " AND at >= ? ORDER BY id",
                (*kinds, at),
            ).fetchall()
        rows = sorted(before, key=lambda row: row[4]) + after
        parse = datetime.fromisoformat
        return [(parse(a), EventKind(k), key, json.loads(v)) for a, k, key, v, _ in rows]

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Cursor]:
        """One read transaction (a single snapshot) for several queries, holding the lock.

        For `tracker.store.consistency`, which compares the state tables with the log.
        """
        with self._lock, self._read() as cursor:
            yield cursor

    # --- internals ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """A `BEGIN IMMEDIATE` transaction, committed on success and rolled back on error.

        Raises:
            StoreError: The transaction could not begin or commit (its `fault` says why); it
                was rolled back, so nothing of it was written.
        """
        with self._lock:
            cursor = self._connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise store_error(error, self.path, "write") from error
            try:
                yield cursor
            except sqlite3.Error as error:
                self._roll_back()
                raise store_error(error, self.path, "write") from error
            except BaseException:
                self._roll_back()
                raise
            try:
                cursor.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise

    def _roll_back(self) -> None:
        """Rolls back the open transaction, if SQLite has not already (after a full disk, say)."""
        if self._connection.in_transaction:
            # The error that got us here is the one to report, not a failed rollback.
            with contextlib.suppress(StoreError, sqlite3.Error):
                self._connection.execute("ROLLBACK")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Cursor]:
        """A read transaction: one snapshot for several queries (nests inside another)."""
        cursor = self._connection.cursor()
        if self._connection.in_transaction:
            yield cursor
            return
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            if self._connection.in_transaction:
                cursor.execute("COMMIT")

    def _append(
        self,
        cursor: sqlite3.Cursor,
        events: Sequence[LoggedEvent],
        at: str,
        *,
        undoes: int | None = None,
    ) -> int:
        """Appends `events` as one action and applies each to the state tables.

        Returns:
            The action's id (its first event's id), or 0 when `events` is empty.
        """
        if not events:
            return 0
        action = _next_event_id(cursor)
        for offset, (kind, key, value) in enumerate(events):
            cursor.execute(
                "INSERT INTO events (id, action, at, kind, key, value, undoes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (action + offset, action, at, kind, key, json.dumps(value), undoes),
            )
            EVENT_KINDS[kind].apply(cursor, key, value, at)
        cursor.execute("INSERT INTO temp.own_actions (action) VALUES (?)", (action,))
        return action

    def _reverse(
        self, cursor: sqlite3.Cursor, action: int, at: str, *, is_redo: bool
    ) -> UndoResult:
        """Appends the inverse of `action`'s events (in reverse order) as a new action."""
        events = _action_events(cursor, action)
        original = events
        if is_redo:
            # Describe the action being redone, not the undo being reversed.
            target = cursor.execute(
                "SELECT undoes FROM events WHERE action = ? LIMIT 1", (action,)
            ).fetchone()[0]
            original = _action_events(cursor, target)
        inverse: list[LoggedEvent] = []
        for kind, key, value in reversed(events):
            inverse_kind, inverse_value = EVENT_KINDS[kind].reverse(value)
            inverse.append((inverse_kind, key, inverse_value))
        undo_action = self._append(cursor, inverse, at, undoes=action)
        keys = tuple(dict.fromkeys(key for _, key, _ in original))
        description = EVENT_KINDS[original[0][0]].describe(original, is_redo)
        from tracker.store.records import UndoResult

        return UndoResult(action, undo_action, description, keys)


# --- helpers ----------------------------------------------------------------------------------


def _iso(moment: datetime, *, name: str = "now") -> str:
    """A UTC-aware datetime as fixed-width ISO text (so text order is time order)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got the naive {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _refuse_if_changed_elsewhere(cursor: sqlite3.Cursor, action: int) -> None:
    """Raises when another store changed one of `action`'s keys after it (notes excepted: each
    note is its own row, whatever its key)."""
    row = cursor.execute(
        "SELECT later.key FROM events later JOIN events mine"
        " ON mine.action = ? AND later.key = mine.key AND later.id > mine.id"
        " WHERE later.kind != 'note' AND mine.kind != 'note'"
        f" AND later.action NOT IN {_OWN} LIMIT 1",
        (action,),
    ).fetchone()
    if row is not None:
        raise UndoConflictError(
            f"{row[0]} was changed since in another window of the app; "
            "undo there, or change it again here"
        )


def _next_event_id(cursor: sqlite3.Cursor) -> int:
    """The id the next event will get (called under the write lock)."""
    return int(cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0])


def _action_events(cursor: sqlite3.Cursor, action: int) -> list[LoggedEvent]:
    """The (kind, key, value) of `action`'s events, in order, each value parsed from JSON."""
    rows = cursor.execute(
        "SELECT kind, key, value FROM events WHERE action = ? ORDER BY id", (action,)
    ).fetchall()
    return [(EventKind(kind), key, json.loads(raw)) for kind, key, raw in rows]


def _spans_column(raw: str | None) -> Spans | None:
    """The `watched` column (JSON text) as spans; None when NULL."""
    return None if raw is None else merge(json.loads(raw))


def _card_record(question_id: str, card: str, due: str, lapses: int, reps: int) -> CardRecord:
    """A `cards` row (its card still JSON text) as a CardRecord."""
    from tracker.store.records import CardRecord

    return CardRecord(question_id, json.loads(card), datetime.fromisoformat(due), lapses, reps)


def _note_snapshot(cursor: sqlite3.Cursor, note_id: int) -> dict[str, Any] | None:
    row = cursor.execute("SELECT key, text, created FROM notes WHERE id = ?", (note_id,)).fetchone()
    return None if row is None else {"key": row[0], "text": row[1], "created": row[2]}


def _question_snapshot(cursor: sqlite3.Cursor, qid: int) -> dict[str, Any] | None:
    row = cursor.execute(
        "SELECT meeting, text, is_done, created FROM questions WHERE id = ?", (qid,)
    ).fetchone()
    if row is None:
        return None
    return {"meeting": row[0], "text": row[1], "is_done": bool(row[2]), "created": row[3]}


def _card_snapshot(cursor: sqlite3.Cursor, question_id: str) -> dict[str, Any] | None:
    row = cursor.execute(
        "SELECT card, due, lapses, reps FROM cards WHERE question_id = ?", (question_id,)
    ).fetchone()
    if row is None:
        return None
    return {"card": json.loads(row[0]), "due": row[1], "lapses": row[2], "reps": row[3]}
