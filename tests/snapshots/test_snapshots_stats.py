"""Snapshot of the Stats screen on seeded progress, at a fixed size and a fixed now."""

from __future__ import annotations

from typing import Any

from tests.conftest import MakeApp
from tests.ui.test_stats import make_stats_app, open_stats, press_and_redraw


def test_stats_screen_with_seeded_history(snap_compare: Any, make_app: MakeApp) -> None:
    app = make_stats_app(make_app)

    async def run_before(pilot: Any) -> None:
        screen = await open_stats(app, pilot)
        await press_and_redraw(screen, pilot, "t")  # the streak, turned on

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)
