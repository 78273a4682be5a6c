"""A question that reuses a snippet says what it compares: the whole output, one line, the last value."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.curriculum import Compare, Location, Question, QuestionType, Text
from tracker.quiz.engine import QuizEngine
from tracker.quiz.grading import AnswerError
from tracker.quiz.truth import compare_words, compared_output
from tracker.quiz.verify import verify_curriculum
from tracker.runner import SnippetRunner
from tracker.store.progress_store import ProgressStore

OUTPUT = "shape: torch.Size([1, 3])\n\nparameters: 2213\n"

QUIZ = """\
topic: params
snippets:
  - id: count
    code: |
      print("shape: torch.Size([1, 3])")
      print()
      print("parameters:", 50 * 30 + 30 + 30 * 20 + 20 + 20 * 3 + 3)
questions:
  - id: q-whole
    type: predict
    prompt: What does it print?
    snippet: count
  - id: q-line
    type: text
    prompt: What is the shape line?
    snippet: count
    compare: line 1
    answer: "shape: torch.Size([1, 3])"
  - id: q-last
    type: numeric
    prompt: How many parameters?
    snippet: count
    compare: last
    answer: 2213
  - id: q-wrong
    type: numeric
    prompt: How many parameters?
    snippet: count
    compare: last
    answer: 2212
  - id: q-missing-line
    type: text
    prompt: What is line 5?
    snippet: count
    compare: {line: 5}
    answer: nothing
"""


def _question(compare: Compare, line: int | None = None, snippet: str | None = "s") -> Question:
    return Question(
        id="q",
        topic="t",
        type=QuestionType.TEXT,
        prompt=Text("?"),
        location=Location("quizzes/t.yaml", 1, 1),
        snippet=snippet,
        code=None if snippet else "print(1)",
        compare=compare,
        compare_line=line,
    )


@pytest.mark.parametrize(
    ("compare", "line", "part"),
    [
        (Compare.OUTPUT, None, OUTPUT),
        (Compare.LINE, 1, "shape: torch.Size([1, 3])"),
        (Compare.LINE, 2, ""),
        (Compare.LAST, None, "parameters: 2213"),
    ],
)
def test_compared_output_picks_the_part(compare: Compare, line: int | None, part: str) -> None:
    assert compared_output(_question(compare, line), OUTPUT) == part


def test_a_line_past_the_output_or_no_last_value_cannot_be_compared() -> None:
    with pytest.raises(AnswerError, match="the code printed 3 lines, so it has no line 4"):
        compared_output(_question(Compare.LINE, 4), OUTPUT)
    with pytest.raises(AnswerError, match="printed nothing, so it has no last value"):
        compared_output(_question(Compare.LAST), "\n\n")


def test_compare_words_name_the_snippet_when_one_is_reused() -> None:
    assert compare_words(_question(Compare.LINE, 2)) == "line 2 of the output of snippet 's'"
    assert compare_words(_question(Compare.LAST)) == "the last value printed by snippet 's'"
    assert compare_words(_question(Compare.OUTPUT, snippet=None)) == "the whole output of its code"


def _write(good: Path, text: str) -> None:
    (good / "quizzes" / "params.yaml").write_text(text, encoding="utf-8")


def test_compare_is_read_in_each_spelling(good: Path) -> None:
    _write(good, QUIZ)
    curriculum = load_curriculum(good, use_cache=False)
    assert curriculum.problems == ()
    compares = {q.id: (q.compare, q.compare_line) for q in curriculum.questions}
    assert compares["q-whole"] == (Compare.OUTPUT, None)
    assert compares["q-line"] == (Compare.LINE, 1)
    assert compares["q-last"] == (Compare.LAST, None)
    assert compares["q-missing-line"] == (Compare.LINE, 5)


def test_a_bad_compare_is_located(good: Path) -> None:
    _write(
        good,
        "topic: params\nquestions:\n"
        "  - {id: a, type: text, prompt: P, code: 'print(1)', compare: lines 2, answer: '1'}\n"
        "  - {id: b, type: text, prompt: P, compare: last, answer: '1'}\n"
        "  - {id: c, type: single, prompt: P, choices: [x, y], answer: 1, compare: last}\n",
    )
    curriculum = load_curriculum(good, use_cache=False)
    assert [
        (p.location.line, p.location.column, str(p.severity), p.message)
        for p in curriculum.problems
    ] == [
        (
            3,
            63,
            "error",
            "compare 'lines 2' of question 'a' must be output (the whole output), last (the last"
            " value printed) or line N (e.g. line 2)",
        ),
        (
            4,
            36,
            "error",
            "'compare' of question 'b' needs 'code' or 'snippet' (it picks a part of their output)",
        ),
        (5, 66, "error", "'compare' is not used by a single question (question 'c')"),
    ]


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


@pytest.mark.slow
def test_check_run_names_what_a_failing_question_compares(
    good: Path, runner: SnippetRunner
) -> None:
    _write(good, QUIZ)
    curriculum = load_curriculum(good, use_cache=False)
    problems = [
        (Path(p.location.path).name, p.location.line, p.message)
        for p in verify_curriculum(curriculum, runner=runner)
    ]
    assert problems == [
        (
            "params.yaml",
            25,
            "question 'q-wrong' (comparing the last value printed by snippet 'count'): the code"
            " prints 2213 but the declared answer is 2212; the live value counts",
        ),
        (
            "params.yaml",
            31,
            "question 'q-missing-line' (comparing line 5 of the output of snippet 'count'):"
            " the code printed 3 lines, so it has no line 5",
        ),
    ]


@pytest.mark.slow
def test_the_quiz_grades_against_the_compared_part(
    good: Path, runner: SnippetRunner, tmp_path: Path
) -> None:
    _write(good, QUIZ)
    curriculum = load_curriculum(good, use_cache=False)
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    try:
        engine = QuizEngine(curriculum, store, runner)
        by_id = {q.id: q for q in curriculum.questions}
        truth = engine.prepare(by_id["q-line"])
        assert truth is not None and truth.output == "shape: torch.Size([1, 3])"
        assert engine.grade(by_id["q-line"], "shape: torch.Size([1, 3])").is_correct
        assert engine.grade(by_id["q-last"], "2213").is_correct
        whole = engine.prepare(by_id["q-whole"])
        assert whole is not None and whole.output == OUTPUT
    finally:
        store.close()
