"""The README's example meeting is valid: a mentor who copies it gets a clean `study check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.domain.curriculum import ItemKind


def test_the_readme_meeting_example_loads_without_problems(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None, "the README shows a meeting"
    for folder in ("assignments", "quizzes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "assignments" / "2024-05-06.yaml").write_text(example.group(1), encoding="utf-8")

    curriculum = load_curriculum(tmp_path, use_cache=False)

    assert [p.format() for p in curriculum.problems] == []
    meeting = curriculum.meetings[-1]
    assert meeting.date.isoformat() == "2024-05-06"
    assert [item.kind for item in meeting.items] == [
        ItemKind.SECTIONS,
        ItemKind.SECTIONS,
        ItemKind.EXERCISES,
        ItemKind.VIDEO,
        ItemKind.TASK,
    ]
    assert [p.label for p in meeting.items[0].parts] == ["A.7", "A.8", "3.1", "3.2", "3.3.1"]
    assert meeting.items[3].start == 37 * 60 + 46


def test_every_yaml_example_in_the_docs_is_valid_yaml() -> None:
    """A mentor copies the docs' examples: each ```yaml block must at least parse."""
    broken = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for block in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            line = text.count("\n", 0, block.start()) + 2
            try:
                yaml.safe_load(block.group(1))
            except yaml.MarkedYAMLError as error:
                at = line + (error.problem_mark.line if error.problem_mark else 0)
                broken.append(f"{doc.name}:{at}: {error.problem}")
    assert broken == []
