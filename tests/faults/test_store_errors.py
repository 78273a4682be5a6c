"""The store under real faults: each failure is one located StoreError with its fault, and the
pending queue saves what could not be saved, in order, once the fault is gone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.faults.conftest import (
    NOW,
    corrupt,
    fill,
    held_lock,
    needs_mount,
    remount_read_only,
    seed,
)
from tracker.errors import StoreError, StoreFault
from tracker.store.consistency import check_consistency
from tracker.store.pending import MAX_DELAY, PendingChange, PendingChanges, describe_change
from tracker.store.progress_store import ProgressStore


def _change(method: str, *args: object, minutes: int = 0) -> PendingChange:
    return PendingChange(
        method, args, NOW + timedelta(minutes=minutes), describe_change(method, args)
    )


def test_a_write_past_the_lock_timeout_is_a_locked_store_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    seed(path)
    with ProgressStore.open(path, busy_timeout_ms=50) as store, held_lock(path):
        with pytest.raises(StoreError) as caught:
            store.mark(["llm-book/3.1"], True, now=NOW)
        assert store.states()["llm-book/2.6"].is_done  # reads go on under a write lock
    assert caught.value.fault is StoreFault.LOCKED
    message = str(caught.value)
    assert str(path) in message and "close it and try again" in message
    assert "\n" not in message


def test_pending_changes_are_saved_in_order_once_the_lock_is_released(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    seed(path)
    pending = PendingChanges()
    with held_lock(path):
        pending.keep(_change("mark", ["llm-book/3.1"], True, minutes=1))
        pending.keep(_change("add_note", "llm-book/3.1", "typed while locked", minutes=2))
        pending.keep(_change("mark", ["llm-book/3.1"], False, minutes=3))
        with ProgressStore.open(path, busy_timeout_ms=20) as store:
            assert pending.save_all(store) == []
        assert pending.failures == 1 and pending.error is not None
        assert pending.error.fault is StoreFault.LOCKED
        assert len(pending) == 3
    saved = pending.retry(path, ProgressStore.open)
    assert [s.change.method for s in saved] == ["mark", "add_note", "mark"]
    assert not pending and pending.error is None and pending.failures == 0
    with ProgressStore.open(path) as store:
        assert not store.states()["llm-book/3.1"].is_done  # the untick landed after the tick
        [note] = store.notes("llm-book/3.1")
        assert note.text == "typed while locked"
        assert note.created == NOW + timedelta(minutes=2)  # saved with the time it was made
        assert check_consistency(store) == []


def test_the_back_off_doubles_up_to_a_minute_and_discarding_clears_it() -> None:
    pending = PendingChanges()
    pending.keep(_change("mark", ["a/1"], True), StoreError("x", StoreFault.FULL))
    delays = []
    for _ in range(10):
        delays.append(pending.delay)
        pending.failures += 1
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert delays[-1] == MAX_DELAY
    pending.keep(_change("add_note", "a/1", "second"))
    assert pending.discard_last() is not None and len(pending) == 1
    assert pending.discard_last() is not None
    assert not pending and pending.failures == 0 and pending.error is None
    with pytest.raises(ValueError, match="not a store write"):
        pending.keep(_change("connection"))


@needs_mount
def test_a_full_disk_fails_whole_and_the_change_saves_once_space_is_freed(mount) -> None:
    # room for the database, its shared memory and a WAL that holds the note twice (the note
    # and its event), about 0.5 MB, once the filler is gone
    disk = mount("disk", size="1m")
    path = disk / "progress.sqlite3"
    seed(path)
    pending = PendingChanges()
    with ProgressStore.open(path) as store:
        filler = fill(disk)
        note = "x" * 200_000  # bigger than what is left
        with pytest.raises(StoreError) as caught:
            store.add_note("llm-book/2.6", note, now=NOW)
        assert caught.value.fault is StoreFault.FULL
        assert "free some space" in str(caught.value)
        pending.keep(_change("add_note", "llm-book/2.6", note), caught.value)
        assert len(store.notes("llm-book/2.6")) == 1  # nothing half-written
        assert pending.save_all(store) == [] and len(pending) == 1
        filler.unlink()
        [saved] = pending.save_all(store)
        assert saved.change.args[1] == note
        assert [n.text for n in store.notes("llm-book/2.6")][-1] == note
        assert check_consistency(store) == []


@needs_mount
def test_a_read_only_mount_is_read_and_refuses_writes_by_name(mount) -> None:
    where = mount("backup")
    path = where / "progress.sqlite3"
    seed(path)
    remount_read_only(where)
    with ProgressStore.open(path) as store:
        assert store.is_read_only
        assert store.states()["llm-book/2.6"].is_done
        assert store.notes("llm-book/2.6")[0].text.startswith("Why")
        with pytest.raises(StoreError) as caught:
            store.mark(["llm-book/3.1"], True, now=NOW)
    assert caught.value.fault is StoreFault.READ_ONLY
    assert "--data-dir" in str(caught.value)


@needs_mount
def test_a_missing_directory_under_a_read_only_parent_is_one_store_error(mount) -> None:
    where = mount("ro")
    remount_read_only(where)
    with pytest.raises(StoreError) as caught:
        ProgressStore.open(where / "missing" / "progress.sqlite3")
    assert caught.value.fault in (StoreFault.READ_ONLY, StoreFault.CANNOT_OPEN)
    assert str(where / "missing") in str(caught.value)


def test_a_file_where_the_data_directory_should_be_says_where_and_what_to_do(
    tmp_path: Path,
) -> None:
    home = tmp_path / "study-home"
    home.write_text("not a directory", encoding="utf-8")  # STUDY_HOME naming a file
    with pytest.raises(StoreError) as caught:
        ProgressStore.open(home / "progress.sqlite3")
    assert caught.value.fault is StoreFault.CANNOT_OPEN
    assert str(home) in str(caught.value) and "--data-dir" in str(caught.value)
    assert "try again" not in str(caught.value)


def test_corrupt_pages_behind_a_valid_header_are_a_corrupt_store_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    seed(path)
    corrupt(path)
    with pytest.raises(StoreError) as caught, ProgressStore.open(path) as store:
        store.states()
        store.notes()
        store.mark(["llm-book/3.1"], True, now=NOW)
    assert caught.value.fault is StoreFault.CORRUPT
    assert "damaged" in str(caught.value) and str(path) in str(caught.value)


def test_a_file_that_is_not_a_database_is_a_corrupt_store_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not a database at all, but long enough to have a header" * 100)
    with pytest.raises(StoreError) as caught:
        ProgressStore.open(path)
    assert caught.value.fault is StoreFault.CORRUPT
