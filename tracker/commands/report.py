"""Provides `study report`: the next-meeting report, from the database or from progress exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.report.inputs import day_argument, name_argument

if TYPE_CHECKING:
    from tracker.clock import Clock
    from tracker.report.summary import ProgressSummary, Window


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "exports",
        nargs="*",
        metavar="PROGRESS.json",
        type=Path,
        help="progress exports (progress/*.json) to report on, one column each "
        "(default: this machine's progress database)",
    )
    parser.add_argument(
        "--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON"
    )
    parser.add_argument(
        "--meeting",
        metavar="DATE",
        type=day_argument,
        help="the meeting (2024-04-16 or 16/04/2024; default: the next one from today)",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        type=day_argument,
        help="report what was done from this day on, up to today (default: the previous "
        "meeting's day)",
    )
    parser.add_argument(
        "--name",
        type=name_argument,
        help="the mentee's name when reporting from the database (default: the login name)",
    )
    parser.add_argument("--lang", choices=("en", "hy"), default="en", help="the text's language")


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code (0 done, 1 unreadable input, 2 usage)."""
    from tracker.clock import Clock
    from tracker.content import load_curriculum
    from tracker.domain.curriculum import Severity
    from tracker.domain.terminal_text import inert, inert_json
    from tracker.errors import TrackerError
    from tracker.report.exchange import summarize_export
    from tracker.report.inputs import default_name
    from tracker.report.json_form import render_json
    from tracker.report.markdown import format_date, render_markdown
    from tracker.report.model import build_report, default_meeting, report_window

    clock: Clock = getattr(args, "clock", None) or Clock()

    try:
        curriculum = load_curriculum(args.curriculum)
    except TrackerError as error:
        print(f"study report: error: {inert(str(error))}", file=sys.stderr)
        return 1
    if curriculum.has_errors:
        count = sum(1 for p in curriculum.problems if p.severity is Severity.ERROR)
        print(
            f"study report: warning: the curriculum has {count} error(s); "
            "the report shows what could be read (run study check)",
            file=sys.stderr,
        )
    meeting = args.meeting or default_meeting(curriculum, clock.today())
    dates = [m.date for m in curriculum.meetings]
    if meeting is None:
        print(f"study report: {args.curriculum}: the curriculum has no meetings", file=sys.stderr)
        return 1
    if meeting not in dates:
        known = ", ".join(format_date(d) for d in dates)
        print(
            f"study report: error: no meeting on {format_date(meeting)}; the meetings are {known}",
            file=sys.stderr,
        )
        return 2
    try:
        window = report_window(curriculum, meeting, args.since, clock=clock)
    except ValueError as error:  # --since after today: say why rather than report nothing
        bad_since: ValueError | None = error
        window = report_window(curriculum, meeting, clock=clock)  # the exports are checked first
    else:
        bad_since = None
    # Read for the window only, and as of the clock's now (--today: nothing later).
    try:
        if args.exports:
            summaries = [summarize_export(path, window, day=clock.day_of) for path in args.exports]
        else:
            summaries = [_from_database(args.name or default_name(), window, clock)]
    except TrackerError as error:
        print(f"study report: error: {inert(str(error))}", file=sys.stderr)
        return 1
    if bad_since is not None:
        print(f"study report: error: {bad_since}", file=sys.stderr)
        return 2
    report = build_report(curriculum, summaries, meeting, args.since, lang=args.lang, clock=clock)
    # Names, questions, notes and TODOs come from exports and YAML: no live escapes on the way out.
    if args.format == "json":
        sys.stdout.write(inert_json(render_json(report)))
    else:
        sys.stdout.write(inert(render_markdown(report)))
    return 0


def _from_database(name: str, window: Window, clock: Clock) -> ProgressSummary:
    """What the report over `window` reads of this machine's progress database."""
    from tracker.paths import database_path
    from tracker.report.source import summary_from_store
    from tracker.store.progress_store import ProgressStore

    with ProgressStore.open(database_path(create=False)) as store:
        return summary_from_store(store, window, day=clock.day_of, name=name)
