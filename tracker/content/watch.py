"""Provides `scan_files`: the curriculum files' stamps, to tell when any of them changed.

A stamp is the file's size, `mtime_ns`, inode and `ctime_ns`: an editor that saves by renaming
changes the inode, and restoring a file's modification time (`touch -d`, `cp -p`, a checkout)
still moves its ctime, which no program can set. What a stat cannot see is a second save within
the file system's timestamp granularity (a tick of a few milliseconds here, up to 2 s on some
file systems) that keeps the size: for that, a file whose stamp is new (first seen less than
`RACY_SECONDS` ago) also gets a hash of its bytes, compared on each poll until the stamp has
settled. Unchanged, settled files are never read by a poll.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tracker.content.regular_file import MAX_BYTES, NotRegularFileError, read_regular_file

__all__ = ["RACY_SECONDS", "FileStamp", "scan_files"]

RACY_SECONDS = 3.0
"""How long after a stamp is first seen its file is also hashed (coarser than any file
system's timestamp granularity)."""

_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a poll knows of one file; two stamps are equal when the file did not change."""

    stat: tuple[int, ...]
    """(size, mtime_ns, inode, ctime_ns, mode), or (-errno,) when it cannot be stat-ed."""
    digest: bytes | None = None
    """A hash of the bytes, taken while the stamp was new (None when never taken)."""
    seen: float = 0.0
    """When (`time.monotonic`) this `stat` was first seen; not compared."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileStamp):
            return NotImplemented
        return self.stat == other.stat and self.digest == other.digest

    def __hash__(self) -> int:
        return hash((self.stat, self.digest))


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(read_regular_file(path, MAX_BYTES), digest_size=16).digest()
    except (NotRegularFileError, OSError):
        return None


def scan_files(
    folders: Iterable[Path],
    previous: dict[str, FileStamp] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, FileStamp]:
    """Stamps every `*.yaml`/`*.yml` entry of `folders` (FIFOs and broken links too).

    Args:
        folders: The watched directories (`assignments/`, `quizzes/`).
        previous: The stamps of the last scan (their `seen` times and digests carry over);
            None for the first scan, whose files count as settled (the load reads them next).
        clock: A monotonic clock in seconds (tests pass their own).

    Returns:
        The stamps by path; compare them with `previous` to tell whether anything changed.
    """
    now = clock()
    is_first = previous is None
    previous = previous or {}
    found: dict[str, FileStamp] = {}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(_SUFFIXES):
                continue
            try:
                info = os.stat(entry.path)
                key: tuple[int, ...] = (
                    info.st_size,
                    info.st_mtime_ns,
                    info.st_ino,
                    info.st_ctime_ns,
                    info.st_mode,
                )
            except OSError as error:
                key = (-(error.errno or 1),)
            before = previous.get(entry.path)
            if before is not None and before.stat == key and now - before.seen >= RACY_SECONDS:
                found[entry.path] = before  # settled and unchanged: the same stamp, compared
                continue  # by identity (years of meetings are thousands of files a poll)
            seen = before.seen if before is not None and before.stat == key else now
            if is_first:
                seen = now - RACY_SECONDS
            digest = before.digest if before is not None and before.stat == key else None
            if now - seen < RACY_SECONDS and len(key) > 1 and stat.S_ISREG(key[-1]):
                digest = _digest(Path(entry.path))
            found[entry.path] = FileStamp(key, digest, seen)
    return found
