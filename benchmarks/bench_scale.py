"""Benchmarks the app on years of meetings: 2,000 meetings / 20,000 items, and 1,000,000 events.

Each app runs in its own process on a pseudo-terminal (110x34), as a user would run it, driven by
Textual's auto-pilot (the keys a user types); the app itself knows nothing of the benchmark.
Each step is timed from the key to the screen being drawn and idle:

- the generated curriculum (2,000 meetings, 20,000 items, 2,000 topics, a mentee who did all but
  every 25th item): Meetings (`m`), Discuss (`d`), back to the Agenda (`a`), Meetings again,
  quit (`q`, to the process's exit), and the process's peak memory;
- the app on a 1,000,000-event log: Stats (`s`) until its figures are drawn, then quit;
- the same steps on the bundled curriculum (which must not regress) and on a minimal Textual app
  (two screens, a label and a 20-row list): the baselines, measured in the same run.

Prints every figure beside its budget and as a ratio against the baselines; exits 1 when a
figure is over its budget.

    .venv/bin/python benchmarks/bench_scale.py [--events N] [--keep DIR]

The generated data is kept between runs (`--keep`): the event log takes a minute to write.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import compile_package, run_on_pty  # noqa: E402

STEP_BUDGET = 1.0
"""Seconds for a screen switch or a quit on the 2,000-meeting curriculum (goal 0.5 s)."""
MEMORY_BUDGET = 200.0
"""MiB of peak memory on the 2,000-meeting curriculum (goal 120)."""
STATS_BUDGET = 2.0
"""Seconds for the Stats figures on 1,000,000 events (goal 0.5 s)."""
STATS_QUIT_BUDGET = 1.0
"""Seconds to quit after Stats on 1,000,000 events (goal 0.3 s)."""
BUNDLED_BUDGET = 0.6
"""Seconds for any step on the bundled curriculum."""
EVENTS = 1_000_000
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "180"))
"""Seconds before an app that has not finished is killed (the run then fails)."""

MINIMAL_APP = """
import json, os, resource, sys, time
from textual.app import App
from textual.screen import Screen
from textual.widgets import Footer, Label, ListItem, ListView

class Home(Screen):
    def compose(self):
        yield Label("Hello")
        yield Footer()

class Listing(Screen):
    def compose(self):
        yield ListView(*(ListItem(Label(f"row {n}")) for n in range(20)))
        yield Footer()

class Minimal(App):
    MODES = {"home": Home, "listing": Listing}
    DEFAULT_MODE = "home"
    BINDINGS = [("m", "switch_mode('listing')", "List"), ("a", "switch_mode('home')", "Home"),
                ("q", "quit", "Quit")]

sys.path.insert(0, os.environ["BENCH_DIR"])
from bench_scale import drive
Minimal().run(auto_pilot=drive(["m", "a", "m", "a"], os.environ["BENCH_OUT"]))
"""

STUDY_APP = """
import os, sys
sys.path.insert(0, os.environ["BENCH_DIR"])
from argparse import Namespace
from pathlib import Path
from tracker.commands.app import build_app
from tracker.runner.fake import FakeRunner
from bench_scale import drive

app = build_app(Namespace(curriculum=Path(sys.argv[1]), lang="en"), runner=FakeRunner())
try:
    app.run(auto_pilot=drive(sys.argv[2].split(","), os.environ["BENCH_OUT"]))
finally:
    if app.store is not None:
        app.store.close()
"""


def drive(keys: list[str], out: str):  # type: ignore[no-untyped-def]
    """The auto-pilot: waits for the first screen, types `keys`, timing each, then quits.

    A step ends when the screen shown after the key has been laid out and painted since the key
    was pressed (its `screen_layout_refresh_signal`, which Textual publishes as it sends the new
    frame to the terminal), its workers are done (the Stats figures) and the app is idle.
    Writes `{"steps": [[key, wall seconds, CPU seconds], ...], "quit_at": time.time(),
    "quit_cpu": CPU seconds so far}` to `out` just before it presses `q`.
    """
    import time

    from textual.pilot import WaitForScreenTimeout

    painted: list[object] = []
    """The screens laid out and painted with the curriculum in, since the last key."""
    watched: set[int] = set()

    def watch(screen) -> None:  # type: ignore[no-untyped-def]
        def laid_out(screen) -> None:  # type: ignore[no-untyped-def]
            if getattr(screen.app, "curriculum", True) is not None:
                painted.append(screen)

        if id(screen) not in watched:
            watched.add(id(screen))
            screen.screen_layout_refresh_signal.subscribe(screen.app, laid_out, True)

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        while True:
            watch(app.screen)
            try:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
            except WaitForScreenTimeout:  # far over budget, but still to be measured
                continue
            if not any(w.is_running for w in app.workers) and app.screen in painted:
                return

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.screen_change_signal.subscribe(pilot.app, watch, True)
        await settle(pilot)
        steps = [["start", time.time(), time.process_time()]]  # since the process began
        for key in keys:
            start, cpu = time.perf_counter(), time.process_time()
            painted.clear()
            await pilot.press(key)
            await settle(pilot)
            steps.append([key, time.perf_counter() - start, time.process_time() - cpu])
        figures = {
            "steps": steps,
            "peak_mib": _peak_mib(),
            "quit_at": time.time(),
            "quit_cpu": time.process_time(),
        }
        Path(out).write_text(json.dumps(figures), encoding="utf-8")
        await pilot.press("q")

    return auto_pilot


def _peak_mib() -> float:
    """This process's peak resident memory (`VmHWM`: since its `exec`, unlike `ru_maxrss`)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _quit_seconds(code: str, args: list[str], env: dict[str, str], out: Path) -> dict:
    """Runs the app once; the quit is timed from the pilot's last report to the process's exit."""
    import time

    out.unlink(missing_ok=True)
    env = {**env, "BENCH_OUT": str(out), "BENCH_DIR": str(Path(__file__).resolve().parent)}
    began = time.time()
    finished = run_on_pty(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, wanted=(), timeout=TIMEOUT
    )
    ended = time.time()
    if not out.exists():
        raise SystemExit(f"the app reported nothing (exit {finished.returncode}):\n{finished.tail}")
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["steps"][0][1] -= began
    figures["quit"] = [ended - figures["quit_at"], finished.cpu - figures["quit_cpu"]]
    print(f"({' '.join(args) or 'minimal app'}: {figures})", file=sys.stderr)
    return figures


def _prepare(scratch: Path, events: int) -> tuple[Path, Path, Path, Path]:
    """The generated curriculum with its progress, and the event log's curriculum and home."""
    from _scale import cached_events_db, seed_progress, write_curriculum

    from tracker.content import load_curriculum
    from tracker.store.progress_store import ProgressStore

    today = date.today()
    big = scratch / f"meetings-{today.isoformat()}"
    big_home = scratch / f"home-{today.isoformat()}"
    if not (big_home / "progress.sqlite3").exists():
        shutil.rmtree(big, ignore_errors=True)
        shutil.rmtree(big_home, ignore_errors=True)
        write_curriculum(big, today)
        os.environ["STUDY_HOME"] = str(big_home)
        curriculum = load_curriculum(big)  # warms the content cache, as a second start would
        with ProgressStore.open(big_home / "progress.sqlite3") as store:
            seed_progress(store, curriculum, today)
    db = cached_events_db(scratch, events)
    events_home = scratch / f"events-home-{db.stem}"
    events_home.mkdir(exist_ok=True)
    target = events_home / "progress.sqlite3"
    if not target.exists():
        shutil.copyfile(db, target)
    return big, big_home, scratch / "events-curriculum", events_home


def main() -> int:
    """Runs the benchmark; returns 1 when a figure is over its budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path(tempfile.gettempdir()) / "study-tracker-bench",
        help="where the generated data is kept between runs (default: %(default)s)",
    )
    args = parser.parse_args()
    compile_package(ROOT)
    with tempfile.TemporaryDirectory() as temp:
        scratch = args.keep
        scratch.mkdir(parents=True, exist_ok=True)
        big, big_home, events_root, events_home = _prepare(scratch, args.events)
        out = Path(temp) / "figures.json"
        base_env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL", "STUDY_HOME")}
        keys = "m,d,a,m,a"
        small_home = Path(temp) / "small-home"
        env = {**base_env, "STUDY_HOME": str(small_home)}
        _quit_seconds(STUDY_APP, [str(ROOT), keys], env, out)  # warms the bundled cache
        minimal = _quit_seconds(MINIMAL_APP, [], base_env, out)
        bundled = _quit_seconds(STUDY_APP, [str(ROOT), keys], env, out)
        scaled = _quit_seconds(
            STUDY_APP, [str(big), keys], {**base_env, "STUDY_HOME": str(big_home)}, out
        )
        stats = _quit_seconds(
            STUDY_APP, [str(events_root), "s"], {**base_env, "STUDY_HOME": str(events_home)}, out
        )
    return _report(minimal, bundled, scaled, stats, args.events)


NAMES = {
    "start": "first screen, loaded",
    "m": "Meetings (m)",
    "d": "Discuss (d)",
    "a": "back to Agenda (a)",
    "s": "Stats figures drawn (s)",
}


def _report(minimal: dict, bundled: dict, scaled: dict, stats: dict, events: int) -> int:
    """Prints every figure; returns 1 when one is over its budget.

    Budgets are on the CPU seconds the app spent (its threads included): on a machine shared
    with other work the wall time, printed beside, is that plus waiting for a core.
    """
    switch = max(cpu for key, _, cpu in minimal["steps"] if key != "start")
    print(
        f"baseline, a minimal Textual app: a screen switch {switch * 1000:.0f} ms CPU, quit"
        f" {minimal['quit'][1] * 1000:.0f} ms CPU, peak memory {minimal['peak_mib']:.0f} MiB"
    )
    failed = False

    def line(what: str, wall: float, cpu: float, budget: float, base: float) -> None:
        nonlocal failed
        over = cpu > budget
        failed |= over
        print(
            f"  {what}: {cpu:.3f} s CPU ({wall:.3f} s wall) = {cpu / base:.1f} x baseline"
            f" (budget {budget} s): {'OVER BUDGET' if over else 'ok'}"
        )

    for title, figures, budget in (
        ("bundled curriculum", bundled, BUNDLED_BUDGET),
        ("2,000 meetings / 20,000 items", scaled, STEP_BUDGET),
    ):
        print(title)
        for key, wall, cpu in figures["steps"]:
            if key == "start":
                print(f"  {NAMES[key]}: {cpu:.3f} s CPU ({wall:.3f} s wall; for information)")
            else:
                line(NAMES[key], wall, cpu, budget, switch)
        line("quit (q to the process's exit)", *figures["quit"], budget, minimal["quit"][1])
        memory = figures["peak_mib"]
        over = memory > MEMORY_BUDGET
        failed |= over
        print(
            f"  peak memory: {memory:.0f} MiB = {memory / minimal['peak_mib']:.1f} x baseline"
            f" (budget {MEMORY_BUDGET:.0f} MiB): {'OVER BUDGET' if over else 'ok'}"
        )
    print(f"app on {events:,} events")
    for key, wall, cpu in stats["steps"]:
        if key == "s":
            line(NAMES[key], wall, cpu, STATS_BUDGET, switch)
    line("quit after Stats", *stats["quit"], STATS_QUIT_BUDGET, minimal["quit"][1])
    print(f"  peak memory: {stats['peak_mib']:.0f} MiB (for information)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
