"""`study init DIR`: a new curriculum repository with one example of each kind passes `study check`."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.cli import main
from tracker.content import load_curriculum
from tracker.domain.curriculum import ItemKind, QuestionType, ResourceKind
from tracker.report.starter import WORKFLOW_PATH, starter_files


def _write(root: Path, today: date) -> None:
    workflow = (ROOT / "examples" / "curriculum-ci.yml").read_text(encoding="utf-8")
    for relative, text in starter_files(today, workflow).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_starter_has_one_of_each_kind_and_a_meeting_next_week(tmp_path: Path) -> None:
    _write(tmp_path, date(2026, 2, 27))

    curriculum = load_curriculum(tmp_path, use_cache=False)

    assert [p.format() for p in curriculum.problems] == []
    assert {r.kind for r in curriculum.resources.values()} == set(ResourceKind)
    (meeting,) = curriculum.meetings
    assert meeting.date == date(2026, 3, 6)
    assert {item.kind for item in meeting.items} == set(ItemKind)
    assert [t.id for t in meeting.topics] == ["tensor-basics"]
    questions = curriculum.questions
    assert {q.topic for q in questions} == {"tensor-basics"}
    assert {q.type for q in questions} == {
        QuestionType.PREDICT,
        QuestionType.SINGLE,
        QuestionType.NUMERIC,
        QuestionType.TEXT,
    }


def test_study_init_writes_the_repository_and_it_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "plan"

    assert main(["--today", "2026-02-27", "init", str(root)]) == 0

    written = capsys.readouterr().err
    for name in ("assignments/resources.yaml", "quizzes/tensor-basics.yaml", WORKFLOW_PATH):
        assert (root / name).is_file()
        assert f"wrote {root / name}" in written
    assert (root / "assignments" / "2026-03-06.yaml").is_file()  # a week after --today
    assert (root / WORKFLOW_PATH).read_bytes() == (
        ROOT / "examples" / "curriculum-ci.yml"
    ).read_bytes()
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "study export" in readme and "STUDY_PYTHON" in readme
    install = next(line for line in readme.splitlines() if "uv tool install" in line)
    assert install.endswith("/whl/cpu \\"), "the wheel follows on a continued shell line"
    assert "  " not in install.strip()
    command = written.split("&& ")[-1].split("`")[0].removesuffix(" check")
    assert shutil.which(command.split()[0]) is not None, command  # runnable as printed
    assert main(["--curriculum", str(root), "check"]) == 0
    assert capsys.readouterr().err.strip() == "0 errors, 0 warnings in 3 files"


def test_study_init_refuses_a_directory_that_holds_a_curriculum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "mine.yaml").write_text("topic: mine\n", encoding="utf-8")

    assert main(["init", str(tmp_path)]) == 1

    assert capsys.readouterr().err == (
        f"study init: error: {tmp_path / 'quizzes'} already exists; "
        "study init starts a new curriculum\n"
    )
    assert not (tmp_path / "assignments").exists()
    assert (tmp_path / "quizzes" / "mine.yaml").read_text(encoding="utf-8") == "topic: mine\n"


def test_study_init_keeps_a_readme_that_is_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("# Mine\n", encoding="utf-8")

    assert main(["init", str(tmp_path)]) == 0

    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Mine\n"
    assert f"kept {tmp_path / 'README.md'}: it already exists" in capsys.readouterr().err
    assert (tmp_path / "assignments" / "resources.yaml").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_study_init_makes_a_git_repository_unless_told_not_to_or_inside_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "plan")]) == 0
    assert (tmp_path / "plan" / ".git").is_dir()
    assert f"initialised a git repository in {tmp_path / 'plan'}" in capsys.readouterr().err

    assert main(["init", "--no-git", str(tmp_path / "bare")]) == 0
    assert not (tmp_path / "bare" / ".git").exists()

    inner = tmp_path / "plan" / "second"  # a folder of the first repository: no nested one
    assert main(["init", str(inner)]) == 0
    assert (inner / "assignments").is_dir() and not (inner / ".git").exists()
    assert "initialised" not in capsys.readouterr().err
