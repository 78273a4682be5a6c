"""The next-meeting report: its exact content, in Markdown and JSON, for a seeded history."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest

from tests.unit.report_fixture import MEETING, NOW, at, seed, write_curriculum
from tracker.cli import main
from tracker.clock import Clock
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum
from tracker.domain.item_kinds import compress_labels
from tracker.report.json_form import REPORT_VERSION, render_json, report_to_dict
from tracker.report.markdown import render_markdown
from tracker.report.model import ItemStatus, ReportSection, build_report, default_meeting
from tracker.report.snapshot import ProgressSnapshot
from tracker.report.source import snapshot_from_store
from tracker.report.timing import GAP_CAP, estimate_time, format_duration
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore

CLOCK = Clock(NOW, tz=UTC)
"""The day before the 16/04 meeting, in UTC."""

EXPECTED_MD = """\
# Report for the meeting of 16/04/2024

Mentee: **vova** · from the meeting of 08/04/2024 to today (15/04/2024) · about 1 h 25 min over 3 days

## Done

- [x] **Build a Large Language Model (From Scratch)**: sections A.4-A.5

## Partly done

- [ ] **Probability and Statistics**: §1.4 exercises 6-7, 9 of 6-11

## Not started

- [ ] **Byte pair encoding, by hand**: whole post

## Carried over

- [ ] **Let's build the GPT Tokenizer**: video at 00:52:10 of 01:11:38 (carried x2 since 28/03)
- [ ] **Deep Learning Fundamentals**: units 2.1-2.5 of 2.1-2.7 (carried x2 since 28/03)
- [ ] **Build a Large Language Model (From Scratch)**: sections 2.6-2.7 of 2.6-2.8 (carried x1 since 08/04, first assigned 28/03)
- [ ] **Linear Supervised Learning, Part 3: Perceptron**: whole post (carried x1 since 08/04, re-assigned from 28/03)

## Mentor's TODOs

- [ ] Look through the pushed work and merge it (08/04/2024): **ready**, “Add your work to our GitHub, then tell me” done on 07/04
- [ ] Finish the BPE encode/decode example (16/04/2024)

## Quiz accuracy (08/04/2024 to 15/04/2024)

| topic | answers | right | accuracy |
|---|--:|--:|--:|
| Tensor contiguity | 3 | 2 | 67% |
| Logits | 1 | 1 | 100% |

## Cards that keep lapsing

| question | topic | prompt | lapses |
|---|---|---|--:|
| `contiguity-view` | contiguity | Which line raises RuntimeError? | 4 |

## Questions from the mentee

- [ ] How many dims has torch.tensor(5)? (asked for 08/04, still open)
- [ ] Why bytes([idx]) and not bytes(idx)?

## No longer in the curriculum

- `old-book/1.1`: done (last changed 20/03/2024)
"""


@pytest.fixture
def curriculum(tmp_path: Path) -> Curriculum:
    loaded = load_curriculum(write_curriculum(tmp_path / "curriculum"), use_cache=False)
    assert [p.format() for p in loaded.problems] == []
    return loaded


@pytest.fixture
def store() -> ProgressStore:
    return seed(ProgressStore(connect(":memory:")))


@pytest.fixture
def snapshot(store: ProgressStore) -> ProgressSnapshot:
    return snapshot_from_store(store, name="vova")


def test_the_markdown_report_has_exactly_these_lines(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    report = build_report(
        curriculum, snapshot, default_meeting(curriculum, NOW.date()), clock=CLOCK
    )
    assert render_markdown(report) == EXPECTED_MD


def test_the_json_report_is_sorted_versioned_and_exact(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    text = render_json(build_report(curriculum, snapshot, MEETING, clock=CLOCK))
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["version"] == REPORT_VERSION == 2
    assert (data["meeting"], data["previous_meeting"], data["since"]) == (
        "2024-04-16",
        "2024-04-08",
        "2024-04-08",
    )
    (mentee,) = data["mentees"]
    video = next(i for i in mentee["items"] if i["kind"] == "video")
    assert video == {
        "carried": 2,
        "carried_since": "2024-03-28",
        "detail": "video at 00:52:10 of 01:11:38",
        "done": 3130,
        "done_parts": [],
        "finished": None,
        "first_assigned": "2024-03-28",
        "merged_into": None,
        "id": "video-1",
        "kind": "video",
        "meeting": "2024-03-28",
        "order": 1,
        "position": 3130,
        "reassigned_from": [],
        "resource": "tokenizer-video",
        "scope": "video up to 01:11:38",
        "section": "carried",
        "status": "partial",
        "title": "Let's build the GPT Tokenizer",
        "total": 4298,
    }
    exercises = next(i for i in mentee["items"] if i["id"] == "prob-ex-6-11")
    assert (exercises["done_parts"], exercises["section"]) == (["6", "7", "9"], "due")
    assert [(i["id"], i["status"], i["section"]) for i in mentee["items"]] == [
        ("appendix-a4-a5", "done", "due"),
        ("prob-ex-6-11", "partial", "due"),
        ("bpe-post", "not_started", "due"),
        ("video-1", "partial", "carried"),
        ("course-2", "partial", "carried"),
        ("book-2-6-2-8", "partial", "carried"),
        ("perceptron-2", "not_started", "carried"),
        # every other assigned item, with its status and why it has no line of its own
        ("book-2-6", "done", "merged"),
        ("appendix-a1-a3", "done", "earlier"),
        ("perceptron-1", "not_started", "merged"),
        ("push-work", "done", "earlier"),
        ("prob-ex-1-4", "done", "earlier"),
    ]
    assert mentee["time_spent"] == {"days": 3, "seconds": 85 * 60}
    assert mentee["quiz_accuracy"][0] == {
        "accuracy": 0.6667,
        "answers": 3,
        "right": 2,
        "title": "Tensor contiguity",
        "topic": "contiguity",
    }
    assert mentee["lapsing_cards"] == [
        {
            "lapses": 4,
            "prompt": "Which line raises RuntimeError?",
            "question": "contiguity-view",
            "topic": "contiguity",
        }
    ]
    assert [(q["text"], q["meeting"]) for q in mentee["questions"]] == [
        ("How many dims has torch.tensor(5)?", "2024-04-08"),  # still open: carried over
        ("Why bytes([idx]) and not bytes(idx)?", "2024-04-16"),
    ]
    assert mentee["no_longer_in_curriculum"] == [
        {
            "done": True,
            "key": "old-book/1.1",
            "position": None,
            "updated": "2024-03-20T09:00:00+00:00",
        }
    ]


def test_since_widens_quiz_accuracy_and_time(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    report = build_report(curriculum, snapshot, MEETING, since=date(2024, 3, 1), clock=CLOCK)
    (mentee,) = report.mentees
    assert [(a.topic, a.reviews, a.correct) for a in mentee.accuracy] == [
        ("contiguity", 4, 3),
        ("logits", 1, 1),
    ]
    assert mentee.time.days > 3


def test_an_earlier_meeting_reports_its_own_list(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    report = build_report(curriculum, snapshot, date(2024, 4, 8), clock=CLOCK)
    lines = {line.item_id: line for line in report.mentees[0].items}
    assert lines["prob-ex-1-4"].status is ItemStatus.DONE
    assert lines["push-work"].status is ItemStatus.DONE
    assert lines["perceptron-2"].section is ReportSection.DUE
    # merged into the 08/04 item that assigns it again: in the JSON, not listed twice
    assert lines["perceptron-1"].section is ReportSection.MERGED
    assert lines["perceptron-1"].merged_into == "perceptron-2"
    assert report.previous == date(2024, 3, 28)
    assert [q.text for q in report.mentees[0].questions] == ["How many dims has torch.tensor(5)?"]


def test_a_date_that_is_no_meeting_is_refused(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    with pytest.raises(ValueError, match="no meeting on 2024-04-17"):
        build_report(curriculum, snapshot, date(2024, 4, 17))


def test_default_meeting_is_the_next_one_else_the_last(curriculum: Curriculum) -> None:
    assert default_meeting(curriculum, NOW.date()) == MEETING
    assert default_meeting(curriculum, at(8, 23).date()) == date(2024, 4, 8)
    assert default_meeting(curriculum, NOW.date() + timedelta(days=300)) == MEETING


@pytest.mark.parametrize(
    ("labels", "chosen", "expected"),
    [
        (["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"], None, "2.1-2.7"),
        (
            ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"],
            ["2.1", "2.2", "2.3", "2.4", "2.5"],
            "2.1-2.5",
        ),
        (["6", "7", "8", "9", "10", "11"], ["6", "7", "9", "11"], "6-7, 9, 11"),
        (["3.1", "3.2", "3.3.1"], ["3.3.1"], "3.3.1"),
        (["A.1", "A.2"], [], ""),
        (["A.7", "A.8", "3.1", "3.2", "3.3.1"], None, "A.7-A.8, 3.1-3.3.1"),
        (["A.7", "A.8", "3.1", "3.2", "3.3.1"], ["A.7", "A.8", "3.1", "3.2"], "A.7-A.8, 3.1-3.2"),
        (["2.7", "2.8", "3.1"], ["2.8", "3.1"], "2.8, 3.1"),
    ],
)
def test_done_labels_compress_into_ranges(
    labels: list[str], chosen: list[str] | None, expected: str
) -> None:
    assert compress_labels(labels, chosen) == expected


def test_time_adds_gaps_within_a_day_capped_at_thirty_minutes() -> None:
    moments = [at(10, 18, 0), at(10, 18, 10), at(10, 21, 0), at(11, 9, 0), at(10, 23, 59)]
    spent = estimate_time(moments)
    assert timedelta(minutes=30) == GAP_CAP
    assert (spent.seconds, spent.days) == ((10 + 30 + 30) * 60, 2)
    assert estimate_time([]).seconds == 0
    assert format_duration(spent.seconds) == "1 h 10 min"
    assert format_duration(45 * 60 + 59) == "45 min"


def test_progress_of_removed_ids_is_reported(curriculum: Curriculum, store: ProgressStore) -> None:
    store.set_position("old-video/position", 90, now=NOW)
    report = build_report(curriculum, snapshot_from_store(store, name="vova"), MEETING, clock=CLOCK)
    assert [(o.key, o.is_done, o.position) for o in report.mentees[0].orphans] == [
        ("old-book/1.1", True, None),
        ("old-video/position", False, 90),
    ]
    assert "- `old-video/position`: at 00:01:30 (last changed 15/04/2024)" in render_markdown(
        report
    )


def test_report_dict_holds_one_entry_per_mentee(
    curriculum: Curriculum, snapshot: ProgressSnapshot
) -> None:
    other = ProgressSnapshot(name="ani")
    data = report_to_dict(build_report(curriculum, [snapshot, other], MEETING, clock=CLOCK))
    assert [m["name"] for m in data["mentees"]] == ["vova", "ani"]
    assert [i["id"] for i in data["mentees"][0]["items"]] == [
        i["id"] for i in data["mentees"][1]["items"]
    ]


def test_study_report_reads_the_database(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    with ProgressStore.open(study_home / "progress.sqlite3") as store:
        seed(store)
    argv = ["--curriculum", str(root), "--today", "2024-04-15", "report", "--name", "vova"]
    assert main(argv) == 0
    assert capsys.readouterr().out == EXPECTED_MD.replace(
        "to today (15/04/2024)", "to 15/04/2024 (--today)"
    )
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mentees"][0]["name"] == "vova"


def test_study_report_names_an_unknown_meeting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    assert main(["--curriculum", str(root), "report", "--meeting", "2024-04-17"]) == 2
    assert "no meeting on 17/04/2024; the meetings are 28/03/2024, 08/04/2024, 16/04/2024" in (
        capsys.readouterr().err
    )
    assert main(["--curriculum", str(root), "report", "--meeting", "31/04/2024"]) == 2
    assert "April 2024 has 30 days" in capsys.readouterr().err


def test_a_day_of_a_few_ticks_in_a_row_reads_under_a_minute(curriculum: Curriculum) -> None:
    store = ProgressStore(connect(":memory:"))
    store.mark(["llm-book/2.6"], True, now=NOW)
    store.mark(["llm-book/2.7"], True, now=NOW + timedelta(seconds=20))
    report = build_report(curriculum, snapshot_from_store(store, name="vova"), MEETING, clock=CLOCK)
    assert "under a minute over 1 day" in render_markdown(report)  # never "about 0 min"
