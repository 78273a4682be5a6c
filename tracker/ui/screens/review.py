"""Provides `ReviewScreen`: every due quiz card, one at a time, graded and scheduled by FSRS.

Keyboard only. Type the answer (for a choice question, its numbers or letters: `2`, `b`, `1 3`)
and press enter; the answer is graded in a thread worker (predict questions run their code in
the snippet worker first), then the outcome, the right answer and the mentor's explanation
appear. 1-4 change the grade before enter moves on and records it; ctrl+z takes it back. The
session itself is a `QuizSessionView`; this screen gives it a title and the way out.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label

from tracker.ui.screens.session import SessionScreen
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.quiz_session import WARMING, QuizSessionView

__all__ = ["WARMING", "ReviewScreen"]


class ReviewScreen(SessionScreen):
    """The review: due cards first, then new ones, each graded automatically."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "app.section('agenda')",
            "Leave",
            tooltip="Back to the agenda; r picks up where you left off",
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Leave for the agenda (the session waits: r comes back to it). |

    The session's own keys (enter, 1-4, ctrl+g, ctrl+o, ctrl+z, c, v) are `QuizSessionView`'s.
    """

    DEFAULT_CSS = """
    ReviewScreen #review-title { padding: 0 1; text-style: bold; color: $accent; }
    """

    TITLE_WORDS = "Review"
    """The first words of the title line."""

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE_WORDS, id="review-title")
        yield QuizSessionView(self.TITLE_WORDS, starts_reviews=True, id="session")
        yield KeyFooter()

    def show_current(self) -> None:
        """Shows the session's current question (after the session's queue changed)."""
        self.view.show_current()

    def update_view(self) -> None:
        self.view.refresh_view()

    @on(QuizSessionView.Changed)
    def _session_changed(self) -> None:
        self.query_one("#review-title", Label).update(self.TITLE_WORDS + self.view.progress_words())
