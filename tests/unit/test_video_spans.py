"""Video progress per watched span: two items on two segments of one video are done apart."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.agenda import build_agenda
from tracker.domain.curriculum import Curriculum, Item
from tracker.domain.item_kinds import kind_spec, watched
from tracker.domain.progress import item_progress
from tracker.domain.spans import intersect, merge, resume, seen, spans_of, with_watched
from tracker.report.exchange import (
    EXPORT_VERSION,
    ExportError,
    dump_snapshot,
    parse_snapshot,
    write_export,
)
from tracker.report.markdown import render_markdown
from tracker.report.model import ItemStatus, build_report
from tracker.report.scaffold import merge_states, scaffold_meeting
from tracker.report.snapshot import as_of
from tracker.report.source import snapshot_from_store, store_sections
from tracker.report.stats import resource_progress
from tracker.store.consistency import check_consistency, replay_state
from tracker.store.database import MIGRATIONS, schema_version
from tracker.store.progress_store import ProgressStore

T = datetime(2024, 4, 10, 18, 0, tzinfo=UTC)
FIXTURE = Path(__file__).parent.parent / "fixtures" / "progress-v1.sql"
KEY = "tokenizer-video/position"

FILES = {
    "assignments/resources.yaml": """\
resources:
  tokenizer-video:
    kind: video
    title: Let's build the GPT Tokenizer
    url: https://www.youtube.com/watch?v=zduSFxRajkE
    length: "01:10:00"
  makemore-video:
    kind: video
    title: Building makemore
""",
    "assignments/2024-04-08.yaml": """\
date: 2024-04-08
items:
  - id: first
    resource: tokenizer-video
    until: "00:30:00"
  - id: second
    resource: tokenizer-video
    from: "00:30:00"
    until: "01:10:00"
""",
    "assignments/2024-04-16.yaml": """\
date: 2024-04-16
items:
  - id: again
    resource: tokenizer-video
    from: "00:30:00"
  - id: open
    resource: makemore-video
    from: "00:10:00"
""",
}


@pytest.fixture
def curriculum(tmp_path: Path) -> Curriculum:
    root = tmp_path / "curriculum"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    loaded = load_curriculum(root, use_cache=False)
    assert loaded.problems == ()
    return loaded


def _item(curriculum: Curriculum, item_id: str) -> Item:
    return next(item for item in curriculum.items if item.id == item_id)


def _watch(store: ProgressStore, item: Item, upto: int, minutes: int = 0) -> int:
    """Records a position on `item`, as the item screen does."""
    end = item.end if item.end is not None else None
    now = T + timedelta(minutes=minutes)
    return store.watch(f"{item.resource}/position", item.start or 0, end, upto, now=now)


def _amounts(curriculum: Curriculum, store: ProgressStore, *ids: str) -> list[tuple[int, int]]:
    states = store.states()
    return [kind_spec(_item(curriculum, i).kind).amount(_item(curriculum, i), states) for i in ids]


# --- the spans themselves -------------------------------------------------------------------------


def test_a_position_replaces_its_segment_and_keeps_the_rest() -> None:
    spans = with_watched((), 1800, 4200, 3000)
    assert spans == ((1800, 3000),)
    spans = with_watched(spans, 0, 1800, 1800)
    assert spans == ((0, 3000),)  # touching spans join
    assert with_watched(spans, 0, 1800, 1000) == ((0, 1000), (1800, 3000))  # set back
    assert with_watched(spans, 0, 1800, 9000) == ((0, 3000),)  # clamped to the segment
    assert with_watched(((0, 4200),), 1800, None, 2000) == ((0, 2000),)  # open-ended
    assert with_watched(((0, 600),), 1800, 4200, 1000) == ((0, 600),)  # before its start
    assert merge([[300, 400], [0, 100], [50, 120], [5, 5]]) == ((0, 120), (300, 400))
    assert seen(((0, 1000), (1800, 3000)), 500, 2000) == 700
    assert resume(((0, 1000), (1800, 3000)), 0) == 1000
    assert resume(((0, 1000),), 1800) == 1800
    assert spans_of(None, 2600) == ((0, 2600),) and spans_of(None, None) == ()
    assert intersect(((0, 100), (200, 300)), ((50, 250),)) == ((50, 100), (200, 250))


# --- two segments of one video ----------------------------------------------------------------------


def test_two_segments_of_one_video_are_done_independently(curriculum: Curriculum) -> None:
    first, second = _item(curriculum, "first"), _item(curriculum, "second")
    assert (first.start, first.end, second.start, second.end) == (0, 1800, 1800, 4200)
    store = ProgressStore.open(":memory:")
    # the second segment first, to its end: the first is untouched
    assert _watch(store, second, 4200)
    assert _amounts(curriculum, store, "first", "second") == [(0, 1800), (2400, 2400)]
    states = store.states()
    assert not item_progress(first, states).is_done and item_progress(second, states).is_done
    assert (watched(first, states), watched(second, states)) == (None, 4200)
    # a position on the first counts for the first only: the second stays done
    assert _watch(store, first, 1000, 1)
    assert _amounts(curriculum, store, "first", "second") == [(1000, 1800), (2400, 2400)]
    assert store.state(KEY).watched == ((0, 1000), (1800, 4200))
    # past its end: the first is done, and the second is as it was
    assert _watch(store, first, 3000, 2)
    assert _amounts(curriculum, store, "first", "second") == [(1800, 1800), (2400, 2400)]
    assert watched(first, store.states()) == 1800  # never past its own end
    assert check_consistency(store) == []
    assert store.states() == replay_state(store)


def test_a_position_on_one_segment_never_sets_another_back(curriculum: Curriculum) -> None:
    first, second = _item(curriculum, "first"), _item(curriculum, "second")
    store = ProgressStore.open(":memory:")
    _watch(store, first, 1800)
    _watch(store, second, 3000, 1)
    _watch(store, second, 2000, 2)  # the second set back: the first is still done
    assert _amounts(curriculum, store, "first", "second") == [(1800, 1800), (200, 2400)]


def test_undo_takes_back_one_segment_and_redo_puts_it_again(curriculum: Curriculum) -> None:
    first, second = _item(curriculum, "first"), _item(curriculum, "second")
    store = ProgressStore.open(":memory:")
    _watch(store, second, 4200)
    _watch(store, first, 1200, 1)
    undone = store.undo(now=T + timedelta(minutes=2))
    assert undone is not None
    assert undone.description == f"undid {KEY} watched 00:00:00–00:20:00"
    assert undone.keys == (KEY,)
    assert _amounts(curriculum, store, "first", "second") == [(0, 1800), (2400, 2400)]
    redone = store.redo(now=T + timedelta(minutes=3))
    assert redone is not None and redone.description == f"{KEY} watched 00:00:00–00:20:00 again"
    assert _amounts(curriculum, store, "first", "second") == [(1200, 1800), (2400, 2400)]
    while store.undo(now=T + timedelta(minutes=4)) is not None:
        pass
    assert store.state(KEY).watched is None
    assert _amounts(curriculum, store, "first", "second") == [(0, 1800), (0, 2400)]
    assert check_consistency(store) == []


def test_the_same_segment_assigned_again_shares_its_progress(curriculum: Curriculum) -> None:
    again = _item(curriculum, "again")
    assert (again.start, again.end) == (1800, 4200)  # the video's length ends it
    store = ProgressStore.open(":memory:")
    _watch(store, again, 3600)
    assert _amounts(curriculum, store, "second", "again") == [(1800, 2400), (1800, 2400)]


def test_an_open_ended_item_is_still_done_by_watched_to_the_end(curriculum: Curriculum) -> None:
    item = _item(curriculum, "open")
    assert (item.start, item.end, [p.label for p in item.parts]) == (
        600,
        None,
        ["watched to the end"],
    )
    store = ProgressStore.open(":memory:")
    store.watch("makemore-video/position", 600, None, 5000, now=T)
    states = store.states()
    assert kind_spec(item.kind).amount(item, states) == (0, 1)  # a position never finishes it
    assert watched(item, states) == 5000
    store.mark([item.parts[0].key], True, now=T + timedelta(minutes=1))
    assert item_progress(item, store.states()).is_done


def test_watch_refuses_what_is_not_a_segment() -> None:
    store = ProgressStore.open(":memory:")
    with pytest.raises(ValueError, match="ends after it starts"):
        store.watch(KEY, 1800, 1800, 10, now=T)
    with pytest.raises(ValueError, match="seconds >= 0"):
        store.watch(KEY, 0, 100, -1, now=T)
    assert store.watch(KEY, 0, 100, 0, now=T) == 0  # nothing watched: nothing recorded
    assert store.events() == []


# --- old databases and exports ----------------------------------------------------------------------


def _old_database(path: Path) -> Path:
    """The fixture's database, as study-tracker wrote it before spans (schema version 1)."""
    connection = sqlite3.connect(path)
    connection.executescript(FIXTURE.read_text(encoding="utf-8"))
    connection.close()
    return path


def test_a_database_from_before_spans_opens_and_reads_as_before(
    tmp_path: Path, curriculum: Curriculum
) -> None:
    path = _old_database(tmp_path / "old.sqlite3")
    before = sqlite3.connect(path)
    assert schema_version(before) == 1
    old_events = before.execute("SELECT * FROM events ORDER BY id").fetchall()
    before.close()
    with ProgressStore.open(path) as store:
        assert schema_version(store.connection) == len(MIGRATIONS) >= 2
        states = store.states()
        assert {k: (s.is_done, s.position, s.watched) for k, s in states.items()} == {
            "tokenizer-video/position": (False, 2600, None),
            "makemore-video/position": (False, 900, None),
            "llm-book/2.6": (True, None, None),
            "link-youtube-kccc8fmeb1np-abcdef/whole": (True, None, None),
        }
        assert check_consistency(store) == []  # the old events replay to the same state
        # one position for the video, from 0, as it always was: each item counts its part
        assert _amounts(curriculum, store, "first", "second") == [(1800, 1800), (800, 2400)]
        assert [watched(_item(curriculum, i), states) for i in ("first", "second")] == [
            2600,
            2600,
        ]
        # a position on an item starts from the old one and leaves the other segment alone
        assert _watch(store, _item(curriculum, "second"), 3000)
        assert store.state(KEY).watched == ((0, 3000),)
        assert _amounts(curriculum, store, "first", "second") == [(1800, 1800), (1200, 2400)]
        assert _watch(store, _item(curriculum, "first"), 600, 1)
        assert _amounts(curriculum, store, "first", "second") == [(600, 1800), (1200, 2400)]
        assert check_consistency(store) == []
        while store.undo(now=T + timedelta(minutes=5)) is not None:
            pass
        assert store.state(KEY).watched is None and store.state(KEY).position == 2600
        assert _amounts(curriculum, store, "first", "second") == [(1800, 1800), (800, 2400)]
        kept = store.connection.execute("SELECT * FROM events ORDER BY id LIMIT 8").fetchall()
        assert kept == old_events  # the log is only appended to


def test_an_export_keeps_spans_and_reads_them_back(tmp_path: Path, curriculum: Curriculum) -> None:
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    store.set_position(KEY, 2600, now=T)
    _watch(store, _item(curriculum, "second"), 3600, 60)
    snapshot = snapshot_from_store(store, name="vova")
    text = dump_snapshot(snapshot)
    data = json.loads(text)
    assert data["version"] == EXPORT_VERSION == 2
    assert data["states"][KEY]["watched"] == [[0, 3600]]
    event = data["events"][-1]
    assert (event["kind"], event["value"], event["spans"]) == ("watched", 3600, [[0, 3600]])
    again = parse_snapshot(data)
    assert again == snapshot and dump_snapshot(again) == text
    # the streamed export (SQL, row by row) writes the same bytes
    streamed = io.StringIO()
    with store.reading():
        write_export(streamed, store_sections(store, name="vova"))
    assert streamed.getvalue() == text
    # as of a moment before the span: the old position alone, as it was then
    earlier = as_of(again, T + timedelta(minutes=30))
    assert (earlier.states[KEY].position, earlier.states[KEY].watched) == (2600, None)
    later = as_of(again, T + timedelta(hours=2))
    assert later.states[KEY].watched == ((0, 3600),)


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ("[[10, 5]]", "$.states['tokenizer-video/position'].watched[0]: expected [from, to]"),
        ('"all"', "$.states['tokenizer-video/position'].watched: expected a list"),
    ],
)
def test_a_bad_span_in_an_export_is_named_with_its_place(spans: str, message: str) -> None:
    text = (
        '{"format": "study-tracker-progress", "version": 2, "name": "vova", "states": '
        f'{{"{KEY}": {{"done": false, "position": null, "updated": null, "watched": {spans}}}}}}}'
    )
    with pytest.raises(ExportError, match="^<export>: " + re.escape(message)):
        parse_snapshot(json.loads(text))


# --- how it shows: agenda, report, stats, study new ------------------------------------------------


def test_the_report_and_agenda_show_each_segment_on_its_own(curriculum: Curriculum) -> None:
    store = ProgressStore.open(":memory:")
    _watch(store, _item(curriculum, "second"), 4200)
    _watch(store, _item(curriculum, "first"), 1000, 1)
    states = store.states()
    agenda = build_agenda(curriculum, states, date(2024, 4, 8))
    shown = {e.item.id: (e.progress.done, e.progress.is_done) for e in agenda.entries}
    assert shown == {"first": (1000, False), "second": (2400, True)}
    report = build_report(curriculum, snapshot_from_store(store), date(2024, 4, 8))
    lines = {line.item_id: line for line in report.mentees[0].items}
    assert (lines["first"].status, lines["first"].detail, lines["first"].position) == (
        ItemStatus.PARTIAL,
        "video at 00:16:40 of 00:30:00",
        1000,
    )
    assert (lines["second"].status, lines["second"].position) == (ItemStatus.DONE, 4200)
    markdown = render_markdown(report)
    assert "video at 00:16:40 of 00:30:00" in markdown


def test_stats_count_the_seconds_watched_not_the_furthest_position(
    curriculum: Curriculum,
) -> None:
    store = ProgressStore.open(":memory:")
    _watch(store, _item(curriculum, "second"), 4200)
    snapshot = snapshot_from_store(store)
    [video] = [
        r
        for r in resource_progress(curriculum, snapshot.events, date(2024, 4, 10), days=2)
        if r.resource == "tokenizer-video"
    ]
    assert video.fractions[-1] == pytest.approx(2400 / 4200)  # not 1.0: 00:00-00:30 is unwatched


def test_study_new_carries_the_unwatched_segment_from_where_it_stops(
    curriculum: Curriculum,
) -> None:
    store = ProgressStore.open(":memory:")
    _watch(store, _item(curriculum, "second"), 4200)
    _watch(store, _item(curriculum, "first"), 1000, 1)
    text = scaffold_meeting(curriculum, store.states(), date(2024, 4, 22))
    assert '    resource: tokenizer-video\n    from: "00:16:40"\n    until: "00:30:00"\n' in text
    # two mentees: what both watched
    other = ProgressStore.open(":memory:")
    _watch(other, _item(curriculum, "first"), 1500)
    merged = merge_states([store.states(), other.states()])
    assert merged[KEY].watched == ((0, 1000),)
