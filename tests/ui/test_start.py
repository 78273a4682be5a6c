"""Pilot tests of the app's start: the store opened in the start's worker, a store that cannot be
opened, and the garbage collector that `study` pauses for the start."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from tests.conftest import APP_CURRICULUM, APP_NOW, settle, wait_loaded
from tracker.errors import StoreError
from tracker.runner.fake import FakeRunner
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import TrackerApp
from tracker.ui.screens.agenda import AgendaScreen

SIZE = (100, 30)


class _Cycle:
    me: object = None


def _app(tmp_path: Path, **options: object) -> TrackerApp:
    opened: list[ProgressStore] = []

    def open_store() -> ProgressStore:
        opened.append(ProgressStore.open(tmp_path / "progress.sqlite3"))
        return opened[-1]

    app = TrackerApp(
        APP_CURRICULUM, open_store, FakeRunner(), now=lambda: APP_NOW, watch=False, **options
    )
    app.opened = opened  # type: ignore[attr-defined]
    return app


async def test_the_store_is_opened_once_by_the_start(tmp_path: Path) -> None:
    app = _app(tmp_path)
    assert not app.is_ready
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.is_ready and app.opened == [app.store]  # type: ignore[attr-defined]
        assert isinstance(app.screen, AgendaScreen)
        assert "Due on" in str(app.screen.query_one("#due").border_title)


async def test_a_store_that_cannot_be_opened_ends_the_app_with_its_reason(tmp_path: Path) -> None:
    def open_store() -> ProgressStore:
        raise StoreError("cannot open the progress database /x/progress.sqlite3: disk I/O error")

    app = TrackerApp(APP_CURRICULUM, open_store, FakeRunner(), now=lambda: APP_NOW, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert app.curriculum is None  # nothing was loaded for a store that is not there


async def test_a_paused_garbage_collector_is_resumed_once_the_agenda_shows(
    tmp_path: Path,
) -> None:
    frozen = gc.get_freeze_count()
    gc.disable()  # as `study` does before the app starts
    try:
        cycle = _Cycle()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle  # garbage only the collector can free
        assert gone() is not None
        app = _app(tmp_path, paused_gc=True)
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(app, pilot)
            for _ in range(5):  # the runner starts two refreshes after the agenda is drawn
                if gc.isenabled():
                    break
                await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen  # what the start made is out of the way
            assert gone() is None  # collected before the freeze, not kept for good
    finally:
        gc.unfreeze()
        gc.enable()


async def test_without_a_pause_the_collector_is_left_alone(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await settle(pilot)
        assert gc.isenabled() and gc.get_freeze_count() == 0
