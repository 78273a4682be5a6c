"""Builds a `TrackerApp` on the quiz fixture for the review and quiz screens' tests."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import TrackerApp

FIXTURE = ROOT / "tests" / "fixtures" / "quiz_curriculum"
"""Five questions of the 08/04 topic `contiguity` (one predicts torch's output) and two locked
until 01/05 (`sliding-window`)."""
NOW = datetime(2024, 4, 10, 12, 0, tzinfo=UTC)
"""Two days after the 08/04 meeting: its questions are unlocked, the 01/05 ones are not."""
SIZE = (100, 34)


def make_app(tmp_path: Path, runner: Any, *, now: datetime = NOW) -> TrackerApp:
    """The app on a copy of the quiz fixture, with a store in `tmp_path` and a fixed clock."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    return TrackerApp(root, store, runner, now=lambda: now, watch=False)


async def wait_for(pilot: Any, condition: Any, *, seconds: float = 30.0, what: str = "") -> None:
    """Waits (pausing the pilot) until `condition()` is true."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def open_section(app: TrackerApp, pilot: Any, name: str) -> None:
    """Waits for the curriculum, then switches to a section."""
    await wait_for(pilot, lambda: app.curriculum is not None and not app.is_loading, what="load")
    await app.action_section(name)
    await pilot.pause()
