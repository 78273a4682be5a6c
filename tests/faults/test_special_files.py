"""Curriculum files that are not regular files: each is a located error naming what it is, and no
read blocks (a FIFO with no writer) or runs without bound (`/dev/zero`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD, MakeApp
from tracker.cli import main
from tracker.content import load_curriculum
from tracker.content.regular_file import MAX_BYTES, NotRegularFileError, read_regular_file
from tracker.domain.curriculum import Severity

SPECIAL = {
    "fifo.yaml": "a FIFO (named pipe), not a regular file",
    "zero.yaml": "a character device, not a regular file",
    "dangling.yaml": "a dangling symlink (to missing.yaml, missing)",
    "loop-a.yaml": "a symlink loop",
    "folder.yaml": "a directory, not a regular file",
}


def _make_special(folder: Path) -> None:
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "dangling.yaml").symlink_to("missing.yaml")
    (folder / "loop-a.yaml").symlink_to("loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to("loop-a.yaml")
    (folder / "folder.yaml").mkdir()


@pytest.fixture
def curriculum(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    _make_special(root / "assignments")
    (root / "quizzes").mkdir(exist_ok=True)
    os.mkfifo(root / "quizzes" / "pipe.yaml")
    return root


def test_each_special_file_is_a_located_error_naming_it(curriculum: Path) -> None:
    loaded = load_curriculum(curriculum, use_cache=False)
    errors = {
        Path(p.location.path).name: p
        for p in loaded.problems
        if p.severity is Severity.ERROR and Path(p.location.path).name != "loop-b.yaml"
    }
    for name, reason in SPECIAL.items():
        assert name in errors, (name, sorted(errors))
        assert reason in errors[name].message
        assert (errors[name].location.line, errors[name].location.column) == (1, 1)
    assert "a FIFO" in errors["pipe.yaml"].message
    assert loaded.meetings  # the rest of the curriculum still loads


def test_study_check_reports_them_and_exits_1(
    curriculum: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(curriculum)
    assert main(["check", "--no-cache"]) == 1
    out = capsys.readouterr().out
    for name in SPECIAL:
        assert f"assignments/{name}:1:1: error: " in out
    assert "quizzes/pipe.yaml:1:1: error: a FIFO" in out


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 10)  # sparse: the size says it all
    with pytest.raises(NotRegularFileError) as caught:
        read_regular_file(big, MAX_BYTES)
    assert caught.value.size == MAX_BYTES + 10
    catalogue = GOOD / "assignments" / "resources.yaml"
    assert read_regular_file(catalogue, MAX_BYTES) == catalogue.read_bytes()


async def test_the_app_lists_special_files_under_problems(
    tmp_path: Path, make_app: MakeApp
) -> None:
    from tests.conftest import copy_curriculum, wait_loaded
    from tracker.ui.screens.problems import ProblemsScreen

    root = copy_curriculum(tmp_path)
    _make_special(root / "assignments")
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert app.curriculum is not None
        named = {Path(p.location.path).name: p.message for p in app.curriculum.problems}
        for name, reason in SPECIAL.items():
            assert reason in named[name]
