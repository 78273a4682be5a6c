"""Pilot tests of Discuss's `o` for a topic's snippet, wherever the focus is on the screen but
the editor: it opens the last figure; ctrl+r runs the snippet last focused."""

from __future__ import annotations

import shutil
import webbrowser
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import RichLog, TextArea

from tests.conftest import ROOT, MakeApp, notifications, open_section, settle
from tracker.runner import FakeRunner, RunResult, RunStatus
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.snippet_pane import SnippetPane
from tracker.ui.widgets.topic_view import TopicView

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


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_ctrl_down_and_up_go_from_snippet_to_snippet_of_the_topic(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """The makemore bigram topic has four snippets: ctrl+down from the topic list enters the
    first, then goes to the next (after the last, the first again), ctrl+up back; each one's
    title comes into view and the footer says the key."""
    app = make_app(ROOT, runner=FakeRunner())
    async with app.run_test(size=size) as pilot:
        await open_section(app, pilot, "discuss")
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        screen.select_topic("quiz:makemore-bigrams")
        await settle(pilot)
        panes = list(screen.query(SnippetPane))
        assert [p.snippet.id for p in panes] == ["s09", "s11", "s17", "s18"]
        view = screen.query_one(TopicView)

        def shown_keys() -> dict[str, str]:
            return {b.key: b.description for _, b, on, _ in screen.active_bindings.values() if on}

        assert shown_keys().get("ctrl+down") == "Next snippet"
        visited = []
        for key in ["ctrl+down"] * 5 + ["ctrl+up"] * 2:
            await pilot.press(key)
            await settle(pilot)
            pane = next(p for p in panes if app.focused is p.query_one(TextArea))
            title = pane.query_one(".snippet-pane--title").region
            assert title in view.scrollable_content_region, (pane.snippet.id, title)
            assert shown_keys().get("ctrl+down") == "Next snippet"
            visited.append(pane.snippet.id)
        assert visited == ["s09", "s11", "s17", "s18", "s09", "s18", "s17"]
        assert all(p.code == p.snippet.code for p in panes)  # the keys moved; nothing was typed

        screen.select_topic("contiguity")  # a topic of one snippet: the key is not offered
        await settle(pilot)
        assert "ctrl+down" not in shown_keys()
