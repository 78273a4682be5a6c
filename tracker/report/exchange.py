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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from tracker.content.regular_file import (
    NotRegularFileError,
    open_regular_file,
    read_regular_file,
)
from tracker.domain.progress import PartState
from tracker.domain.spans import Spans, merge
from tracker.domain.terminal_text import inert
from tracker.report.export_schema import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_COUNT,
    MAX_EXPORT_BYTES,
    MAX_KEY,
    ExportError,
    ExportSchema,
)
from tracker.report.export_stream import LIST_SECTIONS, NotStreamable, stream_export
from tracker.report.snapshot import (
    CardSummary,
    EventRecord,
    NoteRecord,
    ProgressSnapshot,
    QuestionRecord,
    ReviewRecord,
    as_of,
    watch_history,
)
from tracker.report.summary import ProgressSummary, Window, summarize
from tracker.report.timing import estimate_time
from tracker.store.events import EVENT_KINDS, EventKind

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportError",
    "ExportSections",
    "LineBatches",
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


def event_line(
    at: str, kind: str, key: str | None, value: int | None, spans: Spans | None = None
) -> str:
    """One entry of `events` as export text: what `_line` writes of it, written directly.

    A `watched` event has `spans` too (the video's spans after it, or null)."""
    shown = "null" if key is None else _quoted(key)
    number = "null" if value is None else int(value)
    extra = f', "spans": {_spans_text(spans)}' if kind == EventKind.WATCHED else ""
    return (
        f'{{"at": {_quoted(at)}, "key": {shown}, "kind": {_quoted(kind)}{extra},'
        f' "value": {number}}}'
    )


def _spans_text(spans: Spans | None) -> str:
    return "null" if spans is None else _line([list(span) for span in spans])


class LineBatches:
    """A list section's entries as lists of lines already written (`write_export` joins each
    list at once instead of taking the lines one by one)."""

    def __init__(self, batches: Iterable[list[str]]) -> None:
        self.batches = batches


def stored_event_lines(
    batches: Iterable[list[tuple[str, str, str, int | None, str | None]]],
) -> LineBatches:
    """`event_line` of each stored event, a batch at a time (a million of them are most of an
    export's cost): the events of one action share their time, so it is converted once, and
    the part of the line that depends on the key and kind only is written once per pair.

    Args:
        batches: Lists of `(at as stored, kind, key, number, spans)`, spans the JSON text of a
            `watched` event's (None for any other kind) (`tracker.store.aggregates.event_rows`).

    Returns:
        The entries' lines.
    """

    def lines() -> Iterator[list[str]]:
        last, opening = "", ""
        middles: dict[tuple[str, str], str] = {}
        for batch in batches:
            out: list[str] = []
            append = out.append
            for at, kind, key, value, spans in batch:
                if at != last:
                    last, opening = at, f'{{"at": {_quoted(stored_moment(at))}'
                if spans is not None:  # a `watched` event (rare): its spans too
                    shown_spans = merge(json.loads(spans)) if spans != "null" else None
                    append(event_line(stored_moment(at), kind, key, value, shown_spans))
                    continue
                middle = middles.get((key, kind))
                if middle is None:
                    shown = "null" if key is None else _quoted(key)
                    middle = middles[key, kind] = (
                        f', "key": {shown}, "kind": {_quoted(kind)}, "value": '
                    )
                append(f"{opening}{middle}{'null' if value is None else value}}}")
            yield out

    return LineBatches(lines())


_quoted = functools.lru_cache(maxsize=8192)(_quote)
"""`_quote`, remembered: a log names the same few thousand keys over and over."""


def state_entry(key: str, state: PartState) -> tuple[str, dict[str, Any]]:
    """One entry of `states` (`watched` only where a video has spans)."""
    entry: dict[str, Any] = {
        "done": state.is_done,
        "position": state.position,
        "updated": _moment(state.updated),
    }
    if state.watched is not None:
        entry["watched"] = [list(span) for span in state.watched]
    return key, entry


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
    events: Iterable[Any] | LineBatches


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
        if isinstance(value, LineBatches):
            blocks = (",\n    ".join(batch) for batch in value.batches if batch)
            first_block = next(blocks, None)
            if first_block is None:
                out.write(f"  {_line(name)}: []")
                continue
            out.write(f"  {_line(name)}: [\n    {first_block}")
            for block in blocks:
                out.write(",\n    ")
                out.write(block)
            out.write("\n  ]")
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
        events=(
            event_line(_moment(e.at) or "", e.kind, e.key, e.value, e.spans)
            for e in snapshot.events
        ),
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


@contextmanager
def _located(path: Path) -> Iterator[None]:
    """Turns what reading the file raises into one located `ExportError` line."""
    shown = inert(str(path))
    try:
        yield
    except ExportError:
        raise
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


def load_export(path: Path) -> ProgressSnapshot:
    """Reads a progress export file whole.

    Args:
        path: The file (`progress/<name>.json`).

    Returns:
        The snapshot.

    Raises:
        ExportError: The file cannot be read, is not JSON (`path:line:col`), or is not an
            export this version can read.
    """
    with _located(path):
        data = json.loads(read_regular_file(path, MAX_EXPORT_BYTES).decode("utf-8"))
    return parse_snapshot(data, path=str(path))


def summarize_export(
    path: Path, window: Window, *, day: Callable[[datetime], date]
) -> ProgressSummary:
    """Reads what a report over `window` needs of a progress export, as the file streams.

    Every record is checked as it arrives (`ExportSchema`), and only what the report needs is
    kept: the states, questions and cards, the window's moments and its reviews per question,
    each key's last tick and position up to the window's end (for a file with later
    progress, whose states are then replayed as `as_of` does), and every `position` and
    `watched` event up to then (each video's history, few). Memory grows with those, not
    with the log. The first problem is reported as reading the whole file would (a syntax
    error first, then the header, then the sections in the schema's order).

    Args:
        path: The file (`progress/<name>.json`).
        window: The report's window; nothing recorded after its end is counted.
        day: The day an instant falls on (`Clock.day_of`), for the time estimate.

    Returns:
        What `summarize(as_of(load_export(path), window.end), window, day=day)` gives.

    Raises:
        ExportError: As `load_export`.
    """
    reader = _ExportReader(ExportSchema(str(path)), window)
    with _located(path):
        try:
            with open_regular_file(path, MAX_EXPORT_BYTES) as stream:
                for piece in stream_export(stream, MAX_EXPORT_BYTES, _too_big(path)):
                    reader.take(piece)
        except NotStreamable:  # no object at the top, or a field twice: no export, read whole
            return summarize(as_of(load_export(path), window.end), window, day=day)
    return reader.summary(day)


def _too_big(path: Path) -> Callable[[int], Exception]:
    return lambda size: NotRegularFileError(str(path), "over the size limit", size=size)


_SECTION_ORDER = ("states", "notes", "questions", "reviews", "cards", "events")
"""The order `parse_snapshot` checks the sections in: the first bad one is the one reported."""
_PART_FIELDS = {kind.value: h.part_field for kind, h in EVENT_KINDS.items() if h.part_field}
_KINDS = frozenset(kind.value for kind in EVENT_KINDS if kind is not EventKind.WATCHED)
"""The kinds the fast path takes; a `watched` event (rare) carries spans, which the schema checks."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _ExportReader:
    """Checks an export's records as they stream and keeps what a report's summary needs."""

    def __init__(self, schema: ExportSchema, window: Window) -> None:
        self.schema = schema
        self.window = window
        self.fields: dict[str, Any] = {}
        self.problems: dict[str, ExportError] = {}
        """The first problem of each section."""
        self.seen: set[str] = set()
        self.states: dict[str, PartState] = {}
        self.questions: list[QuestionRecord] = []
        self.cards: dict[str, CardSummary] = {}
        self.tried: Counter[str] = Counter()
        self.correct: Counter[str] = Counter()
        self.moments: list[datetime] = []
        """The window's event moments (each run of equal ones once)."""
        self.latest: datetime | None = None
        """The latest event's moment."""
        self.last_parts: dict[tuple[str, str], tuple[int, datetime, Any]] = {}
        """(key, part field) -> (index, at, value) of the last such event up to the end (a
        `watched` event's value is its spans)."""
        self.watching: list[EventRecord] = []
        """Every `position` and `watched` event up to the end (a video's history; few)."""

    def take(self, piece: tuple[str, str, Any]) -> None:
        """Takes one piece of the stream (`tracker.report.export_stream.Piece`)."""
        shape, name, content = piece
        if shape == "start":
            self.seen.add(name)
            return
        if shape == "value":
            if name in _SECTION_ORDER:  # a section that is no list or object: checked whole
                self.seen.add(name)
                self._whole(name, content)
            else:
                self.fields[name] = content
            return
        if name in self.problems:
            return  # the section's first problem is the one to report
        try:
            if shape == "list":
                self._list(name, *content)
            else:
                self._object(name, content)
        except ExportError as error:
            self.problems[name] = error

    def _whole(self, name: str, value: Any) -> None:
        try:
            if name in LIST_SECTIONS:
                for index, raw in enumerate(self.schema.list(value, f"$.{name}")):
                    self._list(name, index, [raw])
            else:
                self._object(name, list(self.schema.object(value, f"$.{name}").items()))
        except ExportError as error:
            self.problems.setdefault(name, error)

    def _object(self, name: str, entries: list[tuple[str, Any]]) -> None:
        schema = self.schema
        if name == "states":
            for key, raw in entries:
                self.states[key] = schema.state(key, raw)
        else:
            for key, raw in entries:
                self.cards[key] = schema.card(key, raw)

    def _list(self, name: str, first: int, values: list[Any]) -> None:
        schema, window = self.schema, self.window
        if name == "events":
            self._events(first, values)
        elif name == "reviews":
            for index, raw in enumerate(values, first):
                review = schema.review(index, raw)
                if window.holds(review.at):
                    self.tried[review.question] += 1
                    self.correct[review.question] += review.is_correct
        elif name == "questions":
            self.questions += [schema.question(i, raw) for i, raw in enumerate(values, first)]
        else:
            for index, raw in enumerate(values, first):
                schema.note(index, raw)

    def _events(self, first: int, values: list[Any]) -> None:
        """Checks events (a fast path for well-formed ones, `ExportSchema.event` for the rest:
        it accepts exactly the same), and keeps what the summary needs of them.

        The events of one action share their time, so a time equal to the one before is
        neither parsed nor compared again."""
        start, end = self.window.start, self.window.end
        moments, latest, parts, watching = self.moments, self.latest, self.last_parts, self.watching
        parse, kinds = datetime.fromisoformat, _KINDS
        shown: Any = None  # the last time's text, and what it gave
        moment: datetime = _EPOCH
        within = False
        for index, raw in enumerate(values, first):
            try:
                at, kind, key, value = raw["at"], raw["kind"], raw["key"], raw["value"]
                if not (
                    kind in kinds
                    and (key is None or (type(key) is str and len(key) <= MAX_KEY))
                    and (value is None or (type(value) is int and -MAX_COUNT <= value <= MAX_COUNT))
                ):
                    raise TypeError
                if at != shown or type(at) is not str:
                    if len(at) > 64:
                        raise TypeError
                    moment = parse(at)
                    if moment.tzinfo is None:
                        raise TypeError
                    shown = at
                    if latest is None or moment > latest:
                        latest = moment
                    within = moment <= end
                    if within and (start is None or moment >= start):
                        moments.append(moment)
            except (KeyError, TypeError, ValueError):
                event = self.schema.event(index, raw)  # the located error, or the odd good one
                shown, moment, kind, key, value = None, event.at, event.kind, event.key, event.value
                if kind == EventKind.WATCHED:
                    value = event.spans
                if latest is None or moment > latest:
                    latest = moment
                within = moment <= end
                if within and (start is None or moment >= start):
                    moments.append(moment)
            if within and key is not None and (field := _PART_FIELDS.get(kind)) is not None:
                parts[key, field] = (index, moment, value)
                if field == "watched":
                    watching.append(EventRecord(moment, kind, key, spans=value))
                elif field == "position":
                    watching.append(EventRecord(moment, kind, key, value))
        self.latest = latest

    def summary(self, day: Callable[[datetime], date]) -> ProgressSummary:
        """The summary, once the whole file was read; raises the first problem found."""
        schema = self.schema
        _, name = schema.header(self.fields)
        for section in _SECTION_ORDER:
            if section not in self.seen:  # absent: the whole reader's message for it
                self._whole(section, self.fields.get(section))
            if section in self.problems:
                raise self.problems[section]
        end = self.window.end
        states: Mapping[str, PartState] = self.states
        questions = tuple(self.questions)
        if (self.latest is not None and self.latest > end) or any(
            s.updated is not None and s.updated > end for s in states.values()
        ):  # progress after the end: the states replayed up to it, as `as_of` does
            replayed: dict[str, PartState] = {}
            for (key, field), (_, moment, value) in sorted(
                self.last_parts.items(), key=lambda item: item[1][0]
            ):
                old = replayed.get(key, PartState(key))
                if field == "is_done":
                    replayed[key] = replace(old, is_done=bool(value), updated=moment)
                elif field == "watched":
                    replayed[key] = replace(old, watched=value, updated=moment)
                else:
                    replayed[key] = replace(old, position=value, updated=moment)
            states = replayed
            questions = tuple(q for q in questions if q.at <= end)
        return ProgressSummary(
            name=name,
            window=self.window,
            states=states,
            questions=questions,
            cards=self.cards,
            time=estimate_time(self.moments, day=day),
            attempts=tuple((q, self.tried[q], self.correct[q]) for q in sorted(self.tried)),
            watching=watch_history(self.watching),
        )
