"""`SnippetPane` under Pilot with the real runner: the 2213 snippet, floods, stop, reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.widgets import RichLog, TextArea

from tests.conftest import Messages
from tracker.domain.curriculum import Location, Snippet, Text
from tracker.runner import FakeRunner, RunResult, RunStatus, SnippetRunner
from tracker.ui.widgets.snippet_pane import SnippetPane

S03 = """\
import torch


class NeuralNetwork(torch.nn.Module):
    def __init__(self, num_inputs, num_outputs):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(num_inputs, 30),
            torch.nn.ReLU(),
            torch.nn.Linear(30, 20),
            torch.nn.ReLU(),
            torch.nn.Linear(20, num_outputs),
        )


model = NeuralNetwork(50, 3)
print("Total number of trainable model parameters:",
      sum(p.numel() for p in model.parameters() if p.requires_grad))
import sys
print("done", file=sys.stderr)
"""


def _snippet(code: str, **fields: object) -> Snippet:
    return Snippet(
        id="s03",
        code=code,
        location=Location("assignments/2024-04-08.yaml", 223, 9),
        code_line=226,
        title=Text("NeuralNetwork(50, 3)"),
        **fields,  # type: ignore[arg-type]
    )


class PaneApp(App[None]):
    """A tiny app hosting one pane."""

    def __init__(self, snippet: Snippet, runner: object) -> None:
        super().__init__()
        self.snippet = snippet
        self.runner = runner
        self.finished: list[RunResult] = []

    def compose(self) -> ComposeResult:
        yield SnippetPane(self.snippet, self.runner)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_snippet_pane_run_finished(self, event: SnippetPane.RunFinished) -> None:
        self.finished.append(event.result)


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


async def test_the_2213_snippet_runs_and_streams_into_the_log(runner: SnippetRunner) -> None:
    messages = Messages()
    app = PaneApp(_snippet(S03), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished))
        result = app.finished[0]
        assert result.status is RunStatus.OK, result.message
        assert "2213" in pane.output
        assert pane.output.endswith("done")  # stderr, in its place
        assert pane.result is result and not pane.is_running
        status = str(pane.query_one("#status").render())
        assert "ok" in status and "torch" in status


async def test_a_flood_leaves_the_app_responsive_and_ctrl_g_stops_it(
    runner: SnippetRunner,
) -> None:
    messages = Messages()
    flood = "while True:\n    print('x' * 10_000)\n"
    app = PaneApp(_snippet(flood, timeout=60.0), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: len(app.query_one(RichLog).lines) > 10)
        assert pane.is_running
        await pilot.press("end", "#", " ", "o", "k")  # typing goes through during the flood
        assert pane.code.startswith("while True:# ok\n")
        assert pane.is_running and not app.finished
        await pilot.press("ctrl+g")
        await messages.until(lambda: bool(app.finished))
        assert app.finished[0].status is RunStatus.INTERRUPTED
        assert app.finished[0].truncated_bytes > 0
        await pilot.press("ctrl+o")  # the mentor's version comes back
        assert pane.code == flood


async def test_an_error_and_a_restart(runner: SnippetRunner) -> None:
    messages = Messages()
    app = PaneApp(_snippet("print('before')\n1 / 0\n"), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished))
        assert app.finished[0].status is RunStatus.ERROR
        assert "ZeroDivisionError" in pane.output and "before" in pane.output
        await pilot.press("ctrl+l")
        await messages.until(lambda: runner.status == "ready")
        await pilot.press("ctrl+r")
        await messages.until(lambda: len(app.finished) == 2)
        assert app.finished[1].status is RunStatus.ERROR


async def test_the_pane_works_with_the_fake_runner() -> None:
    messages = Messages()
    fake = FakeRunner(default=RunResult(RunStatus.OK, stdout="a\nb\n", torch_version="fake"))
    fake.start()
    app = PaneApp(_snippet("print('a')"), fake)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished), 10)
        assert pane.output == "a\nb"
        assert fake.calls == ["print('a')"]


async def test_a_quick_flood_shows_the_head_and_the_tail(runner: SnippetRunner) -> None:
    messages = Messages()
    app = PaneApp(_snippet("for i in range(90_000):\n    print(f'{i:09d}')\n"), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished))
        assert app.finished[0].is_ok and app.finished[0].stdout.endswith("000089999\n")
        assert "lines not shown here" in pane.output
        assert pane.output.endswith("000089999")


async def test_scratch_mode_keeps_variables_between_runs_and_f2_turns_it_off(
    runner: SnippetRunner,
) -> None:
    messages = Messages()
    app = PaneApp(_snippet("x = 41\n"), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        editor = app.query_one(TextArea)
        await pilot.press("f2")
        assert pane.is_scratch
        assert "scratch" in str(pane.query_one("#status").render())
        await pilot.press("ctrl+r")
        await messages.until(lambda: len(app.finished) == 1)
        editor.load_text("x += 1\nprint(x)\n")
        await pilot.press("ctrl+r")
        await messages.until(lambda: len(app.finished) == 2)
        assert app.finished[1].status is RunStatus.OK
        assert pane.output.strip() == "42"

        await pilot.press("f2")
        assert not pane.is_scratch
        editor.load_text("print('x' in globals())\n")
        await pilot.press("ctrl+r")
        await messages.until(lambda: len(app.finished) == 3)
        assert pane.output.strip() == "False"


async def test_colours_render_and_other_escapes_are_shown_inert(runner: SnippetRunner) -> None:
    messages = Messages()
    code = "print('\\x1b[31mred\\x1b[0m plain \\x1b]0;title\\x07 \\x1b[2J')\n"
    app = PaneApp(_snippet(code), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: bool(app.finished))
        assert pane.output == "red plain \\x1b]0;title\\x07 \\x1b[2J"
        line = app.query_one(RichLog).lines[0]
        red = [seg for seg in line if seg.text == "red"]
        assert red and red[0].style is not None and red[0].style.color is not None
        assert red[0].style.color.number == 1  # red
        assert all("\x1b" not in seg.text for seg in line)


async def test_a_progress_line_is_rewritten_in_place_while_the_snippet_runs(
    runner: SnippetRunner,
) -> None:
    messages = Messages()
    code = (
        "import sys, time\n"
        "print('training')\n"
        "for step in range(1, 51):\n"
        "    sys.stderr.write(f'\\r{step * 2:3d}%|' + '#' * (step // 5))\n"
        "    sys.stderr.flush()\n"
        "time.sleep(60)\n"
    )
    app = PaneApp(_snippet(code, timeout=120.0), runner)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await messages.until(lambda: pane.output.endswith("100%|##########"))
        assert pane.is_running  # shown while it runs, before any newline
        assert pane.output == "training\n100%|##########"  # one line, its latest state
        await pilot.press("ctrl+g")
        await messages.until(lambda: bool(app.finished))
        assert pane.output.startswith("training\n100%|##########\n")


async def test_the_pane_hears_of_runner_status_changes_without_polling() -> None:
    messages = Messages()
    fake = FakeRunner()
    app = PaneApp(_snippet("print('a')"), fake)
    async with app.run_test(size=(100, 40), message_hook=messages.hook) as pilot:
        pane = app.query_one(SnippetPane)
        assert pane.worker_status == "stopped"
        fake.start()
        await pilot.pause()
        assert pane.worker_status == "ready"
        assert "ready" in str(pane.query_one("#status").render())
        fake.close()
        await pilot.pause()
        assert pane.worker_status == "stopped"
    assert fake._listeners == []  # the pane let go when it was unmounted
