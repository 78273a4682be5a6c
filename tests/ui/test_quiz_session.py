"""The review and the quiz compose one `QuizSessionView`; neither screen inherits the other."""

from __future__ import annotations

from tracker.ui.screens.base import TrackerScreen
from tracker.ui.screens.quiz import QuizScreen
from tracker.ui.screens.review import ReviewScreen
from tracker.ui.screens.session import SessionScreen
from tracker.ui.widgets.quiz_session import QuizSessionView


def test_both_screens_compose_the_session_view_and_inherit_only_the_base() -> None:
    assert SessionScreen.__bases__ == (TrackerScreen,)
    for screen in (ReviewScreen, QuizScreen):
        assert screen.__bases__ == (SessionScreen,)  # neither builds on the other
        views = [w for w in screen().compose() if isinstance(w, QuizSessionView)]
        assert len(views) == 1, screen
    review, quiz = (
        next(w for w in screen().compose() if isinstance(w, QuizSessionView))
        for screen in (ReviewScreen, QuizScreen)
    )
    assert review.starts_reviews and not quiz.starts_reviews


def test_the_grade_keys_belong_to_the_view_not_the_screens() -> None:
    keys = {b.key for b in QuizSessionView.BINDINGS}  # type: ignore[union-attr]
    assert {"enter", "1", "2", "3", "4", "ctrl+g", "ctrl+o", "ctrl+z", "c", "v"} <= keys
    for screen in (ReviewScreen, QuizScreen):
        assert not keys & {b.key for b in screen.BINDINGS}  # type: ignore[union-attr]
