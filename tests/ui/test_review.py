"""Pilot tests of the review: a full session (the predict question's truth from the real worker),
overriding, hints, reveal, undo, unreadable answers, results and a card's history."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static, TextArea

from tests.conftest import QUIZ_SIZE as SIZE
from tests.conftest import MakeApp, open_section, settle
from tracker.domain.scheduling import AGAIN, GOOD
from tracker.runner.runner import SnippetRunner
from tracker.ui.screens.card_history import CardHistoryScreen
from tracker.ui.screens.quiz_results import QuizResultsScreen
from tracker.ui.screens.review import WARMING, ReviewScreen
from tracker.ui.widgets.question_card import CODE_STYLE


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    """One real snippet worker for the module (torch is imported once)."""
    with SnippetRunner() as started:
        yield started


def text_of(screen: ReviewScreen, selector: str) -> str:
    """The plain text a Static shows (a string, rich Text, or the code of a Syntax), or the
    Statics inside a container (an explanation's paragraphs and code blocks), one per line."""
    widget = screen.query_one(selector)
    statics = [widget] if isinstance(widget, Static) else list(widget.query(Static))
    return "\n".join(
        getattr(s.content, "code", None) or getattr(s.content, "plain", None) or str(s.content)
        for s in statics
    )


async def answer(pilot, screen: ReviewScreen, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Types an answer, submits it and waits for the grade."""
    await pilot.press(*keys, "enter")
    await settle(pilot)
    assert screen.phase != "checking", "the grade"


async def test_a_full_review_session(
    tmp_path: Path, runner: SnippetRunner, make_app: MakeApp
) -> None:
    app = make_app("quiz", runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert [q.id for q in screen.session.queue] == [
            "c-predict",
            "c-raises",
            "c-which",
            "c-numel",
            "c-inverse",
        ]
        assert "predict the output" in text_of(screen, "#q-header")
        assert "t[:, 1].is_contiguous()" in text_of(screen, "#q-code")

        # Predict: the truth is the live output of the real worker.
        await answer(pilot, screen, *"False True")
        assert screen.phase == "answered"
        assert "✓ Correct" in text_of(screen, "#q-outcome")
        assert "2 apart in memory" in text_of(screen, "#q-explanation")
        assert app.store.reviews() == []  # recorded when moving on
        await pilot.press("enter")

        # Single choice, wrong; the mentee overrides the grade to Good before moving on.
        assert screen.session.current.id == "c-raises"
        await answer(pilot, screen, "a")
        assert "✗ Not quite" in text_of(screen, "#q-outcome")
        assert "b) t.T.view(4)" in text_of(screen, "#q-outcome")
        await pilot.press("3")
        assert screen.session.pending.rating == GOOD
        await pilot.press("enter")

        await answer(pilot, screen, *"1 2")  # multiple choice: the exact set
        await pilot.press("enter")

        await pilot.press("ctrl+o")  # numeric: show the answer instead
        await settle(pilot)
        assert screen.phase == "answered", "the reveal"
        assert "24" in text_of(screen, "#q-outcome")
        await pilot.press("enter")

        await answer(pilot, screen, *"Sigmoid.")
        await pilot.press("enter")

        reviews = app.store.reviews()
        assert [(r.question_id, r.rating, r.is_correct, r.answer) for r in reviews] == [
            ("c-predict", GOOD, True, "False True"),
            ("c-raises", GOOD, False, "a"),
            ("c-which", GOOD, True, "1 2"),
            ("c-numel", AGAIN, False, None),
            ("c-inverse", GOOD, True, "Sigmoid."),
        ]
        # Every card is still learning (a step of 1 or 10 minutes): each is asked again.
        assert [q.id for q in screen.session.queue] == [
            "c-predict",
            "c-raises",
            "c-which",
            "c-numel",
            "c-inverse",
        ]
        right = {
            "c-predict": "False True",
            "c-raises": "b",
            "c-which": "ab",
            "c-numel": "24",
            "c-inverse": "սիգմո՞իդ",
        }
        while screen.phase == "asking":
            await answer(pilot, screen, *right[screen.session.current.id])
            assert screen.phase == "answered", text_of(screen, "#q-status")
            await pilot.press("enter")
        assert isinstance(app.screen, QuizResultsScreen)
        assert [r.question_id for r in app.store.reviews()][5:] == [
            "c-predict",
            "c-raises",
            "c-which",
            "c-numel",
            "c-inverse",
            "c-numel",  # Again, then Good: one more step before it graduates
        ]
        assert all(app.store.card(q).card["state"] == 2 for q in right)  # all graduated
        table = app.screen.query_one("#results", DataTable)
        assert table.get_row("contiguity")[2:4] == ["9/11", "9/11"]
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        assert screen.session.queue == []  # nothing else is due at this fixed time
        assert screen.phase == "finished"
        assert "Nothing is due now; the next card comes back" in text_of(screen, "#q-prompt")


async def test_undo_takes_back_a_recorded_grade_and_restores_the_card(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()  # to the single choice question (the predict one needs a runner)
        screen.show_current()
        await answer(pilot, screen, "b")
        await pilot.press("enter")
        assert app.store.card("c-raises") is not None
        assert screen.session.current.id == "c-which"
        await pilot.press("ctrl+z")
        assert screen.session.current.id == "c-raises"  # asked again
        assert screen.phase == "asking"
        assert app.store.card("c-raises") is None  # it was new: no card any more
        assert app.store.reviews() == []
        await answer(pilot, screen, "b")
        await pilot.press("ctrl+z")  # a pending grade: dropped, nothing stored
        assert screen.phase == "asking"
        assert app.store.reviews() == []
        assert app.store.card("c-raises") is None


async def test_hints_one_at_a_time_and_unreadable_answers(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()
        screen.show_current()
        assert not screen.query_one("#q-hints").display
        await pilot.press("ctrl+g")
        assert text_of(screen, "#q-hints") == "Hint 1: .view never copies."  # shown as code
        hint = screen.query_one("#q-hints", Static).content
        assert any(CODE_STYLE in str(span.style) for span in hint.spans)
        assert screen.active_bindings["ctrl+g"].enabled
        await pilot.press("ctrl+g")
        assert "Hint 2: Can the new shape" in text_of(screen, "#q-hints")
        await pilot.pause()
        assert not screen.active_bindings["ctrl+g"].enabled  # both shown: the key is dimmed
        await pilot.press("ctrl+g")  # no third hint: a notification, nothing else
        assert text_of(screen, "#q-hints").count("Hint") == 2

        await answer(pilot, screen, "7")
        assert screen.phase == "asking"
        assert "there is no choice 7" in text_of(screen, "#q-status")
        assert app.store.reviews() == []
        screen.query_one("#answer-line").value = ""
        await answer(pilot, screen, "B")
        assert screen.phase == "answered"


async def test_card_history_lists_the_reviews(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()
        screen.show_current()
        await answer(pilot, screen, "a")
        await pilot.press("enter")
        screen.session.queue.insert(0, screen.session.queue.pop())  # c-raises is back last
        screen.show_current()
        assert screen.session.current.id == "c-raises"
        await pilot.press("c")  # while asking, c is typed into the answer
        assert screen.query_one("#answer-line").value == "c"
        await answer(pilot, screen)  # "c": wrong again, not recorded until enter
        await pilot.press("c")
        assert isinstance(app.screen, CardHistoryScreen)
        history = app.screen.query_one("#history", DataTable)
        assert history.row_count == 1
        assert history.get_row_at(0)[1:4] == ["1 Again", "wrong", "review"]
        assert "learning" in text_of(app.screen, "#history-card")
        await pilot.press("escape")
        assert app.screen is screen


async def test_the_workers_warm_up_is_said_until_the_answer_is_ready(
    tmp_path: Path, make_app: MakeApp
) -> None:
    # The worker's Python waits at a gate, so it is still warming for as long as the test says.
    gate = tmp_path / "gate"
    python = tmp_path / "gated-python"
    python.write_text(
        f'#!/bin/sh\nwhile [ ! -e "{gate}" ]; do sleep 0.02; done\nexec "{sys.executable}" "$@"\n'
    )
    python.chmod(0o755)
    with SnippetRunner(python=str(python)) as cold:
        app = make_app("quiz", runner=cold)
        async with app.run_test(size=SIZE) as pilot:
            await open_section(app, pilot, "review")
            screen = app.screen
            assert screen.session.current.id == "c-predict"  # its truth needs the worker
            assert cold.status == "warming"
            assert text_of(screen, "#q-status") == WARMING
            assert screen.query_one("#q-status").display
            gate.touch()
            await settle(pilot)
            assert screen.engine.truths.peek("c-predict"), "warm-up"
            await settle(pilot)
            assert not screen.query_one("#q-status").display, "clear"
            await answer(pilot, screen, *"False True")
            assert "✓ Correct" in text_of(screen, "#q-outcome")


async def test_escape_leaves_the_review_and_r_picks_it_up_again(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()  # to the single choice question
        screen.show_current()
        await pilot.press("b")
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "agenda"
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert screen.session.current.id == "c-raises"
        assert screen.phase == "asking"


async def test_a_missed_choice_is_marked_and_hints_hide_when_there_are_none(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()
        screen.session.skip()  # to the multiple choice question: no hints
        screen.show_current()
        await pilot.pause()
        assert screen.session.current.id == "c-which"
        assert "ctrl+g" not in screen.active_bindings or not screen.check_action("hint", ())
        await answer(pilot, screen, "a")
        choices = text_of(screen, "#q-choices").splitlines()
        assert choices[0].startswith("✓ 1 a) t") and "missed" not in choices[0]
        assert choices[1].startswith("✓ 2 b) t[0]") and choices[1].endswith("(missed)")
        assert "You missed b." in text_of(screen, "#q-outcome")
        assert screen.query_one("#q-rating").display  # the grade keys, docked in view


async def test_ctrl_z_in_an_empty_answer_box_takes_back_the_last_grade(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        screen.session.skip()  # the predict question to the end
        screen.show_current()
        await answer(pilot, screen, "b")
        await pilot.press("enter")
        assert [r.question_id for r in app.store.reviews()] == ["c-raises"]
        for _ in range(3):  # c-which, c-numel, c-inverse: the predict question comes up
            screen.session.skip()
        screen.show_current()
        await pilot.pause()
        assert screen.session.current.id == "c-predict"
        area = screen.query_one("#answer-lines", TextArea)
        assert area.has_focus

        await pilot.press("x", "ctrl+z")  # typing to take back: only the typing goes
        await pilot.pause()
        assert area.text == ""
        assert screen.session.current.id == "c-predict"
        assert len(app.store.reviews()) == 1

        await pilot.press("ctrl+z")  # nothing typed: the last grade is taken back
        await pilot.pause()
        assert screen.session.current.id == "c-raises"
        assert app.store.reviews() == []


async def test_a_learning_step_is_said_and_the_count_goes_down(
    tmp_path: Path, make_app: MakeApp
) -> None:
    """A new card answered right (Good) is FSRS's 10-minute learning step: it comes back in this
    session. The grade line says when each grade brings it back, and the title counts it apart
    from the questions still waiting, so "to go" goes down."""
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "review")
        screen = app.screen
        assert "· 5 to go" in text_of(screen, "#review-title")
        screen.session.skip()  # to the single choice question (the predict one needs a runner)
        screen.show_current()
        await answer(pilot, screen, "b")
        rating = text_of(screen, "#q-rating")
        assert "3 Good 10 min" in rating and "4 Easy" in rating
        assert "Good: back in 10 min, so once more in this session" in rating
        await pilot.press("4")  # Easy: days away, nothing said about this session
        rating = text_of(screen, "#q-rating")
        assert "once more" not in rating and "days" in rating.split("4 Easy")[1].split("\n")[0]
        await pilot.press("3", "enter")
        await pilot.pause()
        title = text_of(screen, "#review-title")
        assert "1 answered, 1 right · 4 to go + 1 coming back" in title
