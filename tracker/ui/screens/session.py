"""Provides `SessionScreen`: the base of the screens that host a `QuizSessionView`.

The review and the quiz differ in how a session starts (the due queue, or a meeting or topic the
mentee picks) and in the way out; what they share lives here: the title line, the session view
and the ways to reach its phase, session and engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.quiz_session import Phase, QuizSessionView

if TYPE_CHECKING:
    from textual.events import ScreenResume

    from tracker.quiz.engine import QuizEngine, QuizSession

__all__ = ["SessionScreen"]


class SessionScreen(TrackerScreen):
    """A screen with a title line (`#review-title`) over a `QuizSessionView` (`#session`)."""

    TITLE_WORDS = "Review"
    """The first words of the title line."""

    @property
    def view(self) -> QuizSessionView:
        """The session's view."""
        return self.query_one("#session", QuizSessionView)

    @property
    def phase(self) -> Phase:
        """Where the session stands."""
        return self.view.phase

    @property
    def session(self) -> QuizSession | None:
        """The session in progress."""
        return self.view.session

    @property
    def engine(self) -> QuizEngine | None:
        """The app's quiz engine (None while the curriculum loads)."""
        return self.tracker.quiz

    def on_screen_resume(self, event: ScreenResume) -> None:
        self.view.resume()
