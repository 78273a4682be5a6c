"""Installed like a tool (`pipx install`, `uv tool install`), `study` works outside any checkout.

The test builds the wheel from a copy of the source tree, installs it into a fresh virtual
environment, and runs `study` there from an empty directory. It needs no network: the build uses
this environment's setuptools (no build isolation), the wheel goes in without its dependencies,
and the fresh environment sees this one's packages (torch, textual, ...) through a `.pth` line,
which is what a venv made with `--system-site-packages` would see on a machine where they are
installed system-wide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
"""The files the build reads at the top of the tree, besides the folders below."""

FOLDERS = ("tracker", "assignments", "quizzes", "examples")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its `bin/` directory."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        shutil.copy2(ROOT / name, source / name)
    for name in FOLDERS:
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = base / "dist"
    _check_call(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(dist), str(source),
    )  # fmt: skip
    (wheel,) = dist.glob("study_tracker-*.whl")
    venv = base / "venv"
    _check_call(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    _check_call(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
        "--no-deps", "--no-index", str(wheel),
    )  # fmt: skip
    site = subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip()
    (Path(site) / "shared-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv / "bin"


def _check_call(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"


def _study(bin_dir: Path, *args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["STUDY_HOME"] = str(home)
    return subprocess.run(
        [bin_dir / "study", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _bundled_files() -> int:
    return sum(1 for folder in ("assignments", "quizzes") for _ in (ROOT / folder).glob("*.yaml"))


def test_the_wheel_carries_the_curriculum_once(installed: Path) -> None:
    (wheel,) = installed.parent.parent.joinpath("dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"tracker/bundled/{p.relative_to(ROOT).as_posix()}"
        for folder in ("assignments", "quizzes")
        for p in (ROOT / folder).glob("*.yaml")
    } | {"tracker/bundled/examples/curriculum-ci.yml"}
    assert expected <= names
    assert not any(n.startswith(("assignments/", "quizzes/")) for n in names)


def test_study_check_outside_a_checkout_checks_the_bundled_curriculum(
    installed: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    result = _study(installed, "check", cwd=empty, home=tmp_path / "home")

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        "the bundled example curriculum (read-only; `study init DIR` starts your own): "
        f"0 errors, 0 warnings in {_bundled_files()} files"
    )
    where = subprocess.run(
        [installed / "python", "-c", "import tracker.paths as p; print(p.bundled_curriculum())"],
        cwd=empty, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(installed.parent), "the wheel's own copy, not a checkout's"


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        ("new", "`study init DIR` starts your own"),
        ("export", "pass --output FILE, or `study init DIR` starts your own"),
    ],
)
def test_writing_commands_outside_a_checkout_leave_the_installed_package_alone(
    installed: Path, tmp_path: Path, command: str, advice: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    bundle = installed.parent / "lib"
    before = {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if "__pycache__" not in p.parts}

    result = _study(installed, command, cwd=empty, home=tmp_path / "home")

    assert result.returncode == 1
    assert result.stderr == (
        f"study {command}: error: no curriculum here: the bundled one is read-only; {advice}\n"
    )
    after = {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if "__pycache__" not in p.parts}
    assert after == before, "nothing written into the installed package"
    assert list(empty.iterdir()) == []


def test_study_report_outside_a_checkout_reports_on_the_bundled_meetings(
    installed: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    result = _study(installed, "report", "--meeting", "2024-04-16", cwd=empty, home=tmp_path / "h")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Report for the meeting of 16/04/2024")
    assert "Build a Large Language Model (From Scratch)" in result.stdout


def test_study_init_from_the_wheel_writes_a_curriculum_that_checks_clean(
    installed: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    made = _study(installed, "init", "plan", cwd=tmp_path, home=home)
    assert made.returncode == 0, made.stderr

    workflow = tmp_path / "plan" / ".github" / "workflows" / "curriculum.yml"
    assert workflow.read_text(encoding="utf-8") == (
        ROOT / "examples" / "curriculum-ci.yml"
    ).read_text(encoding="utf-8")
    checked = _study(installed, "check", cwd=tmp_path / "plan", home=home)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip() == "0 errors, 0 warnings in 3 files"
