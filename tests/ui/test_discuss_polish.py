"""Discuss as a first-time mentee met it: a long snippet's run in view, the worker's status
before the first run and after ctrl+l (the real worker), and escape out of the editor."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import RichLog, TextArea

from tests.conftest import ROOT, MakeApp, copy_curriculum, settle, wait_loaded
from tracker.domain.curriculum import Location, Snippet, Text
from tracker.runner import FakeRunner, RunResult, RunStatus, SnippetRunner, WorkerStatus
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.snippet_pane import SnippetPane
from tracker.ui.widgets.topic_view import TopicView

LONG_CODE = (
    "".join(f"x{n} = {n}  # line {n} of a long snippet\n" for n in range(60)) + "print(x59)\n"
)
"""Sixty lines: taller than the screen at 120x36 and at 80x24."""


def _long_snippet_curriculum(tmp_path: Path) -> Path:
    """The app fixture, with the `contiguity` topic's snippet made sixty lines long (and its
    notes a few lines longer)."""
    root = copy_curriculum(tmp_path)
    path = root / "assignments" / "2024-04-08.yaml"
    code = "".join(f"          {line}\n" for line in LONG_CODE.splitlines())
    notes = "".join(f"      - note {n} on strides\n" for n in range(8))  # as real topics have
    text = path.read_text(encoding="utf-8")
    text = text.replace("          print(sum(range(4)))\n", code)
    text = text.replace(
        "      `.reshape` copies if needed.\n", f"      `.reshape` copies.\n\n{notes}"
    )
    path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_ctrl_r_on_a_long_snippet_brings_the_status_and_the_output_into_view(
    tmp_path: Path, make_app: MakeApp, size: tuple[int, int]
) -> None:
    printed = "".join(f"line {n}\n" for n in range(10))
    runner = FakeRunner({LONG_CODE: RunResult(RunStatus.OK, stdout=printed)})
    app = make_app(_long_snippet_curriculum(tmp_path), runner=runner)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        screen.select_topic("contiguity")
        await settle(pilot)
        pane = screen.query_one(SnippetPane)
        assert pane.code == LONG_CODE
        pane.query_one(TextArea).focus()
        await pilot.pause()
        view = screen.query_one(TopicView)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert pane.result is not None and pane.output == printed.rstrip("\n")
        status, log = pane.query_one("#status").region, pane.query_one(RichLog).region
        assert log.height == 10
        assert view.region.contains_region(status.union(log)), (view.region, status, log)
        assert "last run: ok" in str(pane.query_one("#status").render())


async def test_escape_leaves_the_editor_for_the_topics_and_the_footer_says_so(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        screen.select_topic("contiguity")  # type: ignore[attr-defined]
        await settle(pilot)
        editor = screen.query_one(SnippetPane).query_one(TextArea)
        editor.focus()
        await pilot.pause()
        shown = {b.key: b.description for _, b, _, _ in screen.active_bindings.values()}
        assert shown.get("escape") == "Leave editor"
        assert "esc" in str(editor.border_subtitle)
        await pilot.press("tab")  # tab still indents in the editor
        assert app.focused is editor and editor.text.startswith("    ")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is screen.query_one("#topics")


class PaneApp(App[None]):
    """One pane on the real runner; `seen` gets every message the app handles."""

    def __init__(self, runner: SnippetRunner) -> None:
        super().__init__()
        self.runner = runner

    def compose(self) -> ComposeResult:
        snippet = Snippet(
            id="s-sum",
            code="print(sum(range(4)))\n",
            location=Location("assignments/2024-04-08.yaml", 30, 9),
            code_line=33,
            title=Text("a sum"),
        )
        yield SnippetPane(snippet, self.runner)


class Waiter:
    """A `message_hook` that lets a test wait for the first message matching a condition."""

    def __init__(self) -> None:
        self._wanted: list[tuple[Callable[[Message], bool], asyncio.Event]] = []

    def __call__(self, message: Message) -> None:
        for matches, event in self._wanted:
            if matches(message):
                event.set()

    def expect(self, matches: Callable[[Message], bool]) -> asyncio.Event:
        """An event set once a matching message is handled (call before causing it)."""
        event = asyncio.Event()
        self._wanted.append((matches, event))
        return event


def _status_is(status: WorkerStatus) -> Callable[[Message], bool]:
    return lambda m: isinstance(m, SnippetPane.RunnerStatusChanged) and m.status is status


async def test_the_status_says_warming_then_ready_before_the_first_run_and_after_ctrl_l() -> None:
    runner = SnippetRunner(spare=False)
    waiter = Waiter()
    app = PaneApp(runner)
    try:
        async with app.run_test(size=(100, 30), message_hook=waiter) as pilot:
            pane = app.query_one(SnippetPane)
            status = pane.query_one("#status")
            assert "starts once the curriculum is loaded" in str(status.render())
            warming = waiter.expect(_status_is(WorkerStatus.WARMING))
            ready = waiter.expect(_status_is(WorkerStatus.READY))
            runner.start()  # as the app does once the curriculum is loaded
            await asyncio.wait_for(warming.wait(), 30)
            await pilot.pause()
            if not ready.is_set():  # torch takes seconds to import: this is the usual case
                assert "warming up" in str(status.render())
            await asyncio.wait_for(ready.wait(), 120)
            await pilot.pause()
            assert str(status.render()) == "ready: ctrl+r runs the code"

            pane.query_one(TextArea).focus()
            before: list[str] = []  # the status as the restart's end arrives, before it is shown

            def restart_ended(message: Message) -> bool:
                if isinstance(message, SnippetPane.Restarted):  # once per node it bubbles to
                    before.append(str(status.render()))
                    return True
                return False

            restarted = waiter.expect(restart_ended)
            await pilot.press("ctrl+l")
            await asyncio.wait_for(restarted.wait(), 60)
            assert before[0] == "starting a new worker…"
            await pilot.pause()
            if runner.status is not WorkerStatus.READY:  # a dead worker starts again first
                again = waiter.expect(_status_is(WorkerStatus.READY))
                await asyncio.wait_for(again.wait(), 120)
                await pilot.pause()
            assert str(status.render()) == "new worker ready: the next run starts fresh"

            finished = waiter.expect(lambda m: isinstance(m, SnippetPane.RunFinished))
            await pilot.press("ctrl+r")
            await asyncio.wait_for(finished.wait(), 120)
            await pilot.pause()
            assert pane.output == "6"
            assert str(status.render()).startswith("ready · last run: ok")
    finally:
        runner.close()


async def test_ctrl_r_on_the_topics_runs_the_topics_snippet_not_a_reload(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tests.conftest import notifications

    runner = FakeRunner()
    app = make_app(runner=runner)
    seen: list[Message] = []
    async with app.run_test(size=(120, 36), message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        screen.select_topic("contiguity")  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.focused is screen.query_one("#topics")
        await pilot.press("ctrl+r")
        await settle(pilot)
        pane = screen.query_one(SnippetPane)
        code = pane.code
        assert runner.calls == [code]  # the snippet ran: the curriculum was not reloaded
        assert app.focused is pane.query_one(TextArea)
        assert not notifications(seen, "Curriculum reloaded")
        screen.select_topic("tensor-dims")  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        said = [n.message for n in notifications(seen)]
    assert runner.calls == [code] and said == ["This topic has no snippet to run."]


def _in_view(view: TopicView, widget: Widget, *, last_line: bool = False) -> bool:
    """Whether `widget` (or only its last line) lies inside the topic's visible area."""
    region = widget.region
    if last_line:
        region = Region(region.x, region.bottom - 1, region.width, 1)
    return bool(region) and region in view.scrollable_content_region


async def test_the_first_ctrl_r_at_80x24_shows_the_status_and_the_outputs_last_line(
    make_app: MakeApp,
) -> None:
    """The first topic (s07, 21 lines of code) in a fresh app at 80x24, ctrl+r from the topic
    list: the editor's focus (which folds the topic list away) must not leave the run's status
    and output below the screen."""
    runner = SnippetRunner(spare=False)
    waiter = Waiter()
    app = make_app(ROOT, runner=runner, now=datetime(2024, 4, 20, 12, 0, tzinfo=UTC))
    try:
        async with app.run_test(size=(80, 24), message_hook=waiter) as pilot:
            ready = waiter.expect(_status_is(WorkerStatus.READY))
            await wait_loaded(app, pilot)  # the app starts the worker
            await pilot.press("d")
            await settle(pilot)
            screen = app.screen
            assert app.focused is screen.query_one("#topics")
            pane = screen.query_one(SnippetPane)
            assert pane.snippet.id == "s07"
            if runner.status is not WorkerStatus.READY:  # as a user finds it: the run is quick
                await asyncio.wait_for(ready.wait(), 120)
                await pilot.pause()
            finished = waiter.expect(lambda m: isinstance(m, SnippetPane.RunFinished))
            await pilot.press("ctrl+r")
            await asyncio.wait_for(finished.wait(), 120)
            await settle(pilot)
            await pilot.wait_for_scheduled_animations()
            assert pane.result is not None and pane.result.status is RunStatus.OK
            view = screen.query_one(TopicView)
            status, log = pane.query_one("#status"), pane.query_one(RichLog)
            assert _in_view(view, status), (view.scrollable_content_region, status.region)
            assert _in_view(view, log, last_line=True), (view.scrollable_content_region, log.region)
            assert "last run: ok" in str(status.render())
    finally:
        runner.close()
        app.store.close()


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_run_that_draws_brings_the_status_and_the_figures_top_into_view(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """s17 (the makemore topic's third snippet) draws the bigram counts in the real worker: after
    ctrl+r the status line, the figure's caption and its first rows are on the screen."""
    runner = SnippetRunner(spare=False)
    waiter = Waiter()
    app = make_app(ROOT, runner=runner)
    try:
        async with app.run_test(size=size, message_hook=waiter) as pilot:
            ready = waiter.expect(_status_is(WorkerStatus.READY))
            await wait_loaded(app, pilot)
            await pilot.press("d")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, DiscussScreen)
            screen.select_topic("quiz:makemore-bigrams")
            await settle(pilot)
            pane = next(p for p in screen.query(SnippetPane) if p.snippet.id == "s17")
            pane.enter()
            if runner.status is not WorkerStatus.READY:
                await asyncio.wait_for(ready.wait(), 120)
            await settle(pilot)
            finished = waiter.expect(lambda m: isinstance(m, SnippetPane.RunFinished))
            await pilot.press("ctrl+r")
            await asyncio.wait_for(finished.wait(), 120)
            await settle(pilot)
            await pilot.wait_for_scheduled_animations()
            assert pane.result is not None and pane.result.status is RunStatus.OK, pane.result
            view = screen.query_one(TopicView)
            (figure,) = pane.figures
            caption, image = figure.children
            top = Region(image.region.x, image.region.y, image.region.width, 3)
            assert _in_view(view, pane.query_one("#status")), pane.query_one("#status").region
            assert _in_view(view, caption), (view.scrollable_content_region, caption.region)
            assert top in view.scrollable_content_region, (view.scrollable_content_region, top)
    finally:
        runner.close()
        app.store.close()
