"""`study new`: the next meeting's file, with unfinished work carried over, passes `study check`."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.unit.report_fixture import NOW, seed, write_curriculum
from tracker.cli import main
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, ItemKind, Owner, position_key
from tracker.domain.progress import PartState
from tracker.report.exchange import dump_snapshot
from tracker.report.scaffold import default_date, merge_states, scaffold_meeting
from tracker.report.source import snapshot_from_store
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore

NEW_DAY = date(2024, 4, 23)


def _load(root: Path) -> Curriculum:
    curriculum = load_curriculum(root, use_cache=False)
    assert [p.format() for p in curriculum.problems] == []
    return curriculum


def _scaffold(root: Path, states: dict[str, PartState], day: date = NEW_DAY) -> Curriculum:
    """Writes the scaffold for `day` into `root` and loads the curriculum again."""
    text = scaffold_meeting(_load(root), states, day)
    (root / "assignments" / f"{day.isoformat()}.yaml").write_text(text, encoding="utf-8")
    return _load(root)


def test_the_scaffold_carries_only_unfinished_parts(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "c")
    states = seed(ProgressStore(connect(":memory:"))).states()
    curriculum = _scaffold(root, states)
    meeting = curriculum.meetings[-1]
    assert meeting.date == NEW_DAY
    got = [
        (item.resource, item.kind, [p.key for p in item.parts], item.start, item.end)
        for item in meeting.items
    ]
    assert got == [
        ("tokenizer-video", ItemKind.VIDEO, [], 3130, 4298),  # from the saved position
        ("dl-course", ItemKind.SECTIONS, ["dl-course/2.6", "dl-course/2.7"], None, None),
        ("llm-book", ItemKind.SECTIONS, ["llm-book/2.8"], None, None),
        ("perceptron-post", ItemKind.WHOLE, ["perceptron-post/whole"], None, None),
        (
            "probability",
            ItemKind.EXERCISES,
            ["probability/1.4/ex8", "probability/1.4/ex10", "probability/1.4/ex11"],
            None,
            None,
        ),
        ("bpe-post", ItemKind.WHOLE, ["bpe-post/whole"], None, None),
    ]
    ids = [item.id for item in curriculum.items]
    assert len(ids) == len(set(ids))
    text = (root / "assignments" / "2024-04-23.yaml").read_text(encoding="utf-8")
    assert "  # carried over (x3) from 2024-03-28, item video-1\n" in text
    assert '    from: "00:52:10"\n    until: "01:11:38"\n' in text
    assert "\n# discuss:\n" in text and "\ndiscuss:" not in text


def test_with_nothing_done_the_list_stays_the_same(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "c")
    before = _load(root)
    curriculum = _scaffold(root, {})
    new_keys = [
        key
        for item in curriculum.meetings[-1].items
        for key in ([p.key for p in item.parts] or [position_key(item.resource or "")])
    ]
    old_keys = {
        key
        for item in before.items
        if item.owner is Owner.MENTEE and item.kind is not ItemKind.TASK
        for key in ([p.key for p in item.parts] or [position_key(item.resource or "")])
    }
    assert len(new_keys) == len(set(new_keys))  # repeated assignments merged, not doubled
    assert set(new_keys) == old_keys
    text = (root / "assignments" / "2024-04-23.yaml").read_text(encoding="utf-8")
    assert "#   push-work (2024-04-08): Add your work to our GitHub, then tell me\n" in text
    assert [i.resource for i in curriculum.meetings[-1].items][-3:] == [
        "llm-book",
        "probability",
        "bpe-post",
    ]


def test_when_everything_is_done_the_list_is_empty_but_valid(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "c")
    before = _load(root)
    states = {
        p.key: PartState(p.key, is_done=True) for item in before.items for p in item.parts
    } | {position_key("tokenizer-video"): PartState(position_key("tokenizer-video"), position=9999)}
    curriculum = _scaffold(root, states)
    assert curriculum.meetings[-1].items == ()


def test_ids_do_not_collide_with_ids_already_taken(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "c")
    path = root / "assignments" / "2024-04-16.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - id: 2024-04-23-bpe-post\n    task: a task whose id the scaffold would pick\n",
        encoding="utf-8",
    )
    curriculum = _scaffold(root, {})
    assert "2024-04-23-bpe-post-2" in [item.id for item in curriculum.meetings[-1].items]


def test_several_mentees_carry_what_any_of_them_left(tmp_path: Path) -> None:
    a = {"x/1": PartState("x/1", True), "v/position": PartState("v/position", position=600)}
    b = {"x/1": PartState("x/1", False), "v/position": PartState("v/position", position=60)}
    merged = merge_states([a, b])
    assert (merged["x/1"].is_done, merged["v/position"].position) == (False, 60)
    assert merge_states([a])["x/1"].is_done


def test_the_default_date_is_a_week_after_the_last_meeting_or_today(tmp_path: Path) -> None:
    curriculum = _load(write_curriculum(tmp_path / "c"))
    assert default_date(curriculum, NOW.date()) == date(2024, 4, 23)
    assert default_date(curriculum, NOW.date() + timedelta(days=30)) == date(2024, 5, 15)


def test_study_new_writes_the_file_once_and_refuses_to_overwrite(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "c")
    with ProgressStore.open(study_home / "progress.sqlite3") as store:
        seed(store)
    assert main(["--curriculum", str(root), "new", "23/04/2024"]) == 0
    target = root / "assignments" / "2024-04-23.yaml"
    assert f"wrote {target}" in capsys.readouterr().err
    written = target.read_text(encoding="utf-8")
    assert '    units: ["2.6", "2.7"]\n' in written
    assert main(["--curriculum", str(root), "check"]) == 0
    assert main(["--curriculum", str(root), "new", "2024-04-23"]) == 1
    assert f"{target} already exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == written
    meeting = root / "assignments" / "2024-04-16.yaml"
    meeting.rename(meeting.with_name("third-meeting.yaml"))
    assert main(["--curriculum", str(root), "new", "2024-04-16"]) == 1
    assert "already holds the meeting of 16/04/2024" in capsys.readouterr().err


def test_study_new_reads_progress_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "c")
    export = tmp_path / "vova.json"
    snapshot = snapshot_from_store(seed(ProgressStore(connect(":memory:"))), name="vova")
    export.write_text(dump_snapshot(snapshot), encoding="utf-8")
    argv = ["--curriculum", str(root), "new", "2024-04-30", "--progress", str(export)]
    assert main(argv) == 0
    text = (root / "assignments" / "2024-04-30.yaml").read_text(encoding="utf-8")
    assert "numbers: [8, 10, 11]" in text
    assert _load(root).meetings[-1].date == date(2024, 4, 30)


def test_the_bundled_curriculum_scaffolds_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "bundled"
    for folder in ("assignments", "quizzes"):
        shutil.copytree(ROOT / folder, root / folder)
    before = load_curriculum(root, use_cache=False)
    assert not before.has_errors
    last = max(m.date for m in before.meetings)
    day = last + timedelta(days=7)
    text = scaffold_meeting(before, {}, day)
    (root / "assignments" / f"{day.isoformat()}.yaml").write_text(text, encoding="utf-8")
    after = load_curriculum(root, use_cache=False)
    assert [p.format() for p in after.problems if p.severity == "error"] == []
    assert after.meetings[-1].date == day and after.meetings[-1].items


def test_study_new_without_a_date_refuses_while_the_latest_meeting_is_ahead(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "c")  # its latest meeting is on 16/04/2024
    with ProgressStore.open(study_home / "progress.sqlite3") as store:
        seed(store)
    before = sorted((root / "assignments").iterdir())

    assert main(["--curriculum", str(root), "--today", "2024-04-10", "new"]) == 1

    error = capsys.readouterr().err
    assert "the latest meeting, 16/04/2024" in error and "has not happened yet" in error
    assert "study new 2024-04-23" in error
    assert sorted((root / "assignments").iterdir()) == before
    assert main(["--curriculum", str(root), "--today", "2024-04-10", "new", "2024-04-23"]) == 0
    assert main(["--curriculum", str(root), "--today", "2024-04-17", "new"]) == 1  # 23/04 is next
