"""Provides `study export`: the mentee's progress as a stable, diffable JSON file for git."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tracker.report.inputs import default_name, name_argument

if TYPE_CHECKING:
    from tracker.store.progress_store import ProgressStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="where to write ('-' for stdout; default: progress/<name>.json in the curriculum)",
    )
    parser.add_argument(
        "--name",
        type=name_argument,
        help="the mentee's name, written into the file (default: the login name)",
    )


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code (0 written, 1 cannot read or write)."""
    from tracker.cli import BUNDLED_READ_ONLY, START_YOUR_OWN, is_bundled
    from tracker.domain.terminal_text import inert
    from tracker.errors import TrackerError
    from tracker.paths import database_path
    from tracker.store.progress_store import ProgressStore

    if not args.output and is_bundled(args):  # it ships inside the package: never written into
        print(
            f"study export: error: {BUNDLED_READ_ONLY}; pass --output FILE, or {START_YOUR_OWN}",
            file=sys.stderr,
        )
        return 1
    name = args.name or default_name()
    try:
        store = ProgressStore.open(database_path(create=False))
    except TrackerError as error:
        print(f"study export: error: {inert(str(error))}", file=sys.stderr)
        return 1
    with store:
        return _export(args, store, name)


def _export(args: argparse.Namespace, store: ProgressStore, name: str) -> int:
    """Writes the export of the open `store`, streamed from its log; returns the exit code."""
    from tracker.domain.terminal_text import inert, inert_json
    from tracker.errors import TrackerError

    if args.output == "-":
        try:
            _write(store, name, _Inert(sys.stdout, inert_json))  # no live escape for a terminal
        except TrackerError as error:
            print(f"study export: error: {inert(str(error))}", file=sys.stderr)
            return 1
        return 0
    if args.output:
        target = Path(args.output)
    elif (args.curriculum / "assignments").is_dir():
        target = args.curriculum / "progress" / f"{name}.json"
    else:
        print(
            f"study export: error: {args.curriculum} is not a curriculum checkout (no assignments/);"
            " run it inside one, or pass --output FILE",
            file=sys.stderr,
        )
        return 2
    try:
        _write_atomically(target, lambda stream: _write(store, name, stream))
    except TrackerError as error:
        print(f"study export: error: {inert(str(error))}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"study export: error: {inert(str(target))}: cannot write: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0


class _Inert:
    """A text stream that passes what is written through `clean` first."""

    def __init__(self, stream: TextIO, clean: Callable[[str], str]) -> None:
        self._stream, self._clean = stream, clean

    def write(self, text: str) -> int:
        return self._stream.write(self._clean(text))

    def writelines(self, lines: Iterable[str]) -> None:
        self._stream.writelines(self._clean(line) for line in lines)


def _write(store: ProgressStore, name: str, stream: TextIO | _Inert) -> None:
    """Streams the export of `store` into `stream`, from one read of the database."""
    from tracker.report.exchange import write_export
    from tracker.report.source import store_sections

    with store.reading():
        write_export(stream, store_sections(store, name=name))  # type: ignore[arg-type]


def _write_atomically(target: Path, write: Callable[[TextIO], None]) -> None:
    """Writes the file through a temporary file, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
