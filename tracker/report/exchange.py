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
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.content.regular_file import NotRegularFileError, read_regular_file
from tracker.domain.terminal_text import inert
from tracker.report.export_schema import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_EXPORT_BYTES,
    ExportError,
    ExportSchema,
)
from tracker.report.snapshot import ProgressSnapshot

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportError",
    "dump_snapshot",
    "load_export",
    "parse_snapshot",
]

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
