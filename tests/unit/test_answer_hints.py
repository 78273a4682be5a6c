"""A question's input hint never shows an answer it accepts: over every bundled question.

The hint is what the answer box shows before anything is typed (`QuestionSpec.placeholder`),
and what an empty or unreadable answer is told; the 2213 question used to suggest "2213".
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.domain.curriculum import Question, QuestionType
from tracker.quiz.grading import AnswerError, choices_example, grade, spec_for

NUMBERS_IN_HINT = re.compile(r"\(([^()]*)\)")
"""The examples in a numeric hint: `a number (42, 0.75, 1e3, 1/3), then enter`."""

QUESTIONS = load_curriculum(ROOT).questions


def _examples(question: Question) -> list[str]:
    """The example answers the question's hint shows."""
    hint = spec_for(question).placeholder(question)
    if question.type is QuestionType.NUMERIC:
        found = NUMBERS_IN_HINT.search(hint)
        assert found, hint
        return [example.strip() for example in found[1].split(",")]
    if question.type is QuestionType.MULTIPLE:
        numbers, letters = choices_example(question)
        assert f"e.g. {numbers} or {letters}" in hint
        return [numbers, letters]
    return []


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_no_hint_example_is_an_accepted_answer(question: Question) -> None:
    hint = spec_for(question).placeholder(question)
    for example in _examples(question):
        assert not grade(question, example).is_correct, f"{hint!r} shows the answer {example!r}"
    for accepted in question.accepted:
        assert accepted.strip() not in hint


@pytest.mark.parametrize(
    "question",
    [q for q in QUESTIONS if q.type is QuestionType.NUMERIC],
    ids=[q.id for q in QUESTIONS if q.type is QuestionType.NUMERIC],
)
def test_an_empty_or_unreadable_number_is_told_examples_that_are_not_the_answer(
    question: Question,
) -> None:
    assert question.number is not None, "the bundled numeric questions declare their answer"
    for answer in ("", "twenty"):
        with pytest.raises(AnswerError) as told:
            grade(question, answer)
        shown = NUMBERS_IN_HINT.findall(str(told.value))[-1].removeprefix("e.g. ")
        for example in shown.split(","):
            assert not grade(question, example.strip()).is_correct, str(told.value)


def test_the_2213_and_0_75_questions_get_other_examples() -> None:
    by_id = {q.id: q for q in QUESTIONS}
    assert "2213" not in spec_for(by_id["params-2213"]).placeholder(by_id["params-2213"])
    halves = [q for q in QUESTIONS if q.type is QuestionType.NUMERIC and q.number == 0.75]
    assert halves, "the bundled curriculum has a question whose answer is 0.75"
    assert all("0.75" not in spec_for(q).placeholder(q) for q in halves)
