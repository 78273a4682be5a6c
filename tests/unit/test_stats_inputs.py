"""The Stats screen's inputs read with SQL aggregates give the figures the whole log gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.unit.report_fixture import NOW, at, seed, write_curriculum
from tracker.content import load_curriculum
from tracker.report.snapshot import as_of
from tracker.report.source import snapshot_from_store, stats_inputs
from tracker.report.stats import (
    activity_by_day,
    activity_from_slices,
    due_days,
    resource_progress,
    review_figures,
)
from tracker.store.database import connect
from tracker.store.events import EVENT_KINDS
from tracker.store.progress_store import ProgressStore

TODAY = NOW.date()
ZONES = [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=45))]


def _store() -> ProgressStore:
    store = seed(ProgressStore(connect(":memory:")))
    store.mark(["llm-book/2.6"], False, now=at(14, 23, 50))  # unticked late at night, UTC
    store.undo(now=at(15, 0, 5))  # and the untick undone after midnight, UTC
    store.watch("tokenizer-video/position", 4298, 8015, 6000, now=at(13, 9))  # watched spans
    store.mark(["llm-book/A.6"], True, now=NOW + timedelta(days=2))  # after the clock's now
    return store


@pytest.mark.parametrize("tz", ZONES, ids=str)
def test_the_figures_from_sql_aggregates_equal_those_from_the_whole_log(
    tmp_path: Path, tz: timezone
) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path / "c"), use_cache=False)
    store = _store()
    days = 30
    since = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), tzinfo=UTC)
    inputs = stats_inputs(store, since=since - timedelta(hours=14), until=NOW)
    snapshot = as_of(snapshot_from_store(store), NOW)

    assert activity_from_slices(inputs.slices, tz=tz) == activity_by_day(snapshot.events, tz=tz)
    assert sum(count for _, count in inputs.slices) == len(snapshot.events)
    lean = resource_progress(curriculum, inputs.part_events, TODAY, days=days, tz=tz)
    whole = resource_progress(curriculum, snapshot.events, TODAY, days=days, tz=tz)
    assert lean == whole and any(series.current for series in whole)
    assert inputs.reviews == snapshot.reviews
    assert due_days(inputs.reviews, TODAY, tz=tz) == due_days(snapshot.reviews, TODAY, tz=tz)
    assert review_figures(inputs.reviews, TODAY, tz=tz) == review_figures(
        snapshot.reviews, TODAY, tz=tz
    )


def test_only_the_last_state_before_the_period_is_read() -> None:
    store = _store()
    since = at(10, 0)
    events = store.part_events(since)
    before = [(kind, key) for moment, kind, key, _ in events if moment < since]
    assert len(before) == len(set(before))  # one per key and kind
    assert all(moment >= since for moment, *_ in events[len(before) :])
    assert [e for e in events if e[0] >= since] == [
        (e.at, e.kind, e.key, e.value)
        for e in store.events(since)
        if EVENT_KINDS[e.kind].part_field is not None  # done, position, watched
    ]


@pytest.mark.parametrize(
    "name", ["America/Santiago", "Asia/Beirut", "America/New_York", "Asia/Kathmandu"]
)
def test_activity_by_day_from_slices_follows_a_zone_across_its_clock_changes(name: str) -> None:
    """A day's offset is worked out once, except on the days the zone's clocks change."""
    from collections import Counter
    from zoneinfo import ZoneInfo

    from tracker.report.stats import local_day

    tz = ZoneInfo(name)
    start = datetime(2024, 3, 1, tzinfo=UTC)  # spring and autumn, north and south
    slices = [(start + timedelta(minutes=15 * n), 1 + n % 3) for n in range(0, 96 * 366, 5)]
    expected: Counter = Counter()
    for moment, count in slices:
        expected[local_day(moment, tz)] += count
    assert activity_from_slices(slices, tz=tz) == dict(expected)
