"""Provides the progress export: a `ProgressSnapshot` as stable, diffable JSON, and back.

The file is meant for `progress/<name>.json` in the curriculum repository, so that git carries
progress from the mentee to the mentor. It is JSON with sorted keys and one entry per line:

    {
      "cards": {
        "contiguity-view": {"due": "...", "lapses": 0, "reps": 2, ...}
      },
      "events": [
        {"at": "2024-04-10T18:02:11+00:00", "key": "llm-book/2.6", "kind": "done", "value": null},
        ...
      ],
      "format": "study-tracker-progress",
      "name": "vova",
      ...
      "version": 1
    }

so that a day of study shows as a few added lines in `git diff`. Nothing volatile is written
(no export time): exporting twice without new progress gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from tracker.content.regular_file import NotRegularFileError, read_regular_file
from tracker.domain.progress import PartState
from tracker.domain.terminal_text import inert
from tracker.report.export_schema import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_EXPORT_BYTES,
    ExportError,
    ExportSchema,
)
from tracker.report.snapshot import (
    CardSummary,
    NoteRecord,
    ProgressSnapshot,
    QuestionRecord,
    ReviewRecord,
    as_of,
)
from tracker.report.summary import ProgressSummary, Window, summarize

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportError",
    "ExportSections",
    "dump_snapshot",
    "event_line",
    "load_export",
    "parse_snapshot",
    "stored_event_lines",
    "stored_moment",
    "summarize_export",
    "write_export",
]

# --- writing ----------------------------------------------------------------------------------


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _line(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


_quote = json.encoder.encode_basestring
"""A string as JSON (`ensure_ascii=False`), as `json.dumps` writes it."""


def stored_moment(text: str) -> str:
    """A time as the store keeps it (UTC, always with microseconds) as the export writes it:
    `datetime.isoformat()`, which leaves out zero microseconds."""
    if len(text) == 32 and text[19] == "." and text.endswith("+00:00"):
        return text[:19] + text[26:] if text[19:26] == ".000000" else text
    return datetime.fromisoformat(text).isoformat()


def event_line(at: str, kind: str, key: str | None, value: int | None) -> str:
    """One entry of `events` as export text: what `_line` writes of it, written directly."""
    shown = "null" if key is None else _quoted(key)
    number = "null" if value is None else int(value)
    return f'{{"at": {_quoted(at)}, "key": {shown}, "kind": {_quoted(kind)}, "value": {number}}}'


def stored_event_lines(
    batches: Iterable[list[tuple[str | None, str, str, str, int | None]]],
) -> Iterator[str]:
    """`event_line` of each stored event, formatted a batch at a time (a million of them are
    most of an export's cost).

    Args:
        batches: Lists of `(at as isoformat writes it or None, at as stored, kind, key, number)`
            (`tracker.store.aggregates.event_rows`).

    Yields:
        The entries' text.
    """
    quoted = _quoted
    for batch in batches:
        yield from [
            f'{{"at": "{shown}", "key": {quoted(key)}, "kind": {quoted(kind)}, "value": '
            f"{'null' if value is None else value}}}"
            if shown is not None
            else event_line(stored_moment(at), kind, key, value)
            for shown, at, kind, key, value in batch
        ]


_quoted = functools.lru_cache(maxsize=8192)(_quote)
"""`_quote`, remembered: a log names the same few thousand keys over and over."""


def state_entry(key: str, state: PartState) -> tuple[str, dict[str, Any]]:
    """One entry of `states`."""
    return key, {
        "done": state.is_done,
        "position": state.position,
        "updated": _moment(state.updated),
    }


def note_entry(note: NoteRecord) -> dict[str, Any]:
    """One entry of `notes`."""
    return {"key": note.key, "text": note.text, "at": _moment(note.at)}


def question_entry(question: QuestionRecord) -> dict[str, Any]:
    """One entry of `questions`."""
    return {
        "text": question.text,
        "at": _moment(question.at),
        "meeting": question.meeting.isoformat() if question.meeting else None,
        "done": question.is_done,
    }


def review_entry(review: ReviewRecord) -> dict[str, Any]:
    """One entry of `reviews`."""
    return {
        "question": review.question,
        "at": _moment(review.at),
        "rating": review.rating,
        "correct": review.is_correct,
        "cram": review.is_cram,
        "due": _moment(review.due),
    }


def card_entry(question: str, card: CardSummary) -> tuple[str, dict[str, Any]]:
    """One entry of `cards`."""
    return question, {
        "reps": card.reps,
        "lapses": card.lapses,
        "state": card.state,
        "due": _moment(card.due),
        "last_review": _moment(card.last_review),
    }


@dataclass(frozen=True, slots=True)
class ExportSections:
    """What an export holds, each list or object as an iterable read once, in file order.

    Values are JSON-ready; an item that is a `str` is taken as its JSON text already written
    (`event_line`), so that a million events need not become a million dicts.
    """

    name: str
    states: Iterable[tuple[str, Any]]
    """(key, entry) by key."""
    notes: Iterable[Any]
    questions: Iterable[Any]
    reviews: Iterable[Any]
    cards: Iterable[tuple[str, Any]]
    """(question id, entry) by question id."""
    events: Iterable[Any]


def write_export(out: TextIO, sections: ExportSections) -> None:
    """Writes an export as it is read from its sources: sorted keys, one entry per line.

    Memory stays that of one entry whatever the sections' lengths; the text is the same as
    `dump_snapshot` gives for the same values.

    Args:
        out: Where to write (a file opened for text, or a buffer).
        sections: The export's content.
    """
    fields: dict[str, tuple[str, Any]] = {
        "cards": ("object", sections.cards),
        "events": ("list", sections.events),
        "format": ("value", EXPORT_FORMAT),
        "name": ("value", sections.name),
        "notes": ("list", sections.notes),
        "questions": ("list", sections.questions),
        "reviews": ("list", sections.reviews),
        "states": ("object", sections.states),
        "version": ("value", EXPORT_VERSION),
    }
    out.write("{")
    for index, (name, (shape, value)) in enumerate(fields.items()):
        out.write(",\n" if index else "\n")
        if shape == "value":
            out.write(f"  {_line(name)}: {_line(value)}")
            continue
        if shape == "list":
            lines = (item if isinstance(item, str) else _line(item) for item in value)
            opening, closing = "[", "]"
        else:
            lines = (f"{_line(key)}: {_line(item)}" for key, item in value)
            opening, closing = "{", "}"
        first = next(lines, None)
        if first is None:
            out.write(f"  {_line(name)}: {opening}{closing}")
            continue
        out.write(f"  {_line(name)}: {opening}\n    {first}")
        while chunk := list(itertools.islice(lines, 2048)):
            out.write(",\n    ")
            out.write(",\n    ".join(chunk))
        out.write(f"\n  {closing}")
    out.write("\n}\n")


def snapshot_sections(snapshot: ProgressSnapshot) -> ExportSections:
    """A snapshot's values as export sections."""
    return ExportSections(
        name=snapshot.name,
        states=(state_entry(key, s) for key, s in sorted(snapshot.states.items())),
        notes=(note_entry(n) for n in snapshot.notes),
        questions=(question_entry(q) for q in snapshot.questions),
        reviews=(review_entry(r) for r in snapshot.reviews),
        cards=(card_entry(qid, c) for qid, c in sorted(snapshot.cards.items())),
        events=(event_line(_moment(e.at) or "", e.kind, e.key, e.value) for e in snapshot.events),
    )


def dump_snapshot(snapshot: ProgressSnapshot) -> str:
    """Writes the snapshot as export text: sorted keys, one entry per line, final newline.

    Args:
        snapshot: The mentee's progress.

    Returns:
        The JSON text (valid JSON, stable across runs).
    """
    buffer = io.StringIO()
    write_export(buffer, snapshot_sections(snapshot))
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------


def parse_snapshot(data: Any, *, path: str = "<export>") -> ProgressSnapshot:
    """Reads export values (as `json.loads` returns them) into a snapshot.

    Args:
        data: The decoded JSON.
        path: The file's name, for error messages.

    Returns:
        The snapshot.

    Raises:
        ExportError: The data is not a progress export this version can read (one line, with
            the JSON path of the first bad value).
    """
    schema = ExportSchema(path)
    _, name = schema.header(data)
    states = {
        key: schema.state(key, raw)
        for key, raw in schema.object(data.get("states"), "$.states").items()
    }
    notes = [schema.note(i, raw) for i, raw in enumerate(schema.list(data.get("notes"), "$.notes"))]
    questions = [
        schema.question(i, raw)
        for i, raw in enumerate(schema.list(data.get("questions"), "$.questions"))
    ]
    reviews = [
        schema.review(i, raw) for i, raw in enumerate(schema.list(data.get("reviews"), "$.reviews"))
    ]
    cards = {
        qid: schema.card(qid, raw)
        for qid, raw in schema.object(data.get("cards"), "$.cards").items()
    }
    events = [
        schema.event(i, raw) for i, raw in enumerate(schema.list(data.get("events"), "$.events"))
    ]
    return ProgressSnapshot(
        name=name,
        states=states,
        notes=tuple(notes),
        questions=tuple(questions),
        reviews=tuple(reviews),
        cards=cards,
        events=tuple(events),
    )


def load_export(path: Path) -> ProgressSnapshot:
    """Reads a progress export file.

    Args:
        path: The file (`progress/<name>.json`).

    Returns:
        The snapshot.

    Raises:
        ExportError: The file cannot be read, is not JSON (`path:line:col`), or is not an
            export this version can read.
    """
    shown = inert(str(path))
    try:
        text = read_regular_file(path, MAX_EXPORT_BYTES).decode("utf-8")
    except NotRegularFileError as error:
        if error.size is not None:
            raise ExportError(
                f"{shown}: the file is {error.size / 1048576:.1f} MiB, over the"
                f" {MAX_EXPORT_BYTES // 1048576} MiB limit of a progress export"
            ) from None
        raise ExportError(f"{shown}: {error.reason}; give a progress export file") from None
    except OSError as error:
        raise ExportError(f"{shown}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ExportError(f"{shown}: not UTF-8 text (byte {error.start}); re-export it") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(
            f"{shown}:{error.lineno}:{error.colno}: error: not valid JSON: {error.msg}; "
            "re-export it with study export (a merge conflict left in the file, perhaps?)"
        ) from None
    except RecursionError:
        raise ExportError(f"{shown}: $: nested too deeply to be a progress export") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ExportError(
            f"{shown}: not a progress export: it holds a number thousands of digits long"
        ) from None
    return parse_snapshot(data, path=str(path))


def summarize_export(
    path: Path, window: Window, *, day: Callable[[datetime], date]
) -> ProgressSummary:
    """Reads what a report over `window` needs of a progress export.

    Args:
        path: The file (`progress/<name>.json`).
        window: The report's window; nothing recorded after its end is counted.
        day: The day an instant falls on (`Clock.day_of`), for the time estimate.

    Returns:
        `summarize(as_of(load_export(path), window.end), window, day=day)`.

    Raises:
        ExportError: As `load_export`.
    """
    return summarize(as_of(load_export(path), window.end), window, day=day)
