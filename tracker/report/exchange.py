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

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.domain.progress import PartState
from tracker.errors import TrackerError
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    MenteeQuestion,
    NoteRecord,
    ProgressSnapshot,
    ReviewRecord,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportError",
    "dump_snapshot",
    "load_export",
    "parse_snapshot",
]

EXPORT_VERSION = 1
"""The export schema's version; a newer file is refused rather than misread."""

EXPORT_FORMAT = "study-tracker-progress"
"""The `format` field every export carries, to tell it from other JSON files."""


class ExportError(TrackerError):
    """A progress export cannot be read: the message names the file, the place and the value."""


# --- writing ----------------------------------------------------------------------------------


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _line(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def snapshot_to_dict(snapshot: ProgressSnapshot) -> dict[str, Any]:
    """The snapshot as JSON-ready values (the export schema in docs/mentor.md)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "name": snapshot.name,
        "states": {
            key: {"done": s.is_done, "position": s.position, "updated": _moment(s.updated)}
            for key, s in sorted(snapshot.states.items())
        },
        "notes": [{"key": n.key, "text": n.text, "at": _moment(n.at)} for n in snapshot.notes],
        "questions": [
            {
                "text": q.text,
                "at": _moment(q.at),
                "meeting": q.meeting.isoformat() if q.meeting else None,
                "done": q.is_done,
            }
            for q in snapshot.questions
        ],
        "reviews": [
            {
                "question": r.question,
                "at": _moment(r.at),
                "rating": r.rating,
                "correct": r.is_correct,
                "cram": r.is_cram,
                "due": _moment(r.due),
            }
            for r in snapshot.reviews
        ],
        "cards": {
            qid: {
                "reps": c.reps,
                "lapses": c.lapses,
                "state": c.state,
                "due": _moment(c.due),
                "last_review": _moment(c.last_review),
            }
            for qid, c in sorted(snapshot.cards.items())
        },
        "events": [
            {"at": _moment(e.at), "kind": e.kind, "key": e.key, "value": e.value}
            for e in snapshot.events
        ],
    }


def dump_snapshot(snapshot: ProgressSnapshot) -> str:
    """Writes the snapshot as export text: sorted keys, one entry per line, final newline.

    Args:
        snapshot: The mentee's progress.

    Returns:
        The JSON text (valid JSON, stable across runs).
    """
    data = snapshot_to_dict(snapshot)
    out = ["{"]
    fields = sorted(data)
    for index, name in enumerate(fields):
        value = data[name]
        comma = "," if index < len(fields) - 1 else ""
        if isinstance(value, list) and value:
            out.append(f"  {_line(name)}: [")
            out += [
                f"    {_line(v)}{',' if i < len(value) - 1 else ''}" for i, v in enumerate(value)
            ]
            out.append(f"  ]{comma}")
        elif isinstance(value, dict) and value:
            keys = sorted(value)
            out.append(f"  {_line(name)}: {{")
            out += [
                f"    {_line(k)}: {_line(value[k])}{',' if i < len(keys) - 1 else ''}"
                for i, k in enumerate(keys)
            ]
            out.append(f"  }}{comma}")
        else:
            out.append(f"  {_line(name)}: {_line(value)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


# --- reading ----------------------------------------------------------------------------------


class _Reader:
    """Reads export values, raising `ExportError` that names the file and the JSON path."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> ExportError:
        return ExportError(f"{self.path}: {where}: {message}")

    def get(self, data: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(data, Mapping):
            raise self.fail(where, f"expected an object, found {data!r}")
        value = data.get(name)
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise self.fail(f"{where}.{name}", f"expected {_kind_name(kind)}, found {value!r}")
        return value

    def moment(self, value: Any, where: str) -> datetime:
        if not isinstance(value, str):
            raise self.fail(where, f"expected an ISO 8601 time string, found {value!r}")
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(
                where,
                f"expected an ISO 8601 time such as 2024-04-10T18:02:11+00:00, found {value!r}",
            ) from None
        if moment.tzinfo is None:
            raise self.fail(where, f"the time {value!r} has no UTC offset; add +00:00")
        return moment

    def optional_moment(self, value: Any, where: str) -> datetime | None:
        return None if value is None else self.moment(value, where)


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "a number",
        bool: "true or false",
        type(None): "null",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def parse_snapshot(data: Any, *, path: str = "<export>") -> ProgressSnapshot:
    """Reads export values (as `json.loads` returns them) into a snapshot.

    Args:
        data: The decoded JSON.
        path: The file's name, for error messages.

    Returns:
        The snapshot.

    Raises:
        ExportError: The data is not a progress export this version can read.
    """
    r = _Reader(path)
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise r.fail(
            "$",
            f'not a progress export (no "format": "{EXPORT_FORMAT}"); write one with study export',
        )
    version = r.get(data, "version", int, "$")
    if version > EXPORT_VERSION:
        raise r.fail(
            "$.version",
            f"version {version} is newer than this study-tracker reads ({EXPORT_VERSION}); upgrade it",
        )
    states = {}
    for key, raw in r.get(data, "states", dict, "$").items():
        where = f"$.states[{key!r}]"
        if not isinstance(raw, dict):
            raise r.fail(where, f"expected an object, found {raw!r}")
        states[key] = PartState(
            key=key,
            is_done=r.get(raw, "done", bool, where),
            position=r.get(raw, "position", (int, type(None)), where),
            updated=r.optional_moment(raw.get("updated"), f"{where}.updated"),
        )
    notes = []
    for i, raw in enumerate(r.get(data, "notes", list, "$")):
        where = f"$.notes[{i}]"
        notes.append(
            NoteRecord(
                key=r.get(raw, "key", str, where),
                text=r.get(raw, "text", str, where),
                at=r.moment(raw.get("at"), f"{where}.at"),
            )
        )
    questions = []
    for i, raw in enumerate(r.get(data, "questions", list, "$")):
        where = f"$.questions[{i}]"
        meeting = r.get(raw, "meeting", (str, type(None)), where)
        try:
            day = date.fromisoformat(meeting) if meeting is not None else None
        except ValueError:
            raise r.fail(
                f"{where}.meeting", f"expected a date such as 2024-04-16, found {meeting!r}"
            ) from None
        questions.append(
            MenteeQuestion(
                text=r.get(raw, "text", str, where),
                at=r.moment(raw.get("at"), f"{where}.at"),
                meeting=day,
                is_done=r.get(raw, "done", bool, where),
            )
        )
    reviews = []
    for i, raw in enumerate(r.get(data, "reviews", list, "$")):
        where = f"$.reviews[{i}]"
        reviews.append(
            ReviewRecord(
                question=r.get(raw, "question", str, where),
                at=r.moment(raw.get("at"), f"{where}.at"),
                rating=r.get(raw, "rating", int, where),
                is_correct=r.get(raw, "correct", bool, where),
                is_cram=r.get(raw, "cram", bool, where),
                due=r.optional_moment(raw.get("due"), f"{where}.due"),
            )
        )
    cards = {}
    for qid, raw in r.get(data, "cards", dict, "$").items():
        where = f"$.cards[{qid!r}]"
        cards[qid] = CardSummary(
            question=qid,
            reps=r.get(raw, "reps", int, where),
            lapses=r.get(raw, "lapses", int, where),
            state=r.get(raw, "state", str, where),
            due=r.optional_moment(raw.get("due"), f"{where}.due"),
            last_review=r.optional_moment(raw.get("last_review"), f"{where}.last_review"),
        )
    events = []
    for i, raw in enumerate(r.get(data, "events", list, "$")):
        where = f"$.events[{i}]"
        events.append(
            EventRecord(
                at=r.moment(raw.get("at"), f"{where}.at"),
                kind=r.get(raw, "kind", str, where),
                key=r.get(raw, "key", (str, type(None)), where),
                value=r.get(raw, "value", (int, type(None)), where),
            )
        )
    return ProgressSnapshot(
        name=r.get(data, "name", str, "$"),
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
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ExportError(f"{path}: not UTF-8 text (byte {error.start}); re-export it") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(
            f"{path}:{error.lineno}:{error.colno}: error: not valid JSON: {error.msg}; "
            "re-export it with study export (a merge conflict left in the file, perhaps?)"
        ) from None
    return parse_snapshot(data, path=str(path))
