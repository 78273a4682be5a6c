"""Pilot tests of Discuss's `o` for a topic's snippet, wherever the focus is on the screen but
the editor: it opens the last figure; ctrl+r runs the snippet last focused."""

from __future__ import annotations

import shutil
import webbrowser
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import RichLog

from tests.conftest import ROOT, MakeApp, notifications, open_section, settle
from tracker.runner import FakeRunner, RunResult, RunStatus
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.snippet_pane import SnippetPane

FIGURE = ROOT / "tests" / "fixtures" / "figures" / "bigram-counts.png"


async def test_o_opens_the_snippets_last_figure_from_the_topic_list_and_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: MakeApp
) -> None:
    figure = tmp_path / "figure-1.png"
    shutil.copy(FIGURE, figure)
    runner = FakeRunner(
        default=RunResult(RunStatus.OK, torch_version="fake", figures=(str(figure),))
    )
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    seen: list[Message] = []
    app = make_app(runner=runner)
    async with app.run_test(size=(120, 36), message_hook=seen.append) as pilot:
        await open_section(app, pilot, "discuss")
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        screen.select_topic("contiguity")
        await settle(pilot)
        topics = screen.query_one("#topics")
        assert app.focused is topics
        assert "o" not in screen.active_bindings or not screen.check_action("open_figure", ())
        revision = app.revision

        await pilot.press("ctrl+r")  # focus on the topic list: the topic's snippet runs
        await settle(pilot)
        pane = screen.query_one(SnippetPane)
        assert pane.result is not None and pane.result.status is RunStatus.OK
        assert app.revision == revision and not notifications(seen, "Curriculum reloaded")
        await pilot.press("o")  # in the editor, o is a letter of the code
        await pilot.pause()
        assert opened == [] and "o" in pane.code
        await pilot.press("escape")  # back to the topics
        await pilot.pause()
        assert app.focused is topics

        await pilot.press("o")  # the figure is not focused: it opens all the same
        await pilot.pause()
        assert opened == [figure.as_uri()]
        pane.query_one(RichLog).focus()  # from the output too
        await pilot.press("o")
        await pilot.pause()
        assert opened == [figure.as_uri()] * 2

        screen.select_topic("tensor-dims")  # no snippet: no figure to open
        await settle(pilot)
        assert not screen.check_action("open_figure", ())


async def test_ctrl_r_from_the_topics_runs_the_snippet_last_focused(make_app: MakeApp) -> None:
    """The makemore bigram topic has two snippets (s17, which draws, is the second): after
    working in the second and leaving with escape, ctrl+r runs that one, not the first."""
    runner = FakeRunner()
    app = make_app(ROOT, runner=runner)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_section(app, pilot, "discuss")
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        screen.select_topic("quiz:makemore-bigrams")
        await settle(pilot)
        first, second = list(screen.query(SnippetPane))[:2]
        second.query_one("#code").focus()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is screen.query_one("#topics")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert runner.calls == [second.code] and first.result is None
