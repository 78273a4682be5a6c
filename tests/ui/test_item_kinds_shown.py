"""Pilot tests of how the mentor's new item forms show on the agenda and the item screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Label, Static

from tests.conftest import MakeApp, copy_curriculum, wait_loaded
from tracker.ui.app import TrackerApp
from tracker.ui.screens.item import ItemScreen
from tracker.ui.widgets.entry_list import EntryLine, EntryList

EXTRA_ITEMS = """\
  - id: w2-problems
    resource: llm-book
    exercises: {section: "2.6"}
"""


def _root(tmp_path: Path, extra: str = EXTRA_ITEMS) -> Path:
    root = copy_curriculum(tmp_path)
    meeting = root / "assignments" / "2024-04-08.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("discuss:\n", extra + "discuss:\n", 1), encoding="utf-8")
    return root


def _row(app: TrackerApp, item_id: str) -> EntryLine:
    return app.screen.query_one("#due", EntryList).line(item_id)


def _words(row: EntryLine) -> str:
    """What the row draws (its one line, cut to its width)."""
    return row.owner.row_text(row.owner.index_of(row.entry.item.id))


async def test_uncounted_exercises_show_as_one_tick(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app(_root(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        row = _row(app, "w2-problems")
        assert "Build a Large Language Model (From Scratch) · exercises" in _words(row)
        assert "0/1" in _words(row)
        listing = app.screen.query_one("#due", EntryList)
        listing.focus()
        listing.highlight_item(row.entry.item.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("t")  # tick all: the one part
        await pilot.pause()
        assert app.store.states()["llm-book/2.6/exercises"].is_done


LINK_ITEMS = """\
  - id: w2-wiki
    url: https://en.wikipedia.org/wiki/Logit
    title: Logit (Wikipedia)
  - id: w2-gpt
    url: https://www.youtube.com/watch?v=kCc8FmEb1nY&t=2266s
    title: Let's build GPT
    until: "01:00:00"
"""


async def test_one_off_links_show_their_title_and_address(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_root(tmp_path, LINK_ITEMS))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        assert app.curriculum is not None and not app.curriculum.has_errors
        assert "Logit (Wikipedia)" in _words(_row(app, "w2-wiki"))
        video = _words(_row(app, "w2-gpt"))
        assert "Let's build GPT · 00:37:46–01:00:00" in video
        listing = app.screen.query_one("#due", EntryList)
        listing.focus()
        listing.highlight_item("w2-wiki")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        detail = str(app.screen.query_one("#summary-detail", Static).render())
        assert "page  https://en.wikipedia.org/wiki/Logit" in detail


OPEN_VIDEO = """\
  - id: w2-open
    url: "https://youtu.be/kCc8FmEb1nY?t=2266"
    title: GPT from scratch
"""


async def test_an_open_ended_video_is_ticked_watched_to_the_end(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app(_root(tmp_path, OPEN_VIDEO))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        row = _row(app, "w2-open")
        assert "GPT from scratch · from 00:37:46" in _words(row)
        listing = app.screen.query_one("#due", EntryList)
        listing.focus()
        listing.highlight_item(row.entry.item.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.query_one("#parts").display  # the one tick is shown
        count = str(app.screen.query_one("#summary-count", Label).render())
        assert count == "not finished (t: watched to the end)"
        await pilot.press("t")
        await pilot.pause()
        item = next(i for i in app.curriculum.items if i.id == "w2-open")  # type: ignore[union-attr]
        assert app.store.states()[item.parts[0].key].is_done
        count = str(app.screen.query_one("#summary-count", Label).render())
        assert count == "watched to the end"


async def test_a_repeated_list_shows_its_items_with_their_progress(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = copy_curriculum(tmp_path)
    (root / "assignments" / "2024-04-20.yaml").write_text(
        "date: 2024-04-20\nnote: The same as last time.\nrepeat: 2024-04-16\n", encoding="utf-8"
    )
    app = make_app(root, now=datetime(2024, 4, 18, 12, 0, tzinfo=UTC))
    app.store.mark(["llm-book/3.1"], True, now=datetime(2024, 4, 17, 9, 0, tzinfo=UTC))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        row = _row(app, "2024-04-20-w3-book")
        words = _words(row)
        assert "Build a Large Language Model (From Scratch) · 3.1, 3.2" in row.title_words
        assert "· 3.1, 3.2" in words  # as shown: a narrow row cuts the name, not the sections
        assert "1/2" in words
        assert "nothing on this list" not in " ".join(
            str(label.render()) for label in app.screen.query(Label)
        )


OPTIONAL_ITEMS = """\
  - id: w2-if-time
    resource: perceptron-post
    note: If you have time, read it once more.
    optional: true
"""


async def test_optional_items_are_listed_apart(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app(_root(tmp_path, OPTIONAL_ITEMS))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        due = [e.item.id for e in app.screen.query_one("#due", EntryList).entries]
        optional = app.screen.query_one("#optional", EntryList)
        assert "w2-if-time" not in due
        assert [e.item.id for e in optional.entries] == ["w2-if-time"]
        assert optional.display and optional.border_title == "If you have time"


async def test_the_rest_of_a_chapter_shows_its_sections(tmp_path: Path, make_app: MakeApp) -> None:
    extra = "  - id: w2-rest\n    resource: llm-book\n    sections: 3.1-\n"
    app = make_app(_root(tmp_path, extra))
    app.store.mark(["llm-book/3.1"], True, now=datetime(2024, 4, 4, 9, 0, tzinfo=UTC))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        words = _words(_row(app, "w2-rest"))
        assert "Build a Large Language Model (From Scratch) · 3.1, 3.2" in words
        assert "1/2" in words


async def test_a_notebook_in_a_repository_shows_its_file_and_colab_links(
    tmp_path: Path, make_app: MakeApp
) -> None:
    root = _root(
        tmp_path, "  - id: w2-notebook\n    resource: llms-repo\n    path: ch02/ch02.ipynb\n"
    )
    catalogue = root / "assignments" / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8")
        + "  llms-repo:\n    kind: repository\n    title: LLMs from scratch\n"
        "    url: https://github.com/hbaghramyan/LLMs-from-scratch\n",
        encoding="utf-8",
    )
    app = make_app(root)
    async with app.run_test(size=(130, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        row = _row(app, "w2-notebook")
        assert "LLMs from scratch · ch02/ch02.ipynb" in _words(row)
        listing = app.screen.query_one("#due", EntryList)
        listing.focus()
        listing.highlight_item(row.entry.item.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        detail = str(app.screen.query_one("#summary-detail", Static).render())
        assert (
            "https://github.com/hbaghramyan/LLMs-from-scratch/blob/HEAD/ch02/ch02.ipynb" in detail
        )
        assert (
            "Colab: https://colab.research.google.com/github/hbaghramyan/LLMs-from-scratch/"
            "blob/HEAD/ch02/ch02.ipynb" in detail
        )


async def test_the_mentors_scope_shows_on_the_agenda_line(
    tmp_path: Path, make_app: MakeApp
) -> None:
    extra = (
        "  - id: w2-scoped\n    resource: llm-book\n    sections: 3.1\n"
        "    scope: reading only, without the problems\n"
    )
    app = make_app(_root(tmp_path, extra))
    async with app.run_test(size=(130, 34)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.pause()
        words = _words(_row(app, "w2-scoped"))
        assert "· 3.1 · reading only, without the problems" in words
