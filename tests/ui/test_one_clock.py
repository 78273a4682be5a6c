"""The app asks one clock: the agenda, Meetings, Stats and Review agree on the local day.

Each test runs the app at an instant a little after (or before) midnight in UTC+14 and in UTC-10,
where the UTC date is the other day, and checks every screen names the local one.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import MakeApp, wait_loaded
from tests.ui.test_stats import open_stats
from tracker.clock import Clock
from tracker.commands.app import build_app
from tracker.ui.screens.meetings import MeetingsScreen
from tracker.ui.widgets.timeline import MeetingTimeline

SIZE = (100, 40)

CASES = [
    pytest.param(
        timezone(timedelta(hours=14)),
        datetime(2024, 4, 15, 10, 30, tzinfo=UTC),
        date(2024, 4, 16),
        "(today)",
        id="UTC+14",
    ),
    pytest.param(
        timezone(timedelta(hours=-10)),
        datetime(2024, 4, 16, 9, 30, tzinfo=UTC),
        date(2024, 4, 15),
        "(tomorrow)",
        id="UTC-10",
    ),
]
"""(zone, an instant near midnight there, the local date, the 16/04 meeting's countdown)."""


@pytest.mark.parametrize(("zone", "instant", "local", "countdown"), CASES)
async def test_agenda_meetings_and_stats_take_the_local_day(
    make_app: MakeApp, zone: timezone, instant: datetime, local: date, countdown: str
) -> None:
    clock = Clock(instant, tz=zone)
    app = make_app("report", clock=clock)
    app.store.mark(["llm-book/A.4"], True, now=clock.now())  # one tick, at that instant
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.today == local
        heading = str(app.screen.query_one("#heading").render())
        assert "16/04/2024" in heading and countdown in heading

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        titles = [line.title for line in app.screen.query_one(MeetingTimeline).lines]
        assert [t for t in titles if t.startswith("▶")] == [next(t for t in titles if "16/04" in t)]

        stats = await open_stats(app, pilot)
        heatmap = stats.query_one("#heatmap")
        assert heatmap.today == local  # type: ignore[attr-defined]
        assert heatmap.counts == {local: 1}  # type: ignore[attr-defined]


def test_study_today_reaches_the_app(tmp_path: Path) -> None:
    clock = Clock(today=date(2024, 4, 8))
    args = argparse.Namespace(curriculum=tmp_path, lang="en", python=None, clock=clock)
    app = build_app(args, store=object(), runner=object())
    assert app.clock is clock
    assert app.today == date(2024, 4, 8)
    assert clock.day_of(app.now()) == date(2024, 4, 8)


async def test_the_app_as_of_a_date_leaves_out_later_progress(make_app: MakeApp) -> None:
    clock = Clock(today=date(2024, 4, 12), tz=UTC)
    app = make_app("report", clock=clock)
    store = app.store
    store.mark(["llm-book/A.4"], True, now=datetime(2024, 4, 10, 12, 0, tzinfo=UTC))
    store.mark(["llm-book/A.5"], True, now=datetime(2024, 4, 14, 12, 0, tzinfo=UTC))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.states["llm-book/A.4"].is_done
        assert "llm-book/A.5" not in app.states  # ticked on 14/04, after the date
        heading = str(app.screen.query_one("#heading").render())
        assert "(in 4 days)" in heading and "Done 1/" in heading
