"""Provides the event kinds of the progress log and `EVENT_KINDS`, the one table that reads them.

Each kind's handler says how an event of that kind changes the current-state tables (`apply`,
in SQL, and `replay`, in Python, which must agree), what its undo appends (`reverse`), how an
undo of it is put into words (`describe`), which part-state field it sets, and the number an
export or a report keeps of it (in Python and, for a streamed export, in SQL). `ProgressStore`, `tracker.store.consistency` and the report
(`tracker.report.source`, `tracker.report.stats`, `tracker.report.snapshot`) look kinds up here
instead of comparing strings.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from tracker.domain.curriculum import format_hms
from tracker.domain.spans import Spans, merge

__all__ = ["EVENT_KINDS", "EventHandler", "EventKind", "LoggedEvent", "Tables", "event_handler"]


class EventKind(StrEnum):
    """What one event of the log records (the `kind` column)."""

    DONE = "done"
    """A part ticked or unticked: `{new: bool, old: bool | null}`."""
    POSITION = "position"
    """A video's one position, as recorded before spans: `{new: seconds | null, old: ...}`."""
    WATCHED = "watched"
    """A video's watched spans, after a position recorded on one item's segment:
    `{from, until, to, new: [[from, to], ...] | null, old: ...}` (`from`-`until` the segment,
    `to` the position, clamped to it; `null`: no spans, the old position alone counts)."""
    NOTE = "note"
    """A note added or removed: `{id, new: {key, text, created} | null, old: ...}`."""
    QUESTION = "question"
    """A mentee's question: `{id, new: {meeting, text, is_done, created} | null, old}`."""
    REVIEW = "review"
    """A quiz review: `{rating, answer, is_correct, is_cram, new: card, old: card}`."""
    CARD = "card"
    """A card put back by an undo (or a redo) of a review: `{new: card | null, old: ...}`."""


LoggedEvent = tuple[EventKind, str, Mapping[str, Any]]
"""An event as the store writes and reads it: (kind, key, value)."""


@dataclass(slots=True)
class Tables:
    """Every current-state table as Python rows: what a replay of the log builds."""

    parts: dict[str, tuple[bool, int | None, str, Spans | None]] = field(default_factory=dict)
    """key -> (is_done, position, updated, watched)."""
    notes: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    """id -> (key, text, created)."""
    questions: dict[int, tuple[str, str, bool, str]] = field(default_factory=dict)
    """id -> (meeting, text, is_done, created)."""
    cards: dict[str, tuple[Any, str, int, int]] = field(default_factory=dict)
    """question id -> (card, due, lapses, reps)."""


Apply = Callable[[sqlite3.Cursor, str, Mapping[str, Any], str], None]
Replay = Callable[[Tables, str, Mapping[str, Any], str], None]
Describe = Callable[[Sequence[LoggedEvent], bool], str]


@dataclass(frozen=True, slots=True)
class EventHandler:
    """How the store and the report read one kind of event."""

    apply: Apply
    """Writes the event's `new` snapshot into the state tables (cursor, key, value, at)."""
    replay: Replay
    """Does the same to `Tables` in Python (what `apply` must agree with)."""
    describe: Describe
    """Says what reversing an action that starts with this kind does (events, is_redo)."""
    inverse: EventKind
    """The kind of the event an undo appends."""
    keeps_fields: bool = True
    """Whether the undo event keeps the fields besides `new` and `old` (a note's id)."""
    part_field: Literal["is_done", "position", "watched"] | None = None
    """The `PartState` field the kind sets, when it is a part's progress."""
    number: Callable[[Mapping[str, Any]], int | None] = lambda value: None
    """The number an export keeps of the event (done: 0/1, position: seconds, review: rating,
    watched: the seconds watched in all)."""
    number_sql: str = "NULL"
    """The same number as an SQL expression over the `value` column (for a streamed export)."""
    spans: Callable[[Mapping[str, Any]], Spans | None] = lambda value: None
    """The spans an export keeps of the event (watched: its `new`; None for other kinds)."""
    spans_sql: str = "NULL"
    """The same spans as an SQL expression over `value` (JSON text, or NULL)."""

    def reverse(self, value: Mapping[str, Any]) -> tuple[EventKind, dict[str, Any]]:
        """The kind and value of the event that undoes one of this kind (`new`, `old` swapped)."""
        kept = {k: v for k, v in value.items() if k not in ("new", "old") and self.keeps_fields}
        kept["new"], kept["old"] = value["old"], value["new"]
        return self.inverse, kept


# --- apply: SQL -------------------------------------------------------------------------------


def _apply_done(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    cursor.execute(
        "INSERT INTO part_state (key, is_done, position, updated) VALUES (?, ?, NULL, ?)"
        " ON CONFLICT (key) DO UPDATE SET is_done = excluded.is_done, updated = excluded.updated",
        (key, int(bool(value["new"])), at),
    )


def _apply_position(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    cursor.execute(
        "INSERT INTO part_state (key, is_done, position, updated) VALUES (?, 0, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET position = excluded.position,"
        " updated = excluded.updated",
        (key, value["new"], at),
    )


def _apply_watched(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    cursor.execute(
        "INSERT INTO part_state (key, is_done, position, updated, watched) VALUES (?, 0, NULL, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET watched = excluded.watched, updated = excluded.updated",
        (key, at, None if new is None else json.dumps(new)),
    )


def _apply_note(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        cursor.execute("DELETE FROM notes WHERE id = ?", (value["id"],))
    else:
        cursor.execute(
            "INSERT OR REPLACE INTO notes (id, key, text, created) VALUES (?, ?, ?, ?)",
            (value["id"], new["key"], new["text"], new["created"]),
        )


def _apply_question(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        cursor.execute("DELETE FROM questions WHERE id = ?", (value["id"],))
    else:
        cursor.execute(
            "INSERT OR REPLACE INTO questions (id, meeting, text, is_done, created)"
            " VALUES (?, ?, ?, ?, ?)",
            (value["id"], new["meeting"], new["text"], int(new["is_done"]), new["created"]),
        )


def _apply_card(cursor: sqlite3.Cursor, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        cursor.execute("DELETE FROM cards WHERE question_id = ?", (key,))
    else:
        cursor.execute(
            "INSERT OR REPLACE INTO cards (question_id, card, due, lapses, reps)"
            " VALUES (?, ?, ?, ?, ?)",
            (key, json.dumps(new["card"], sort_keys=True), new["due"], new["lapses"], new["reps"]),
        )


# --- replay: Python ---------------------------------------------------------------------------


def _replay_done(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    _, position, _, watched = tables.parts.get(key, (False, None, at, None))
    tables.parts[key] = (bool(value["new"]), position, at, watched)


def _replay_position(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    is_done, _, _, watched = tables.parts.get(key, (False, None, at, None))
    tables.parts[key] = (is_done, value["new"], at, watched)


def _replay_watched(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    is_done, position, _, _ = tables.parts.get(key, (False, None, at, None))
    tables.parts[key] = (is_done, position, at, _spans(value))


def _spans(value: Mapping[str, Any]) -> Spans | None:
    """A watched event's `new` spans (None: back to the old position alone)."""
    new = value.get("new")
    return None if new is None else merge(new)


def _replay_note(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        tables.notes.pop(value["id"], None)
    else:
        tables.notes[value["id"]] = (new["key"], new["text"], new["created"])


def _replay_question(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        tables.questions.pop(value["id"], None)
    else:
        row = (new["meeting"], new["text"], bool(new["is_done"]), new["created"])
        tables.questions[value["id"]] = row


def _replay_card(tables: Tables, key: str, value: Mapping[str, Any], at: str) -> None:
    new = value["new"]
    if new is None:
        tables.cards.pop(key, None)
    else:
        tables.cards[key] = (new["card"], new["due"], new["lapses"], new["reps"])


# --- describe: words for an undo --------------------------------------------------------------


def _key_list(keys: Sequence[str]) -> str:
    if len(keys) <= 3:
        return ", ".join(keys)
    return f"{', '.join(keys[:2])} and {len(keys) - 2} more"


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _sides(value: Mapping[str, Any], is_redo: bool) -> tuple[Any, Any]:
    """(before, after) of the reversal: an undo goes from `new` back to `old`."""
    return (value["old"], value["new"]) if is_redo else (value["new"], value["old"])


def _describe_done(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    value = events[0][2]
    keys = list(dict.fromkeys(key for _, key, _ in events))
    is_ticked = bool(value["new"]) == is_redo
    verb = "ticked" if is_ticked else "unticked"
    again = " again" if is_ticked and not is_redo else ""
    return f"{verb} {_key_list(keys)}{again}"


def _describe_position(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    _, key, value = events[0]
    position = value["new"] if is_redo else value["old"]
    if position is None:
        return f"cleared the position of {key}"
    back = "" if is_redo else " back"
    return f"moved {key}{back} to {format_hms(position)}"


def _describe_watched(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    _, key, value = events[0]
    start, upto = int(value.get("from") or 0), int(value.get("to") or 0)
    span = f"{format_hms(start)}–{format_hms(max(start, upto))}"
    return f"{key} watched {span} again" if is_redo else f"undid {key} watched {span}"


def _describe_note(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    _, key, value = events[0]
    _, after = _sides(value, is_redo)
    return f"removed the note on {key}" if after is None else f"restored the note on {key}"


def _describe_question(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    before, after = _sides(events[0][2], is_redo)
    text = _short((after or before)["text"])
    if after is None:
        return f"removed the question “{text}”"
    if before is None:
        return f"restored the question “{text}”"
    if after["text"] != before["text"]:
        return f"restored the question's text “{text}”"
    return f"{'ticked' if after['is_done'] else 'unticked'} the question “{text}”"


def _describe_review(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    return f"review of {events[0][1]}"


def _describe_card(events: Sequence[LoggedEvent], is_redo: bool) -> str:
    return f"card of {events[0][1]}"


# --- the table --------------------------------------------------------------------------------

EVENT_KINDS: Mapping[EventKind, EventHandler] = {
    EventKind.DONE: EventHandler(
        _apply_done,
        _replay_done,
        _describe_done,
        EventKind.DONE,
        part_field="is_done",
        number=lambda value: int(bool(value.get("new"))),
        number_sql="(CASE WHEN json_extract(value, '$.new') THEN 1 ELSE 0 END)",
    ),
    EventKind.POSITION: EventHandler(
        _apply_position,
        _replay_position,
        _describe_position,
        EventKind.POSITION,
        part_field="position",
        number=lambda value: int(value["new"]) if value.get("new") is not None else None,
        number_sql="CAST(json_extract(value, '$.new') AS INTEGER)",
    ),
    EventKind.WATCHED: EventHandler(
        _apply_watched,
        _replay_watched,
        _describe_watched,
        EventKind.WATCHED,
        part_field="watched",
        number=lambda value: sum(b - a for a, b in (_spans(value) or ())),
        number_sql=(
            "(SELECT coalesce(sum(json_extract(s.value, '$[1]') - json_extract(s.value, '$[0]')),"
            " 0) FROM json_each(events.value, '$.new') s)"
        ),
        spans=_spans,
        spans_sql="coalesce(json_extract(events.value, '$.new'), 'null')",
    ),
    EventKind.NOTE: EventHandler(_apply_note, _replay_note, _describe_note, EventKind.NOTE),
    EventKind.QUESTION: EventHandler(
        _apply_question, _replay_question, _describe_question, EventKind.QUESTION
    ),
    EventKind.REVIEW: EventHandler(
        _apply_card,
        _replay_card,
        _describe_review,
        EventKind.CARD,  # an undone review puts the card back; the review stays in the log
        keeps_fields=False,
        number=lambda value: int(value["rating"]),
        number_sql="CAST(json_extract(value, '$.rating') AS INTEGER)",
    ),
    EventKind.CARD: EventHandler(_apply_card, _replay_card, _describe_card, EventKind.CARD),
}
"""Every event kind's handler."""


def event_handler(kind: str) -> EventHandler | None:
    """The handler of `kind` (a kind name as logged or exported), or None for an unknown kind."""
    try:
        return EVENT_KINDS[EventKind(kind)]
    except ValueError:
        return None
