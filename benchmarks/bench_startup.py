"""Measures process start -> first frame of `study` against a minimal Textual app (budget 1.2x).

Each app runs in its own process on a pseudo-terminal (110x34), as a user would start it. It
writes `time.time()` to the file named by `STUDY_FIRST_FRAME_FILE` from a `call_after_refresh`
scheduled on mount (the first frame is on screen). The minimal app (a label and a footer) then
exits; `study` goes on to open the store, start the runner and load the bundled curriculum, writes
the time the agenda is shown to `STUDY_LOADED_FILE`, and exits: that second figure is printed for
information, not budgeted. Runs alternate between the two apps; the figures are medians. Exits 1
when `study`'s first frame takes more than 1.2x the minimal app's.

    .venv/bin/python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.2
"""`study`'s first frame may take at most this many times the minimal app's."""
SIZE = (34, 110)

MINIMAL_APP = """
import os, time
from textual.app import App
from textual.widgets import Footer, Label

class Minimal(App):
    def compose(self):
        yield Label("Hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        with open(os.environ["STUDY_FIRST_FRAME_FILE"], "w") as marker:
            marker.write(f"{time.time():.6f}\\n")
        self.exit()

Minimal().run()
"""


def first_frame(
    command: list[str], env: dict[str, str], marker: Path, loaded: Path | None = None
) -> tuple[float, float | None]:
    """Seconds from starting `command` on a pty to its first frame (and to its loaded agenda)."""
    marker.unlink(missing_ok=True)
    if loaded is not None:
        loaded.unlink(missing_ok=True)
        env = {**env, "STUDY_LOADED_FILE": str(loaded)}
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    env = {**env, "STUDY_FIRST_FRAME_FILE": str(marker), "TERM": "xterm-256color"}
    drained = threading.Thread(target=_drain, args=(primary,), daemon=True)
    drained.start()
    start = time.time()
    process = subprocess.Popen(
        command,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(secondary)
    try:
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    drained.join(timeout=5)
    if not marker.exists() or (loaded is not None and not loaded.exists()):
        raise SystemExit(f"{command}: no first frame reported (exit {process.returncode})")
    at_loaded = float(loaded.read_text().strip()) - start if loaded is not None else None
    return float(marker.read_text().strip()) - start, at_loaded


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "STUDY_HOME": str(Path(scratch) / "home")}
        env.pop("TEXTUAL", None)
        marker, loaded = Path(scratch) / "first-frame", Path(scratch) / "loaded"
        minimal = [sys.executable, "-c", MINIMAL_APP]
        study = [sys.executable, "-m", "tracker", "--curriculum", str(ROOT)]
        first_frame(study, env, marker, loaded)  # once: creates the database, warms the caches
        first_frame(minimal, env, marker)
        base, ours, agenda = [], [], []
        for _ in range(args.runs):
            base.append(first_frame(minimal, env, marker)[0])
            frame, shown = first_frame(study, env, marker, loaded)
            ours.append(frame)
            agenda.append(shown or 0.0)
    base_s, ours_s = statistics.median(base), statistics.median(ours)
    ratio = ours_s / base_s
    print(
        f"app start to first frame {ours_s:.3f} s = {ratio:.2f} x a minimal Textual app's"
        f" {base_s:.3f} s (budget {BUDGET} x; median of {args.runs});"
        f" agenda loaded and shown at {statistics.median(agenda):.3f} s"
    )
    if ratio > BUDGET:
        print(f"over budget: {ratio:.2f} x > {BUDGET} x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
