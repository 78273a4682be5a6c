"""The snippet pane says what to install when a snippet needs a package the worker lacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.cells import cell_len
from textual.widgets import RichLog

from tests.conftest import Messages
from tests.ui.test_snippet_pane import PaneApp, _snippet
from tracker.runner import RunStatus, SnippetRunner
from tracker.ui.widgets.snippet_pane import SnippetPane


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


async def test_a_missing_package_is_named_with_its_install_command(runner: SnippetRunner) -> None:
    code = "import study_absent_vision.datasets\nprint('never')\n"
    app = PaneApp(_snippet(code, requires=("study_absent_vision", "study_absent_extra")), runner)
    messages = Messages()
    async with app.run_test(size=(120, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished))
        assert app.finished[0].status is RunStatus.ERROR
        assert "ModuleNotFoundError" in pane.output
        hint = (
            "This snippet needs study_absent_vision, study_absent_extra: run pip install"
            f" study_absent_vision study_absent_extra into the snippet worker's Python"
            f" ({runner.python})."
        )
        assert pane.install_hint("study_absent_vision") == hint
        assert hint in " ".join(pane.output.split())
        lines = pane.output.splitlines()
        advice = lines[next(i for i, line in enumerate(lines) if line.startswith("This")) :]
        width = pane.query_one(RichLog).scrollable_content_region.width
        assert len(advice) > 1 and max(cell_len(line) for line in advice) <= width  # wrapped
