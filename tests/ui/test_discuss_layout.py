"""Pilot tests of Discuss's layout on a narrow terminal: the topics above the topic, and out of
the way while working in a snippet, so that the code has the width (it had 28 cells at 80x24)."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.conftest import MakeApp, open_section, settle
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.topic_view import TopicView


async def test_at_80_cells_the_topics_stack_above_and_fold_away_in_a_snippet(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(app, pilot, "discuss")
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        screen.select_topic("contiguity")
        await settle(pilot)
        side = screen.query_one("#discuss-side")
        topic = screen.query_one(TopicView)
        assert side.region.bottom <= topic.region.y  # above, not beside
        assert topic.region.width == 80

        editor = topic.query_one(TextArea)
        editor.focus()
        await pilot.pause()
        assert not side.display  # working in the snippet: the topic has the screen
        assert editor.region.width >= 70 and topic.region.y <= 1
        await pilot.press("escape")
        await pilot.pause()
        assert side.display and app.focused is screen.query_one("#topics")


async def test_at_120_cells_the_topics_stay_beside_the_topic(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(app, pilot, "discuss")
        screen = app.screen
        screen.select_topic("contiguity")  # type: ignore[attr-defined]
        await settle(pilot)
        side = screen.query_one("#discuss-side")
        topic = screen.query_one(TopicView)
        editor = topic.query_one(TextArea)
        editor.focus()
        await pilot.pause()
        assert side.display and side.region.right <= topic.region.x  # beside it, still shown
        assert editor.region.width >= 66
