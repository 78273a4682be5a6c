"""The whole app on the bundled curriculum runs the 2213 snippet in the real worker and shows it."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import ListView

from tests.conftest import ROOT, MakeApp, settle, wait_loaded
from tracker.runner import RunStatus, SnippetRunner
from tracker.ui.widgets.snippet_pane import SnippetPane

NOW = datetime(2024, 4, 7, 18, 0, tzinfo=UTC)
"""The evening before the 08/04 meeting, whose agenda holds the parameter count."""


async def test_discuss_runs_the_parameter_count_snippet_and_shows_2213(
    make_app: MakeApp,
) -> None:
    runner = SnippetRunner(spare=False)
    app = make_app(ROOT, runner=runner, now=NOW)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(app, pilot)
            await pilot.press("d")
            await pilot.pause()
            screen = app.screen
            topics = screen.query_one("#topics", ListView)
            rows = [getattr(row, "topic_id", "") for row in topics.children]
            assert "a5-param-count" in rows, rows
            topics.index = rows.index("a5-param-count")
            await settle(pilot)  # the view switches to the chosen topic's panes
            assert [p.snippet.id for p in screen.query(SnippetPane)] == ["s03"]
            pane = screen.query_one(SnippetPane)

            pane.action_run()
            await settle(pilot)  # the run's thread worker, then its result on screen
            assert pane.result is not None and not pane.is_running

            assert pane.result.status is RunStatus.OK, pane.result.message
            assert "Total number of trainable model parameters: 2213" in pane.output
            assert pane.result.torch_version
    finally:
        runner.close()
        app.store.close()
