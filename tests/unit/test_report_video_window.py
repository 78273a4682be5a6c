"""A video item is finished when its own segment was covered, not when its video last changed.

Two items on two segments of one video: the first finished before the previous meeting, the
second watched in the window. The report over the window lists only the second as work of the
window, from the database (`study report`) and from an export (`study report PROGRESS.json`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.cli import main
from tracker.clock import Clock
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, whole_key
from tracker.paths import database_path
from tracker.report.exchange import dump_snapshot, summarize_export
from tracker.report.model import ItemStatus, ReportSection, build_report, report_window
from tracker.report.snapshot import as_of
from tracker.report.source import snapshot_from_store, summary_from_store
from tracker.report.summary import summarize
from tracker.store.progress_store import ProgressStore

KEY = "tokenizer-video/position"
NOW = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)
"""The day before the 16/04 meeting; the window runs from the 08/04 meeting."""

FILES = {
    "assignments/resources.yaml": """\
resources:
  tokenizer-video:
    kind: video
    title: Let's build the GPT Tokenizer
    length: "01:00:00"
  makemore-video:
    kind: video
    title: Building makemore
""",
    "assignments/2024-04-01.yaml": """\
date: 2024-04-01
items:
  - id: early
    resource: tokenizer-video
    until: "00:05:00"
""",
    "assignments/2024-04-08.yaml": """\
date: 2024-04-08
items:
  - id: first
    resource: tokenizer-video
    until: "00:10:00"
  - id: middle
    resource: tokenizer-video
    from: "00:40:00"
    until: "00:50:00"
    mentor_todo: Ask what the middle part was about
  - id: open
    resource: makemore-video
    from: "00:10:00"
""",
    "assignments/2024-04-16.yaml": """\
date: 2024-04-16
items:
  - id: second
    resource: tokenizer-video
    from: "00:20:00"
    until: "00:30:00"
""",
}


def _at(day: int, hour: int) -> datetime:
    return datetime(2024, 4, day, hour, 0, tzinfo=UTC)


def _curriculum_root(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _seed(store: ProgressStore) -> None:
    """`first` (and with it `early`) done on 05/04, before the 08/04 meeting; `middle` begun
    then, set back to nothing and finished on 11/04 (in the window); `second` watched on 10/04
    (in the window); then after the clock's now, a position on `second` set back."""
    store.watch(KEY, 0, 600, 600, now=_at(5, 18))  # first: 00:00-10:00, whole
    store.watch(KEY, 2400, 3000, 2700, now=_at(6, 18))  # middle: half of it
    store.watch(KEY, 1200, 1800, 1800, now=_at(10, 18))  # second: 20:00-30:00, whole
    store.watch(KEY, 2400, 3000, 2400, now=_at(10, 19))  # middle: set back to its start
    store.watch(KEY, 2400, 3000, 3000, now=_at(11, 18))  # middle: whole, in the window
    store.watch(KEY, 1200, 1800, 1500, now=NOW + timedelta(days=2))  # after now: not counted
    store.watch("makemore-video/position", 600, None, 900, now=_at(6, 19))
    store.mark([whole_key("makemore-video")], True, now=_at(12, 18))  # open: ticked, in it


def _items(data: dict[str, Any]) -> dict[str, tuple[str, str, str | None]]:
    return {
        i["id"]: (i["status"], i["section"], i["finished"]) for i in data["mentees"][0]["items"]
    }


EXPECTED = {
    "early": ("done", "earlier", "2024-04-05T18:00:00+00:00"),
    "first": ("done", "earlier", "2024-04-05T18:00:00+00:00"),
    "middle": ("done", "finished", "2024-04-11T18:00:00+00:00"),
    "open": ("done", "finished", "2024-04-12T18:00:00+00:00"),
    "second": ("done", "due", "2024-04-10T18:00:00+00:00"),
}
"""`first` was finished before the window: the later watching of other segments of its video
does not make it work of the window; `middle` was finished again in the window; `open` (no end
known) when it was ticked watched to the end."""


def test_a_segment_finished_before_the_window_stays_earlier_from_the_database_and_an_export(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _curriculum_root(tmp_path)
    with ProgressStore.open(database_path()) as store:
        _seed(store)
    common = ["--curriculum", str(root), "--today", "2024-04-15"]
    assert main([*common, "report", "--name", "vova", "--format", "json"]) == 0
    from_database = json.loads(capsys.readouterr().out)
    export = tmp_path / "vova.json"
    assert main([*common, "export", "--name", "vova", "-o", str(export)]) == 0
    assert main([*common, "report", str(export), "--format", "json"]) == 0
    from_export = json.loads(capsys.readouterr().out)
    assert _items(from_database) == EXPECTED
    assert _items(from_export) == EXPECTED
    for data in (from_database, from_export):
        (todo,) = data["mentees"][0]["mentor_todos"]
        assert (todo["item"], todo["ready"]) == ("middle", "2024-04-11")
    assert main([*common, "report", "--name", "vova"]) == 0
    done = capsys.readouterr().out.split("## Done", 1)[1].split("## ", 1)[0]
    assert done.split("\n- ")[1:] == [
        "[x] **Let's build the GPT Tokenizer**: video 00:20:00-00:30:00",
        "[x] **Let's build the GPT Tokenizer**: video 00:40:00-00:50:00 (first assigned 08/04)",
        "[x] **Building makemore**: video from 00:10:00 (first assigned 08/04)\n\n",
    ]


@pytest.mark.parametrize("today", [None, 12, 10])
def test_the_sql_summary_gives_the_whole_logs_video_times(
    tmp_path: Path, today: int | None
) -> None:
    curriculum: Curriculum = load_curriculum(_curriculum_root(tmp_path), use_cache=False)
    store = ProgressStore.open(":memory:")
    _seed(store)
    clock = Clock(NOW, tz=UTC) if today is None else Clock(_at(today, 23), tz=UTC)
    window = report_window(curriculum, curriculum.meetings[-1].date, clock=clock)
    summary = summary_from_store(store, window, day=clock.day_of)
    whole = summarize(as_of(snapshot_from_store(store), window.end), window, day=clock.day_of)
    assert summary == whole
    meeting = curriculum.meetings[-1].date
    report = build_report(curriculum, summary, meeting, clock=clock)
    assert report == build_report(
        curriculum, as_of(snapshot_from_store(store), window.end), meeting, clock=clock
    )


def test_positions_from_before_spans_finish_an_item_when_they_first_reach_its_end(
    tmp_path: Path,
) -> None:
    curriculum = load_curriculum(_curriculum_root(tmp_path), use_cache=False)
    store = ProgressStore.open(":memory:")
    store.set_position(KEY, 300, now=_at(3, 18))
    store.set_position(KEY, 700, now=_at(5, 18))  # past `first`'s end (10:00): finished
    store.set_position(KEY, 1500, now=_at(10, 18))  # further, in the window
    clock = Clock(NOW, tz=UTC)
    meeting = curriculum.meetings[-1].date
    window = report_window(curriculum, meeting, clock=clock)
    export = tmp_path / "vova.json"
    export.write_text(dump_snapshot(snapshot_from_store(store, name="vova")), encoding="utf-8")
    for summary in (
        summary_from_store(store, window, day=clock.day_of, name="vova"),
        summarize_export(export, window, day=clock.day_of),
    ):
        lines = {
            line.item_id: line
            for line in build_report(curriculum, summary, meeting, clock=clock).mentees[0].items
        }
        assert (lines["first"].section, lines["first"].finished) == (
            ReportSection.EARLIER,
            _at(5, 18),
        )
        assert lines["second"].status is ItemStatus.PARTIAL
