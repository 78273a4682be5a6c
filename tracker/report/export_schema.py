"""Provides `ExportSchema`: the progress export's schema, checked one record at a time.

An export comes from another machine, so every value is checked before it is used: its type,
its range (a rating is 1..4, a position is whole seconds >= 0), its size (strings, lists, the
file), its depth, and the version (a small integer). Each failure is one `ExportError` line
naming the file and the JSON path (`progress/vova.json: $.events[3].value: ...`), and every value
quoted in a message is shortened and has its control characters made visible.

The checks are per record (`state`, `note`, `question`, `review`, `card`, `event`), so a reader
that streams the file can call them as each record arrives; `parse_snapshot` calls them on the
whole decoded file.

| field                      | type                      | limits                               |
|----------------------------|---------------------------|--------------------------------------|
| `format`                   | `"study-tracker-progress"`|                                      |
| `version`                  | integer                   | 1 .. `EXPORT_VERSION`                |
| `name`                     | string                    | 1 .. 200 characters                  |
| `states{key}`              | `{done, position, updated, watched?}` | key <= 500; position 0 .. 10^9 or null; watched (v2) a list of [from, to] |
| `notes[]`                  | `{key, text, at}`         | text <= 100,000 characters           |
| `questions[]`              | `{text, at, meeting, done}` | meeting a date or null             |
| `reviews[]`                | `{question, at, rating, correct, cram, due}` | rating 1 .. 4      |
| `cards{id}`                | `{reps, lapses, state, due, last_review}` | reps, lapses 0 .. 10^9 |
| `events[]`                 | `{at, kind, key, value, spans?}` | value -10^9 .. 10^9 or null; spans (v2) as watched, or null |
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tracker.domain.progress import PartState
from tracker.domain.spans import Spans, merge
from tracker.domain.terminal_text import inert
from tracker.errors import TrackerError
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    NoteRecord,
    QuestionRecord,
    ReviewRecord,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_EXPORT_BYTES",
    "ExportError",
    "ExportSchema",
    "shown_value",
]

EXPORT_VERSION = 2
"""The export schema's version; a newer file is refused rather than misread. Version 2 adds a
video's watched spans (`states{key}.watched`, `events[].spans`), which a reader of version 1
would silently leave out; a file of version 1 is read as before."""

EXPORT_FORMAT = "study-tracker-progress"
"""The `format` field every export carries, to tell it from other JSON files."""

MAX_EXPORT_BYTES = 1024 * 1024 * 1024
"""Bigger files are refused before they are read. A report streams the file in bounded memory
(`tracker.report.export_stream`), so the limit is one of time: a 1,000,000-event log is about
110 MB (years of daily study are a few MB)."""
MAX_NAME = 200
MAX_KEY = 500
MAX_TEXT = 100_000
MAX_COUNT = 10**9
"""The largest position (seconds), rep or lapse count, and event value accepted."""
MAX_SPANS = 10_000
"""The most watched spans one video may have (a mentee who skips about makes a few dozen)."""
CARD_STATES = frozenset({"new", "learning", "review", "relearning"})
_SHOWN = 60
"""How many characters of a bad value a message quotes."""


class ExportError(TrackerError):
    """A progress export cannot be read: the message names the file, the place and the value."""


def shown_value(value: Any) -> str:
    """A short, terminal-safe rendering of a bad value, for a message.

    Args:
        value: A decoded JSON value (any size, any depth).

    Returns:
        At most about 60 characters: huge numbers by their size, long strings and lists cut.
    """
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, int):
        if value.bit_length() > 64:
            return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
        return str(value)
    if isinstance(value, str):
        text = repr(value[: _SHOWN + 1])
    elif isinstance(value, list):
        text = f"a list of {len(value)}" if len(value) > 3 else _short_repr(value)
    elif isinstance(value, dict):
        text = f"an object of {len(value)} fields" if len(value) > 3 else _short_repr(value)
    else:
        text = repr(value)
    text = inert(text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _short_repr(value: list[Any] | dict[str, Any]) -> str:
    """A repr of a small container that never descends more than two levels."""
    if isinstance(value, list):
        return "[" + ", ".join(_leaf(v) for v in value) + "]"
    return "{" + ", ".join(f"{shown_value(k)}: {_leaf(v)}" for k, v in value.items()) + "}"


def _leaf(value: Any) -> str:
    if isinstance(value, list):
        return "[...]"
    if isinstance(value, dict):
        return "{...}"
    return shown_value(value)


class ExportSchema:
    """The export's schema, checked record by record for one file.

    Args:
        path: The file's name, for messages.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        """The file's name, for messages."""

    def fail(self, where: str, message: str) -> ExportError:
        """The one-line error for a bad value at JSON path `where`."""
        return ExportError(f"{inert(self.path)}: {where}: {message}")

    # --- the parts of a value ------------------------------------------------------------------

    def object(self, value: Any, where: str) -> Mapping[str, Any]:
        """`value` when it is a JSON object, else the error."""
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {shown_value(value)}")
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        """`value` when it is a JSON list, else the error."""
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {shown_value(value)}")
        return value

    def text(self, data: Mapping[str, Any], name: str, where: str, *, limit: int) -> str:
        """The string field `name`, 1 .. `limit` characters long."""
        value = data.get(name)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{name}", f"expected a string, found {shown_value(value)}")
        if len(value) > limit:
            raise self.fail(
                f"{where}.{name}", f"a string of {len(value):,} characters, over {limit:,}"
            )
        return value

    def key(self, value: str, where: str) -> str:
        """A progress key or question id used as an object's key."""
        if not value or len(value) > MAX_KEY:
            raise self.fail(where, f"a key must be 1 to {MAX_KEY} characters long")
        return value

    def flag(self, data: Mapping[str, Any], name: str, where: str) -> bool:
        """The boolean field `name`."""
        value = data.get(name)
        if not isinstance(value, bool):
            raise self.fail(
                f"{where}.{name}", f"expected true or false, found {shown_value(value)}"
            )
        return value

    def integer(
        self,
        data: Mapping[str, Any],
        name: str,
        where: str,
        *,
        low: int,
        high: int,
        optional: bool = False,
    ) -> int | None:
        """The integer field `name`, in `low .. high` (or null when `optional`)."""
        value = data.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            wanted = "a whole number" + (" or null" if optional else "")
            raise self.fail(f"{where}.{name}", f"expected {wanted}, found {shown_value(value)}")
        if not low <= value <= high:
            raise self.fail(
                f"{where}.{name}", f"{shown_value(value)} is out of range ({low} to {high:,})"
            )
        return value

    def moment(self, data: Mapping[str, Any], name: str, where: str) -> datetime:
        """The time field `name`: ISO 8601 with a UTC offset."""
        value = data.get(name)
        here = f"{where}.{name}"
        if not isinstance(value, str) or len(value) > 64:
            raise self.fail(here, f"expected an ISO 8601 time string, found {shown_value(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(
                here,
                "expected an ISO 8601 time such as 2024-04-10T18:02:11+00:00, found "
                + shown_value(value),
            ) from None
        if moment.tzinfo is None:
            raise self.fail(here, f"the time {shown_value(value)} has no UTC offset; add +00:00")
        return moment

    def optional_moment(self, data: Mapping[str, Any], name: str, where: str) -> datetime | None:
        """The time field `name`, or None when it is null or absent."""
        return None if data.get(name) is None else self.moment(data, name, where)

    # --- the records ---------------------------------------------------------------------------

    def header(self, data: Any) -> tuple[int, str]:
        """Checks the top-level object; returns its version and the mentee's name."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise self.fail(
                "$",
                f'not a progress export (no "format": "{EXPORT_FORMAT}"); write one with'
                " study export",
            )
        value = data.get("version")
        if isinstance(value, int) and not isinstance(value, bool) and value > EXPORT_VERSION:
            raise self.fail(
                "$.version",
                f"version {shown_value(value)} is newer than this study-tracker reads"
                f" ({EXPORT_VERSION}); upgrade it",
            )
        version = self.integer(data, "version", "$", low=1, high=EXPORT_VERSION)
        name = self.text(data, "name", "$", limit=MAX_NAME)
        if not name.strip():
            raise self.fail("$.name", "the mentee's name is empty")
        assert version is not None
        return version, name

    def state(self, key: str, raw: Any) -> PartState:
        """One entry of `states`."""
        where = f"$.states[{shown_value(key)}]"
        self.key(key, where)
        data = self.object(raw, where)
        return PartState(
            key=key,
            is_done=self.flag(data, "done", where),
            position=self.integer(data, "position", where, low=0, high=MAX_COUNT, optional=True),
            updated=self.optional_moment(data, "updated", where),
            watched=self.spans(data, "watched", where),
        )

    def spans(self, data: Mapping[str, Any], name: str, where: str) -> Spans | None:
        """The watched-spans field `name`: `[[from, to], ...]` seconds, or None when absent."""
        value = data.get(name)
        if value is None:
            return None
        here = f"{where}.{name}"
        pairs = self.list(value, here)
        if len(pairs) > MAX_SPANS:
            raise self.fail(here, f"{len(pairs):,} spans, over {MAX_SPANS:,}")
        spans = []
        for index, pair in enumerate(pairs):
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(
                    isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_COUNT
                    for n in pair
                )
                or pair[0] >= pair[1]
            ):
                raise self.fail(
                    f"{here}[{index}]",
                    f"expected [from, to] seconds with from < to, found {shown_value(pair)}",
                )
            spans.append((pair[0], pair[1]))
        return merge(spans)

    def note(self, index: int, raw: Any) -> NoteRecord:
        """One entry of `notes`."""
        where = f"$.notes[{index}]"
        data = self.object(raw, where)
        return NoteRecord(
            key=self.text(data, "key", where, limit=MAX_KEY),
            text=self.text(data, "text", where, limit=MAX_TEXT),
            at=self.moment(data, "at", where),
        )

    def question(self, index: int, raw: Any) -> QuestionRecord:
        """One entry of `questions`."""
        where = f"$.questions[{index}]"
        data = self.object(raw, where)
        meeting = data.get("meeting")
        day = None
        if meeting is not None:
            try:
                if not isinstance(meeting, str) or len(meeting) > 10:
                    raise ValueError(meeting)
                day = date.fromisoformat(meeting)
            except ValueError:
                raise self.fail(
                    f"{where}.meeting",
                    f"expected a date such as 2024-04-16, found {shown_value(meeting)}",
                ) from None
        return QuestionRecord(
            text=self.text(data, "text", where, limit=MAX_TEXT),
            at=self.moment(data, "at", where),
            meeting=day,
            is_done=self.flag(data, "done", where),
        )

    def review(self, index: int, raw: Any) -> ReviewRecord:
        """One entry of `reviews`."""
        where = f"$.reviews[{index}]"
        data = self.object(raw, where)
        rating = self.integer(data, "rating", where, low=1, high=4)
        assert rating is not None
        return ReviewRecord(
            question=self.text(data, "question", where, limit=MAX_KEY),
            at=self.moment(data, "at", where),
            rating=rating,
            is_correct=self.flag(data, "correct", where),
            is_cram=self.flag(data, "cram", where),
            due=self.optional_moment(data, "due", where),
        )

    def card(self, question: str, raw: Any) -> CardSummary:
        """One entry of `cards`."""
        where = f"$.cards[{shown_value(question)}]"
        self.key(question, where)
        data = self.object(raw, where)
        state = self.text(data, "state", where, limit=20)
        if state not in CARD_STATES:
            raise self.fail(
                f"{where}.state",
                f"expected one of {', '.join(sorted(CARD_STATES))}, found {shown_value(state)}",
            )
        reps = self.integer(data, "reps", where, low=0, high=MAX_COUNT)
        lapses = self.integer(data, "lapses", where, low=0, high=MAX_COUNT)
        assert reps is not None and lapses is not None
        return CardSummary(
            question=question,
            reps=reps,
            lapses=lapses,
            state=state,
            due=self.optional_moment(data, "due", where),
            last_review=self.optional_moment(data, "last_review", where),
        )

    def event(self, index: int, raw: Any) -> EventRecord:
        """One entry of `events`."""
        where = f"$.events[{index}]"
        data = self.object(raw, where)
        key = data.get("key")
        if key is not None:
            key = self.text(data, "key", where, limit=MAX_KEY)
        return EventRecord(
            at=self.moment(data, "at", where),
            kind=self.text(data, "kind", where, limit=40),
            key=key,
            value=self.integer(data, "value", where, low=-MAX_COUNT, high=MAX_COUNT, optional=True),
            spans=self.spans(data, "spans", where),
        )
