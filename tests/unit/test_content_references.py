"""Tests for the cross-file checks that the malformed corpus does not cover on its own."""

from __future__ import annotations

from pathlib import Path

from tracker.content import load_curriculum
from tracker.domain.curriculum import Problem


def _summary(problems: tuple[Problem, ...]) -> list[tuple[str, int, int, str, str]]:
    return [
        (Path(p.location.path).name, p.location.line, p.location.column, p.severity, p.message)
        for p in problems
    ]


def test_a_resource_defined_twice_names_the_first(good: Path) -> None:
    (good / "assignments" / "resources.yml").write_text(
        "resources:\n  llm-book:\n    kind: book\n    title: Again\n", encoding="utf-8"
    )
    first = good / "assignments" / "resources.yaml"
    assert _summary(load_curriculum(good).problems) == [
        (
            "resources.yml",
            2,
            3,
            "error",
            f"duplicate resource id 'llm-book' (first at {first}:11:3)",
        )
    ]


def test_a_quiz_topic_not_discussed_at_its_meeting_warns(good: Path) -> None:
    (good / "quizzes" / "strides.yaml").write_text(
        "topic: strides\nmeeting: 2024-04-08\nfollows: tokenizer-video/position\n"
        "questions:\n  - {id: q-strides, type: text, prompt: Why?, answer: memory}\n",
        encoding="utf-8",
    )
    assert _summary(load_curriculum(good).problems) == [
        (
            "strides.yaml",
            1,
            8,
            "warning",
            "topic 'strides' is not discussed at the meeting of 2024-04-08 (its topics: contiguity)",
        ),
        (
            "strides.yaml",
            3,
            10,
            "warning",
            "'tokenizer-video/position' is a video position, which is never done;"
            " follow 'tokenizer-video/whole' or set 'meeting'",
        ),
    ]


def test_a_question_may_override_the_quizs_meeting_and_follows(good: Path) -> None:
    (good / "quizzes" / "own.yaml").write_text(
        "topic: own\nfollows: [llm-book/2.6]\nquestions:\n"
        "  - id: q-own\n    type: text\n    prompt: Why?\n    answer: memory\n"
        "    meeting: 28/03/2024\n    follows: [llm-book/A1, perceptron-post/whole]\n"
        "  - id: q-inherits\n    type: text\n    prompt: Why?\n    answer: memory\n",
        encoding="utf-8",
    )
    curriculum = load_curriculum(good)
    assert curriculum.problems == ()
    by_id = {q.id: q for q in curriculum.questions}
    assert by_id["q-own"].follows == ("llm-book/A.1", "perceptron-post/whole")
    assert str(by_id["q-own"].meeting) == "2024-03-28"
    assert (by_id["q-inherits"].follows, by_id["q-inherits"].meeting) == (("llm-book/2.6",), None)


def test_an_empty_file_is_a_warning_at_its_start(good: Path) -> None:
    (good / "quizzes" / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (good / "assignments" / "2030-01-01.yaml").write_bytes(b"")
    assert _summary(load_curriculum(good).problems) == [
        (
            "2030-01-01.yaml",
            1,
            1,
            "warning",
            "the file is empty (or only comments), so nothing is read from it; a meeting needs"
            " 'date:' and 'items:' or 'discuss:'",
        ),
        (
            "empty.yaml",
            1,
            1,
            "warning",
            "the file is empty (or only comments), so nothing is read from it; a quiz needs"
            " 'topic:' and 'questions:'",
        ),
    ]
