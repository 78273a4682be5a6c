"""Pilot test of the position dialog on positions as typed or pasted: link forms and look-alike
colons read, and a long message shown whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widgets import Input, Label

from tests.conftest import MakeApp, wait_loaded
from tracker.domain.item_kinds import watched
from tracker.ui.app import TrackerApp
from tracker.ui.screens.item import ItemScreen
from tracker.ui.screens.position import PositionDialog
from tracker.ui.widgets.entry_list import EntryList

if TYPE_CHECKING:
    from textual.pilot import Pilot


async def _open_dialog(app: TrackerApp, pilot: Pilot[None]) -> PositionDialog:
    """The position dialog of the 01/04 video (carried over)."""
    await wait_loaded(app, pilot)
    listing = app.screen.query_one("#carried", EntryList)
    listing.focus()
    listing.highlight_item("w1-video")
    await pilot.press("enter", "v")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, PositionDialog)
    return dialog


async def test_a_pasted_position_is_read_and_a_look_alike_colon_is_read_as_a_colon(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(app, pilot)
        hint = dialog.query_one("#position-hint", Label)

        dialog.query_one("#position-input", Input).value = "30\u058927"  # Armenian full stop
        await pilot.pause()
        assert "→ 00:30:27 (read '\u0589' as ':')" in str(hint.render())
        assert not hint.has_class("-invalid")
        await pilot.press("enter")  # the mentee's intent is clear: it is saved
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        item = app.screen.item
        assert item is not None and watched(item, app.store.states()) == 30 * 60 + 27

        await pilot.press("v")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PositionDialog)
        hint = dialog.query_one("#position-hint", Label)
        dialog.query_one("#position-input", Input).value = "2266s"
        await pilot.pause()
        assert "→ 00:37:46" in str(hint.render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert watched(item, app.store.states()) == 2266


async def test_a_long_message_wraps_inside_the_dialog(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        hint = dialog.query_one("#position-hint", Label)
        link = "https://www.youtube.com/watch?v=kCc8FmEb1nY&t=2266s"
        dialog.query_one("#position-input", Input).value = link
        await pilot.pause()
        words = str(hint.render())
        assert hint.has_class("-invalid") and words.endswith("(did you mean '00:37:46'?)")
        box = dialog.query_one(Vertical)
        assert box.content_region.contains_region(hint.region)  # not cut at the dialog's edge
        assert hint.region.height >= len(words) // box.content_region.width + 1
        await pilot.press("enter")  # refused: the dialog stays
        await pilot.pause()
        assert app.screen is dialog
