"""Tests for `study check`: output formats, PATH filtering, and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD, ROOT
from tracker.cli import main
from tracker.content import load_curriculum


@pytest.fixture
def good(good: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(good)
    return good


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _break(root: Path) -> None:
    (root / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nitems:\n  - resource: llm-bok\n    sectons: 2.6\n", encoding="utf-8"
    )


def test_a_clean_curriculum_exits_0(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _check(capsys)
    assert (code, out, err) == (0, "", "0 errors, 0 warnings in 4 files\n")


def test_errors_exit_1_with_located_lines(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(good)
    code, out, err = _check(capsys)
    assert code == 1
    assert out.splitlines() == [
        "assignments/2024-05-06.yaml:3:15: error: unknown resource 'llm-bok' (did you mean 'llm-book'?)",
        "assignments/2024-05-06.yaml:4:5: error: unknown key 'sectons' in item 1 (did you mean 'sections'?)",
    ]
    assert err == "2 errors, 0 warnings in 5 files\n"


def test_warnings_alone_exit_0(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nitems:\n  - resource: llm-book\n    sections: '9.1'\n", encoding="utf-8"
    )
    code, out, err = _check(capsys)
    assert code == 0
    assert out == (
        "assignments/2024-05-06.yaml:4:15: warning: section 9.1 of 'llm-book' is not in the catalogue\n"
    )
    assert err == "0 errors, 1 warning in 5 files\n"


def test_json_output(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(good)
    code, out, _err = _check(capsys, "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "assignments/2024-05-06.yaml",
            "line": 3,
            "column": 15,
            "severity": "error",
            "message": "unknown resource 'llm-bok' (did you mean 'llm-book'?)",
        },
        {
            "path": "assignments/2024-05-06.yaml",
            "line": 4,
            "column": 5,
            "severity": "error",
            "message": "unknown key 'sectons' in item 1 (did you mean 'sections'?)",
        },
    ]


def test_json_output_of_a_clean_curriculum_is_an_empty_list(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _check(capsys, "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_paths_restrict_the_report_but_references_still_resolve(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _break(good)
    (good / "quizzes" / "broken.yaml").write_text("topic: [x\n", encoding="utf-8")
    code, out, err = _check(capsys, "quizzes/contiguity.yaml")
    assert (code, out, err) == (0, "", "0 errors, 0 warnings in 1 file\n")
    code, out, err = _check(capsys, "quizzes")
    assert code == 1
    assert [line.split(": ")[0] for line in out.splitlines()] == ["quizzes/broken.yaml:2:1"]
    assert err == "1 error, 0 warnings in 2 files\n"


def test_a_file_outside_the_curriculum_is_checked_against_it(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "draft" / "quizzes" / "new.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_text(
        "topic: new\nquestions:\n  - {id: q1, type: predict, prompt: What?, snippet: s02}\n",
        encoding="utf-8",
    )
    code, out, err = _check(capsys, str(outside))
    assert code == 1
    assert out == f"{outside}:3:53: error: unknown snippet 's02' (did you mean 's01'?)\n"
    assert err == "1 error, 0 warnings in 1 file\n"


def test_a_curriculum_directory_as_path_is_the_curriculum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(GOOD, tmp_path / "mine")
    _break(tmp_path / "mine")
    code, out, err = _check(capsys, "mine")
    assert code == 1
    assert out.startswith("mine/assignments/2024-05-06.yaml:3:15: error:")
    assert err == "2 errors, 0 warnings in 5 files\n"


def test_paths_outside_the_working_directory_stay_absolute(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break(good)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code = main(["--curriculum", str(good), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(f"{good}/assignments/2024-05-06.yaml:3:15: error:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/file.yaml"], "study check: no/such/file.yaml: no such file or directory\n"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2(
    good: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _check(capsys, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_no_curriculum_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--curriculum", str(tmp_path), "check"])
    assert code == 2
    assert "no curriculum at" in capsys.readouterr().err


def test_exit_codes_through_a_real_process(good: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", "check", *args],
            capture_output=True,
            text=True,
            cwd=good,
            env={"PYTHONPATH": str(ROOT), "STUDY_HOME": str(good.parent / "home"), "PATH": ""},
            check=False,
        )

    assert run().returncode == 0
    assert run("missing.yaml").returncode == 2
    _break(good)
    broken = run()
    assert broken.returncode == 1
    assert broken.stdout.startswith("assignments/2024-05-06.yaml:3:15: error: unknown resource")
    assert broken.stderr == "2 errors, 0 warnings in 5 files\n"


@pytest.mark.slow
def test_run_verifies_declared_outputs(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting = good / "assignments" / "2024-04-08.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("          False\n", "          True\n"),
        encoding="utf-8",
    )
    code, out, err = _check(capsys, "--run")
    assert code == 1
    assert out.startswith("assignments/2024-04-08.yaml:28:9: error: snippet 's01' printed")
    ran, closing = err.splitlines()
    snippets = sum(1 for s in load_curriculum(good).snippets.values() if s.expected is not None)
    assert re.fullmatch(
        rf"{snippets} snippets? run, \d+ answers? verified, 0 skipped in \d+\.\d s", ran
    )
    assert closing == "1 error, 0 warnings in 4 files"


@pytest.mark.slow
def test_run_with_a_python_without_torch_exits_2_and_says_why(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDY_PYTHON", "/usr/bin/python3")  # the system Python has no torch
    code, out, err = _check(capsys, "--run")
    assert (code, out) == (2, "")
    assert err.startswith("study check: --run: the snippet worker could not start:")
    assert "torch" in err


def test_the_first_place_of_a_duplicate_is_shown_relative_too(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-04-08\nitems:\n  - resource: perceptron-post\n", encoding="utf-8"
    )
    code, out, err = _check(capsys, "assignments/2024-05-06.yaml")
    assert code == 1
    assert out == (
        "assignments/2024-05-06.yaml:1:7: error: a second meeting on 2024-04-08"
        " (first at assignments/2024-04-08.yaml:1:7); one file per meeting\n"
    )
    assert err == "1 error, 0 warnings in 1 file\n"


def test_an_empty_new_file_is_a_warning_and_exits_0(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_bytes(b"")
    code, out, err = _check(capsys, "--format", "json", "assignments/2024-05-06.yaml")
    assert code == 0
    assert [(p["line"], p["column"], p["severity"]) for p in json.loads(out)] == [(1, 1, "warning")]
    assert err == "0 errors, 1 warning in 1 file\n"


@pytest.mark.slow
def test_run_warns_about_a_missing_package_and_exits_0(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (good / "quizzes" / "vision.yaml").write_text(
        "topic: vision\n"
        "snippets:\n"
        "  - id: mnist\n"  # line 3
        "    requires: [study_absent_vision]\n"
        "    code: print(1)\n"
        "    expected: '2'\n"  # never compared: the snippet cannot run here
        "  - id: plots\n"  # line 7
        "    code: |\n"
        "      import study_absent_plots.pyplot as plt\n"
        "      print(3)\n"
        "    expected: '3'\n"
        "  - id: lazy\n"  # line 12
        "    code: |\n"
        "      import importlib\n"
        "      importlib.import_module('study_absent_lazy')\n"
        "    expected: '4'\n"
        "questions:\n"
        "  - id: q-count\n"  # line 18
        "    type: numeric\n"
        "    prompt: How many?\n"
        "    snippet: mnist\n"
        "    answer: 1\n",
        encoding="utf-8",
    )
    code, out, err = _check(capsys, "--run")
    assert code == 0, out
    lines = out.splitlines()
    assert lines == [
        "quizzes/vision.yaml:3:5: warning: snippet 'mnist' needs study_absent_vision, which the"
        " snippet worker's Python does not have, so it was not run; install it there:"
        " pip install study_absent_vision",
        "quizzes/vision.yaml:7:5: warning: snippet 'plots' needs study_absent_plots, which the"
        " snippet worker's Python does not have, so it was not run; install it there:"
        " pip install study_absent_plots",
        "quizzes/vision.yaml:12:5: warning: snippet 'lazy' needs study_absent_lazy, which the"
        " snippet worker's Python does not have, so it was not run; install it there:"
        " pip install study_absent_lazy",
        "quizzes/vision.yaml:18:5: warning: question 'q-count' needs study_absent_vision, which"
        " the snippet worker's Python does not have, so it was not run; install it there:"
        " pip install study_absent_vision",
    ]
    ran, closing = err.splitlines()
    assert re.fullmatch(r"\d+ snippets? run, \d+ answers? verified, 4 skipped in \d+\.\d s", ran)
    assert closing == "0 errors, 4 warnings in 5 files"
