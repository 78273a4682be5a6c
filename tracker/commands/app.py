"""Provides `study` (and `study app`): opens the Textual app."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="the Python that runs snippets (one with torch; default: this one)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "hy"),
        default="en",
        help="the language of the mentor's text at start (ctrl+t switches)",
    )


def build_app(args: argparse.Namespace, store: Any, runner: Any) -> TrackerApp:
    """The app for `args`, on an open store and runner (the CLI and the tests share this).

    Args:
        args: The parsed arguments (`curriculum`, `lang`).
        store: An open `ProgressStore`.
        runner: A `SnippetRunner` (started or not; the app starts it after its first frame).

    Returns:
        The app, not yet running.
    """
    from tracker.ui.app import TrackerApp

    return TrackerApp(root=args.curriculum, store=store, runner=runner, lang=args.lang)


def run(args: argparse.Namespace) -> int:
    """Runs the app until the user quits; returns the exit code.

    The store is opened here (a few milliseconds); the runner's worker process starts after the
    app's first frame, so that importing torch there does not slow the first frame down.
    """
    from tracker.paths import database_path
    from tracker.runner.runner import SnippetRunner
    from tracker.store.progress_store import ProgressStore

    store = ProgressStore.open(database_path())
    runner = SnippetRunner(python=getattr(args, "python", None) or None)
    try:
        build_app(args, store, runner).run()
    finally:
        runner.close()
        store.close()
    return 0
