"""Pilot tests of the agenda's "To discuss" list: the next meeting's topics and the leeches."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import ListView

from tests import conftest
from tests.conftest import MakeApp, settle
from tracker.content import load_curriculum
from tracker.domain.scheduling import LEECH_LAPSES
from tracker.quiz.engine import QuizEngine
from tracker.store.progress_store import ProgressStore
from tracker.ui.app import TrackerApp
from tracker.ui.screens.agenda import AgendaScreen
from tracker.ui.screens.discuss import DiscussScreen
from tracker.ui.widgets.discuss_list import DiscussList, TalkRow

SIZE = (100, 40)


class _Clock:
    """A clock the test moves by hand (to each card's due time)."""

    def __init__(self) -> None:
        self.now = conftest.QUIZ_NOW - timedelta(days=60)

    def __call__(self) -> datetime:
        return self.now


def _lapse(
    root: Path, store: ProgressStore, question_id: str, times: int, right: str, wrong: str
) -> None:
    """Reviews a question through the real engine until its card has lapsed `times` times."""
    clock = _Clock()
    engine = QuizEngine(load_curriculum(root), store, None, now=clock, enable_fuzzing=False)

    def review(answer: str) -> None:
        session = engine.cram(is_scheduling=True)
        while session.current is not None and session.current.id != question_id:
            session.skip()
        assert session.current is not None
        session.answer(session.current, answer)
        session.next()
        card = store.card(question_id)
        assert card is not None
        clock.now = card.due

    review(right)
    review(right)  # graduated to Review
    for _ in range(times):
        review(wrong)  # forgotten: a lapse
        review(right)  # relearned


def _talk_rows(screen: object, selector: str) -> list[TalkRow]:
    listing = screen.query_one(selector, DiscussList)  # type: ignore[attr-defined]
    return list(listing.query(TalkRow))


async def test_a_card_that_lapsed_four_times_is_listed_under_to_discuss(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    _lapse(app.root, app.store, "c-numel", LEECH_LAPSES, "24", "7")
    _lapse(app.root, app.store, "c-raises", LEECH_LAPSES - 1, "2", "1")  # not yet a leech
    assert app.store.card("c-numel").lapses == LEECH_LAPSES  # type: ignore[union-attr]
    async with app.run_test(size=SIZE) as pilot:
        await conftest.wait_loaded(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        talk = app.screen.query_one("#talk")
        assert talk.display and talk.border_title == "To discuss on 01/05"
        rows = _talk_rows(app.screen, "#talk")
        assert [r.key for r in rows] == ["card/c-numel"]
        words = " ".join(str(label.render()) for label in rows[0].query("Label"))
        assert "How many elements does `torch.zeros(2, 3, 4)` hold?" in words
        assert f"lapsed {LEECH_LAPSES}x" in words

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiscussScreen)
        assert app.screen.query_one("#lapsing").display
        assert [r.key for r in _talk_rows(app.screen, "#lapsing")] == ["card/c-numel"]


async def test_no_leech_and_no_topic_hides_the_section(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app("quiz")
    _lapse(app.root, app.store, "c-numel", LEECH_LAPSES - 1, "24", "7")
    async with app.run_test(size=SIZE) as pilot:
        await conftest.wait_loaded(app, pilot)
        assert not any(talk.display for talk in app.screen.query("#talk"))
        assert not app.screen.query("#talk")  # never needed: never made
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query_one("#lapsing").display


def _highlighted_topic(app: TrackerApp) -> str | None:
    """The topic highlighted on the Discuss screen (None on any other screen)."""
    if not isinstance(app.screen, DiscussScreen):
        return None
    row = app.screen.query_one("#topics", ListView).highlighted_child
    return getattr(row, "topic_id", None)


async def test_the_meetings_topics_are_listed_and_open_in_discuss(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await conftest.wait_loaded(app, pilot)
        rows = _talk_rows(app.screen, "#talk")
        assert [r.key for r in rows] == ["topic/tensor-dims", "topic/contiguity"]
        listing = app.screen.query_one("#talk", DiscussList)
        listing.focus()
        listing.index = 1
        await pilot.press("enter")
        await settle(pilot)
        assert _highlighted_topic(app) == "contiguity", "the topic in Discuss"
        assert isinstance(app.screen, DiscussScreen)
        highlighted = app.screen.query_one("#topics").highlighted_child  # type: ignore[attr-defined]
        assert highlighted is not None and highlighted.topic_id == "contiguity"


async def test_carried_items_sit_under_the_date_they_were_first_due(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tracker.ui.widgets.entry_list import EntryList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await conftest.wait_loaded(app, pilot)
        listing = app.screen.query_one("#carried", EntryList)
        shown = [row if isinstance(row, str) else row.item.id for row in listing.rows]
        assert shown == ["from 01/04 · carried x1", "w1-video", "w1-reading"]
        listing.focus()
        await pilot.press("up", "up")  # the heading is skipped
        highlighted = listing.highlighted_entry
        assert highlighted is not None and highlighted.item.id == "w1-video"


async def test_a_click_on_a_topic_opens_it_in_discuss(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await conftest.wait_loaded(app, pilot)
        row = _talk_rows(app.screen, "#talk")[1]
        await pilot.click(row)
        await settle(pilot)
        assert _highlighted_topic(app) == "contiguity", "the topic in Discuss"
        assert isinstance(app.screen, DiscussScreen)
        highlighted = app.screen.query_one("#topics").highlighted_child  # type: ignore[attr-defined]
        assert highlighted is not None and highlighted.topic_id == "contiguity"
