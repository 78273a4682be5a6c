"""Provides `read_regular_file`: a file's bytes, bounded, never blocking, refusing anything else.

A curriculum file or a progress export is read only when it is a regular file (a symlink to one
is fine). A FIFO, a device (`/dev/zero`), a socket, a directory named `x.yaml`, a dangling
symlink or a symlink loop is refused with a reason that names what it is. The file is opened with
`O_NONBLOCK` and checked with `fstat` on the open descriptor, so a FIFO never blocks the caller
and a file swapped between a check and the read is still caught; at most `max_bytes + 1` bytes
are ever read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from tracker.domain.terminal_text import inert
from tracker.errors import ContentError

__all__ = [
    "MAX_BYTES",
    "NotRegularFileError",
    "open_regular_file",
    "oversize_message",
    "read_regular_file",
]

MAX_BYTES = 2 * 1024 * 1024
"""Curriculum files over this size are refused (a curriculum file is a few kilobytes)."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(ContentError):
    """The path is not a readable regular file, or is over the size limit.

    Args:
        path: The path, as given.
        reason: What it is instead ("a FIFO (named pipe)", "a dangling symlink to x.yaml", ...).
        size: The file's size when it was refused for being too big, else None.
    """

    def __init__(self, path: str, reason: str, *, size: int | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        """The path, as given."""
        self.reason = reason
        """Why it was refused, without the path."""
        self.size = size
        """The size in bytes, when the file was refused for its size."""


def oversize_message(size: int) -> str:
    """Why a curriculum file of `size` bytes (over `MAX_BYTES`) is refused.

    Args:
        size: The file's size in bytes.

    Returns:
        The problem's message, with both sizes in MiB.
    """
    return f"file is {size / 1048576:.1f} MiB, over the {MAX_BYTES // 1048576} MiB limit (split it)"


def read_regular_file(path: Path | str, max_bytes: int) -> bytes:
    """Reads a regular file of at most `max_bytes` bytes, without ever blocking.

    Args:
        path: The file (symlinks are followed).
        max_bytes: The largest size accepted.

    Returns:
        The file's bytes.

    Raises:
        NotRegularFileError: It is not a regular file (named in the reason), or it is bigger
            than `max_bytes` (`size` is set).
        OSError: It cannot be opened or read for another reason (permissions, I/O).
    """
    name = str(path)
    descriptor = _open_regular(name, max_bytes)
    try:
        chunks: list[bytes] = []
        remaining = max_bytes + 1  # one more byte shows a file that grew past the limit
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise NotRegularFileError(name, "over the size limit", size=len(data))
        return data
    finally:
        os.close(descriptor)


def open_regular_file(path: Path | str, max_bytes: int) -> BinaryIO:
    """Opens a regular file of at most `max_bytes` bytes for reading, without ever blocking.

    The same checks as `read_regular_file`, for a reader that streams the file: it must count
    what it reads, as the file may grow past `max_bytes` after the check.

    Raises:
        NotRegularFileError: It is not a regular file, or it is bigger than `max_bytes`.
        OSError: It cannot be opened for another reason (permissions, I/O).
    """
    return os.fdopen(_open_regular(str(path), max_bytes), "rb")


def _open_regular(name: str, max_bytes: int) -> int:
    """The descriptor of `name` opened non-blocking, once it is known to be a regular file of
    at most `max_bytes` bytes."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(name, flags)
    except OSError as error:
        raise _open_failure(name, error) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = next((k for test, k in _KINDS if test(info.st_mode)), "not a regular file")
            raise NotRegularFileError(name, f"{kind}, not a regular file")
        if info.st_size > max_bytes:
            raise NotRegularFileError(name, "over the size limit", size=info.st_size)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _open_failure(name: str, error: OSError) -> OSError | NotRegularFileError:
    """Names a dangling symlink or a symlink loop; other errors stay as they are."""
    if error.errno == errno.ELOOP:
        return NotRegularFileError(name, "a symlink loop (it points, in the end, back to itself)")
    if error.errno == errno.ENOENT and os.path.islink(name):
        target = inert(os.readlink(name))
        return NotRegularFileError(name, f"a dangling symlink (to {target}, missing)")
    return error
