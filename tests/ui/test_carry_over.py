"""Pilot tests: open questions carry over to the next meeting, a mentor TODO shows when it is ready."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual.widgets import SelectionList

from tests.ui.app_harness import NOW, make_app, wait_loaded
from tracker.ui.screens.discuss import DiscussScreen

SIZE = (110, 40)


def prompt_of(listing: SelectionList[str], value: str) -> str:
    """The words of the row whose value is `value`."""
    options = (listing.get_option_at_index(i) for i in range(listing.option_count))
    return next(str(o.prompt) for o in options if o.value == value)


async def test_an_open_question_shows_under_the_next_meeting_until_answered(
    tmp_path: Path,
) -> None:
    later = NOW + timedelta(days=5)  # 10/04: the 08/04 meeting is past, 16/04 is next
    app = make_app(tmp_path, now=later)
    app.store.add_question(date(2024, 4, 8), "Why does .view need contiguity?", now=NOW)
    answered = app.store.add_question(date(2024, 4, 8), "What is a stride?", now=NOW)
    app.store.tick_question(answered, True, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiscussScreen)
        assert "My questions for 16/04" in str(screen.query_one("#questions-title").render())
        listing = screen.query_one("#questions", SelectionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts == ["Why does .view need contiguity?  (from 08/04)"]
        assert not screen.query_one("#questions-empty").display

        listing.focus()
        await pilot.press("space")  # answered at last: it stops carrying over
        await pilot.pause()
        assert all(q.is_done for q in app.store.questions())
        assert listing.option_count == 0
        assert screen.query_one("#questions-empty").display


async def test_a_mentor_todo_shows_ready_once_the_mentee_task_is_done(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        todos = app.screen.query_one("#todos", SelectionList)
        assert "ready" not in prompt_of(todos, "task/w2-push/mentor")
        revision = app.revision
        app.record(app.store.mark, ["task/w2-push"], True)
        await wait_loaded(app, pilot, revision)
        words = prompt_of(todos, "task/w2-push/mentor")
        assert words == "08/04  Review and merge the pushed work  (ready: done on 05/04)"
