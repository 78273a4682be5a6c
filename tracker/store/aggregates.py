"""Provides the event log read for the report and the export without loading it: SQL aggregates
and cursors.

A report needs the part states as they stood at some instant, the distinct moments of a window
(for the time estimate) and the reviews of a window counted per question; an export needs every
event once, in order. Each is one query whose result grows with the keys or the window, or a
cursor read row by row, never with the whole log in memory. How an event kind folds into a part
state or an export's number stays in `EVENT_KINDS` (`tracker.store.events`): `replay` and
`number_sql` are used here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tracker.domain.progress import PartState
from tracker.domain.spans import Spans
from tracker.store.events import EVENT_KINDS, EventKind, Tables
from tracker.store.progress_store import _UNDONE, ProgressStore, _iso

__all__ = [
    "event_moments",
    "event_rows",
    "last_moment",
    "review_counts",
    "review_rows",
    "states_as_of",
    "watch_events",
]

_PART_KINDS = tuple(kind.value for kind, handler in EVENT_KINDS.items() if handler.part_field)
"""The kinds whose events set a part's state (done, position)."""


def last_moment(store: ProgressStore) -> datetime | None:
    """When the latest event of the log happened (None for an empty log); read from an index."""
    with store.reading() as cursor:
        row = cursor.execute("SELECT max(at) FROM events").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] is not None else None


def states_as_of(store: ProgressStore, until: datetime) -> dict[str, PartState]:
    """The part states as they stood at `until`: the log replayed up to then.

    When nothing was recorded after `until` these are the `part_state` table's rows; otherwise
    each key's last `done` and last `position` event up to `until` (an index search per key)
    are replayed through `EVENT_KINDS`, which gives what replaying every event would.

    Args:
        store: The open store.
        until: The instant (UTC-aware).

    Returns:
        PartState by key, for the keys with an event up to `until`.
    """
    end = _iso(until, name="until")
    with store.reading() as cursor:
        latest = cursor.execute("SELECT max(at) FROM events").fetchone()[0]
        if latest is None or latest <= end:
            return store.states()
        # Each key's last event of each kind up to `until`: one index search per key and kind
        # (part_state holds every key such an event ever set), not a scan of the log.
        rows = cursor.execute(
            f"WITH kinds(kind) AS (VALUES {', '.join('(?)' for _ in _PART_KINDS)})"
            " SELECT e.id, e.at, e.kind, e.key, e.value FROM kinds, part_state p"
            " JOIN events e ON e.id = (SELECT x.id FROM events x WHERE x.kind = kinds.kind"
            " AND x.key = p.key AND x.at <= ? ORDER BY x.id DESC LIMIT 1) ORDER BY e.id",
            (*_PART_KINDS, end),
        ).fetchall()
    tables = Tables()
    for _, at, kind, key, value in rows:
        EVENT_KINDS[EventKind(kind)].replay(tables, key, json.loads(value), at)
    parse = datetime.fromisoformat
    return {
        key: PartState(key, is_done, position, parse(updated), watched)
        for key, (is_done, position, updated, watched) in tables.parts.items()
    }


_WATCH_KINDS = tuple(
    kind.value for kind, h in EVENT_KINDS.items() if h.part_field in ("position", "watched")
)
"""The kinds whose events change what a video's spans say was watched."""


def watch_events(
    store: ProgressStore, until: datetime
) -> list[tuple[datetime, str, str, int | None, Spans | None]]:
    """Every event that set a video's position or watched spans up to `until`, oldest first
    (undo events included): a video's history, few events beside a log's ticks and reviews.

    Args:
        store: The open store.
        until: The instant (UTC-aware); later events are left out.

    Returns:
        `(at, kind, key, number, spans)`, the number and the spans as `EVENT_KINDS` reads
        them of the event's value.
    """
    end = _iso(until, name="until")
    number = " ".join(
        f"WHEN '{kind}' THEN {EVENT_KINDS[EventKind(kind)].number_sql}" for kind in _WATCH_KINDS
    )
    spans = " ".join(
        f"WHEN '{kind}' THEN {EVENT_KINDS[EventKind(kind)].spans_sql}" for kind in _WATCH_KINDS
    )
    with store.reading() as cursor:  # the number and the spans in SQL: no whole value parsed
        rows = cursor.execute(
            f"SELECT at, kind, key, CASE kind {number} END, CASE kind {spans} END FROM events"
            f" WHERE kind IN ({', '.join('?' for _ in _WATCH_KINDS)}) AND at <= ? ORDER BY id",
            (*_WATCH_KINDS, end),
        ).fetchall()
    parse, load, handlers = datetime.fromisoformat, json.loads, EVENT_KINDS
    return [
        (
            parse(at),
            kind,
            key,
            value,
            None if text is None else handlers[EventKind(kind)].spans({"new": load(text)}),
        )
        for at, kind, key, value, text in rows
    ]


def _bounds(start: datetime | None, end: datetime) -> tuple[str, str]:
    low = _iso(start, name="start") if start is not None else ""
    return low, _iso(end, name="end")


def event_moments(store: ProgressStore, start: datetime | None, end: datetime) -> list[datetime]:
    """The distinct moments at which events (undo events included) happened in a window.

    Args:
        store: The open store.
        start: The window's first instant (None: the beginning of the log).
        end: Its last instant (included).

    Returns:
        The moments, oldest first, each once (the events of one action share theirs).
    """
    low, high = _bounds(start, end)
    with store.reading() as cursor:
        rows = cursor.execute(
            "SELECT DISTINCT at FROM events WHERE at >= ? AND at <= ? ORDER BY at", (low, high)
        ).fetchall()
    parse = datetime.fromisoformat
    return [parse(at) for (at,) in rows]


def review_counts(
    store: ProgressStore, start: datetime | None, end: datetime
) -> list[tuple[str, int, int]]:
    """The reviews of a window not undone, counted per question.

    Args:
        store: The open store.
        start: The window's first instant (None: the beginning of the log).
        end: Its last instant (included).

    Returns:
        `(question id, reviews, correct ones)` by question id.
    """
    low, high = _bounds(start, end)
    with store.reading() as cursor:
        rows = cursor.execute(
            "SELECT e.key, count(*), sum(json_extract(e.value, '$.is_correct') = 1)"
            " FROM events e WHERE e.kind = ? AND e.at >= ? AND e.at <= ?"
            f" AND NOT {_UNDONE.format(alias='e')} GROUP BY e.key ORDER BY e.key",
            (EventKind.REVIEW.value, low, high),
        ).fetchall()
    return [(key, int(count), int(correct or 0)) for key, count, correct in rows]


def review_rows(store: ProgressStore) -> Iterator[tuple[str, str, Any, Any, Any, Any]]:
    """Every review not undone, oldest first, read row by row.

    Yields:
        `(question id, at, rating, is_correct, is_cram, due after it)`, as SQL gives them (the
        flags 0 or 1, the times as stored).
    """
    with store.reading() as cursor:
        yield from cursor.execute(
            "SELECT e.key, e.at, json_extract(e.value, '$.rating'),"
            " json_extract(e.value, '$.is_correct'), json_extract(e.value, '$.is_cram'),"
            " json_extract(e.value, '$.new.due')"
            f" FROM events e WHERE e.kind = ? AND NOT {_UNDONE.format(alias='e')} ORDER BY e.id",
            (EventKind.REVIEW.value,),
        )


def event_rows(
    store: ProgressStore,
) -> Iterator[list[tuple[str, str, str, int | None, str | None]]]:
    """Every event of the log (undo events included), oldest first, in batches of rows.

    The number is the one `EVENT_KINDS[kind].number` gives of the event's value, computed in
    SQL (`number_sql`), so that no event's JSON is parsed in Python; only a `watched` event
    has spans (`spans_sql`: their JSON text, `null` when it set them back to none).

    Yields:
        Lists of `(at as stored, kind, key, number, spans)`.
    """
    cases = " ".join(
        f"WHEN '{kind.value}' THEN {handler.number_sql}"
        for kind, handler in EVENT_KINDS.items()
        if handler.number_sql != "NULL"
    )
    spans = " ".join(
        f"WHEN '{kind.value}' THEN {handler.spans_sql}"
        for kind, handler in EVENT_KINDS.items()
        if handler.spans_sql != "NULL"
    )
    with store.reading() as cursor:
        cursor.execute(
            f"SELECT at, kind, key, CASE kind {cases} END, CASE kind {spans} END"
            " FROM events ORDER BY id"
        )
        while batch := cursor.fetchmany(4096):
            yield batch
