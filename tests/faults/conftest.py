"""Fixtures that break the store for real: a held lock, a full disk, a read-only mount, bad pages.

The full disk is a small tmpfs and the read-only directory a tmpfs remounted read-only, so those
tests need root (and skip without it); everything is unmounted after the test.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.store.progress_store import ProgressStore

NOW = datetime(2024, 4, 5, 12, 0, tzinfo=UTC)


def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root on Linux)."""
    return os.name == "posix" and os.geteuid() == 0


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a tmpfs")


def seed(path: Path) -> None:
    """A database with some progress, a note and a question."""
    with ProgressStore.open(path) as store:
        store.mark(["llm-book/2.6", "llm-book/2.7"], True, now=NOW)
        store.add_note("llm-book/2.6", "Why is the mask upper-triangular?", now=NOW)
        store.set_position("tokenizer-video/position", 1200, now=NOW + timedelta(minutes=1))


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[object]:
    """Mounts small tmpfs directories for the test; each is unmounted afterwards."""
    if not can_mount():
        pytest.skip("needs root to mount a tmpfs")
    mounted: list[Path] = []

    def make(name: str, size: str = "1m") -> Path:
        where = tmp_path / name
        where.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
            check=True,
        )
        mounted.append(where)
        return where

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def remount_read_only(where: Path) -> None:
    """Makes a mounted tmpfs read-only."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def fill(where: Path) -> Path:
    """Fills the file system at `where` to the last byte; returns the filler file."""
    filler = where / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for chunk in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(descriptor, b"\0" * chunk):
                    pass
    finally:
        os.close(descriptor)
    return filler


def corrupt(path: Path) -> None:
    """Overwrites every page after the first two, keeping the valid header."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for offset in range(page * 2, len(data), page):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@contextlib.contextmanager
def held_lock(path: Path, *, exclusive: bool = False) -> Iterator[sqlite3.Connection]:
    """Another connection holds the write lock (or, `exclusive`, every lock) while inside."""
    other = sqlite3.connect(path, isolation_level=None)
    if exclusive:
        other.execute("PRAGMA locking_mode = EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("CREATE TABLE IF NOT EXISTS held (x)")
    else:
        other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def checkpointed(path: Path) -> None:
    """Folds the WAL into the file, so that the database is one self-contained file."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
