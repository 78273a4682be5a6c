"""Provides the quiz: automatic grading, computed answers, FSRS review and cram sessions."""

from __future__ import annotations

from tracker.quiz.engine import (
    Answer,
    QuizEngine,
    QuizSession,
    TopicAccuracy,
    is_unlocked,
    leeches,
    topic_accuracy,
)
from tracker.quiz.grading import AnswerError, Outcome, grade, grade_code
from tracker.quiz.truth import Truth, TruthCache, TruthError, truth_for

__all__ = [
    "Answer",
    "AnswerError",
    "Outcome",
    "QuizEngine",
    "QuizSession",
    "TopicAccuracy",
    "Truth",
    "TruthCache",
    "TruthError",
    "grade",
    "grade_code",
    "is_unlocked",
    "leeches",
    "topic_accuracy",
    "truth_for",
]
