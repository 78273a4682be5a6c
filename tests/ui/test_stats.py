"""Pilot tests of the Stats screen: the heatmap's cells, the progress bars and sparklines, and the
streak toggle."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Label, Sparkline, Switch

from tests.conftest import MakeApp, settle, wait_loaded
from tests.unit.report_fixture import NOW, seed
from tracker.report.settings import load_settings
from tracker.ui.app import TrackerApp
from tracker.ui.screens.stats import StatsScreen
from tracker.ui.widgets.heatmap import ActivityHeatmap
from tracker.ui.widgets.sparkline_row import ProgressRow, ShareBars, SparklineRow, share_bars

SIZE = (100, 40)


def make_stats_app(make_app: MakeApp) -> TrackerApp:
    """The app on the report fixture curriculum with its seeded history, at the fixed NOW."""
    app = make_app("report")
    seed(app.store)
    return app


async def open_stats(app: TrackerApp, pilot: Pilot[None]) -> StatsScreen:
    """Waits for the curriculum, shows Stats and waits for its figures to be drawn."""
    await wait_loaded(app, pilot)
    await pilot.press("s")
    await settle(pilot)  # the stats worker, then the figures it posted
    assert isinstance(app.screen, StatsScreen)
    return app.screen


async def press_and_redraw(screen: StatsScreen, pilot: Pilot[None], key: str) -> None:
    """Presses `key` and waits until the stats worker's new figures are drawn."""
    await pilot.press(key)
    await settle(pilot)


async def test_the_heatmap_has_a_cell_per_day_of_26_weeks(make_app: MakeApp) -> None:
    app = make_stats_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        heatmap = screen.query_one(ActivityHeatmap)
        assert len(heatmap.grid) == 26
        assert len(heatmap.cells) == 25 * 7 + 1  # NOW is a Monday
        active = {cell.day.isoformat(): cell.count for cell in heatmap.cells if cell.count}
        assert active["2024-04-14"] == 8 and active["2024-04-10"] == 3
        assert len(active) == 9
        assert max(cell.level for cell in heatmap.cells) == 4
        title = screen.query_one("#activity-title", Label)
        assert "9 days with progress" in str(title.content)


async def test_every_assigned_resource_gets_a_progress_bar(make_app: MakeApp) -> None:
    """A bar of the share done (a sparkline scaled to its own top drew 28% as `▁▁▁█`)."""
    app = make_stats_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        rows = list(screen.query_one("#resources").query(ProgressRow))
        assert [(row.title, row.value) for row in rows][:3] == [
            ("Let's build the GPT Tokenizer", "39% · +39% in 4 weeks"),
            ("Deep Learning Fundamentals", "71% · +71% in 4 weeks"),
            ("Build a Large Language Model (From Scratch)", "88% · +88% in 4 weeks"),
        ]
        assert [round(row.share, 2) for row in rows[:3]] == [0.39, 0.71, 0.88]
        drawn = [row.render_line(0).text for row in rows[:3]]  # one bar each, all as wide
        widths = {sum(line.count(c) for c in "━╸╺") for line in drawn}
        assert len(widths) == 1 and widths.pop() > 30
        assert not screen.query_one("#resources").query(Sparkline)
        (reviews,) = screen.query_one("#reviews").query(SparklineRow)
        assert reviews.value == "5 in all, 0 today"
        assert screen.query_one("#retention", ShareBars).values[-2:] == [0.5, None]


async def test_the_streak_is_off_until_turned_on_and_the_choice_is_kept(make_app: MakeApp) -> None:
    app = make_stats_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        streak = screen.query_one("#streak", Label)
        assert not screen.query_one("#streak-switch", Switch).value
        assert str(streak.content) == "off (t turns it on)"
        await press_and_redraw(screen, pilot, "t")
        assert screen.query_one("#streak-switch", Switch).value
        assert load_settings().show_streak is True
        # 14/04 and 13/04 were active; on 12/04 a card (contiguity-rows) was due and nothing
        # was done, which ends the streak (today, 15/04, is not over yet).
        assert str(streak.content) == "2 days (days with nothing due are skipped)"
        await press_and_redraw(screen, pilot, "t")
        assert load_settings().show_streak is False
        assert str(streak.content) == "off (t turns it on)"
        await press_and_redraw(screen, pilot, "t")

    again = make_app(app.root, store=app.store, now=NOW)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_stats(again, pilot)
        assert screen.query_one("#streak-switch", Switch).value


async def test_stats_is_in_the_command_palette(make_app: MakeApp) -> None:
    app = make_stats_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Go to Stats" in titles


def test_share_bars_draw_absolute_heights_and_gaps() -> None:
    assert share_bars([0.0, 0.5, 1.0, None]) == "▁▄█·"


async def test_stats_redraw_when_shown_again_after_a_change(make_app: MakeApp) -> None:
    app = make_stats_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        assert len([c for c in screen.query_one(ActivityHeatmap).cells if c.count]) == 9
        before = list(screen.query(ProgressRow)) + list(screen.query(SparklineRow))
        await pilot.press("a")
        await pilot.pause()
        app.record(app.store.mark, ["dl-course/2.6"], True)  # today: a tenth active day
        await pilot.pause()
        assert screen.is_stale  # not redrawn while hidden
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen and not screen.is_stale
        assert len([c for c in screen.query_one(ActivityHeatmap).cells if c.count]) == 10
        rows = {row.title: row.value for row in screen.query_one("#resources").query(ProgressRow)}
        assert rows["Deep Learning Fundamentals"].startswith("86% ·")
        after = list(screen.query(ProgressRow)) + list(screen.query(SparklineRow))
        assert after == before  # the same rows, redrawn in place rather than mounted again


async def test_the_quiz_figures_agree_after_a_day_of_first_answers(make_app: MakeApp) -> None:
    """19 answers today, all first answers: the counts and the retention line say the same."""
    from tracker.domain.scheduling import GOOD, next_review

    app = make_app("report", now=NOW.replace(hour=20))
    store = app.store
    for n in range(19):
        when = NOW.replace(hour=9, minute=n)
        state = next_review(None, GOOD, when, enable_fuzzing=False)
        store.record_review(
            f"q{n}",
            card=state.card,
            due=state.due,
            lapses=0,
            rating=GOOD,
            answer="x",
            is_correct=True,
            now=when,
        )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        (reviews,) = screen.query_one("#reviews").query(SparklineRow)
        assert reviews.value == "19 in all, 19 today"
        assert str(screen.query_one("#retention-value", Label).content) == (
            "no repeat answers yet (19 first answers: retention counts repeats)"
        )


async def test_the_quiz_rows_follow_one_another_and_their_words_are_whole(
    make_app: MakeApp,
) -> None:
    app = make_stats_app(make_app)
    async with app.run_test(size=(80, 40)) as pilot:
        screen = await open_stats(app, pilot)
        reviews = screen.query_one(SparklineRow)
        retention = screen.query_one("#retention-row")
        assert retention.region.y == reviews.region.bottom  # no gap between the two rows
        value = screen.query_one("#retention-value", Label)
        words = str(value.content)
        assert words and value.region.height * value.region.width >= len(words)  # not cut off
