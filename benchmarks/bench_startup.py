"""Measures process start -> first frame, and -> the curriculum on screen, against a minimal Textual app.

Each app runs in its own process on a pseudo-terminal (110x34), as a user would start it, and is
watched from outside: the benchmark reads what the terminal is sent (escape sequences taken out)
and notes when a text first appears; nothing in the app knows it is measured. The minimal app (a
label and a footer) is done when "Hello" is drawn. `study`, on the bundled curriculum, draws
"Loading…" in its first frame and the agenda's "due on" line once the curriculum, the store and
the progress are in. Each app is then told to quit (ctrl+q, q). Runs alternate between the two
apps; the figures are medians.

Budgets: `study`'s first frame <= 1.2 x the minimal app's first frame; the curriculum on screen
<= 1.5 x (goal 1.2 x). Exits 1 when over budget.

    .venv/bin/python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import Screen, compile_package, run_on_pty

ROOT = Path(__file__).resolve().parent.parent
FIRST_FRAME_BUDGET = 1.2
"""`study`'s first frame may take at most this many times the minimal app's."""
SHOWN_BUDGET = 1.5
"""The curriculum on screen may take at most this many times the minimal app's first frame."""

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Label

class Minimal(App):
    def compose(self):
        yield Label("Hello")
        yield Footer()

Minimal().run()
"""

FIRST_FRAME = "Loading"
"""What `study` draws in its first frame (the agenda's heading, before the curriculum)."""
SHOWN = "ue on "
"""What `study` draws once the curriculum is shown: the agenda's `Due on`/`Was due on` line."""


def _quit_when(text: str, key: bytes):  # type: ignore[no-untyped-def]
    sent = False

    def keys(fd: int, screen: Screen) -> None:
        nonlocal sent
        if not sent and text.encode() in screen.seen:
            sent = True
            os.write(fd, key)

    return keys


def main() -> int:
    """Runs the benchmark; returns 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    compile_package(ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "STUDY_HOME": str(Path(scratch) / "home")}
        env.pop("TEXTUAL", None)
        minimal = [sys.executable, "-c", MINIMAL_APP]
        study = [sys.executable, "-m", "tracker", "--curriculum", str(ROOT)]

        def run_minimal() -> float:
            done = run_on_pty(
                minimal, env=env, cwd=ROOT, wanted=["Hello"], keys=_quit_when("Hello", b"\x11")
            )
            if b"Hello" not in done.seen:
                raise SystemExit(f"the minimal app drew nothing (exit {done.returncode})")
            return done.seen[b"Hello"]

        def run_study() -> tuple[float, float]:
            done = run_on_pty(
                study, env=env, cwd=ROOT, wanted=[FIRST_FRAME, SHOWN], keys=_quit_when(SHOWN, b"q")
            )
            if SHOWN.encode() not in done.seen:
                raise SystemExit(
                    f"study never showed its agenda (exit {done.returncode}):\n{done.tail}"
                )
            return done.seen.get(FIRST_FRAME.encode(), done.seen[SHOWN.encode()]), done.seen[
                SHOWN.encode()
            ]

        run_study()  # once: creates the database, warms the caches
        run_minimal()
        base, frames, shown = [], [], []
        for _ in range(args.runs):
            base.append(run_minimal())
            frame, agenda = run_study()
            frames.append(frame)
            shown.append(agenda)
    base_s = statistics.median(base)
    failed = False
    for what, seconds, budget in (
        ("first frame", statistics.median(frames), FIRST_FRAME_BUDGET),
        ("the curriculum on screen", statistics.median(shown), SHOWN_BUDGET),
    ):
        ratio = seconds / base_s
        over = ratio > budget
        failed |= over
        print(
            f"app start to {what} {seconds:.3f} s = {ratio:.2f} x a minimal Textual app's first"
            f" frame {base_s:.3f} s (budget {budget} x; median of {args.runs}):"
            f" {'OVER BUDGET' if over else 'ok'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
