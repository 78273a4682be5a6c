"""Live reload sees every edit: one that keeps the size and restores the modification time, one
saved twice within a timestamp tick, a file swapped by rename; settled files are not read."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import MakeApp, copy_curriculum, wait_loaded
from tracker.content.watch import RACY_SECONDS, scan_files

SIZE = (100, 30)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replaces `old` with `new` (same length) and puts the modification time back."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_edit_keeping_size_and_mtime_changes_the_stamp(tmp_path: Path) -> None:
    folder = tmp_path / "assignments"
    folder.mkdir()
    path = folder / "2024-04-08.yaml"
    path.write_text("date: 2024-04-08\ntitle: alpha\n", encoding="utf-8")
    first = scan_files([folder])
    _same_size_edit(path, "alpha", "gamma")
    assert scan_files([folder], first) != first  # the ctime moved


def test_a_second_save_within_one_tick_is_seen_by_its_hash(tmp_path: Path) -> None:
    folder = tmp_path / "assignments"
    folder.mkdir()
    path = folder / "a.yaml"
    path.write_text("title: one\n", encoding="utf-8")
    clock = Clock()
    loaded = scan_files([folder], {}, clock=clock)  # a new file: hashed while its stamp is new
    assert loaded[str(path)].digest is not None
    stat = path.stat()
    path.write_text("title: two\n", encoding="utf-8")
    # A file system with coarse timestamps: the second save leaves every stat field as it was.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    same = scan_files([folder], loaded, clock=clock)
    assert same[str(path)].digest != loaded[str(path)].digest
    assert same != loaded


def test_only_files_with_a_new_stamp_are_hashed(tmp_path: Path) -> None:
    folder = tmp_path / "assignments"
    folder.mkdir()
    path = folder / "a.yaml"
    path.write_text("title: one\n", encoding="utf-8")
    clock = Clock()
    first = scan_files([folder], clock=clock)  # the app's first scan: its load reads the files
    assert first[str(path)].digest is None
    assert scan_files([folder], first, clock=clock)[str(path)].digest is None
    path.write_text("title: two\n", encoding="utf-8")
    changed = scan_files([folder], first, clock=clock)
    assert changed != first and changed[str(path)].digest is not None
    clock.now += RACY_SECONDS + 1
    settled = scan_files([folder], changed, clock=clock)
    assert settled == changed  # nothing changed


async def test_the_app_reloads_an_edit_that_restores_the_modification_time(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        meeting = root / "assignments" / "2024-04-08.yaml"
        _same_size_edit(meeting, "For the next meeting", "For the last meeting")
        revision = app.revision
        assert app.check_files()
        await wait_loaded(app, pilot, revision)
        titles = [m.title.en for m in app.curriculum.meetings if m.title]  # type: ignore[union-attr]
        assert "For the last meeting" in titles
        assert not app.check_files()  # and nothing more to do once loaded
