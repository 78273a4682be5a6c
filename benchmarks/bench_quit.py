"""Measures quitting: from the `q` key to the process's exit, shortly after start and later.

`study` runs on a pseudo-terminal (as `bench_startup.py` runs it) on the bundled curriculum, from
an empty directory; once the agenda is drawn, the benchmark waits `--after` seconds (1: the
snippet worker is still importing torch; 5: it is warm), types `q`, and times the exit. Each
delay is run `--runs` times; the figures are medians. Budget: quit <= 1 s (README).

    .venv/bin/python benchmarks/bench_quit.py [--runs N] [--after S ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import Screen, compile_package, run_on_pty

ROOT = Path(__file__).resolve().parent.parent
SHOWN = "ue on "
"""What the agenda draws once the curriculum is shown (its `Due on`/`Was due on` line)."""
BUDGET_S = 1.0


def quit_once(env: dict[str, str], cwd: Path, after: float) -> float:
    """Seconds from typing `q` (`after` seconds after the agenda was drawn) to the exit."""
    typed: list[float] = []

    def keys(fd: int, screen: Screen) -> None:
        if typed or SHOWN.encode() not in screen.seen:
            return
        typed.append(0.0)

        def type_q() -> None:
            time.sleep(after)
            typed[0] = time.perf_counter() - screen.started
            os.write(fd, b"q")

        threading.Thread(target=type_q, daemon=True).start()

    done = run_on_pty(
        [sys.executable, "-m", "tracker"], env=env, cwd=cwd, wanted=[SHOWN], keys=keys
    )
    if not typed or done.returncode != 0:
        raise SystemExit(f"study did not quit cleanly (exit {done.returncode}):\n{done.tail}")
    return done.exited - typed[0]


def main() -> int:
    """Runs the benchmark; returns 1 when a median is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--after", type=float, nargs="+", default=[1.0, 5.0])
    args = parser.parse_args()
    compile_package(ROOT)
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        env = {**os.environ, "STUDY_HOME": str(Path(scratch) / "home"), "PYTHONPATH": str(ROOT)}
        env.pop("TEXTUAL", None)
        quit_once(env, empty, 5.0)  # once: creates the database, warms the caches
        for after in args.after:
            times = [quit_once(env, empty, after) for _ in range(args.runs)]
            median = statistics.median(times)
            failed |= median > BUDGET_S
            print(
                f"quit {after:g} s after the agenda: {median:.3f} s from the key to the exit"
                f" (median of {args.runs}: {', '.join(f'{t:.2f}' for t in times)};"
                f" budget {BUDGET_S:g} s; load {os.getloadavg()[0]:.2f})"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
