"""The app under real store faults, driven with Pilot: it keeps running, keeps each change pending
where the mentee can see it, saves it once the fault is gone (or lets the mentee discard it), and
says in place when a read fails. Hostile YAML never reaches the screen with a live escape."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import APP_NOW as NOW
from tests.conftest import copy_curriculum, wait_loaded
from tests.faults.conftest import corrupt, fill, held_lock, needs_mount, remount_read_only, seed
from tracker.runner.fake import FakeRunner
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import UI_BUSY_TIMEOUT_MS, TrackerApp
from tracker.ui.widgets.save_status import SaveStatus

SIZE = (100, 30)
KEY = "llm-book/2.6"


def _app(tmp_path: Path, path: Path, root: Path | None = None) -> TrackerApp:
    store = ProgressStore.open(path, busy_timeout_ms=UI_BUSY_TIMEOUT_MS)
    root = root or copy_curriculum(tmp_path)
    return TrackerApp(root, store, FakeRunner(), now=lambda: NOW, watch=False)


def _seeded_app(tmp_path: Path) -> tuple[Path, TrackerApp]:
    """A seeded progress database in `tmp_path`, and the app on it (not started yet)."""
    path = tmp_path / "progress.sqlite3"
    seed(path)
    return path, _app(tmp_path, path)


def _status(app: TrackerApp) -> str:
    lines = app.screen.query(SaveStatus)
    return lines.first().text if lines else ""


def _screen_text(app: TrackerApp) -> str:
    """Every segment the current screen's widgets render, as one string."""
    parts = []
    for widget in app.screen.walk_children():
        if widget.display and widget.region.area:
            for strip in widget.render_lines(widget.region.reset_offset):
                parts.extend(segment.text for segment in strip)
    return "".join(parts)


async def test_changes_made_while_the_database_is_locked_are_kept_and_saved_later(
    tmp_path: Path,
) -> None:
    path, app = _seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        with held_lock(path):
            assert app.record(app.store.add_note, KEY, "typed while locked") is None
            assert app.record(app.store.mark, ["llm-book/3.1"], True) is None  # waits behind
            await pilot.pause()
            assert app.is_running
            assert len(app.pending) == 2
            status = _status(app)
            assert "2 changes not saved yet" in status and "typed while locked" in status
            assert "ctrl+s retry now" in status
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.pending
        assert _status(app) == ""
        assert app.states["llm-book/3.1"].is_done
    with ProgressStore.open(path) as store:
        assert [n.text for n in store.notes(KEY)][-1] == "typed while locked"


async def test_a_change_not_saved_can_be_discarded_with_ctrl_z(tmp_path: Path) -> None:
    path, app = _seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        with held_lock(path):
            app.record(app.store.mark, ["llm-book/3.1"], True)
            await pilot.pause()
            assert len(app.pending) == 1
            for _ in range(3):  # a change a retry is saving right now is not discarded
                await app.workers.wait_for_complete()  # that retry gives up (the lock is held)
                await pilot.press("ctrl+z")
                await pilot.pause()
                if not app.pending:
                    break
            assert not app.pending and _status(app) == ""
    with ProgressStore.open(path) as store:
        assert not store.state("llm-book/3.1").is_done


async def test_quitting_with_changes_not_saved_asks_first_and_stays_on_no(
    tmp_path: Path,
) -> None:
    from tracker.ui.screens.confirm import ConfirmDialog

    path, app = _seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        with held_lock(path):
            app.record(app.store.add_note, KEY, "typed while locked")
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            question = str(app.screen.query_one("Label").render())
            assert "1 change is not saved yet" in question and "typed while locked" in question
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running and len(app.pending) == 1
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.pending
        await pilot.press("q")  # nothing pending: quits without asking
        await pilot.pause()
        assert not app.is_running
    with ProgressStore.open(path) as store:
        assert [n.text for n in store.notes(KEY)][-1] == "typed while locked"


async def test_quitting_with_changes_not_saved_quits_when_confirmed(
    tmp_path: Path,
) -> None:
    path, app = _seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        with held_lock(path):
            app.record(app.store.mark, ["llm-book/3.1"], True)
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running and len(app.pending) == 1
            await pilot.press("y")
            await pilot.pause()
            assert not app.is_running


@needs_mount
async def test_a_note_written_on_a_full_disk_is_saved_once_space_is_freed(
    tmp_path: Path, mount
) -> None:
    disk = mount("disk", size="2m")
    path = disk / "progress.sqlite3"
    seed(path)
    app = _app(tmp_path, path)
    note = "a long note " * 10_000
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        filler = fill(disk)
        assert app.record(app.store.add_note, KEY, note) is None
        await pilot.pause()
        assert app.is_running and len(app.pending) == 1
        assert "free some space" in _status(app)
        filler.unlink()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.pending
    with ProgressStore.open(path) as store:
        assert store.notes(KEY)[-1].text == note


@needs_mount
async def test_a_read_only_database_opens_in_read_only_mode(tmp_path: Path, mount) -> None:
    where = mount("backup")
    path = where / "progress.sqlite3"
    seed(path)
    remount_read_only(where)
    app = _app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.store.is_read_only and app.sub_title == "read-only"
        assert "Read-only: progress is shown but not saved here" in _status(app)
        assert app.states[KEY].is_done
        app.record(app.store.mark, ["llm-book/3.1"], True)
        await pilot.pause()
        assert len(app.pending) == 1 and "not saved yet" in _status(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not app.pending


async def test_a_read_that_fails_is_said_in_place_and_the_app_runs_on(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    seed(path)
    corrupt(path)
    app = _app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert app.read_error is not None
        assert "Cannot read progress" in _status(app) and "damaged" in _status(app)
        await pilot.press("m")  # other sections still open
        await pilot.pause()
        assert app.is_running and "Cannot read progress" in _status(app)


async def test_a_hostile_yaml_title_reaches_the_screen_inert(tmp_path: Path) -> None:
    root = copy_curriculum(tmp_path)
    meeting = next((root / "assignments").glob("2024-04-08.yaml"))
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(
        text.replace("en: For the next meeting", 'en: "For the next\\e]0;pwned\\a\\e[2J one"'),
        encoding="utf-8",
    )
    app = _app(tmp_path, tmp_path / "progress.sqlite3", root=root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        seen = ""
        for section in ("a", "m", "p"):
            await pilot.press(section)
            await pilot.pause()
            shown = _screen_text(app)
            assert "\x1b" not in shown and "\x07" not in shown
            seen += shown
        assert "For the next\\x1b]0;pwned\\x07\\x1b[2J one" in seen


@needs_mount
async def test_a_data_directory_that_cannot_be_made_stops_the_app_in_one_line(
    tmp_path: Path, mount
) -> None:
    where = mount("ro")
    remount_read_only(where)
    path = where / "missing" / "progress.sqlite3"
    app = TrackerApp(
        copy_curriculum(tmp_path),
        lambda: ProgressStore.open(path, busy_timeout_ms=UI_BUSY_TIMEOUT_MS),
        FakeRunner(),
        now=lambda: NOW,
        watch=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 1
