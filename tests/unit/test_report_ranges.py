"""The report writes an item that spans the appendix and chapter 3 chapter by chapter."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.cli import main
from tracker.paths import database_path
from tracker.store.progress_store import ProgressStore


def test_a_partly_done_item_across_two_chapters_is_reported_per_chapter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("assignments", "quizzes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    (tmp_path / "assignments" / "2024-05-06.yaml").write_text(example.group(1), encoding="utf-8")
    done = ["llm-book/A.7", "llm-book/A.8", "llm-book/3.1", "llm-book/3.2"]
    with ProgressStore.open(database_path()) as store:
        store.mark(done, True, now=datetime(2024, 5, 1, 12, tzinfo=UTC))

    assert main(["--curriculum", str(tmp_path), "report", "--meeting", "2024-05-06"]) == 0

    report = capsys.readouterr().out
    assert "sections A.7-A.8, 3.1-3.2 of A.7-A.8, 3.1-3.3.1" in report
    assert "A.7-3" not in report
