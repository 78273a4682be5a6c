"""Pilot tests of what a first-time user tripped over: a missing browser, the narrow footer."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Static

from tests.conftest import MakeApp, copy_curriculum, notifications, settle, wait_loaded
from tracker.ui.screens.item import ItemScreen
from tracker.ui.toasts import TOAST_SECONDS

SIZE = (100, 30)


async def test_open_without_a_browser_says_so_and_gives_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: MakeApp
) -> None:
    """The address stays on the screen, to copy; the toast only says so, for a few seconds, and
    pressing `o` again does not stack another one over the screen."""
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # as with no browser
    app = make_app()
    seen: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(ItemScreen("w1-video"))
        await pilot.pause()
        await pilot.press("o", "o", "o")
        await pilot.pause()
        shown = notifications(seen)
        toasts = len(app.screen.query("Toast"))
        copied = app.clipboard
        detail = str(app.screen.query_one("#summary-detail", Static).render())
    url = "https://www.youtube.com/watch?v=zduSFxRajkE"
    assert [n.title for n in shown] == ["Could not open"] * 3
    assert toasts == 1  # the same toast again replaces the older one
    assert all(n.timeout <= TOAST_SECONDS for n in shown)
    assert url not in shown[0].message and "under the title" in shown[0].message
    assert url in detail.split()  # whole, on a line of the item's head, to copy
    assert copied == url


async def test_open_starts_a_video_where_the_item_starts_until_it_is_watched_past_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: MakeApp
) -> None:
    """`o` on a video item with `from:` (or a link's `t=`) and no saved position opens it at the
    item's start, not at 0:00; a position saved past the start wins."""
    root = copy_curriculum(tmp_path)
    meeting = root / "assignments" / "2024-04-08.yaml"
    meeting.write_text(
        meeting.read_text().replace(
            "discuss:",
            "  - id: w2-link\n    url: https://youtu.be/kCc8FmEb1nY?t=2266\n    until: 01:00:00\n"
            "  - id: w2-video\n    resource: tok-video\n    from: 18:15\n"
            "discuss:",
        )
    )
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        for item_id in ("w2-link", "w2-video"):
            app.push_screen(ItemScreen(item_id))
            await pilot.pause()
            await pilot.press("o")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
        app.push_screen(ItemScreen("w2-video"))
        await pilot.pause()
        await pilot.press("v", "ctrl+u", *"20:00", "enter")  # watched past 18:15
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
    assert opened == [
        "https://www.youtube.com/watch?v=kCc8FmEb1nY&t=2266s",
        "https://www.youtube.com/watch?v=zduSFxRajkE&t=1095s",
        "https://www.youtube.com/watch?v=zduSFxRajkE&t=1200s",
    ]


@pytest.mark.parametrize("width", [80, 81])
async def test_the_narrow_footer_keeps_clicks_on_agenda_rows(width: int, make_app: MakeApp) -> None:
    """The compact footer's palette key is docked flush right (app.tcss): rows still get clicks."""
    from textual.widgets import Footer

    from tests.conftest import entry_offset
    from tracker.ui.widgets.entry_list import EntryList

    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()  # the agenda mounts its footer after the first refresh
        footer = app.screen.query_one(Footer)
        palette = footer.query_one(".-command-palette")
        assert footer.compact and palette.region.right == width  # no column left beside it
        due = app.screen.query_one("#due", EntryList)
        await pilot.click(due, offset=entry_offset(due, "w2-book"))
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == "w2-book"


async def test_an_open_part_has_an_empty_box_and_a_ticked_one_a_cross() -> None:
    from textual.app import App, ComposeResult

    from tracker.ui.widgets.part_checklist import PartChecklist

    class ChecklistApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PartChecklist()

    app = ChecklistApp()
    async with app.run_test(size=(60, 10)) as pilot:
        checklist = app.query_one(PartChecklist)
        checklist.show([("a/1", "2.6", True), ("a/2", "2.7", False)])
        await pilot.pause()
        lines = [checklist.render_line(y).text for y in range(2)]
        assert lines[0].startswith("▐X▌ 2.6")
        assert lines[1].startswith("▐ ▌ 2.7")  # not by colour alone
        checklist.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert checklist.render_line(1).text.startswith("▐X▌ 2.7")


async def test_undoing_a_note_names_the_item_not_its_id(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(ItemScreen("w2-post"))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"second read", "enter")
        await pilot.pause()
        assert [n.text for n in app.store.notes("item/w2-post")] == ["second read"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        undone = [n.message for n in notifications(seen, "Undone")]
    assert undone == ["Removed the note on Linear Supervised Learning, Part 3: Perceptron"]


async def test_choice_feedback_shows_code_as_the_choice_list_does_and_markup_as_written() -> None:
    from datetime import UTC, datetime

    from textual.app import App, ComposeResult
    from textual.content import Content

    from tracker.domain.curriculum import Choice, Location, Question, QuestionType, Text
    from tracker.domain.scheduling import AGAIN
    from tracker.quiz.engine import Answer
    from tracker.quiz.grading import grade
    from tracker.ui.widgets.outcome_view import OutcomeView
    from tracker.ui.widgets.prose import CODE_STYLE

    question = Question(
        id="c-slice",
        topic="contiguity",
        type=QuestionType.SINGLE,
        prompt=Text("Which view is contiguous?"),
        location=Location("quizzes/contiguity.yaml", 3, 5),
        choices=(
            Choice(Text("`t[0]`"), is_correct=True),
            Choice(Text("[red]`t.T`[/red]"), is_correct=False),  # the mentor's text, not markup
        ),
    )
    outcome = grade(question, "b")
    assert "`t[0]`" in outcome.feedback  # the grader's words keep the mentor's backticks

    class OutcomeApp(App[None]):
        def compose(self) -> ComposeResult:
            yield OutcomeView()

    app = OutcomeApp()
    async with app.run_test(size=(80, 12)) as pilot:
        when = datetime(2024, 4, 10, tzinfo=UTC)
        view = app.query_one(OutcomeView).show(
            question, Answer(question, outcome, AGAIN, when), explanation=None
        )
        await pilot.pause()
        content = view.content
        assert isinstance(content, Content)
        plain = str(content)
    assert "`" not in plain
    assert "Not b) [red]t.T[/red]; the answer is a) t[0]." in plain
    code = [plain[span.start : span.end] for span in content.spans if CODE_STYLE in str(span.style)]
    assert code == ["t.T", "t[0]"]


def _cursor(app: object) -> tuple[str, int | None]:
    """The focused agenda list and its highlighted row."""
    from textual.widgets import OptionList

    focused = app.screen.focused  # type: ignore[attr-defined]
    row = focused.highlighted if isinstance(focused, OptionList) else focused.index
    return focused.id, row


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_arrows_go_through_every_section_of_the_agenda(
    size: tuple[int, int], make_app: MakeApp
) -> None:
    from tracker.ui.widgets.agenda_view import SECTIONS

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        lists = app.screen.query(".agenda-list")
        shown = [name for name in SECTIONS for w in lists if w.id == name and w.display]
        assert shown == ["due", "carried", "talk", "todos"]  # the fixture's 05/04 agenda
        seen = [_cursor(app)]
        for _ in range(12):
            await pilot.press("down")
            seen.append(_cursor(app))
        assert [name for name in dict.fromkeys(n for n, _ in seen)] == shown
        assert seen[-1] == seen[-2], "down stops on the last row of the last section"
        focused = app.screen.focused
        assert focused is not None and focused.region.bottom <= size[1] - 1  # above the footer
        back = [_cursor(app)]
        for _ in range(12):
            await pilot.press("up")
            back.append(_cursor(app))
        assert back[-1] == seen[0], "up comes back to the first row of the first section"
        downward = list(dict.fromkeys(seen))
        assert list(dict.fromkeys(back)) == downward[::-1]  # the same rows, the other way
        await pilot.press("tab")  # tab still moves to the next list
        assert _cursor(app)[0] == "carried"


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_long_agenda_title_is_cut_in_its_name_keeping_what_tells_items_apart(
    size: tuple[int, int], make_app: MakeApp
) -> None:
    from datetime import UTC, datetime

    from tests.conftest import ROOT, entry_region
    from tracker.ui.labels import item_title_parts
    from tracker.ui.widgets.entry_list import EntryList

    app = make_app(ROOT, now=datetime(2024, 4, 7, 18, 0, tzinfo=UTC))
    async with app.run_test(size=size) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        rows = []
        for listing in app.screen.query(EntryList).filter(".agenda-list"):
            for entry in listing.entries if listing.display else []:
                where = entry_region(listing, entry.item.id)
                if where.bottom < size[1] - 1:  # shown above the footer
                    line = listing.line(entry.item.id)
                    rows.append((line, lines[where.y][where.x : where.right].strip()))
        curriculum = app.curriculum
    assert len(rows) >= 8
    read = [words for _, words in rows]
    assert len(set(read)) == len(read), read  # no two items read the same
    for row, words in rows:
        _, detail = item_title_parts(row.entry.item, curriculum)
        assert detail in words, words  # the parts and scope stay whole; the name is cut
        note = row.entry.reassigned_text if row.is_grouped else row.entry.carried_text
        assert note in words, words  # "re-assigned from 28/03" too
    book = [w for r, w in rows if "2.6" in item_title_parts(r.entry.item, curriculum)[1]]
    assert book and "re-assigned from 28/03" in book[0]


def test_an_entry_title_gives_up_its_name_before_its_detail() -> None:
    from tracker.ui.widgets.entry_list import EntryTitle

    title = EntryTitle()
    title.show("3.", "Build a Large Language Model (From Scratch)", "2.6, 2.7, 2.8")
    assert title.words == "3. Build a Large Language Model (From Scratch) · 2.6, 2.7, 2.8"
    assert title.fitted(30).plain == "3. Build a La… · 2.6, 2.7, 2.8"
    assert title.fitted(24).plain == "3. Buil… · 2.6, 2.7, 2.8"  # the name keeps four cells
    assert title.fitted(12).plain == "3. Bui… · 2…"  # then the end is cut


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_an_item_with_a_misspelt_key_says_so_on_the_agenda_and_its_screen(
    tmp_path: Path, size: tuple[int, int], make_app: MakeApp
) -> None:
    from tests.conftest import copy_curriculum, entry_offset, entry_region
    from tracker.ui.widgets.entry_list import EntryList

    root = copy_curriculum(tmp_path)
    path = root / "assignments" / "2024-04-08.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    sections: 2.6-2.8\n", "    sectionz: 2.6-2.8\n"))
    app = make_app(root)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        due = app.screen.query_one("#due", EntryList)
        book, post = due.line("w2-book"), due.line("w2-post")
        message = "unknown key 'sectionz' in item 2 (did you mean 'sections'?)"
        assert [p.message for p in book.entry.item.problems] == [message]
        assert not post.entry.item.problems
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        where = entry_region(due, "w2-book")
        line = lines[where.y][where.x : where.right]
        post_line = lines[entry_region(due, "w2-post").y]
        assert "⚠" in line and "⚠" not in post_line  # on the agenda line itself
        if size[0] >= 120:
            assert "unknown key 'sectionz'" in line  # and what it is, where there is room
        assert due.tooltip is None
        await pilot.hover(due, offset=entry_offset(due, "w2-book"))
        assert message in str(due.tooltip)  # the hovered row's problem, located
        assert str(due.tooltip).startswith("assignments/2024-04-08.yaml:10:5: error: ")
        await pilot.hover(due, offset=entry_offset(due, "w2-post"))
        assert due.tooltip is None
        assert "⚠" in book.title.words
        await pilot.click(due, offset=entry_offset(due, "w2-book"))
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.item_id == "w2-book"
        detail = str(app.screen.query_one("#summary-detail").render())
        assert f"⚠ assignments/2024-04-08.yaml:10:5: error: {message}" in detail
        assert "may not be what the mentor meant" in detail
