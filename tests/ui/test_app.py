"""Pilot tests of the tracking app: agenda, ticking, positions, undo, notes, questions."""

from __future__ import annotations

import webbrowser
from datetime import date
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import SelectionList

from tests.conftest import APP_NOW as NOW
from tests.conftest import MakeApp, entry_offset, notifications, settle, wait_loaded
from tracker.domain.agenda import AgendaEntry
from tracker.domain.item_kinds import watched
from tracker.ui.app import TrackerApp
from tracker.ui.screens.agenda import AgendaScreen
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.screens.item import ItemScreen
from tracker.ui.screens.position import PositionDialog
from tracker.ui.widgets.entry_list import EntryList

SIZE = (100, 30)


def _rows(app: TrackerApp, selector: str) -> list[AgendaEntry]:
    return app.screen.query_one(selector, EntryList).entries


async def _open(pilot: Pilot[None], app: TrackerApp, selector: str, item_id: str) -> ItemScreen:
    listing = app.screen.query_one(selector, EntryList)
    listing.focus()
    listing.highlight_item(item_id)  # carried rows sit under headings
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ItemScreen) and app.screen.item_id == item_id
    return app.screen


async def test_agenda_shows_the_next_meeting_in_order_and_what_carried(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert [e.item.id for e in _rows(app, "#due")] == [
            "w2-push",
            "w2-book",
            "w2-post",
            "w2-exercises",
        ]
        # Book 2.6 and the post of 01/04 are assigned again on 08/04: merged, not listed twice.
        carried = {e.item.id: e for e in _rows(app, "#carried")}
        assert list(carried) == ["w1-video", "w1-reading"]
        assert carried["w1-video"].carried_text == "carried x1 since 01/04"
        book = next(e for e in _rows(app, "#due") if e.item.id == "w2-book")
        assert book.carried_text == "re-assigned from 01/04"


async def test_ticking_a_unit_records_it_and_moves_the_agenda(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-book")
        await pilot.press("space")  # ticks the highlighted part: 2.6
        await pilot.pause()
        assert app.store.states()["llm-book/2.6"].is_done
        await pilot.press("down", "enter")  # and 2.7
        await pilot.pause()
        assert app.store.states()["llm-book/2.7"].is_done
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        book = next(e for e in _rows(app, "#due") if e.item.id == "w2-book")
        assert (book.progress.done, book.progress.total) == (2, 3)


async def test_tick_all_and_read_up_to(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-book")
        await pilot.press("down", "u")  # read up to 2.7: ticks 2.6 and 2.7
        await pilot.pause()
        states = app.store.states()
        assert [
            states.get(f"llm-book/{x}") and states[f"llm-book/{x}"].is_done
            for x in ("2.6", "2.7", "2.8")
        ] == [True, True, None]
        await pilot.press("escape")
        await _open(pilot, app, "#due", "w2-exercises")
        await pilot.press("t")
        await pilot.pause()
        assert all(app.store.states()[f"prob-book/1.4/ex{n}"].is_done for n in range(1, 5))


async def test_setting_a_video_position_is_validated_and_clamped(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#carried", "w1-video")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PositionDialog)
        field = app.screen.query_one("#position-input")
        field.value = "00:42:5x"
        await pilot.press("enter")  # invalid: the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, PositionDialog)
        field.value = "00:42:50"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        item = app.screen.item
        assert item is not None and watched(item, app.store.states()) == 42 * 60 + 50
        await pilot.press("v")
        await pilot.pause()
        field = app.screen.query_one("#position-input")
        field.value = "03:00:00"  # past the 02:13:35 end, and this item's 01:11:38
        await pilot.pause()
        assert "→ 01:11:38 (the end of this item)" in str(
            app.screen.query_one("#position-hint").render()
        )
        await pilot.press("enter")
        await pilot.pause()
        # a position counts for this item's segment: up to its end, not the video's
        assert watched(item, app.store.states()) == 1 * 3600 + 11 * 60 + 38
        assert app.store.states()["tok-video/position"].watched == ((0, 4298),)


async def test_undo_twice_with_a_notification_each(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-book")
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert {k for k, s in app.store.states().items() if s.is_done} == {
            "llm-book/2.6",
            "llm-book/2.7",
        }
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert {k for k, s in app.store.states().items() if s.is_done} == {"llm-book/2.6"}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not any(s.is_done for s in app.store.states().values())
        undone = [n.message for n in notifications(seen, "Undone")]
        assert len(undone) == 2 and "2.7" in undone[0] and "2.6" in undone[1]
        assert (
            undone[0] == "Unticked Build a Large Language Model (From Scratch) 2.7"
        )  # not the key
        assert app.screen.query_one("#parts").selected == []


async def test_notes_are_added_and_listed(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-post")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"second read", "enter")
        await pilot.pause()
        assert [n.text for n in app.store.notes("item/w2-post")] == ["second read"]


async def test_open_puts_a_youtube_video_at_the_saved_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: MakeApp
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        app.record(app.store.set_position, "tok-video/position", 2570)
        await _open(pilot, app, "#carried", "w1-video")
        await pilot.press("o")
        await pilot.pause()
    assert opened == ["https://www.youtube.com/watch?v=zduSFxRajkE&t=2570s"]


async def test_mentee_questions_are_added_ticked_edited_and_deleted(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    meeting = date(2024, 4, 8)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiscussScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"why row-major?", "enter")
        await pilot.pause()
        assert [(q.meeting, q.text) for q in app.store.questions()] == [(meeting, "why row-major?")]
        app.screen.query_one("#questions").focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.store.questions(meeting)[0].is_done
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "why is PyTorch row-major?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.questions(meeting)[0].text == "why is PyTorch row-major?"
        shown = app.screen.query_one("#questions", SelectionList).get_option_at_index(0)
        assert str(shown.prompt) == "why is PyTorch row-major?"  # the list shows the new words
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.questions(meeting) == []


async def test_sections_switch_by_key_and_close_item_screens(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-book")
        await pilot.press("m")
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingsScreen"
        await pilot.press("enter")  # the next meeting is highlighted
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen" and app.screen.day == "2024-04-08"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen) and len(app.screen_stack) == 1


async def test_every_action_is_in_the_command_palette(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#due", "w2-book")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Go to Agenda", "Go to Meetings", "Go to Discuss", "Go to Problems"} <= titles
        assert {"Undo", "Language", "Reload", "Theme"} <= titles
        assert {"Tick all", "Read up to here", "Note", "Open"} <= titles
        assert "Cursor up" not in titles  # a list's own cursor keys are not actions
        assert not titles & {"Focus Next", "Focus Previous", "Copy selected text"}  # Textual's
        tick_all = next(c for c in app.get_system_commands(app.screen) if c.title == "Tick all")
        await tick_all.callback()
        await pilot.pause()
        assert all(app.store.states()[f"llm-book/{x}"].is_done for x in ("2.6", "2.7", "2.8"))


async def test_language_toggle_shows_the_armenian_text(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.lang == "hy"
        push = app.screen.query_one("#due", EntryList).row_text(0)
        assert "github" in push.lower()
        assert "Քո արածները" in push


async def test_the_mouse_opens_an_item_and_ticks_a_part(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        due = app.screen.query_one("#due", EntryList)
        await pilot.click(due, offset=entry_offset(due, "w2-book"))
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == "w2-book"
        await pilot.click("#parts", offset=(4, 1))  # the second row: 2.7
        await pilot.pause()
        assert {k for k, s in app.store.states().items() if s.is_done} == {"llm-book/2.7"}


async def test_brackets_in_the_mentors_and_mentees_text_are_shown_as_written(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        app.record(app.store.add_question, date(2024, 4, 8), "why bytes([idx]) and not [b]?")
        await pilot.press("d")
        await pilot.pause()
        questions = app.screen.query_one("#questions")
        assert str(questions.get_option_at_index(0).prompt) == "why bytes([idx]) and not [b]?"
        questions.focus()
        await pilot.press("x")  # the confirmation quotes it as written too
        await pilot.pause()
        label = app.screen.query_one("ConfirmDialog Label")
        assert str(label.render()) == "Delete “why bytes([idx]) and not [b]?”?"


async def test_the_mentors_todo_is_ticked_on_the_agenda(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        app.screen.query_one("#todos").focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.store.states()["task/w2-push/mentor"].is_done
        assert app.screen.query_one("#todos").selected == ["task/w2-push/mentor"]


async def test_tick_all_on_a_video_watches_it_to_the_items_end(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _open(pilot, app, "#carried", "w1-video")
        await pilot.press("t", "escape")
        await pilot.pause()
        assert app.store.states()["tok-video/position"].watched == ((0, 1 * 3600 + 11 * 60 + 38),)
        assert "w1-video" not in [e.item.id for e in _rows(app, "#carried")]


async def test_when_every_meeting_is_past_the_last_one_is_shown(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(now=NOW.replace(month=4, day=28))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        heading = str(app.screen.query_one("#heading").render())
        assert "16/04/2024" in heading and "12 days ago" in heading
        assert "its list goes in assignments/" in heading and "bundled" not in heading


async def test_outside_a_curriculum_the_agenda_says_the_bundled_example_is_open(
    tmp_path: Path,
) -> None:
    import argparse

    from tracker.clock import Clock
    from tracker.commands.app import build_app
    from tracker.paths import bundled_curriculum
    from tracker.runner.fake import FakeRunner
    from tracker.store.progress_store import ProgressStore

    args = argparse.Namespace(  # as `study` makes them when no curriculum is found upwards
        curriculum=bundled_curriculum(), bundled=True, clock=Clock(today=date(2024, 4, 28))
    )
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    app = build_app(args, store=store, runner=FakeRunner())
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        heading = str(app.screen.query_one("#heading").render())
        assert "Last meeting:" in heading
        assert "The bundled example curriculum (read-only) · study init DIR starts your own" in (
            heading
        )
        assert "assignments/" not in heading, "no hint towards a folder the user does not have"


def test_study_passes_lang_and_python_to_the_app(tmp_path: Path) -> None:
    import argparse

    from tracker.commands.app import build_app

    args = argparse.Namespace(curriculum=tmp_path, lang="hy", python="/usr/bin/python3")
    app = build_app(args)
    assert app.lang == "hy" and not app.is_ready  # the store opens after frame 1
    runner = app.runner  # made on first use; started only after the first frame
    assert runner.python == "/usr/bin/python3" and runner.status == "stopped"  # type: ignore[attr-defined]


async def _wait_topic_shown(app: TrackerApp, pilot: Pilot[None]) -> str:
    """Waits until Discuss shows the highlighted topic; gives back the topic's id."""
    from textual.widgets import ListView

    from tracker.ui.widgets.topic_view import TopicView

    def shown() -> str | None:
        screen, curriculum = app.screen, app.curriculum
        if curriculum is None or not isinstance(screen, DiscussScreen):
            return None
        row = screen.query_one("#topics", ListView).highlighted_child
        topic_id = getattr(row, "topic_id", None)
        topic = next((t for m in curriculum.meetings for t in m.topics if t.id == topic_id), None)
        if topic is None:
            return None
        titles = [str(label.content) for label in screen.query_one(TopicView).query(".topic-title")]
        return topic.id if titles == [topic.title.get(app.lang)] else None

    await settle(pilot)
    assert shown() is not None, "the highlighted topic"
    topic_id = shown()
    assert topic_id is not None
    return topic_id


async def test_discuss_shows_a_topics_notes_and_embeds_its_snippets(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tracker.ui.widgets.snippet_pane import SnippetPane
    from tracker.ui.widgets.topic_view import TopicView

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("d")
        first = await _wait_topic_shown(app, pilot)
        view = app.screen.query_one(TopicView)
        assert not view.query(SnippetPane)  # the first topic has notes only
        await pilot.press("down")
        second = await _wait_topic_shown(app, pilot)
        assert second != first
        assert [p.snippet.id for p in view.query(SnippetPane)] == ["app-s01"]
        assert app.runner is not None and view.query_one(SnippetPane).runner is app.runner


async def test_part_checklist_ticks_in_place_and_rebuilds_for_new_words() -> None:
    from textual.app import App, ComposeResult

    from tracker.ui.widgets.part_checklist import PartChecklist

    class ChecklistApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PartChecklist()

    app = ChecklistApp()
    async with app.run_test() as pilot:
        checklist = app.query_one(PartChecklist)
        checklist.show([("a", "2.6  Tensors [x]", False), ("b", "why?", True)])
        await pilot.pause()
        first = checklist.get_option_at_index(0)
        checklist.show([("a", "2.6  Tensors [x]", True), ("b", "why?", True)])
        await pilot.pause()
        assert checklist.get_option_at_index(0) is first  # same words: ticked in place
        assert sorted(checklist.selected) == ["a", "b"]
        checklist.show([("a", "2.6  Tensors [x]", True), ("b", "why so?", False)])
        await pilot.pause()
        assert str(checklist.get_option_at_index(1).prompt) == "why so?"
        assert checklist.selected == ["a"]


async def test_keys_typed_in_a_burst_tick_the_parts_they_were_typed_on(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await _open(pilot, app, "#due", "w2-book")  # parts 2.6, 2.7, 2.8
        screen.query_one("#parts").focus()
        await pilot.pause()
        for key in ("space", "down", "space", "down", "space", "up", "space"):
            app.post_message(events.Key(key, " " if key == "space" else None))  # one burst
        await settle(pilot)
        done = {k for k, s in app.store.states().items() if s.is_done}
        assert done == {"llm-book/2.6", "llm-book/2.8"}  # 2.7 ticked, then unticked
