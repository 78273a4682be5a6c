"""Builds a `TrackerApp` for tests: a temp copy of the fixture curriculum, a real store, fixed now."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import TrackerApp

FIXTURE = ROOT / "tests" / "fixtures" / "app_curriculum"
"""Three meetings (01/04, 08/04, 16/04) over a video, two books, a post and tasks."""
NOW = datetime(2024, 4, 5, 12, 0, tzinfo=UTC)
"""Three days before the 08/04 meeting."""


def fake_runner() -> Any:
    """The runner seam for UI tests that are not about snippets."""
    try:
        from tracker.runner.fake import FakeRunner
    except ImportError:  # not written yet: the app copes with no runner
        return None
    return FakeRunner()


def copy_curriculum(tmp_path: Path) -> Path:
    """A private copy of the fixture curriculum that a test may edit."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    return root


def make_app(
    tmp_path: Path, *, now: datetime = NOW, watch: bool = False, root: Path | None = None
) -> TrackerApp:
    """The app on a copy of the fixture, with a store in `tmp_path` and a fixed clock."""
    root = root or copy_curriculum(tmp_path)
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    return TrackerApp(root, store, fake_runner(), now=lambda: now, watch=watch)


async def wait_loaded(app: TrackerApp, pilot: Any, revision: int = 0) -> None:
    """Waits until the curriculum is loaded (or reloaded past `revision`)."""
    for _ in range(200):
        await pilot.pause(0.02)
        if app.curriculum is not None and app.revision > revision and not app.is_loading:
            await pilot.pause()
            return
    raise AssertionError("the curriculum did not load")
