"""Snapshots of the review screen (before and after answering) and of the quiz results.

Fixed size, fixed now, the quiz fixture (`tests/fixtures/quiz_curriculum`), no runner: the
questions shown here need none (the predict question only shows its code).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from tests.conftest import QUIZ_SIZE as SIZE
from tests.conftest import MakeApp, open_section, settle


class TestReviewScreen:
    """The review: the first question, and a wrong answer with its outcome and grade keys."""

    def test_before_answering(self, snap_compare: Any, make_app: MakeApp) -> None:
        app = make_app("quiz")

        async def run_before(pilot: Any) -> None:
            await open_section(app, pilot, "review")
            await pilot.press("ctrl+g")  # its one hint
            # A still cursor: whether a blinking one is drawn depends on when the shot is taken.
            app.screen.query_one("#answer-lines", TextArea).cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_after_a_wrong_answer(self, snap_compare: Any, make_app: MakeApp) -> None:
        app = make_app("quiz")

        async def run_before(pilot: Any) -> None:
            await open_section(app, pilot, "review")
            screen = app.screen
            screen.session.skip()  # to the single choice question
            screen.show_current()
            await pilot.press("a", "enter")
            await settle(pilot)
            assert screen.phase == "answered", "the grade"
            await pilot.press("2")  # overridden: Hard
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestQuizResults:
    """The results after a cram of the locked topic and a review of the open one."""

    def test_results_after_a_session(self, snap_compare: Any, make_app: MakeApp) -> None:
        app = make_app("quiz")

        async def run_before(pilot: Any) -> None:
            await open_section(app, pilot, "quiz")
            screen = app.screen
            picker = screen.query_one("#picker")
            picker.highlighted = picker.get_option_index("topic:sliding-window")
            await pilot.press("enter")
            for keys in (("6",), ("b",)):
                await pilot.press(*keys, "enter")
                await settle(pilot)
                assert screen.phase == "answered", "the grade"
                await pilot.press("enter")
            await settle(pilot)
            assert app.screen is not screen, "the results"

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
