"""Provides `GradingScreen`, the review's grading workers and their messages, and `quiz_engine`."""

from __future__ import annotations

import contextlib
import weakref
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import App
from textual.message import Message

from tracker.domain.curriculum import Curriculum, Question
from tracker.errors import TrackerError
from tracker.quiz.engine import QuizEngine, QuizSession
from tracker.quiz.grading import AnswerError, Outcome
from tracker.ui.screens.base import TrackerScreen

__all__ = ["GradingScreen", "quiz_engine"]

_ENGINES: weakref.WeakKeyDictionary[App[Any], tuple[Curriculum, QuizEngine]] = (
    weakref.WeakKeyDictionary()
)
"""One engine per app and curriculum, so computed answers are shared by the quiz screens."""


def quiz_engine(app: Any) -> QuizEngine | None:
    """The app's quiz engine over its current curriculum (None while it is loading).

    Args:
        app: The `TrackerApp` (its curriculum, store, runner and clock).

    Returns:
        The engine; a new one (with a fresh cache of computed answers) after a reload.
    """
    curriculum = app.curriculum
    if curriculum is None:
        return None
    cached = _ENGINES.get(app)
    if cached is not None and cached[0] is curriculum:
        return cached[1]
    engine = QuizEngine(curriculum, app.store, app.runner, clock=app.clock)
    _ENGINES[app] = (curriculum, engine)
    return engine


class GradingScreen(TrackerScreen):
    """Base of the review: grades answers and works out truths in thread workers.

    The workers post `Graded` and `Prepared`; the subclass handles them (and drops stale ones by
    their `generation`).
    """

    @dataclass
    class Graded(Message):
        """A grading worker finished (with an outcome, or an error to show)."""

        generation: int
        """Which question showing it belongs to (stale results are dropped)."""
        outcome: Outcome | None
        error: str | None = None
        is_answer_error: bool = False
        """Whether the answer could not be read (the mentee may try again)."""

    @dataclass
    class Prepared(Message):
        """A question's answer was worked out in the background (the worker is warm)."""

        generation: int
        """Which question showing it belongs to."""

    def __init__(self) -> None:
        super().__init__()
        self.session: QuizSession | None = None
        """The session in progress (None before the first one starts)."""
        self.generation = 0
        """Bumped each time a question is shown; grading results carry it."""

    @work(thread=True, group="truth")
    def _prefetch(self, engine: QuizEngine, question: Question, generation: int) -> None:
        """Computes a question's truth while the mentee reads it (errors surface on grading)."""
        with contextlib.suppress(TrackerError):
            engine.prepare(question)
        self.post_message(self.Prepared(generation))

    @work(thread=True, exclusive=True, group="grade")
    def _grade(self, generation: int, question: Question, value: str | None) -> None:
        """Grades (or, with `value` None, reveals) in a thread: code may run in the worker."""
        session = self.session
        if session is None:
            return
        try:
            outcome = session.reveal(question) if value is None else session.answer(question, value)
        except AnswerError as error:
            self.post_message(self.Graded(generation, None, str(error), is_answer_error=True))
        except (TrackerError, ValueError, OSError) as error:
            self.post_message(self.Graded(generation, None, str(error)))
        else:
            self.post_message(self.Graded(generation, outcome))
