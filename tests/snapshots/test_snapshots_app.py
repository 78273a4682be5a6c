"""Snapshots of the tracking app's screens: agenda, meetings, item, discuss, problems.

Fixed size, fixed now (05/04/2024, three days before the 08/04 meeting), the app fixture
(`tests/fixtures/app_curriculum`) with seeded progress, a `FakeRunner` (no snippet is run). The
discuss snapshot shows a topic without snippets, so that it does not change with `SnippetPane`'s
looks; `tests/ui/test_app.py` checks that a topic's snippets are embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from tests.conftest import APP_NOW as NOW
from tests.conftest import MakeApp, copy_curriculum, wait_loaded
from tracker.ui.app import TrackerApp

SIZE = (110, 34)


def _seeded(make_app: MakeApp, root: Path | None = None) -> TrackerApp:
    app = make_app(root or "app")
    store = app.store
    store.mark(["llm-book/2.6", "perceptron-post/whole", "task/w2-push"], True, now=NOW)
    store.set_position("tok-video/position", 42 * 60 + 50, now=NOW)
    store.add_note("item/w2-book", "2.6 again: the sliding window, with stride 1", now=NOW)
    store.add_question(NOW.date().replace(day=8), "Why does .view need contiguity?", now=NOW)
    return app


async def _ready(app: TrackerApp, pilot: Any, *keys: str) -> None:
    await wait_loaded(app, pilot)
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    # Not settle: the position dialog's worker waits for the user. Its input's cursor blinks,
    # so a still cursor keeps the picture the same whenever it is taken.
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


class TestAppScreens:
    """One snapshot per screen, on seeded progress."""

    def test_agenda(self, snap_compare: Any, tmp_path: Path, make_app: MakeApp) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_meetings(self, snap_compare: Any, tmp_path: Path, make_app: MakeApp) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot, "m")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_item_with_sections_and_a_note(
        self, snap_compare: Any, tmp_path: Path, make_app: MakeApp
    ) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot, "down", "enter")  # the 08/04 book item: 2.6-2.8

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_item_video_position(
        self, snap_compare: Any, tmp_path: Path, make_app: MakeApp
    ) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await wait_loaded(app, pilot)
            app.screen.query_one("#carried").focus()
            await _ready(app, pilot, "enter", "v")  # the 01/04 video, and the position dialog

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_discuss(self, snap_compare: Any, tmp_path: Path, make_app: MakeApp) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot, "d")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_problems(self, snap_compare: Any, tmp_path: Path, make_app: MakeApp) -> None:
        root = copy_curriculum(tmp_path)
        (root / "assignments" / "2024-04-16.yaml").write_text(
            "date: 2024-04-16\nitems:\n  - resource: llm-book\n    sectons: 3.1\n",
            encoding="utf-8",
        )
        app = _seeded(make_app, root)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot, "p")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestNarrowFooter:
    """At 80 and 81 cells the app's keys overflow the compact footer: none may show beside the
    palette key (a stray "H" or "Y" used to follow "^p palette")."""

    def test_agenda_at_80_columns(self, snap_compare: Any, make_app: MakeApp) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_agenda_at_81_columns(self, snap_compare: Any, make_app: MakeApp) -> None:
        app = _seeded(make_app)

        async def run_before(pilot: Any) -> None:
            await _ready(app, pilot)

        assert snap_compare(app, terminal_size=(81, 24), run_before=run_before)
