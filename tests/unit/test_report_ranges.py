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


def test_the_agenda_summarises_such_an_item_chapter_by_chapter_too(tmp_path: Path) -> None:
    from tracker.content import load_curriculum
    from tracker.ui.labels import parts_summary

    for folder in ("assignments", "quizzes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    (tmp_path / "assignments" / "2024-05-06.yaml").write_text(example.group(1), encoding="utf-8")
    curriculum = load_curriculum(tmp_path)
    spanning = [
        item
        for meeting in curriculum.meetings
        for item in meeting.items
        if [p.label for p in item.parts][:1] == ["A.7"] and item.parts[-1].label == "3.3.1"
    ]
    assert spanning, "the README's example spans A.7-3.3.1"
    assert parts_summary(spanning[0]) == "A.7–A.8, 3.1–3.3.1"  # not "A.7–3.3.1"
    one_chapter = [i for m in curriculum.meetings for i in m.items if len(i.parts) > 3]
    assert "2.1–2.7" in {parts_summary(i) for i in one_chapter}  # one chapter: one range
