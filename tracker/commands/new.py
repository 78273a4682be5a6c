"""Provides `study new`: scaffolds the next meeting's file with the unfinished work carried over."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.report.inputs import day_argument

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tracker.clock import Clock
    from tracker.domain.progress import PartState


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "date",
        nargs="?",
        metavar="DATE",
        type=day_argument,
        help="the new meeting (2024-05-06 or 06/05/2024; default: a week after the last "
        "meeting, or today when that is later; required while the last meeting is still ahead)",
    )
    parser.add_argument(
        "--progress",
        metavar="PROGRESS.json",
        type=Path,
        action="append",
        default=[],
        help="carry over what these mentees' exports leave unfinished (repeatable; "
        "default: this machine's progress database)",
    )


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code (0 written, 1 refused or unreadable, 2 usage)."""
    from tracker.cli import BUNDLED_READ_ONLY, START_YOUR_OWN, is_bundled

    if is_bundled(args):  # it ships inside the package: a file written there is lost or refused
        print(f"study new: error: {BUNDLED_READ_ONLY}; {START_YOUR_OWN}", file=sys.stderr)
        return 1
    from tracker.clock import Clock
    from tracker.content import load_curriculum
    from tracker.domain.terminal_text import inert
    from tracker.errors import TrackerError
    from tracker.report.exchange import load_export
    from tracker.report.scaffold import default_date, merge_states, scaffold_meeting
    from tracker.report.snapshot import as_of

    clock: Clock = getattr(args, "clock", None) or Clock()
    try:
        curriculum = load_curriculum(args.curriculum)
        states: Mapping[str, PartState]
        if args.progress:
            now = clock.now()
            states = merge_states(as_of(load_export(p), now).states for p in args.progress)
        else:
            states = _database_states(clock)
    except TrackerError as error:
        print(f"study new: error: {inert(str(error))}", file=sys.stderr)
        return 1
    latest = max(curriculum.meetings, key=lambda m: m.date, default=None)
    if args.date is None and latest is not None and latest.date > clock.today():
        after = default_date(curriculum, clock.today()).isoformat()
        print(
            f"study new: error: the latest meeting, {latest.date.strftime('%d/%m/%Y')} "
            f"({latest.location.path}), has not happened yet: edit it, or name the date of "
            f"the one after it (study new {after})",
            file=sys.stderr,
        )
        return 1
    day = args.date or default_date(curriculum, clock.today())
    target = args.curriculum / "assignments" / f"{day.isoformat()}.yaml"
    if target.exists():
        print(
            f"study new: error: {target} already exists; edit it, or pick another date "
            "(study new YYYY-MM-DD)",
            file=sys.stderr,
        )
        return 1
    same_day = [m for m in curriculum.meetings if m.date == day]
    if same_day:
        print(
            f"study new: error: {same_day[0].location.path} already holds the meeting of "
            f"{day.strftime('%d/%m/%Y')}; pick another date",
            file=sys.stderr,
        )
        return 1
    text = scaffold_meeting(curriculum, states, day)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        print(f"study new: error: {target} already exists", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"study new: error: {target}: cannot write: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {target}", file=sys.stderr)
    if curriculum.has_errors:
        print("study new: warning: the curriculum has errors; run study check", file=sys.stderr)
    return 0


def _database_states(clock: Clock) -> Mapping[str, PartState]:
    """The part states in this machine's progress database (as of `--today` when given)."""
    from tracker.paths import database_path
    from tracker.report.source import states_as_of
    from tracker.store.progress_store import ProgressStore

    with ProgressStore.open(database_path(create=False)) as store:
        if not clock.is_fixed:
            return store.states()
        return states_as_of(store, clock.now())
