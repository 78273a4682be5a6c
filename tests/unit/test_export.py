"""The progress export: stable, diffable JSON that round-trips, and reports that read it."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tests.unit.report_fixture import MEETING, at, seed, write_curriculum
from tracker.cli import main
from tracker.content import load_curriculum
from tracker.report.exchange import (
    EXPORT_VERSION,
    ExportError,
    dump_snapshot,
    load_export,
    parse_snapshot,
)
from tracker.report.markdown import render_markdown
from tracker.report.model import build_report
from tracker.report.snapshot import ProgressSnapshot
from tracker.report.source import snapshot_from_store
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore


@pytest.fixture
def store() -> ProgressStore:
    return seed(ProgressStore(connect(":memory:")))


def _second_mentee() -> ProgressSnapshot:
    store = ProgressStore(connect(":memory:"))
    store.set_position("tokenizer-video/position", 4298, now=at(1, 9))
    store.mark([f"dl-course/2.{n}" for n in range(1, 8)], True, now=at(2, 9))
    store.mark(["perceptron-post/whole", "probability/1.4/ex6"], True, now=at(12, 9))
    store.add_question(MEETING, "Is A.5 | A.6 one topic?", now=at(12, 10))
    return snapshot_from_store(store, name="ani")


def test_an_export_round_trips_to_an_equal_snapshot(store: ProgressStore) -> None:
    snapshot = snapshot_from_store(store, name="vova")
    text = dump_snapshot(snapshot)
    again = parse_snapshot(json.loads(text))
    assert again == snapshot
    assert dump_snapshot(again) == text
    assert len(snapshot.events) > 20 and len(snapshot.reviews) == 5 and snapshot.cards


def test_the_export_is_sorted_stable_and_one_entry_per_line(store: ProgressStore) -> None:
    text = dump_snapshot(snapshot_from_store(store, name="vova"))
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert (data["format"], data["version"], data["name"]) == (
        "study-tracker-progress",
        EXPORT_VERSION,
        "vova",
    )
    assert text == dump_snapshot(snapshot_from_store(store, name="vova"))
    lines = text.splitlines()
    assert (
        '    "llm-book/2.7": {"done": true, "position": null, "updated": "2024-04-10T18:20:00+00:00"},'
        in lines
    )
    assert (
        '    {"at": "2024-03-27T21:00:00+00:00", "key": "tokenizer-video/position",'
        ' "kind": "position", "value": 3130},' in lines
    )
    assert (
        '    {"at": "2024-04-14T20:35:00+00:00", "correct": false, "cram": false,'
        ' "due": "2024-04-14T20:36:00+00:00",'
        ' "question": "contiguity-view", "rating": 1},' in lines
    )


def test_new_progress_shows_as_a_few_added_lines(store: ProgressStore) -> None:
    before = dump_snapshot(snapshot_from_store(store, name="vova")).splitlines()
    store.mark(["llm-book/2.8"], True, now=at(15, 9))
    after = dump_snapshot(snapshot_from_store(store, name="vova")).splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    last = '    {"at": "2024-04-02T09:00:00+00:00", "key": "contiguity-rows", "kind": "review", "value": 3}'
    new_event = (
        '    {"at": "2024-04-15T09:00:00+00:00", "key": "llm-book/2.8", "kind": "done", "value": 1}'
    )
    new_state = (
        '    "llm-book/2.8": {"done": true, "position": null,'
        ' "updated": "2024-04-15T09:00:00+00:00"},'
    )
    # JSON has no trailing commas, so the previous last event gains one: a three-line change.
    assert changed == [f"-{last}", f"+{last},", f"+{new_event}", f"+{new_state}"]


def test_a_report_from_the_export_equals_the_report_from_the_database(
    tmp_path: Path, store: ProgressStore
) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path / "c"), use_cache=False)
    from_db = snapshot_from_store(store, name="vova")
    path = tmp_path / "vova.json"
    path.write_text(dump_snapshot(from_db), encoding="utf-8")
    from_file = load_export(path)
    assert build_report(curriculum, from_file, MEETING) == build_report(
        curriculum, from_db, MEETING
    )


def test_study_export_then_report_puts_two_mentees_side_by_side(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    with ProgressStore.open(study_home / "progress.sqlite3") as db:
        seed(db)
    assert main(["--curriculum", str(root), "export", "--name", "vova"]) == 0
    exported = root / "progress" / "vova.json"
    assert f"wrote {exported}" in capsys.readouterr().err
    (root / "progress" / "ani.json").write_text(dump_snapshot(_second_mentee()), encoding="utf-8")
    progress = [str(root / "progress" / "vova.json"), str(root / "progress" / "ani.json")]
    as_of = ["--today", "2024-04-15"]
    assert (
        main(["--curriculum", str(root), *as_of, "report", *progress, "--meeting", "16/04/2024"])
        == 0
    )
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:9] == [
        "# Report for the meeting of 16/04/2024",
        "",
        "Mentees: **vova**, **ani** · from the meeting of 08/04/2024 to 15/04/2024 (--today)",
        "",
        "## Progress",
        "",
        "|  | vova | ani |",
        "|---|---|---|",
        "| **Build a Large Language Model (From Scratch)**: sections A.4-A.5 | done | not started |",
    ]
    assert (
        "| **Let's build the GPT Tokenizer**: video up to 01:11:38 (28/03/2024)"
        " | video at 00:52:10 of 01:11:38, carried x2 since 28/03 | done |"
    ) in lines
    assert "| about | 1 h 25 min over 3 d | 30 min over 1 d |" in lines
    assert "| Tensor contiguity | 2/3 (67%) | – |" in lines
    assert "- [ ] **ani**: Is A.5 | A.6 one topic?" in lines
    assert main(["--curriculum", str(root), *as_of, "report", *progress, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in data["mentees"]] == ["vova", "ani"]


def test_study_export_writes_stdout_and_the_same_bytes_twice(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ProgressStore.open(study_home / "progress.sqlite3") as db:
        seed(db)
    root = write_curriculum(tmp_path / "curriculum")
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", "-"]) == 0
    first = capsys.readouterr().out
    target = tmp_path / "out" / "vova.json"
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == first
    assert main(["export", "--name", "../etc"]) == 2
    assert "invalid name '../etc'" in capsys.readouterr().err
    assert main(["--curriculum", str(tmp_path / "out"), "export", "--name", "vova"]) == 2
    assert "is not a curriculum checkout (no assignments/)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "study-tracker-progress",\n "version": 1,,}',
            "bad.json:2:15: error: not valid JSON",
        ),
        ('{"name": "x"}', 'not a progress export (no "format": "study-tracker-progress")'),
        (
            '{"format": "study-tracker-progress", "version": 9}',
            "$.version: version 9 is newer than this study-tracker reads (2); upgrade it",
        ),
        (
            '{"format": "study-tracker-progress", "version": 1, "name": "x", "states":'
            ' {"a/1": {"done": "yes", "position": null, "updated": null}}}',
            "$.states['a/1'].done: expected true or false, found 'yes'",
        ),
        (
            '{"format": "study-tracker-progress", "version": 1, "name": "x", "states": {},'
            ' "notes": [{"key": "k", "text": "t", "at": "2024-04-10 18:00"}]}',
            "$.notes[0].at: the time '2024-04-10 18:00' has no UTC offset; add +00:00",
        ),
    ],
)
def test_a_bad_export_is_named_with_its_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        load_export(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_study_report_on_a_broken_export_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    broken = tmp_path / "vova.json"
    broken.write_text("<<<<<<< HEAD\n", encoding="utf-8")
    assert main(["--curriculum", str(root), "report", str(broken), "--meeting", "2024-04-16"]) == 1
    assert f"{broken}:1:1: error: not valid JSON" in capsys.readouterr().err


def test_markdown_from_exports_matches_markdown_from_the_database(
    tmp_path: Path, store: ProgressStore
) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path / "c"), use_cache=False)
    snapshot = snapshot_from_store(store, name="vova")
    copy = parse_snapshot(json.loads(dump_snapshot(snapshot)))
    assert render_markdown(build_report(curriculum, copy, MEETING)) == render_markdown(
        build_report(curriculum, snapshot, MEETING)
    )
