"""A report read from an export as it streams equals one read from the whole file: the same
summary in every layout and window, and the same one-line error, with the same place, for every
bad file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.faults.test_hostile_exports import HOSTILE
from tests.unit.report_fixture import NOW, _review, at, seed
from tracker.domain.scheduling import AGAIN
from tracker.report import export_stream
from tracker.report.exchange import (
    EXPORT_VERSION,
    ExportError,
    dump_snapshot,
    load_export,
    summarize_export,
)
from tracker.report.snapshot import as_of
from tracker.report.source import snapshot_from_store
from tracker.report.summary import Window, summarize
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore

WINDOWS = [
    Window(None, NOW),
    Window(at(10, 0), NOW),
    Window(at(1, 0), at(14, 20, 30)),  # progress after the window's end: states replayed
    Window(at(14, 0), NOW + timedelta(days=30)),
]


def _text() -> str:
    store = seed(ProgressStore(connect(":memory:")))
    store.mark(["llm-book/2.6"], False, now=at(14, 23, 50))
    store.undo(now=at(15, 0, 5))
    store.watch("tokenizer-video/position", 0, 4298, 4000, now=at(12, 9))  # watched spans
    store.watch("tokenizer-video/position", 4298, 8015, 6000, now=at(14, 21))  # after window 2
    _review(store, "logit-inverse", AGAIN, at(15, 3, 0), lapses=1)
    store.undo(now=at(15, 3, 1))
    store.add_note("llm-book/2.8", 'a "quoted"\nnote, ünïcode', now=at(15, 4))
    store.mark(["llm-book/A.6"], True, now=NOW + timedelta(days=2))
    return dump_snapshot(snapshot_from_store(store, name="vova"))


def _layouts(text: str) -> dict[str, str]:
    data = json.loads(text)
    return {
        "as written": text,
        "one line": json.dumps(data),
        "indented": json.dumps(data, indent=2),
        "reordered": json.dumps(dict(reversed(list(data.items()))), indent=1),
        "crlf": text.replace("\n", "\r\n"),
    }


@pytest.fixture(params=["large", "tiny"])
def buffers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reader's own sizes, or sizes that put every entry across a buffer's edge."""
    if request.param == "tiny":
        monkeypatch.setattr(export_stream, "_CHUNK", 7)
        monkeypatch.setattr(export_stream, "_BATCH", 300)
    return str(request.param)


@pytest.mark.parametrize("window", WINDOWS, ids=range(len(WINDOWS)))
def test_the_streamed_summary_equals_the_whole_file_summary(
    tmp_path: Path, buffers: str, window: Window
) -> None:
    for name, text in _layouts(_text()).items():
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8", newline="")
        whole = summarize(as_of(load_export(path), window.end), window, day=_day)
        assert summarize_export(path, window, day=_day) == whole, name
    assert whole.states and whole.questions and whole.cards


def _day(moment: datetime) -> object:
    return moment.astimezone(UTC).date()


VERSION = f'"version": {EXPORT_VERSION}'
"""The version field as the export writes it."""


def _bad_files(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    middle = next(i for i, line in enumerate(lines) if '"kind": "done"' in line) + 3
    data = json.loads(text)
    return [
        *(bad for bad, _ in HOSTILE),
        "".join([*lines[:middle], "<<<<<<< HEAD\n", *lines[middle:]]),  # a merge conflict
        "".join(lines[:middle]),  # cut short
        text.replace('"kind": "done", "value": 1}', '"kind": "done", "value": 1.5}', 1),
        text.replace('"kind": "done"', '"kind": "x' * 30 + '"', 1),
        text.replace('"key": "llm-book/2.7"', '"key": 7', 1),
        text.replace("+00:00", "", 1),
        text.replace(VERSION, f'{VERSION}, "version": {EXPORT_VERSION + 1}'),  # a field twice
        text.replace('"format": "study-tracker-progress"', '"format": "other"'),
        text.replace('"rating": 3', '"rating": 9', 1).replace('"done": true', '"done": 1', 1),
        text.replace(VERSION, f"{VERSION},"),  # a trailing comma
        text + "{}",  # extra data
        json.dumps({**data, "events": [*data["events"][:3], [1]]}, indent=3),
        json.dumps({**data, "states": None}),
        json.dumps({k: v for k, v in data.items() if k != "cards"}),
        "\ufeff" + text,
        "",
    ]


def test_every_bad_file_gives_the_whole_reader_s_error(tmp_path: Path, buffers: str) -> None:
    window = Window(None, NOW)
    for number, text in enumerate(_bad_files(_text())):
        path = tmp_path / f"bad{number}.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ExportError) as whole:
            load_export(path)
        with pytest.raises(ExportError) as streamed:
            summarize_export(path, window, day=_day)
        assert str(streamed.value) == str(whole.value), number
        assert "\n" not in str(streamed.value) and len(str(streamed.value)) < 400


def test_a_file_that_is_not_utf8_is_placed_at_its_byte(tmp_path: Path, buffers: str) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(_text().encode("utf-8").replace("ünïcode".encode(), b"\xfcn\xefcode"))
    with pytest.raises(ExportError) as whole:
        load_export(path)
    with pytest.raises(ExportError) as streamed:
        summarize_export(path, Window(None, NOW), day=_day)
    assert str(streamed.value) == str(whole.value)
    assert "not UTF-8 text (byte " in str(whole.value)
