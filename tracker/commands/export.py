"""Provides `study export`: the mentee's progress as a stable, diffable JSON file for git."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tracker.report.inputs import name_argument


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
    from tracker.domain.terminal_text import inert, inert_json
    from tracker.errors import TrackerError
    from tracker.paths import database_path
    from tracker.report.exchange import dump_snapshot
    from tracker.report.inputs import default_name
    from tracker.report.source import snapshot_from_store
    from tracker.store.progress_store import ProgressStore

    name = args.name or default_name()
    try:
        with ProgressStore.open(database_path(create=False)) as store:
            text = dump_snapshot(snapshot_from_store(store, name=name))
    except TrackerError as error:
        print(f"study export: error: {inert(str(error))}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(inert_json(text))  # the same JSON, with no live escape for a terminal
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
        _write_atomically(target, text)
    except OSError as error:
        print(
            f"study export: error: {inert(str(target))}: cannot write: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0


def _write_atomically(target: Path, text: str) -> None:
    """Writes `text` to `target` through a temporary file, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
