"""A run's figures under its output in `SnippetPane`: shown as pictures, `o` opens the PNG."""

from __future__ import annotations

import shutil
import webbrowser
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Label

from tests.conftest import ROOT, MakeApp, notifications, wait_loaded
from tests.ui.test_snippet_pane import PaneApp, _snippet
from tracker.runner import FakeRunner, RunResult, RunStatus
from tracker.ui.graphics import graphics_terminal
from tracker.ui.widgets.figure_view import (
    FIGURE_ROWS,
    SCREEN_MARGIN_ROWS,
    FigureView,
    HalfBlocks,
)
from tracker.ui.widgets.snippet_pane import SnippetPane

FIGURE = ROOT / "tests" / "fixtures" / "figures" / "bigram-counts.png"
"""The counts picture of snippet s17, as the worker saved it."""


def _fake(tmp_path: Path, count: int = 1, **fields: object) -> FakeRunner:
    paths = []
    for number in range(1, count + 1):
        path = tmp_path / f"figure-{number}.png"
        shutil.copy(FIGURE, path)
        paths.append(str(path))
    result = RunResult(RunStatus.OK, torch_version="fake", figures=tuple(paths), **fields)  # type: ignore[arg-type]
    fake = FakeRunner(default=result)
    fake.start()
    return fake


async def test_figures_appear_under_the_output_and_go_on_the_next_run(tmp_path: Path) -> None:
    app = PaneApp(_snippet("import matplotlib.pyplot as plt"), _fake(tmp_path, 2))
    async with app.run_test(size=(100, 60)) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        views = list(pane.query(FigureView))
        assert [(v.number, v.path.name) for v in views] == [
            (1, "figure-1.png"),
            (2, "figure-2.png"),
        ]
        assert views[0].region.y > pane.query_one("#output").region.y  # under the output
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(pane.query(FigureView)) == 2  # the last run's, not four


async def test_o_opens_the_png_in_the_system_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = PaneApp(_snippet("import matplotlib.pyplot as plt"), _fake(tmp_path))
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.query_one(FigureView).focus()
        await pilot.press("o")
        await pilot.pause()
    assert opened == [(tmp_path / "figure-1.png").as_uri()]


async def test_with_no_viewer_the_caption_shows_the_whole_path_to_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # as with no viewer
    seen: list[Message] = []
    app = PaneApp(_snippet("import matplotlib.pyplot as plt"), _fake(tmp_path))
    async with app.run_test(size=(80, 40), message_hook=seen.append) as pilot:
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.query_one(FigureView)
        view.focus()
        await pilot.press("o")
        await pilot.pause()
        caption = view.query_one(".figure-view--caption", Label)
        words = str(caption.render())
        fits = view.content_region.contains_region(caption.region)
    path = str(tmp_path / "figure-1.png")
    assert path in words and fits  # the whole path, inside the pane (wrapped), to copy
    assert app.clipboard == path
    (toast,) = notifications(seen, "Could not open")
    assert path not in toast.message  # no long path in a toast over the screen


async def test_a_missing_matplotlib_says_what_to_install(tmp_path: Path) -> None:
    error = (
        "Traceback (most recent call last):\n"
        '  File "<snippet s17>", line 1, in <module>\n'
        "ModuleNotFoundError: No module named 'matplotlib'\n"
    )
    fake = FakeRunner(default=RunResult(RunStatus.ERROR, error=error, torch_version="fake"))
    fake.start()
    app = PaneApp(_snippet("import matplotlib.pyplot as plt"), fake)
    async with app.run_test(size=(100, 60)) as pilot:
        pane = app.query_one(SnippetPane)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = " ".join(pane.output.split())  # the advice is wrapped to the pane
    advice = shown[shown.index("matplotlib is not installed in ") :]
    assert advice.endswith(" -m pip install matplotlib")


def test_half_blocks_keep_the_aspect_ratio_and_the_colours() -> None:
    blocks = HalfBlocks(FIGURE, rows=10)  # 679 x 701 pixels: 19 x 20 half blocks in 10 rows

    assert (blocks.columns, blocks.rows) == (19, 10)
    from rich.console import Console

    console = Console(width=80, color_system="truecolor", record=True)
    console.print(blocks)
    lines = console.export_text().splitlines()
    assert lines == ["▀" * 19] * 10
    assert "#ffffff" in console.export_html()  # the white margin, not a grey shade


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, True),
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "screen-256color", "STUDY_IMAGES": "graphics"}, True),
        ({"TERM": "xterm-kitty", "STUDY_IMAGES": "halfblocks"}, False),
    ],
)
def test_graphics_are_used_only_where_the_terminal_draws_them(
    environ: dict[str, str], expected: bool
) -> None:
    assert graphics_terminal(environ) is expected


async def test_discuss_lists_the_quiz_snippets_no_meeting_discussed(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tracker.ui.widgets.topic_view import TopicView

    root = tmp_path / "bundled"
    for folder in ("assignments", "quizzes"):
        shutil.copytree(ROOT / folder, root / folder)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        mounting = screen.select_topic("quiz:makemore-bigrams")  # type: ignore[attr-defined]
        assert mounting is not None
        await mounting  # the previous topic's panes are gone, this topic's are mounted
        panes = screen.query_one(TopicView).query(SnippetPane)
        shown = [pane.snippet.id for pane in panes]
    assert shown == ["s09", "s11", "s17", "s18"]


@pytest.mark.parametrize("size", [(100, 60), (100, 30)])
async def test_half_blocks_fill_the_panes_width_up_to_the_screens_height(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The picture (679 x 701 pixels, about square) is as wide as the pane where the screen is
    high enough (60 rows), else as high as the screen less its caption and the footer."""
    app = PaneApp(_snippet("import matplotlib.pyplot as plt"), _fake(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        figure = app.query_one(FigureView)
        image = figure.query_one(".figure-view--image")
        width, height = image.size
        if size[1] == 60:
            assert width in (figure.content_region.width - 1, figure.content_region.width), (
                width,
                figure.content_region,
            )
            assert abs(height - width * 701 / 679 / 2) < 1  # the aspect ratio kept
        else:
            assert height == size[1] - SCREEN_MARGIN_ROWS
            assert width == round(height * 2 * 679 / 701)
        assert width > 2 * FIGURE_ROWS  # wider than the 18-row picture of before
