"""The report read with SQL aggregates and the export written from cursors equal what the whole
log gives: the same report (undo events, time zones, changes after "now"), the same bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.unit.report_fixture import MEETING, NOW, _review, at, seed, write_curriculum
from tracker.cli import main
from tracker.clock import Clock
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum
from tracker.domain.scheduling import AGAIN
from tracker.report.exchange import (
    dump_snapshot,
    load_export,
    write_export,
)
from tracker.report.model import build_report, report_window
from tracker.report.snapshot import as_of
from tracker.report.source import (
    snapshot_from_store,
    states_as_of,
    store_sections,
    summary_from_store,
)
from tracker.report.summary import summarize
from tracker.store import aggregates
from tracker.store.database import connect
from tracker.store.events import EVENT_KINDS
from tracker.store.progress_store import ProgressStore

ZONES = [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=45))]


def _store() -> ProgressStore:
    """The fixture's history, with undos, a redo, late-night changes and changes after NOW."""
    store = seed(ProgressStore(connect(":memory:")))
    store.mark(["llm-book/2.6"], False, now=at(14, 23, 50))  # unticked late at night, UTC
    store.undo(now=at(15, 0, 5))  # and the untick undone after midnight, UTC
    store.set_position("tokenizer-video/position", 4000, now=at(15, 1, 0))
    store.undo(now=at(15, 1, 1))
    store.redo(now=at(15, 1, 2))
    store.watch("tokenizer-video/position", 4298, 8015, 6000, now=at(15, 1, 3))  # a 2nd segment
    store.delete_note(store.notes()[0].id, now=at(15, 2, 0))
    store.undo(now=at(15, 2, 1))
    _review(store, "logit-inverse", AGAIN, at(15, 3, 0), lapses=1)
    store.undo(now=at(15, 3, 1))  # the review undone: it leaves the accuracy, a card event stays
    store.mark(["llm-book/A.6"], True, now=NOW + timedelta(days=2))  # after the clock's now
    store.set_position("tokenizer-video/position", 7000, now=NOW + timedelta(days=3))
    store.watch("tokenizer-video/position", 0, 4298, 100, now=NOW + timedelta(days=3))
    store.mark(["llm-book/A.1"], False, now=NOW + timedelta(days=3))
    return store


def _whole_log_report(
    curriculum: Curriculum, store: ProgressStore, clock: Clock, since: date | None
):
    """The report as it was built before: every event loaded, then trimmed to the clock's now."""
    snapshot = as_of(snapshot_from_store(store, name="vova"), clock.now())
    return build_report(curriculum, snapshot, MEETING, since, clock=clock)


@pytest.mark.parametrize("tz", ZONES, ids=str)
@pytest.mark.parametrize("since", [None, date(2024, 3, 1), date(2024, 4, 14)], ids=str)
@pytest.mark.parametrize("today", [None, date(2024, 4, 14)], ids=str)
def test_the_report_from_sql_aggregates_equals_the_report_from_the_whole_log(
    tmp_path: Path, tz: timezone, since: date | None, today: date | None
) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path / "c"), use_cache=False)
    store = _store()
    clock = Clock(NOW, today=today, tz=tz)
    if since is not None and since > clock.today():
        pytest.skip("a window that starts after today is refused before any reading")
    window = report_window(curriculum, MEETING, since, clock=clock)
    summary = summary_from_store(store, window, day=clock.day_of, name="vova")
    whole = summarize(
        as_of(snapshot_from_store(store, name="vova"), window.end), window, day=clock.day_of
    )
    assert summary == whole
    if today is None:  # the real window holds some of everything
        assert summary.time.seconds > 0 and summary.attempts
    report = build_report(curriculum, summary, MEETING, since, clock=clock)
    assert report == _whole_log_report(curriculum, store, clock, since)


def test_the_states_at_an_instant_are_those_of_the_replayed_log() -> None:
    store = _store()
    for moment in (at(10, 0), at(14, 23, 55), at(15, 1, 1), NOW, NOW + timedelta(days=2, hours=1)):
        replayed = as_of(snapshot_from_store(store), moment).states
        assert states_as_of(store, moment) == replayed
    assert states_as_of(store, NOW + timedelta(days=9)) == store.states()
    assert states_as_of(store, at(10, 0)) != store.states()


def test_the_number_sql_gives_of_each_event_is_the_one_python_gives() -> None:
    store = _store()
    numbers = [row[3] for batch in aggregates.event_rows(store) for row in batch]
    assert numbers == [EVENT_KINDS[e.kind].number(e.value) for e in store.events()]
    assert {e.kind for e in store.events()} == set(EVENT_KINDS)  # every kind is compared


def test_the_streamed_export_has_the_bytes_of_the_whole_snapshot() -> None:
    store = _store()
    store.add_note("llm-book/2.8", 'A "quoted" line\nand a tab\t, ünïcode, \x1b escape', now=NOW)
    store.mark(["ключ/1", 'a "quoted"\\key', "tab\tkey", "del\x7fkey"], True, now=NOW)
    buffer = io.StringIO()
    with store.reading():
        write_export(buffer, store_sections(store, name="vova"))
    assert buffer.getvalue() == dump_snapshot(snapshot_from_store(store, name="vova"))


def test_an_empty_store_streams_the_empty_export() -> None:
    store = ProgressStore(connect(":memory:"))
    buffer = io.StringIO()
    with store.reading():
        write_export(buffer, store_sections(store, name="vova"))
    assert buffer.getvalue() == dump_snapshot(snapshot_from_store(store, name="vova"))
    assert '  "events": [],' in buffer.getvalue().splitlines()


def test_study_export_then_import_round_trips(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    with ProgressStore.open(study_home / "progress.sqlite3") as db:
        seed(db)
        db.undo(now=at(15, 0))
        expected = snapshot_from_store(db, name="vova")
    target = tmp_path / "vova.json"
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", str(target)]) == 0
    assert load_export(target) == expected
    assert target.read_text(encoding="utf-8") == dump_snapshot(expected)
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", "-"]) == 0
    assert capsys.readouterr().out == dump_snapshot(expected)


def test_study_report_from_the_database_and_from_its_export_agree(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    with ProgressStore.open(study_home / "progress.sqlite3") as db:
        seed(db)
        db.mark(["llm-book/A.6"], True, now=datetime(2024, 4, 20, 9, tzinfo=UTC))  # after --today
    target = tmp_path / "vova.json"
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", str(target)]) == 0
    common = [
        "--curriculum",
        str(root),
        "--today",
        "2024-04-15",
        "report",
        "--meeting",
        "2024-04-16",
    ]
    capsys.readouterr()
    assert main([*common, "--name", "vova"]) == 0
    from_db = capsys.readouterr().out
    assert main([*common, str(target)]) == 0
    assert capsys.readouterr().out == from_db
    assert "A.6" not in from_db.split("## Done")[1].split("##")[0]
