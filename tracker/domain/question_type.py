"""Provides `QuestionType` and the YAML form of each type: its keys, its answer, its code.

A question type has two halves. Its form, here, is what the YAML loader needs: which keys it
takes, how its `answer` is read, and what its `code` is. Its behaviour (grading, the right answer
in words, the words of its prompt) is its `QuestionSpec` in `tracker.quiz.grading`; the loader
may not import the quiz, so the form lives below both. A new type is one enum member and one
`QuestionForm` here, and one spec there (tests/unit/test_question_types.py checks both exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "QUESTION_COMMON_KEYS",
    "QUESTION_FORMS",
    "AnswerForm",
    "CodeRole",
    "QuestionForm",
    "QuestionType",
    "form_of",
]


class QuestionType(StrEnum):
    """The kinds of question the quiz engine grades."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMERIC = "numeric"
    TEXT = "text"
    PREDICT = "predict"
    """Predict what the code prints; the truth is its live output."""
    CODE = "code"
    """Write code; the mentor's checks run against it in the worker."""


class AnswerForm(StrEnum):
    """How a question type's `answer` key is read from the YAML."""

    CHOICE = "choice"
    """The 1-based number of the one right choice."""
    CHOICES = "choices"
    """The numbers of the right choices: a list, or `1, 3` in one scalar."""
    NUMBER = "number"
    """A number (with an optional `tolerance`)."""
    TEXTS = "texts"
    """One accepted answer or a list of them."""
    OUTPUT = "output"
    """The declared output: one string, a cross-check of the code's live output."""
    NONE = "none"
    """No `answer` key."""


class CodeRole(StrEnum):
    """What a question type's `code` (or `snippet`) is, if it takes one."""

    NONE = "none"
    """It takes no code."""
    COMPUTES = "computes"
    """Optional: what the code prints is the answer; a declared `answer` is a cross-check."""
    TRUTH = "truth"
    """Required: what the code prints is the truth (shown with the question)."""
    STARTER = "starter"
    """Optional starter code for the mentee; the required `checks` judge their code."""


@dataclass(frozen=True, slots=True)
class QuestionForm:
    """What a question type looks like in a quiz file."""

    answer: AnswerForm
    """How its `answer` is read."""
    code: CodeRole
    """What its `code` is."""
    has_choices: bool = False
    """Whether it takes `choices` (a list of at least two texts)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys the type takes besides `QUESTION_COMMON_KEYS`, in the order docs show them."""
        keys: list[str] = []
        if self.has_choices:
            keys.append("choices")
        if self.answer is not AnswerForm.NONE:
            keys.append("answer")
        if self.answer is AnswerForm.NUMBER:
            keys.append("tolerance")
        if self.code in (CodeRole.COMPUTES, CodeRole.TRUTH):
            keys += ["code", "snippet", "compare"]
        elif self.code is CodeRole.STARTER:
            keys += ["code", "checks"]
        return tuple(keys)

    @property
    def is_computed(self) -> bool:
        """Whether the question's code (when it has one) prints its answer."""
        return self.code in (CodeRole.COMPUTES, CodeRole.TRUTH)


QUESTION_COMMON_KEYS = ("id", "type", "prompt", "hints", "explanation", "follows", "meeting")
"""The keys every question takes."""

QUESTION_FORMS: MappingProxyType[QuestionType, QuestionForm] = MappingProxyType(
    {
        QuestionType.SINGLE: QuestionForm(AnswerForm.CHOICE, CodeRole.NONE, has_choices=True),
        QuestionType.MULTIPLE: QuestionForm(AnswerForm.CHOICES, CodeRole.NONE, has_choices=True),
        QuestionType.NUMERIC: QuestionForm(AnswerForm.NUMBER, CodeRole.COMPUTES),
        QuestionType.TEXT: QuestionForm(AnswerForm.TEXTS, CodeRole.COMPUTES),
        QuestionType.PREDICT: QuestionForm(AnswerForm.OUTPUT, CodeRole.TRUTH),
        QuestionType.CODE: QuestionForm(AnswerForm.NONE, CodeRole.STARTER),
    }
)
"""Every question type's form."""


def form_of(question_type: QuestionType) -> QuestionForm:
    """The form of a question type.

    Args:
        question_type: The type.

    Returns:
        Its form.
    """
    return QUESTION_FORMS[question_type]
