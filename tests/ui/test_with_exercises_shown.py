"""Pilot test: "the rest of chapter 3, with the exercises" on the agenda and the item screen."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MakeApp, copy_curriculum, settle, wait_loaded
from tracker.ui.screens.item import ItemScreen
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

EXTRA = """\
  - id: w2-chapter-3
    resource: llm-book
    sections: 3.1-
    with_exercises: true
"""


async def test_sections_with_exercises_show_each_exercise_under_its_section(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    meeting = root / "assignments" / "2024-04-08.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("discuss:\n", EXTRA + "discuss:\n", 1), encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        assert app.curriculum is not None and not app.curriculum.has_errors
        listing = app.screen.query_one("#due", EntryList)
        words = listing.row_text(listing.index_of("w2-chapter-3"))
        assert "3.1, 3.2 + exercises" in words
        assert "0/4" in words  # 3.1, its exercises, 3.2, its exercises: one tick each
        listing.focus()
        listing.highlight_item("w2-chapter-3")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        checklist = app.screen.query_one(PartChecklist)
        shown = [
            str(checklist.get_option_at_index(i).prompt) for i in range(checklist.option_count)
        ]
        assert [text.split("  ")[0] for text in shown] == [
            "3.1",
            "§3.1 exercises",
            "3.2",
            "§3.2 exercises",
        ]
        await pilot.press("t")  # tick all: the sections and their exercises
        await settle(pilot)
        assert app.store.states()["llm-book/3.2/exercises"].is_done
