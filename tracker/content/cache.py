"""Provides `DraftCache`: per-file drafts kept on disk, keyed by a hash of each file's path and bytes.

The cache is disposable: one pickle per curriculum root under `tracker.paths.cache_dir()`,
stamped with a format version and a fingerprint of the loader's own source, so a new loader
never reads an old draft. A cache file that cannot be read, for whatever reason, is ignored
and rewritten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, BinaryIO

from tracker import paths
from tracker.content.drafts import FileDraft

__all__ = ["CACHE_VERSION", "DraftCache", "content_key"]

CACHE_VERSION = 1
"""Bump when the drafts change shape (the source fingerprint catches most changes anyway)."""
_MAGIC = "study-tracker-drafts"


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
    """A digest of the loader's source and the domain contract it fills."""
    package = Path(__file__).resolve().parent
    sources = [*sorted(package.glob("*.py")), package.parent / "domain" / "curriculum.py"]
    digest = hashlib.blake2b(str(CACHE_VERSION).encode(), digest_size=16)
    for source in sources:
        with contextlib.suppress(OSError):
            digest.update(source.read_bytes())
    return digest.hexdigest()


class DraftCache:
    """The drafts of one curriculum root, loaded once and saved when anything changed.

    Args:
        root: The curriculum root (its resolved path names the cache file).
    """

    __slots__ = ("_entries", "_fingerprint", "_is_dirty", "_used", "path")

    def __init__(self, root: Path) -> None:
        name = hashlib.blake2b(
            str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=8
        )
        self.path = paths.cache_dir() / f"curriculum-{name.hexdigest()}.pickle"
        """Where the cache lives."""
        self._fingerprint = _fingerprint()
        self._entries: dict[bytes, FileDraft] = self._read()
        self._used: dict[bytes, FileDraft] = {}
        self._is_dirty = False

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

    def get(self, key: bytes) -> FileDraft | None:
        """The cached draft for `key`, or None."""
        draft = self._entries.get(key)
        if draft is not None:
            self._used[key] = draft
        return draft

    def put(self, key: bytes, draft: FileDraft) -> None:
        """Remembers a freshly made draft."""
        self._used[key] = draft
        self._is_dirty = True

    def save(self) -> None:
        """Writes the drafts used in this load (dropping the rest) when anything changed."""
        if not self._is_dirty and len(self._used) == len(self._entries):
            return
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            with temporary.open("wb") as handle:
                _constructor_pickler(handle).dump((_MAGIC, self._fingerprint, self._used))
            os.replace(temporary, self.path)
        except OSError:  # a read-only cache directory costs speed, never correctness
            with contextlib.suppress(OSError):
                temporary.unlink()
