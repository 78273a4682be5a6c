"""Provides `study` (and `study app`): opens the Textual app."""

from __future__ import annotations

import argparse
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.runner.runner import Runner
    from tracker.store.progress_store import ProgressStore
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


def build_app(
    args: argparse.Namespace,
    store: ProgressStore | None = None,
    runner: Runner | None = None,
    *,
    paused_gc: bool = False,
) -> TrackerApp:
    """The app for `args` (the CLI, the tests and the benchmarks share this factory).

    Args:
        args: The parsed arguments (`curriculum`, `lang`, `python`, and `clock` when `study`
            made one from `--today`).
        store: An open `ProgressStore`; default: the user's database, opened after the first
            frame.
        runner: A `SnippetRunner` or `FakeRunner`; default: a `SnippetRunner` on `args.python`,
            made and started once the curriculum is shown.
        paused_gc: Whether the caller paused the garbage collector for the start (`run` does);
            the app resumes it once the curriculum is on screen.

    Returns:
        The app, not yet running.
    """
    from tracker.ui.app import UI_BUSY_TIMEOUT_MS, TrackerApp

    python = getattr(args, "python", None) or None

    def open_store() -> ProgressStore:
        from tracker.paths import database_path
        from tracker.store.progress_store import ProgressStore

        return ProgressStore.open(database_path(create=False), busy_timeout_ms=UI_BUSY_TIMEOUT_MS)

    def make_runner() -> Runner:
        from tracker.runner.runner import SnippetRunner

        return SnippetRunner(python=python)

    return TrackerApp(
        root=args.curriculum,
        store=store if store is not None else open_store,
        runner=runner if runner is not None else make_runner,
        clock=getattr(args, "clock", None),
        lang=getattr(args, "lang", "en"),
        bundled=bool(getattr(args, "bundled", False)),  # set by `study` (tracker.cli.main)
        paused_gc=paused_gc,
    )


def run(args: argparse.Namespace) -> int:
    """Runs the app until the user quits; returns the exit code.

    The store is opened right after the app's first frame, the runner started once the
    curriculum is shown (their imports and the worker's torch import do not delay either); both
    are closed when the app ends.

    Python's cyclic garbage collector is paused until the curriculum is on screen: the start
    makes some 70,000 objects that live as long as the app (modules, classes, styles, widgets)
    and frees almost none, so each collection on the way is waste (40 ms of the first screen's
    start, measured by `benchmarks/bench_startup.py`). The app then collects once (the start's
    few cycles), freezes the rest (`gc.freeze`) and collects as usual.
    """
    from tracker.ui.graphics import prepare_images

    gc.disable()
    prepare_images()  # asks the terminal for its graphics protocol, which Textual will not allow
    app = build_app(args, paused_gc=True)
    try:
        app.run()
    finally:
        app.close_services()
    return app.return_code or 0
