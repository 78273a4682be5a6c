"""Grades every bundled quiz question twice: its right answer must pass and an obvious wrong one fail.

Predict, numeric and text questions with code take their truth from the real snippet worker
(through `truth_for`, one shared runner and one `TruthCache`); code questions run the mentor's
solution (the fenced block of the explanation, after the starter code) and the bare starter
code against the checks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, Question, QuestionType
from tracker.quiz.grading import choice_label, grade, grade_code, output_lines, parse_number
from tracker.quiz.truth import TruthCache, needs_truth, truth_for
from tracker.runner.limits import Limits
from tracker.runner.runner import SnippetRunner

FENCE = re.compile(r"```(?:python|py)?\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def curriculum() -> Curriculum:
    loaded = load_curriculum(ROOT)
    assert loaded.questions, "the bundled curriculum has quiz questions"
    return loaded


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(limits=Limits(timeout=10.0)) as started:
        yield started


@pytest.fixture(scope="module")
def truths(curriculum: Curriculum, runner: SnippetRunner) -> TruthCache:
    return TruthCache(curriculum, runner)


def _truth(question: Question, curriculum: Curriculum, truths: TruthCache) -> str | None:
    if not needs_truth(question, curriculum.snippets):
        return None
    output = truth_for(question, curriculum, truths.runner, cache=truths)
    truth = truths.peek(question.id)
    assert truth is not None and truth.is_live, f"{question.id}: its code failed: {truth}"
    assert truth.warning is None, f"{question.id}: {truth.warning}"
    return output


def _right_and_wrong(question: Question, truth: str | None) -> tuple[list[str], str]:
    """Answers that must grade right, and one that must grade wrong."""
    match question.type:
        case QuestionType.SINGLE | QuestionType.MULTIPLE:
            right = [i for i, c in enumerate(question.choices) if c.is_correct]
            labels = "".join(choice_label(i) for i in right)
            numbers = " ".join(str(i + 1) for i in right)
            others = [i for i in range(len(question.choices)) if i not in right]
            if question.type is QuestionType.SINGLE:
                wrong = choice_label(others[0])
            else:  # every choice, or all but one right one when every choice is right
                wrong = (
                    "".join(choice_label(i) for i in range(len(question.choices)))
                    if others
                    else labels[1:]
                )
            return [labels, numbers, labels.upper()], wrong
        case QuestionType.NUMERIC:
            value = parse_number(truth) if truth is not None else float(question.number or 0)
            if truth is not None and question.number is not None:
                declared = float(question.number)
                assert math.isclose(declared, value, abs_tol=question.tolerance + 1e-9), (
                    f"{question.id}: declared {declared}, computed {value}"
                )
            shown = repr(value) if not value.is_integer() else str(int(value))
            wrong = value + 10 * question.tolerance + max(1.0, abs(value))
            return [shown], repr(wrong)
        case QuestionType.TEXT:
            right = [truth.strip()] if truth is not None else []
            return [*right, *question.accepted], "certainly not the answer"
        case QuestionType.PREDICT:
            assert truth is not None, f"{question.id}: a predict question without code"
            return [truth, truth.rstrip() + "\n\n"], "\n".join([*output_lines(truth), "extra"])
    raise AssertionError(f"{question.id}: unexpected type {question.type}")


def test_every_bundled_question_grades_its_answer_right_and_a_wrong_one_wrong(
    curriculum: Curriculum, runner: SnippetRunner, truths: TruthCache
) -> None:
    seen: set[QuestionType] = set()
    for question in curriculum.questions:
        seen.add(question.type)
        if question.type is QuestionType.CODE:
            explanation = question.explanation.en if question.explanation else ""
            solution = FENCE.search(explanation or "")
            assert solution, f"{question.id}: no fenced solution in the explanation"
            starter = question.code if question.code and question.code.strip() else "pass"
            # The mentee edits the starter code: the solution's def replaces the stub.
            outcome = grade_code(question, f"{starter}\n\n{solution[1]}", runner)
            assert outcome.is_correct, f"{question.id}: the solution fails: {outcome.feedback}"
            assert not grade_code(question, starter, runner).is_correct, question.id
            continue
        truth = _truth(question, curriculum, truths)
        right, wrong = _right_and_wrong(question, truth)
        for answer in right:
            outcome = grade(question, answer, truth=truth)
            assert outcome.is_correct, f"{question.id}: {answer!r} graded wrong: {outcome.feedback}"
        outcome = grade(question, wrong, truth=truth)
        assert not outcome.is_correct, f"{question.id}: {wrong!r} graded right"
        assert outcome.feedback and outcome.expected, question.id
    computed = [q for q in curriculum.questions if truths.peek(q.id) is not None]
    assert len(computed) == sum(needs_truth(q, curriculum.snippets) for q in curriculum.questions)
    assert len(computed) >= 30, "most bundled answers are computed live"
    assert seen == set(QuestionType), f"the bundled quizzes lack {set(QuestionType) - seen}"
    assert len(curriculum.questions) >= 75
