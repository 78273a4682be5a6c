"""Pilot test: positions recorded on two segments of one video, each done on its own."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from tests.conftest import MakeApp, copy_curriculum, settle, wait_loaded
from tracker.domain.item_kinds import watched
from tracker.domain.progress import item_progress
from tracker.ui.app import TrackerApp
from tracker.ui.screens.item import ItemScreen
from tracker.ui.screens.position import PositionDialog
from tracker.ui.widgets.entry_list import EntryLine, EntryList

SEGMENTS = """\
  - id: w2-first-half
    resource: tok-video
    until: "00:30:00"
  - id: w2-second-half
    resource: tok-video
    from: "00:30:00"
    until: "01:10:00"
"""


def _root(tmp_path: Path) -> Path:
    root = copy_curriculum(tmp_path)
    meeting = root / "assignments" / "2024-04-08.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("discuss:\n", SEGMENTS + "discuss:\n", 1), encoding="utf-8")
    return root


def _row(app: TrackerApp, item_id: str) -> EntryLine:
    return app.screen.query_one("#due", EntryList).line(item_id)


def _words(row: EntryLine) -> str:
    """What the row draws (its one line, cut to its width)."""
    return row.owner.row_text(row.owner.index_of(row.entry.item.id))


async def _open(app: TrackerApp, pilot: object, item_id: str) -> ItemScreen:
    """Opens the item's screen from its line on the agenda."""
    listing = app.screen.query_one("#due", EntryList)
    listing.focus()
    listing.highlight_item(item_id)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, ItemScreen)
    return app.screen


async def _record(app: TrackerApp, pilot: object, item_id: str, position: str) -> str:
    """Opens the item, records `position` in the dialog, and returns the item's count line."""
    await _open(app, pilot, item_id)
    await pilot.press("v")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, PositionDialog)
    dialog.query_one("#position-input", Input).value = position
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ItemScreen)
    count = str(app.screen.query_one("#summary-count", Label).render())
    await pilot.press("escape")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return count


async def test_two_segments_of_one_video_are_done_independently(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_root(tmp_path))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        assert app.curriculum is not None and not app.curriculum.has_errors
        items = {i.id: i for i in app.curriculum.items}
        first, second = items["w2-first-half"], items["w2-second-half"]

        # the second half first, to its end: it is done, and the first half is not started
        count = await _record(app, pilot, "w2-second-half", "01:10:00")
        assert count == "at 01:10:00 · 00:40:00 of this item's 00:40:00"
        states = app.store.states()
        assert item_progress(second, states).is_done
        assert not item_progress(first, states).is_started
        assert "40:00/40:00" in _words(_row(app, "w2-second-half"))
        assert "0:00/30:00" in _words(_row(app, "w2-first-half"))

        # a position on the first half counts for it alone: the second stays done
        count = await _record(app, pilot, "w2-first-half", "00:20:00")
        assert count == "00:20:00 of 00:30:00"
        states = app.store.states()
        assert (watched(first, states), watched(second, states)) == (1200, 4200)
        assert item_progress(second, states).is_done
        assert "20:00/30:00" in _words(_row(app, "w2-first-half"))
        assert "40:00/40:00" in _words(_row(app, "w2-second-half"))

        # undo takes back the first half's position only
        await pilot.press("ctrl+z")
        await settle(pilot)
        states = app.store.states()
        assert not item_progress(first, states).is_started
        assert item_progress(second, states).is_done
        assert "0:00/30:00" in _words(_row(app, "w2-first-half"))


async def test_a_long_chapter_title_is_cut_with_an_ellipsis(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_root(tmp_path))
    async with app.run_test(size=(70, 30)) as pilot:
        await wait_loaded(app, pilot)
        screen = await _open(app, pilot, "w2-first-half")
        chapter = screen.query_one("#summary-chapter", Label)
        whole = str(chapter.render())
        assert whole.startswith("chapter: intro: tokenization")
        shown = chapter.render_line(0).text.strip()
        assert len(shown) < len(whole)  # too long for the line: cut, and shown to be cut
        assert shown.endswith("…") and whole.startswith(shown[:-1])


async def test_the_item_screens_footer_names_its_main_key(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_root(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        keys = list(app.screen.active_bindings)
        shown = [key for key in keys if app.screen.active_bindings[key].binding.show]
        assert shown[0] == "space"  # ticking, first of the screen's keys
        assert app.screen.active_bindings["space"].binding.description == "Tick"
