"""The whole app on the bundled curriculum runs the 2213 snippet in the real worker and shows it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import ListView

from tests.conftest import ROOT
from tests.ui.app_harness import wait_loaded
from tracker.runner import RunStatus, SnippetRunner
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import TrackerApp
from tracker.ui.widgets.snippet_pane import SnippetPane

NOW = datetime(2024, 4, 7, 18, 0, tzinfo=UTC)
"""The evening before the 08/04 meeting, whose agenda holds the parameter count."""


async def _until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await pilot.pause(0.05)


async def test_discuss_runs_the_parameter_count_snippet_and_shows_2213(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    runner = SnippetRunner(spare=False)
    app = TrackerApp(ROOT, store, runner, now=lambda: NOW, watch=False)
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
            # The first topic's panes may show until the view switches to the chosen one.
            await _until(
                pilot, lambda: [p.snippet.id for p in screen.query(SnippetPane)] == ["s03"]
            )
            pane = screen.query_one(SnippetPane)

            pane.action_run()
            await _until(pilot, lambda: pane.result is not None and not pane.is_running)

            assert pane.result.status is RunStatus.OK, pane.result.message
            assert "Total number of trainable model parameters: 2213" in pane.output
            assert pane.result.torch_version
    finally:
        runner.close()
        store.close()
