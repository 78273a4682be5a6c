"""Pilot test of the position dialog on positions as pasted: link forms read, look-alikes named."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from tests.conftest import MakeApp, wait_loaded
from tracker.ui.screens.item import ItemScreen
from tracker.ui.screens.position import PositionDialog
from tracker.ui.widgets.entry_list import EntryList, EntryRow


async def test_a_pasted_position_is_read_and_a_look_alike_colon_is_named(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(app, pilot)
        listing = app.screen.query_one("#carried", EntryList)
        listing.focus()
        rows = list(listing.query(EntryRow))
        row = next(r for r in rows if r.entry.item.id == "w1-video")
        listing.index = listing.children.index(row)
        await pilot.press("enter", "v")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PositionDialog)
        hint = dialog.query_one("#position-hint", Label)

        dialog.query_one("#position-input", Input).value = "30\u058927"  # Armenian full stop
        await pilot.pause()
        assert "did you mean '00:30:27'?" in str(hint.render())
        assert hint.has_class("-invalid")
        await pilot.press("enter")  # refused: the dialog stays
        await pilot.pause()
        assert app.screen is dialog

        dialog.query_one("#position-input", Input).value = "2266s"
        await pilot.pause()
        assert "→ 00:37:46" in str(hint.render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.store.states()["tok-video/position"].position == 2266
