"""Shared fixtures: every test gets its own STUDY_HOME, so no developer data is ever touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: the bundled curriculum lives in `assignments/` and `quizzes/` here."""

GOOD = ROOT / "tests" / "fixtures" / "good"
"""A small curriculum without problems, for the content and `study check` tests."""


@pytest.fixture(autouse=True)
def study_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points STUDY_HOME at a fresh directory for every test."""
    home = tmp_path / "study-home"
    monkeypatch.setenv("STUDY_HOME", str(home))
    return home


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A copy of the `GOOD` curriculum that the test may change."""
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    return root
