"""Pilot tests: open questions carry over to the next meeting, a mentor TODO shows when it is ready."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual.message import Message
from textual.widgets import SelectionList

from tests.conftest import APP_NOW as NOW
from tests.conftest import MakeApp, notifications, wait_loaded
from tracker.ui.screens.discuss import DiscussScreen

SIZE = (110, 40)


def prompt_of(listing: SelectionList[str], value: str) -> str:
    """The words of the row whose value is `value`."""
    options = (listing.get_option_at_index(i) for i in range(listing.option_count))
    return next(str(o.prompt) for o in options if o.value == value)


async def test_an_open_question_shows_under_the_next_meeting_until_answered(
    tmp_path: Path, make_app: MakeApp
) -> None:
    later = NOW + timedelta(days=5)  # 10/04: the 08/04 meeting is past, 16/04 is next
    app = make_app(now=later)
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


async def test_a_mentor_todo_shows_ready_once_the_mentee_task_is_done(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        todos = app.screen.query_one("#todos", SelectionList)
        assert "ready" not in prompt_of(todos, "task/w2-push/mentor")
        revision = app.revision
        app.record(app.store.mark, ["task/w2-push"], True)
        await wait_loaded(app, pilot, revision)
        words = prompt_of(todos, "task/w2-push/mentor")
        assert words == "08/04  Review and merge the pushed work  (ready: done on 05/04)"


async def test_ctrl_z_takes_back_this_apps_action_never_another_windows(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tracker.store.progress_store import ProgressStore

    app = make_app()
    other = ProgressStore.open(tmp_path / "progress.sqlite3")  # a second window, same database
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        app.record(app.store.mark, ["llm-book/2.6"], True)
        other.mark(["perceptron-post/whole"], True, now=NOW + timedelta(minutes=1))
        await pilot.press("ctrl+z")
        await pilot.pause()
        done = {key for key, state in app.store.states().items() if state.is_done}
        assert done == {"perceptron-post/whole"}  # ours undone, the other window's kept
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [n.message for n in notifications(seen)][-1] == "Nothing to undo."
    other.close()
