"""Provides `load_curriculum`: a curriculum directory to a `Curriculum`, every problem located."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.content.cache import DraftCache, content_key
from tracker.content.regular_file import (
    MAX_BYTES,
    NotRegularFileError,
    oversize_message,
    read_regular_file,
)
from tracker.errors import ContentError

if TYPE_CHECKING:
    from tracker.content.drafts import FileDraft, FileRole
    from tracker.domain.curriculum import Curriculum

__all__ = ["CATALOGUE_NAMES", "curriculum_files", "file_role", "load_curriculum"]

CATALOGUE_NAMES = frozenset({"resources.yaml", "resources.yml"})
"""The catalogue's file names in `assignments/`; every other file there is one meeting."""
_SUFFIXES = (".yaml", ".yml")


def curriculum_files(root: Path) -> list[Path]:
    """The curriculum's files: `assignments/*.yaml` then `quizzes/*.yaml` (also `.yml`), by name.

    Args:
        root: The curriculum root.

    Returns:
        The files, the catalogue first.
    """
    files: list[Path] = []
    for directory in ("assignments", "quizzes"):
        folder = root / directory
        if folder.is_dir():
            # Everything named *.yaml is listed, a FIFO or a dangling symlink too: reading it
            # then says what it is, instead of skipping it in silence.
            found = [p for p in folder.iterdir() if p.suffix in _SUFFIXES]
            files += sorted(found, key=lambda p: (p.name not in CATALOGUE_NAMES, p.name))
    return files


def file_role(path: Path) -> FileRole:
    """What a file holds: the catalogue, a quiz (under `quizzes/`), or else a meeting."""
    from tracker.content.drafts import FileRole

    if path.name in CATALOGUE_NAMES:
        return FileRole.CATALOGUE
    if path.parent.name == "quizzes":
        return FileRole.QUIZ
    return FileRole.MEETING


def load_curriculum(
    root: Path, paths: Sequence[Path] | None = None, *, use_cache: bool = True
) -> Curriculum:
    """Loads and validates a curriculum, collecting every problem instead of stopping at one.

    Args:
        root: The curriculum root (holding `assignments/` and `quizzes/`).
        paths: The files to load (default: `curriculum_files(root)`); a file's role comes from
            its name and directory (see `file_role`).
        use_cache: Whether to reuse the drafts of unchanged files from the cache directory.

    Returns:
        The curriculum; its `problems` name every problem found, by `file:line:col`.

    Raises:
        ContentError: `root` is not a directory (bad content never raises).
    """
    if paths is None:
        if not root.is_dir():
            raise ContentError(f"no curriculum directory at {root}")
        paths = curriculum_files(root)
    was_enabled = gc.isenabled()
    gc.disable()  # the load makes many small objects and frees none: collections are waste
    try:
        cache = _cache(root) if use_cache else None
        files = [(path, _read(path)) for path in paths]
        if cache is None:
            return _resolve(root, files)
        keys = [content_key(str(path), d) if isinstance(d, bytes) else None for path, d in files]
        curriculum = cache.resolved(keys)
        if curriculum is None:  # some file changed since the last load
            curriculum = _resolve(root, files, cache, keys)
            cache.put_resolved(keys, curriculum)
        cache.save()
        return curriculum
    finally:
        if was_enabled:
            gc.enable()


def _cache(root: Path) -> DraftCache | None:
    """The draft cache, or None when its directory cannot be made (a read-only home, say)."""
    try:
        return DraftCache(root)
    except OSError:
        return None  # the cache saves time, never correctness: `study check` needs no data dir


def _read(path: Path) -> bytes | str:
    """A curriculum file's bytes, or why they cannot be read (a problem's message)."""
    try:
        return read_regular_file(path, MAX_BYTES)  # an oversize file's bytes are never read
    except NotRegularFileError as exc:
        if exc.size is not None:
            return oversize_message(exc.size)
        return f"{exc.reason}: a curriculum file must be a plain YAML file"
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"


def _resolve(
    root: Path,
    files: Sequence[tuple[Path, bytes | str]],
    cache: DraftCache | None = None,
    keys: Sequence[bytes | None] = (),
) -> Curriculum:
    """Drafts every file (an unchanged one from the cache: `keys` are the files' cache keys),
    then resolves the drafts together.

    The parser and the resolver (PyYAML among their imports, 20 ms) are imported here, when a
    file changed: the app's start, with nothing changed, goes without them.
    """
    from tracker.content.drafts import FileDraft
    from tracker.content.fields import problem_at
    from tracker.content.reader import read_yaml
    from tracker.content.resolve import resolve
    from tracker.content.schema import draft_node
    from tracker.domain.curriculum import Location

    drafts: list[FileDraft] = []
    for (path, data), key in zip(files, keys or [None] * len(files), strict=True):
        name, role = str(path), file_role(path)
        if isinstance(data, str):  # unreadable: its problem, at its first line
            drafts.append(FileDraft(name, role, [problem_at(Location(name, 1, 1), data)]))
            continue
        if cache is not None and key is not None and (cached := cache.get(key)) is not None:
            drafts.append(cached)
            continue
        read = read_yaml(name, data)
        if read.node is None and read.problems:
            draft = FileDraft(name, role, read.problems)
        else:
            draft = draft_node(name, role, read.node, path.stem)
            draft.problems[:0] = read.problems
        if cache is not None and key is not None:
            cache.put(key, draft)
        drafts.append(draft)
    return resolve(str(root), drafts)
