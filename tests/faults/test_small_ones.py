"""The small faults: `1e-3` answers, BOM columns, a 200 KB value, `parse_timestamp("²")`, and a big
list of scalars that is not an alias bomb."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD
from tracker.content import load_curriculum
from tracker.content.ranges import ValueProblem, expand_numbers, parse_timestamp
from tracker.content.reader import read_yaml
from tracker.content.regular_file import MAX_BYTES
from tracker.domain.curriculum import Severity

NUMERIC = """
  - id: tiny
    type: numeric
    prompt: What learning rate did the paper use?
    answer: {answer}
    tolerance: 1e-6
"""


@pytest.mark.parametrize(("written", "value"), [("1e-3", 0.001), ("-2.5E+2", -250.0), ("3e0", 3.0)])
def test_a_numeric_answer_in_scientific_notation_is_a_number(
    tmp_path: Path, written: str, value: float
) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    quiz = root / "quizzes" / "contiguity.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8") + NUMERIC.format(answer=written), encoding="utf-8"
    )
    curriculum = load_curriculum(root, use_cache=False)
    assert [p for p in curriculum.problems if p.severity is Severity.ERROR] == []
    [question] = [q for q in curriculum.questions if q.id == "tiny"]
    assert question.number == pytest.approx(value)
    assert question.tolerance == pytest.approx(1e-6)


def test_a_quoted_1e_3_stays_a_string_and_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    quiz = root / "quizzes" / "contiguity.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8") + NUMERIC.format(answer='"1e-3"'), encoding="utf-8"
    )
    problems = load_curriculum(root, use_cache=False).problems
    assert any("must be a number, found '1e-3'" in p.message for p in problems)


def test_a_bom_does_not_count_as_a_column_on_line_one() -> None:
    with_bom = read_yaml("a.yaml", b"\xef\xbb\xbfdate: 2024-04-16 \xff\n").problems
    without = read_yaml("a.yaml", b"date: 2024-04-16 \xff\n").problems
    assert [(p.location.line, p.location.column) for p in with_bom] == [(1, 18)]
    assert [(p.location.line, p.location.column) for p in without] == [(1, 18)]


def test_a_200_kb_one_line_value_gives_a_short_error_line(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    meeting = root / "assignments" / "2024-04-08.yaml"
    value = "x" * 200_000
    text = meeting.read_text(encoding="utf-8").replace("date: 2024-04-08", f"date: {value}")
    meeting.write_text(text, encoding="utf-8")
    problems = load_curriculum(root, use_cache=False).problems
    [problem] = [p for p in problems if "malformed date" in p.message]
    assert len(problem.format()) < 400
    assert "(200,000 characters)" in problem.message


@pytest.mark.parametrize("text", ["²", "1:²0", "0:0:⁵"])
def test_superscript_digits_are_a_value_problem_not_a_crash(text: str) -> None:
    with pytest.raises(ValueProblem, match="malformed timestamp"):
        parse_timestamp(text)


def test_superscript_exercise_numbers_are_a_value_problem() -> None:
    with pytest.raises(ValueProblem, match="malformed exercise number"):
        expand_numbers("²")


def test_a_superscript_in_a_video_position_is_a_located_error(tmp_path: Path) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    meeting = root / "assignments" / "2024-04-08.yaml"
    text = meeting.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("until:"))
    lines[index] = lines[index].split("until:")[0] + 'until: "²"'
    meeting.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = load_curriculum(root, use_cache=False).problems
    [problem] = [p for p in problems if "timestamp" in p.message]
    assert problem.location.line == index + 1 and problem.severity is Severity.ERROR


def test_a_long_list_of_scalars_is_not_blamed_on_aliases() -> None:
    data = ("items:\n" + "  - 1234567890123\n" * 110_000).encode()
    assert 1_700_000 < len(data) < MAX_BYTES
    [problem] = read_yaml("big.yaml", data).problems
    assert "alias" not in problem.message
    assert "more than 100,000 values; split it" in problem.message
    assert problem.location.line > 99_000
