"""Snapshot of a snippet pane after a run that drew a figure: the picture under the output.

The run is canned (`FakeRunner`) with the figure snippet s17 saved (`tests/fixtures/figures`),
so the snapshot shows the same picture wherever it runs; `tests/unit/test_runner_figures.py`
has the real worker draw and save figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.ui.test_figures import FIGURE
from tests.ui.test_snippet_pane import PaneApp, _snippet
from tracker.runner import FakeRunner, RunResult, RunStatus

CODE = """\
import matplotlib.pyplot as plt
plt.imshow(N, cmap="Blues")
plt.show()
"""


def test_a_figure_under_the_output(snap_compare: Any, tmp_path: Path) -> None:
    figure = tmp_path / "figure-1.png"
    shutil.copy(FIGURE, figure)
    result = RunResult(
        RunStatus.OK,
        stdout="cells with a count: 14 of 729\ndarkest cell: a. 3\n",
        torch_version="2.13.0",
        figures=(str(figure),),
    )
    fake = FakeRunner(default=result)
    fake.start()
    app = PaneApp(_snippet(CODE), fake)

    async def run_before(pilot: Any) -> None:
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("FigureView").focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(90, 36), run_before=run_before)
