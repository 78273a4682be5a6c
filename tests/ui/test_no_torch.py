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
