"""`study check --run` and the quiz judge a declared answer alike, row by row, with the real worker.

Each row is a question whose code prints something, with the answer the mentor declared. The
check's verdict is whether `verify_curriculum` reports the question; the quiz's is whether a
review session, its truth computed by the same worker, grades the declared answer right when
the mentee types it (for TEXT, whether it grades the printed answer right: the declared
answers are its accepted spellings). Every row must get the same verdict from both, and the
verdict the row expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tracker.domain.curriculum import Curriculum, Location, Question, QuestionType, Text
from tracker.quiz.engine import QuizEngine
from tracker.quiz.truth import declared_answer
from tracker.quiz.verify import verify_curriculum
from tracker.runner.runner import SnippetRunner
from tracker.store.progress_store import ProgressStore


@dataclass(frozen=True)
class Row:
    printed: str
    """What the question's code prints (its `print` argument, as Python source)."""
    type: QuestionType
    declared: float | str
    """The declared answer: `number` for NUMERIC, the accepted answer or output otherwise."""
    is_agreed: bool
    """Whether the declared answer agrees with what the code prints."""
    tolerance: float = 0.0

    def question(self, index: int) -> Question:
        fields: dict[str, object] = {}
        if self.type is QuestionType.NUMERIC:
            fields = {"number": self.declared, "tolerance": self.tolerance}
        else:
            fields = {"accepted": (self.declared,)}
        return Question(
            id=f"row-{index}",
            topic="table",
            type=self.type,
            prompt=Text("What does it print?"),
            location=Location("quizzes/table.yaml", index + 1, 5),
            code=f"print({self.printed})\n",
            **fields,  # type: ignore[arg-type]
        )


ROWS = [
    Row("'Total: 2,213'", QuestionType.NUMERIC, 2213, True),
    Row("'Total: 2,213'", QuestionType.NUMERIC, 213, False),
    Row("'2 213'", QuestionType.NUMERIC, 2213, True),
    Row("'1/3'", QuestionType.NUMERIC, 0.3333, True, tolerance=0.001),
    Row("'1/3'", QuestionType.NUMERIC, 3, False, tolerance=0.001),
    Row("1 / 3", QuestionType.NUMERIC, 0.3333, True),  # the decimals typed count, as in the quiz
    Row("'1e-3'", QuestionType.NUMERIC, 0.001, True),
    Row("1e-3", QuestionType.NUMERIC, 0.001, True),
    Row("'1e-3'", QuestionType.NUMERIC, 1000, False),
    Row("-0.5", QuestionType.NUMERIC, -0.5, True),
    Row("-0.5", QuestionType.NUMERIC, 0.5, False),
    Row("'tensor(2213)'", QuestionType.NUMERIC, 2213, True),
    Row("'tensor(2213)'", QuestionType.NUMERIC, 2212, False),
    Row("True", QuestionType.TEXT, "true", True),
    Row("True", QuestionType.TEXT, "False", False),
    Row("True", QuestionType.PREDICT, "True", True),
    Row("True", QuestionType.PREDICT, "true", False),
    Row("'a  \\nb\\n'", QuestionType.PREDICT, "a\nb", True),  # multi-line, trailing spaces aside
    Row("'torch.Size([2, 3])\\ntensor(2213)'", QuestionType.PREDICT, "torch.Size([2, 3])\n", False),
    Row("'loss 0.25\\nloss 0.125'", QuestionType.NUMERIC, 0.125, True),  # the last number
    Row("'loss 0.25\\nloss 0.125'", QuestionType.NUMERIC, 0.25, False),
]
"""The printed outputs of the issue's table, each with a declared answer that agrees and, for
most, one that does not."""


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open(tmp_path / "progress.sqlite3") as opened:
        yield opened


def test_check_and_quiz_agree_on_every_row(runner: SnippetRunner, store: ProgressStore) -> None:
    questions = [row.question(i) for i, row in enumerate(ROWS)]
    curriculum = Curriculum(root="table", questions=tuple(questions))

    reported = {
        p.location.line - 1: p.message for p in verify_curriculum(curriculum, runner=runner)
    }

    engine = QuizEngine(curriculum, store, runner)  # grades as a review session does
    by_declared = QuizEngine(curriculum, store, None)  # grades against the declared answers
    graded: dict[int, bool] = {}
    for index, (row, question) in enumerate(zip(ROWS, questions, strict=True)):
        if row.type is QuestionType.TEXT:
            truth = engine.prepare(question)
            assert truth is not None and truth.is_live
            outcome = by_declared.grade(replace(question, code=None), truth.output)
        else:
            declared = declared_answer(question)
            assert declared is not None
            outcome = engine.grade(question, declared)
        graded[index] = outcome.is_correct

    verdicts = [
        (row.printed, row.declared, index not in reported, graded[index], row.is_agreed)
        for index, row in enumerate(ROWS)
    ]
    assert [v for v in verdicts if not v[2] == v[3] == v[4]] == [], reported


def test_a_disagreement_is_said_once_in_the_checks_words_and_the_quizs(
    runner: SnippetRunner, store: ProgressStore
) -> None:
    row = Row("'Total: 2,213'", QuestionType.NUMERIC, 2212, False)
    question = row.question(0)
    curriculum = Curriculum(root="table", questions=(question,))
    (problem,) = verify_curriculum(curriculum, runner=runner)
    engine = QuizEngine(curriculum, store, runner)
    truth = engine.prepare(question)
    assert truth is not None and truth.warning is not None
    assert problem.message == f"question 'row-0': {truth.warning}"
    assert "prints 2213 but the declared answer is 2212" in truth.warning


def test_an_output_the_quiz_cannot_read_is_reported_and_the_declared_answer_stands_in(
    runner: SnippetRunner, store: ProgressStore
) -> None:
    row = Row("'no number here'", QuestionType.NUMERIC, 7, False)
    question = row.question(0)
    curriculum = Curriculum(root="table", questions=(question,))
    (problem,) = verify_curriculum(curriculum, runner=runner)
    assert "printed no number" in problem.message
    engine = QuizEngine(curriculum, store, runner)
    truth = engine.prepare(question)
    assert truth is not None and not truth.is_live and truth.output == "7"
    assert "printed no number" in (truth.warning or "")
    assert engine.grade(question, "7").is_correct
