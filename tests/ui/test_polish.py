"""Pilot tests of what a first-time user tripped over: a missing browser, the narrow footer."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Footer

from tests.ui.app_harness import make_app, wait_loaded
from tracker.ui.screens.item import ItemScreen

SIZE = (100, 30)


async def test_open_without_a_browser_says_so_and_gives_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # as with no browser
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(ItemScreen("w1-video"))
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        copied = app.clipboard
    url = "https://www.youtube.com/watch?v=zduSFxRajkE"
    assert [title for title, _ in shown] == ["Could not open"]
    assert shown[0][1].endswith(f"\n{url}")
    assert copied == url


@pytest.mark.parametrize("width", [80, 81])
async def test_the_palette_key_reaches_the_right_edge_of_a_narrow_footer(
    tmp_path: Path, width: int
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()  # the agenda mounts its footer after the first refresh
        footer = app.screen.query_one(Footer)
        assert footer.compact
        palette = footer.query_one(".-command-palette")
        assert palette.region.right == width  # no column left for a key scrolled under it
