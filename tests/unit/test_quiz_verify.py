"""`verify_curriculum`: snippets and computed answers checked by live runs, failures located."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.domain.curriculum import (
    Curriculum,
    Location,
    Question,
    QuestionType,
    Snippet,
    Text,
)
from tracker.quiz.verify import verify_curriculum
from tracker.runner import SnippetRunner


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False) as shared:
        yield shared


def _snippet(id_: str, code: str, expected: str | None, line: int, **fields: object) -> Snippet:
    return Snippet(
        id=id_,
        code=code,
        location=Location("assignments/demo.yaml", line, 7),
        code_line=line + 2,
        expected=expected,
        **fields,  # type: ignore[arg-type]
    )


def _question(id_: str, type_: QuestionType, line: int, **fields: object) -> Question:
    return Question(
        id=id_,
        topic="demo",
        type=type_,
        prompt=Text("?"),
        location=Location("quizzes/demo.yaml", line, 5),
        **fields,  # type: ignore[arg-type]
    )


def _curriculum() -> Curriculum:
    snippets = [
        _snippet("good", "print('a')\nprint('b')\n", "a\nb\n", 10),
        _snippet("wrong", "print('a')\nprint('c')\n", "a\nb\n", 20),
        _snippet("raises", "1 / 0\n", "x\n", 30),
        _snippet("varies", "print('anything')\n", "something else\n", 40, determinism="S/V"),
        _snippet("unchecked", "print('no expectation')\n", None, 50),
        _snippet(
            "seeded", "import torch\nprint(torch.randint(0, 10**6, (1,)).item())\n", "", 60, seed=7
        ),
        _snippet("slow", "import time\ntime.sleep(5)\n", "\n", 70, timeout=0.2),
        _snippet("predict-src", "print(2 + 2)\n", None, 80),
    ]
    questions = [
        _question("p-ok", QuestionType.PREDICT, 3, snippet="predict-src", accepted=("4",)),
        _question("p-bad", QuestionType.PREDICT, 9, code="print(2 + 3)\n", accepted=("4",)),
        _question("n-ok", QuestionType.NUMERIC, 15, code="print('total:', 2213)\n", number=2213),
        _question(
            "n-tol", QuestionType.NUMERIC, 21, code="print(0.333)\n", number=0.3, tolerance=0.05
        ),
        _question("n-bad", QuestionType.NUMERIC, 27, code="print(2212)\n", number=2213),
        _question("n-none", QuestionType.NUMERIC, 33, code="print('none')\n", number=1),
        _question(
            "t-ok",
            QuestionType.TEXT,
            39,
            code="print('  The  Sigmoid ')\n",
            accepted=("the sigmoid", "logistic"),
        ),
        _question("t-bad", QuestionType.TEXT, 45, code="print('tanh')\n", accepted=("sigmoid",)),
        _question(  # normalised as the quiz grades it: Armenian marks and end punctuation go
            "t-hy", QuestionType.TEXT, 48, code="print('Սիգմո՞իդ.')\n", accepted=("սիգմոիդ",)
        ),
        _question(
            "c-ok",
            QuestionType.CODE,
            51,
            code="def count(m):\n    ...\n",
            checks="assert count(1) == 1\n",
        ),
        _question("c-bad", QuestionType.CODE, 57, checks="assert count(1) ==\n"),
        _question("plain", QuestionType.SINGLE, 63),
    ]
    return Curriculum(root="demo", snippets={s.id: s for s in snippets}, questions=tuple(questions))


def test_every_failure_is_located_with_words(runner: SnippetRunner) -> None:
    curriculum = _curriculum()
    seeded = runner.run(curriculum.snippets["seeded"].code, seed=7).stdout
    curriculum.snippets["seeded"] = _snippet(  # type: ignore[index]
        "seeded", curriculum.snippets["seeded"].code, seeded, 60, seed=7
    )
    problems = verify_curriculum(curriculum, runner=runner)
    by_place = {str(p.location): p.message for p in problems}
    assert sorted(by_place) == sorted(
        [
            "assignments/demo.yaml:20:7",
            "assignments/demo.yaml:30:7",
            "assignments/demo.yaml:70:7",
            "quizzes/demo.yaml:9:5",
            "quizzes/demo.yaml:27:5",
            "quizzes/demo.yaml:33:5",
            "quizzes/demo.yaml:45:5",
            "quizzes/demo.yaml:57:5",
        ]
    ), by_place
    wrong = by_place["assignments/demo.yaml:20:7"]
    assert "snippet 'wrong'" in wrong and "-b\n+c" in wrong and "--- expected" in wrong
    assert "raised ZeroDivisionError" in by_place["assignments/demo.yaml:30:7"]
    assert "time limit of 0.2 s" in by_place["assignments/demo.yaml:70:7"]
    assert "-4\n+5" in by_place["quizzes/demo.yaml:9:5"]
    assert "prints 2212 but the declared answer is 2213" in by_place["quizzes/demo.yaml:27:5"]
    assert "printed no number" in by_place["quizzes/demo.yaml:33:5"]
    assert "'tanh'" in by_place["quizzes/demo.yaml:45:5"]
    assert "checks do not compile" in by_place["quizzes/demo.yaml:57:5"]
    assert all(p.format().count(": error: ") == 1 for p in problems)


def test_the_bundled_curriculum_verifies_clean(runner: SnippetRunner) -> None:
    from tracker.content import load_curriculum

    curriculum = load_curriculum(Path(ROOT), use_cache=False)
    assert curriculum.snippets, "the bundled curriculum has snippets"
    problems = verify_curriculum(curriculum, runner=runner)
    assert [p.format() for p in problems] == []


def test_a_runner_is_started_and_closed_when_none_is_given() -> None:
    curriculum = Curriculum(root="demo", snippets={"one": _snippet("one", "print(1)\n", "2\n", 1)})
    problems = verify_curriculum(curriculum)
    assert [p.location.line for p in problems] == [1]
