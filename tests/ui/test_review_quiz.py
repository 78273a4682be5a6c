"""Pilot tests of the quiz (cram) screen: pick a topic, answer, the schedule stays unless asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static, TextArea

from tests.conftest import QUIZ_SIZE as SIZE
from tests.conftest import MakeApp, open_section, settle
from tracker.runner.runner import SnippetRunner
from tracker.ui.screens.quiz import QuizScreen
from tracker.ui.screens.quiz_results import QuizResultsScreen


async def _pick(pilot, screen: QuizScreen, option_id: str) -> None:  # type: ignore[no-untyped-def]
    picker = screen.query_one("#picker", OptionList)
    picker.highlighted = picker.get_option_index(option_id)
    await pilot.press("enter")
    await pilot.pause()


async def _answer(pilot, screen: QuizScreen, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*keys, "enter")
    await settle(pilot)
    assert screen.phase != "checking", "the grade"


async def test_cram_of_a_locked_topic_records_attempts_and_keeps_the_schedule(
    tmp_path: Path, make_app: MakeApp
) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "quiz")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.phase == "idle"
        picker = screen.query_one("#picker", OptionList)
        ids = [picker.get_option_at_index(i).id for i in range(picker.option_count)]
        assert ids == [
            "meeting:2024-05-01",
            "topic:sliding-window",
            "meeting:2024-04-08",
            "topic:contiguity",
        ]

        await _pick(pilot, screen, "topic:sliding-window")  # locked until 01/05: cram reaches it
        assert screen.session.is_cram
        assert [q.id for q in screen.session.queue] == ["w-count", "w-stride"]
        assert "schedule left alone" in str(screen.query_one("#review-title").content)
        await _answer(pilot, screen, "7")
        assert "schedule left alone" in str(screen.query_one("#q-rating").content)
        await pilot.press("enter")
        await _answer(pilot, screen, "a")
        await pilot.press("enter")
        assert isinstance(app.screen, QuizResultsScreen)
        reviews = app.store.reviews()
        assert [(r.question_id, r.is_correct, r.is_cram) for r in reviews] == [
            ("w-count", False, True),
            ("w-stride", True, True),
        ]
        assert all(app.store.card(q) is None for q in ("w-count", "w-stride"))  # still new
        await pilot.press("escape")
        assert screen.phase == "idle"  # back to the list
        assert screen.query_one("#picker").display
        await pilot.press("escape")  # from the list: leave for the agenda
        await pilot.pause()
        assert app.current_mode == "agenda"


async def test_cram_with_scheduling_on_moves_the_cards(tmp_path: Path, make_app: MakeApp) -> None:
    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "quiz")
        screen = app.screen
        await pilot.press("t")
        assert screen.is_scheduling
        await _pick(pilot, screen, "topic:sliding-window")
        assert not screen.session.is_cram
        await _answer(pilot, screen, "6")
        await pilot.press("escape")  # stop: the graded answer is recorded first
        assert screen.phase == "idle"
        [review] = app.store.reviews()
        assert (review.question_id, review.is_cram, review.is_correct) == ("w-count", False, True)
        assert app.store.card("w-count").reps == 1


CODE_QUIZ = """\
topic: counting
questions:
  - id: count-code
    type: code
    prompt: Write count(model), the number of trainable parameters.
    code: |
      def count(model):
          ...
    checks: |
      import torch
      assert count(torch.nn.Linear(50, 30)) == 1530, "Linear(50, 30) has 1530"
    explanation: |
      ```python
      def count(model):
          return sum(p.numel() for p in model.parameters())
      ```
      Every `Parameter` counts.
"""


def _shown(widget: Static) -> str:
    """The text of a Static that shows a rich Group of Text and Syntax blocks."""
    content = widget.content
    parts = getattr(content, "renderables", [content])
    return "\n".join(getattr(p, "code", None) or getattr(p, "plain", None) or "" for p in parts)


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    """One real snippet worker for the module."""
    with SnippetRunner() as started:
        yield started


async def test_a_code_question_runs_the_checks_in_the_real_worker(
    tmp_path: Path, runner: SnippetRunner, make_app: MakeApp
) -> None:
    app = make_app("quiz", runner=runner)
    (app.root / "quizzes" / "counting.yaml").write_text(CODE_QUIZ, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "quiz")
        screen = app.screen
        await _pick(pilot, screen, "topic:counting")
        area = screen.query_one("#answer-code", TextArea)
        assert area.has_focus
        assert area.text.startswith("def count(model):")
        await pilot.press("enter")  # in code, enter is a new line, not a submission
        assert screen.phase == "asking"
        area.load_text("def count(model):\n    return 1500\n")
        await pilot.press("ctrl+s")
        status = screen.query_one("#q-status", Static)
        await settle(pilot)
        assert "Not yet" in str(status.content), "the checks"
        assert str(status.content).startswith("Not yet: A check failed: Linear(50, 30) has 1530")
        assert screen.phase == "asking"  # a failed code answer may be tried again
        assert area.text == "def count(model):\n    return 1500\n" and not area.disabled
        assert not screen.query("#q-explanation > Static")  # the solution is not shown yet
        area.load_text("def count(model):\n    return sum(p.numel() for p in model.parameters())\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.phase == "answered", "the checks"
        assert "✓ Correct" in str(screen.query_one("#q-outcome").content)
        shown = _shown(screen.query_one("#q-computed", Static))
        assert "Your code:\ndef count(model):\n    return sum(" in shown
        explanation = [w.content for w in screen.query("#q-explanation > Static")]
        assert str(explanation[0]) == "The mentor's solution:"
        assert "return sum(p.numel()" in explanation[1].code  # highlighted, not a raw fence
        assert str(explanation[2]) == "Every Parameter counts."  # `Parameter` shown as code
        await pilot.press("enter")
        [review] = app.store.reviews()
        assert (review.question_id, review.is_correct, review.is_cram) == ("count-code", True, True)
        assert review.rating == 2  # right on a second try: Hard
        assert "sum(p.numel()" in review.answer


async def test_after_a_failed_code_answer_the_solution_is_one_key_away(
    tmp_path: Path, runner: SnippetRunner, make_app: MakeApp
) -> None:
    app = make_app("quiz", runner=runner)
    (app.root / "quizzes" / "counting.yaml").write_text(CODE_QUIZ, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "quiz")
        screen = app.screen
        await _pick(pilot, screen, "topic:counting")
        area = screen.query_one("#answer-code", TextArea)
        area.load_text("def count(model):\n    raise SystemExit(0)\n")
        await pilot.press("ctrl+s")
        status = screen.query_one("#q-status", Static)
        await settle(pilot)
        assert "Not yet" in str(status.content), "the checks"
        assert "must not end the program" in str(status.content)
        await pilot.press("ctrl+o")  # see the solution instead of trying again
        await settle(pilot)
        assert screen.phase == "answered", "the solution"
        explanation = [w.content for w in screen.query("#q-explanation > Static")]
        assert "return sum(p.numel()" in explanation[1].code
        await pilot.press("enter")
        [review] = app.store.reviews()
        assert (review.is_correct, review.rating) == (False, 1)  # seen, not solved: Again


async def test_the_results_table_fits_its_topic_column_to_the_width(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from textual.widgets import DataTable

    app = make_app("quiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "agenda")
        await app.push_screen(QuizResultsScreen())
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)

        def topic_column() -> tuple[int, str]:
            column = next(iter(table.columns.values()))
            return column.width, str(table.get_row("contiguity")[0])

        assert topic_column() == (17, "Tensor contiguity")
        await pilot.resize_terminal(60, SIZE[1])
        await pilot.pause()
        assert topic_column() == (16, "Tensor contigui…")  # the narrowest; the title is cut
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert topic_column() == (17, "Tensor contiguity")
