"""The app's process never imports torch; the runner's worker process does, and runs snippets."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = """
import argparse, asyncio, sys
from pathlib import Path

from tracker.commands.app import build_app

# What `study --curriculum ROOT` builds: the real store, the real SnippetRunner (made and started
# after the first frame), the bundled curriculum.
app = build_app(argparse.Namespace(curriculum=Path(sys.argv[1]), lang="en", python=None))


async def main():
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()  # the first frame: the store opens, the load worker starts
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.curriculum is not None and app.is_ready
        # Visit every section and an item, so that every lazy import happens.
        for key in ("m", "enter", "enter", "escape", "escape", "d", "p", "a", "enter", "escape"):
            await pilot.press(key)
            await pilot.pause()
        result = await asyncio.to_thread(
            app.runner.run, "import torch; print(torch.tensor([1, 2]).sum().item())"
        )
        print("worker:", result.status, result.stdout.strip(), flush=True)
        print("ui imported torch:", "torch" in sys.modules, flush=True)
    app.runner.close()
    app.store.close()


asyncio.run(main())
"""


@pytest.mark.slow
def test_the_app_process_never_imports_torch_while_the_worker_does() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert "worker: ok 3" in lines, out.stdout
    assert "ui imported torch: False" in lines, out.stdout


SECTIONS_SCRIPT = """
import argparse, asyncio, sys
from pathlib import Path

from tracker.commands.app import build_app
from tracker.ui.app import SECTIONS

app = build_app(argparse.Namespace(curriculum=Path(sys.argv[1]), lang="en", python=None))
modules = [s.screen.partition(":")[0] for s in SECTIONS.values()]


async def main():
    async with app.run_test(size=(110, 34)) as pilot:
        print("at the first frame:", sum(m in sys.modules for m in modules), flush=True)
        await pilot.pause()
        await app.workers.wait_for_complete()  # the load, then the sections' imports
        await pilot.pause()
        await app.workers.wait_for_complete()
        print("once the agenda shows:", sum(m in sys.modules for m in modules), flush=True)
        print("sections:", len(modules), flush=True)
    app.runner.close()
    app.store.close()


asyncio.run(main())
"""


@pytest.mark.slow
def test_the_other_sections_are_imported_while_the_agenda_is_read() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SECTIONS_SCRIPT, str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = dict(line.split(": ") for line in out.stdout.splitlines() if ": " in line)
    assert int(lines["at the first frame"]) <= 1  # the agenda's own, at most
    assert lines["once the agenda shows"] == lines["sections"]  # a first visit imports nothing
