"""Every question type has its whole spec: a YAML form, and a quiz spec with every part.

A question type lives in two registries and nowhere else: its form (`QUESTION_FORMS`, which the
loader reads) and its spec (`QUESTION_SPECS`, which the quiz, `study check --run` and the card
read). These tests fail when a type lacks either or any part of one, and when code elsewhere
names a type's member (a `match` or `if` on types outside the registries).
"""

from __future__ import annotations

import ast
import dataclasses

import pytest

from tests.conftest import ROOT
from tracker.content.quiz_file import ALL_QUESTION_KEYS
from tracker.domain.curriculum import Choice, Location, Question, Text
from tracker.domain.question_type import (
    QUESTION_COMMON_KEYS,
    QUESTION_FORMS,
    AnswerForm,
    CodeRole,
    QuestionType,
)
from tracker.quiz.grading import (
    QUESTION_SPECS,
    AnswerError,
    CrossCheck,
    QuestionSpec,
    expected_words,
    grade,
)

REGISTRIES = {"tracker/domain/question_type.py", "tracker/quiz/grading.py"}
"""The only modules that may name a `QuestionType` member."""


def _sample(question_type: QuestionType) -> Question:
    """A question of the type with every field a type might read filled in."""
    return Question(
        id=f"sample-{question_type}",
        topic="sample",
        type=question_type,
        prompt=Text("?"),
        location=Location("quizzes/sample.yaml", 1, 1),
        choices=(Choice(Text("yes"), True), Choice(Text("no"), False)),
        number=1.0,
        accepted=("1",),
        code="print(1)\n",
        checks="assert True\n",
    )


@pytest.mark.parametrize("question_type", list(QuestionType))
def test_every_type_has_a_form_and_a_spec(question_type: QuestionType) -> None:
    assert question_type in QUESTION_FORMS, f"{question_type} has no QuestionForm"
    assert question_type in QUESTION_SPECS, f"{question_type} has no QuestionSpec"
    spec = QUESTION_SPECS[question_type]
    assert spec.type is question_type
    assert spec.form is QUESTION_FORMS[question_type]


@pytest.mark.parametrize("question_type", list(QuestionType))
def test_every_part_of_a_spec_is_there_and_answers(question_type: QuestionType) -> None:
    spec = QUESTION_SPECS[question_type]
    question = _sample(question_type)
    for part in dataclasses.fields(QuestionSpec):
        assert getattr(spec, part.name) is not None, f"{question_type} lacks {part.name}"
    assert spec.words.strip()
    assert spec.placeholder(question).strip()
    assert isinstance(spec.chosen(question, "1"), frozenset)
    assert sorted(spec.shown_choices(question), key=question.choices.index) == list(
        question.choices
    )
    assert expected_words(question).strip()
    declared = spec.declared(question)
    if spec.runs_answer:
        with pytest.raises(ValueError, match="grade_code"):
            grade(question, "pass")
    else:
        assert declared is None or grade(question, declared).is_correct
        with pytest.raises(AnswerError):
            grade(question, "   ")


def test_the_words_of_the_types_differ() -> None:
    words = [spec.words for spec in QUESTION_SPECS.values()]
    assert len(set(words)) == len(words)


@pytest.mark.parametrize("question_type", list(QuestionType))
def test_a_form_and_its_spec_agree(question_type: QuestionType) -> None:
    form = QUESTION_FORMS[question_type]
    spec = QUESTION_SPECS[question_type]
    assert (spec.cross_check is CrossCheck.NONE) == (not form.is_computed)
    assert (form.answer in (AnswerForm.CHOICE, AnswerForm.CHOICES)) <= form.has_choices
    assert spec.runs_answer == (form.code is CodeRole.STARTER)
    assert set(form.keys) <= set(ALL_QUESTION_KEYS) - set(QUESTION_COMMON_KEYS)


def test_no_module_outside_the_registries_names_a_question_type() -> None:
    members = {t.name for t in QuestionType}
    offenders = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in REGISTRIES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "QuestionType"
                and node.attr in members
            ):
                offenders.append(f"{relative}:{node.lineno} QuestionType.{node.attr}")
    assert offenders == []
