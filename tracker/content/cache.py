"""Provides `DraftCache`: per-file drafts kept on disk, keyed by a hash of each file's path and
bytes, and the curriculum last resolved from them.

The cache is disposable: two pickles per curriculum root under `tracker.paths.cache_dir()`,
stamped with a format version and a fingerprint of the loader's and the domain's source files,
so a new loader never reads an old draft:

- `curriculum-<root>.pickle`, the drafts, by file: a load parses only the files that changed;
- `resolved-<root>.pickle`, the last `Curriculum` with the keys of the files it came from: a
  load where no file changed (the app's start, most often) reads it alone, and imports neither
  the parser nor the resolver.

A cache file that cannot be read, for whatever reason, is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tracker import paths

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tracker.content.drafts import FileDraft
    from tracker.domain.curriculum import Curriculum

__all__ = ["CACHE_VERSION", "DraftCache", "content_key"]

CACHE_VERSION = 2
"""Bump when the drafts change shape (the source fingerprint catches most changes anyway)."""
_MAGIC = "study-tracker-drafts"
_RESOLVED_MAGIC = "study-tracker-resolved"


def _constructor_pickler(handle: BinaryIO) -> pickle.Pickler:
    """A pickler that stores dataclasses as constructor calls (positional), not slot states.

    Frozen slotted dataclasses otherwise unpickle through a Python `__setstate__` per object,
    several times slower than calling the constructor.
    """
    fields_of: dict[type, tuple[str, ...]] = {}

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: object) -> Any:
            cls = type(obj)
            names = fields_of.get(cls)
            if names is None:
                if not dataclasses.is_dataclass(cls):
                    return NotImplemented
                names = fields_of[cls] = tuple(f.name for f in dataclasses.fields(cls))
            return cls, tuple(getattr(obj, name) for name in names)

    return _Pickler(handle, pickle.HIGHEST_PROTOCOL)


def content_key(path: str, data: bytes) -> bytes:
    """The cache key of one file: a BLAKE2b digest of its path and its bytes."""
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=20)
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()


def _fingerprint() -> str:
    """A digest of the stamps (name, size, modification time) of the loader's source files and
    the domain's, which the resolver builds on: an edit or an upgrade changes it. Stamps, not
    bytes: reading some 30 files took a millisecond of each start."""
    package = Path(__file__).resolve().parent
    sources = [*sorted(package.glob("*.py")), *sorted((package.parent / "domain").glob("*.py"))]
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    for source in sources:
        with contextlib.suppress(OSError):
            info = source.stat()
            digest.update(f"{source.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class DraftCache:
    """The drafts of one curriculum root, and the curriculum last resolved from them; each file
    is read when first asked for, and saved when anything changed.

    Args:
        root: The curriculum root (its resolved path names the cache files).
    """

    __slots__ = (
        "_entries",
        "_fingerprint",
        "_is_dirty",
        "_resolved",
        "_used",
        "path",
        "resolved_path",
    )

    def __init__(self, root: Path) -> None:
        name = hashlib.blake2b(
            str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=8
        ).hexdigest()
        self.path = paths.cache_dir() / f"curriculum-{name}.pickle"
        """Where the drafts live."""
        self.resolved_path = self.path.with_name(f"resolved-{name}.pickle")
        """Where the last resolved curriculum lives."""
        self._fingerprint = _fingerprint()
        self._entries: dict[bytes, FileDraft] | None = None
        """The drafts on disk, once read (None before)."""
        self._used: dict[bytes, FileDraft] = {}
        self._is_dirty = False
        self._resolved: tuple[bytes, Curriculum] | None = None
        """A curriculum resolved in this load, to save, with its files' key."""

    def _read(self) -> dict[bytes, FileDraft]:
        try:
            with self.path.open("rb") as handle:
                magic, fingerprint, entries = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception:  # a corrupt or foreign cache file: ignore it, it will be rewritten
            self._is_dirty = True
            return {}
        if magic != _MAGIC or fingerprint != self._fingerprint or not isinstance(entries, dict):
            return {}
        return entries

    def resolved(self, keys: Sequence[bytes | None]) -> Curriculum | None:
        """The curriculum last resolved from exactly these files, or None.

        Args:
            keys: Every file's `content_key`, in load order (None for a file that could not be
                read: such a load is never served from the cache).
        """
        whole = _whole_key(keys)
        if whole is None:
            return None
        try:
            with self.resolved_path.open("rb") as handle:
                magic, fingerprint, key, curriculum = pickle.load(handle)
        except Exception:  # missing, corrupt or foreign: resolved afresh and rewritten
            return None
        if magic != _RESOLVED_MAGIC or fingerprint != self._fingerprint or key != whole:
            return None
        return curriculum  # type: ignore[no-any-return]

    def put_resolved(self, keys: Sequence[bytes | None], curriculum: Curriculum) -> None:
        """Remembers the curriculum resolved from the files of `keys` (see `resolved`)."""
        whole = _whole_key(keys)
        if whole is not None:
            self._resolved = (whole, curriculum)

    def get(self, key: bytes) -> FileDraft | None:
        """The cached draft for `key`, or None."""
        if self._entries is None:
            self._entries = self._read()
        draft = self._entries.get(key)
        if draft is not None:
            self._used[key] = draft
        return draft

    def put(self, key: bytes, draft: FileDraft) -> None:
        """Remembers a freshly made draft."""
        self._used[key] = draft
        self._is_dirty = True

    def save(self) -> None:
        """Writes the drafts used in this load (dropping the rest) when anything changed, and
        the curriculum resolved in it."""
        if self._resolved is not None:
            whole, curriculum = self._resolved
            _write(self.resolved_path, (_RESOLVED_MAGIC, self._fingerprint, whole, curriculum))
            self._resolved = None
        unchanged = self._entries is None or len(self._used) == len(self._entries)
        if self._is_dirty or not unchanged:  # (None: served whole, the drafts were not read)
            _write(self.path, (_MAGIC, self._fingerprint, self._used))


def _whole_key(keys: Sequence[bytes | None]) -> bytes | None:
    """One key for a load's files, in order; None when a file could not be read."""
    digest = hashlib.blake2b(digest_size=20)
    for key in keys:
        if key is None:
            return None
        digest.update(key)
    return digest.digest()


def _write(path: Path, value: object) -> None:
    """Pickles `value` into `path` atomically (a temporary file renamed over it); a cache that
    cannot be written costs speed, never correctness."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            _constructor_pickler(handle).dump(value)
        os.replace(temporary, path)
    except OSError:  # a read-only cache directory
        with contextlib.suppress(OSError):
            temporary.unlink()
