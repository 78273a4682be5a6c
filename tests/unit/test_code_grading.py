"""Code questions graded with the real worker: leaving the process is wrong, the checks get
pristine builtins and must run to their end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tracker.domain.curriculum import Location, Question, QuestionType, Text
from tracker.quiz.grading import grade_code
from tracker.runner import SnippetRunner

CHECKS = "assert double(2) == 4, 'double(2) should be 4'\nassert len([1, 2]) == 2\n"
QUESTION = Question(
    id="double",
    topic="t",
    type=QuestionType.CODE,
    prompt=Text("Write double(x)."),
    location=Location("quizzes/t.yaml", 1, 1),
    checks=CHECKS,
)


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner() as shared:
        yield shared


def test_a_right_answer_passes(runner: SnippetRunner) -> None:
    outcome = grade_code(QUESTION, "def double(x):\n    return 2 * x\n", runner)
    assert outcome.is_correct, outcome.feedback


def test_a_wrong_answer_shows_the_failed_check(runner: SnippetRunner) -> None:
    outcome = grade_code(QUESTION, "def double(x):\n    return x + 1\n", runner)
    assert not outcome.is_correct
    assert outcome.feedback == "A check failed: double(2) should be 4"


@pytest.mark.parametrize(
    ("label", "code", "words"),
    [
        ("SystemExit", "raise SystemExit", "must not end the program"),
        ("sys.exit(0)", "import sys\nsys.exit(0)", "must not end the program"),
        (
            "SystemExit from inside a check",
            "def double(x):\n    raise SystemExit(0)\n",
            "must not end the program",
        ),
        ("os._exit", "import os\nos._exit(0)", "ended its process early"),
        ("closing the descriptors", "import os\nos.closerange(3, 4096)", "result is missing"),
    ],
)
def test_leaving_the_process_is_wrong_with_words(
    runner: SnippetRunner, label: str, code: str, words: str
) -> None:
    outcome = grade_code(QUESTION, "def double(x):\n    return 2 * x\n" + code + "\n", runner)
    assert not outcome.is_correct, label
    assert words in outcome.feedback, (label, outcome.feedback)


def test_the_checks_see_pristine_builtins(runner: SnippetRunner) -> None:
    code = "import builtins\nbuiltins.len = lambda obj: 7\ndef double(x):\n    return 2 * x\n"
    outcome = grade_code(QUESTION, code, runner)
    assert outcome.is_correct, outcome.feedback  # the mentee's len cannot fail the mentor's check


def test_the_next_answer_is_graded_afresh(runner: SnippetRunner) -> None:
    grade_code(QUESTION, "import builtins\nbuiltins.AssertionError = None\ndouble = None\n", runner)
    outcome = grade_code(QUESTION, "def double(x):\n    return x * 2\n", runner)
    assert outcome.is_correct, outcome.feedback
