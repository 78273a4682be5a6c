"""Benchmarks `study report` and `study export` over a 1,000,000-event log, as the mentor runs them.

Each command runs in its own process (`python -m tracker ...`), as from a shell, on the generated
log (`_scale.seed_events`, kept between runs); its CPU seconds (user + system, start-up
included), wall time and peak memory (`VmHWM`, read by a thin wrapper after the command returns)
are printed beside their budgets and against the baseline measured in the same run: a process
that reads every row of the log with `sqlite3` (what any report must at least do) and exits.
The budgets are checked against the CPU seconds, which the other work of a shared machine does
not inflate; the wall time and the load average are printed beside them.

- `study report` from the database: budget 4 s, 500 MB (goal 2 s, 250 MB);
- `study report PROGRESS.json` over the export: budget 4 s, 500 MB (goal 2 s, 250 MB);
- `study export`: budget 5 s, 300 MB (goal 3 s, 150 MB).

Exits 1 when a figure is over its budget.

    .venv/bin/python benchmarks/bench_events.py [--events N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent

EVENTS = 1_000_000

WRAPPER = """
import json, sys, time
start = time.perf_counter()
if sys.argv[1] == "--baseline":
    import sqlite3
    rows = 0
    for row in sqlite3.connect(sys.argv[2]).execute("SELECT * FROM events"):
        rows += 1
    code = 0
else:
    from tracker.cli import main
    code = main(sys.argv[1:])
wall = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
sys.stdout.flush()
print(json.dumps({"code": code, "wall": wall, "peak_mib": peak / 1024}), file=sys.stderr)
"""

BUDGETS = {
    "report from the database": (4.0, 500.0),
    "report from the export": (4.0, 500.0),
    "export": (5.0, 300.0),
}
"""Seconds and MB for each command."""


def _run(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Runs the wrapper; returns the command's exit code, wall seconds and peak MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    try:
        figures = json.loads(done.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        message = f"{args}: no figures (exit {done.returncode}):\n{done.stderr[-2000:]}"
        raise SystemExit(message) from None
    if figures["code"]:
        raise SystemExit(f"{args}: exit {figures['code']}:\n{done.stderr[-2000:]}")
    figures["process"] = elapsed  # from the shell's point of view: start-up and exit included
    figures["cpu"] = cpu  # the same, in CPU seconds (user + system): what the load does not add
    return figures


def main() -> int:
    """Runs the benchmark; returns 1 when a figure is over its budget."""
    from _scale import cached_events_db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path(tempfile.gettempdir()) / "study-tracker-bench",
        help="where the generated data is kept between runs (default: %(default)s)",
    )
    args = parser.parse_args()
    args.keep.mkdir(parents=True, exist_ok=True)
    db = cached_events_db(args.keep, args.events)
    curriculum = args.keep / "events-curriculum"
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp) / "home"
        home.mkdir()
        shutil.copyfile(db, home / "progress.sqlite3")
        env = {**os.environ, "STUDY_HOME": str(home)}
        export = Path(temp) / "mentee.json"
        common = ["--curriculum", str(curriculum), "--today", "2026-01-01"]
        baseline = _run(["--baseline", str(home / "progress.sqlite3")], env)
        figures = {
            "report from the database": _run(["report", *common], env),
            "export": _run(["export", *common, "--output", str(export), "--name", "m"], env),
        }
        figures["report from the export"] = _run(["report", *common, str(export)], env)
        size = export.stat().st_size
    load = os.getloadavg()[0]
    print(
        f"baseline: a process reading every row of {args.events:,} events with sqlite3"
        f" {baseline['cpu']:.2f} s CPU ({baseline['process']:.2f} s wall), peak"
        f" {baseline['peak_mib']:.0f} MiB; export {size / 2**20:.1f} MiB; load average {load:.1f}"
    )
    failed = False
    for name, (seconds, megabytes) in BUDGETS.items():
        found = figures[name]
        over = found["cpu"] > seconds or found["peak_mib"] * 1.048576 > megabytes
        failed |= over
        print(
            f"{name}: {found['cpu']:.2f} s CPU = {found['cpu'] / baseline['cpu']:.1f} x baseline"
            f" ({found['process']:.2f} s wall = {found['process'] / baseline['process']:.1f} x),"
            f" peak {found['peak_mib']:.0f} MiB"
            f" (budget {seconds} s, {megabytes:.0f} MB): {'OVER BUDGET' if over else 'ok'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
