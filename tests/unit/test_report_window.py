"""The report tells the truth about time: its window, finished carried work, open questions, TODOs.

Each test builds the report in Markdown and in JSON, from the progress database and from an
export of it, and checks that the four agree before looking at what they say.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.unit.report_fixture import MEETING, NOW, at, seed, write_curriculum
from tracker.cli import main
from tracker.clock import Clock
from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum
from tracker.domain.scheduling import AGAIN, GOOD
from tracker.report.exchange import dump_snapshot, load_export
from tracker.report.json_form import render_json
from tracker.report.markdown import render_markdown
from tracker.report.model import build_report
from tracker.report.source import snapshot_from_store
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore

CLOCK = Clock(NOW, tz=UTC)
"""15/04/2024, the day before the last meeting (16/04)."""
MONTHS_LATER = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
"""Long after every meeting: the mentor has not written the next list yet."""


@pytest.fixture
def curriculum(tmp_path: Path) -> Curriculum:
    return load_curriculum(write_curriculum(tmp_path / "curriculum"), use_cache=False)


@pytest.fixture
def store() -> ProgressStore:
    return seed(ProgressStore(connect(":memory:")))


def report(
    curriculum: Curriculum,
    store: ProgressStore,
    tmp_path: Path,
    *,
    meeting: date = MEETING,
    since: date | None = None,
    clock: Clock = CLOCK,
) -> tuple[str, dict[str, Any]]:
    """The report's Markdown and JSON, checked equal from the database and from an export."""
    from_db = snapshot_from_store(store, name="vova")
    path = tmp_path / "vova.json"
    path.write_text(dump_snapshot(from_db), encoding="utf-8")
    from_export = load_export(path)
    built = [
        build_report(curriculum, snap, meeting, since, clock=clock)
        for snap in (from_db, from_export)
    ]
    texts = [render_markdown(r) for r in built]
    data = [json.loads(render_json(r)) for r in built]
    assert texts[0] == texts[1]
    assert data[0] == data[1]
    return texts[0], data[0]


def section(markdown: str, title: str) -> list[str]:
    """The lines of one `## title` section."""
    lines = markdown.splitlines()
    start = lines.index(f"## {title}") + 2
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line]


def items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in data["mentees"][0]["items"]}


def _answer(store: ProgressStore, qid: str, rating: int, when: datetime) -> None:
    from tracker.domain.scheduling import next_review

    card = store.card(qid)
    state = next_review(card.card if card else None, rating, when, enable_fuzzing=False)
    store.record_review(
        qid,
        card=state.card,
        due=state.due,
        lapses=0,
        rating=rating,
        answer="x",
        is_correct=rating != AGAIN,
        now=when,
    )


# --- finished carried-over work ---------------------------------------------------------------


def test_carried_work_finished_in_the_window_is_done_with_its_first_meeting(
    curriculum: Curriculum, store: ProgressStore, tmp_path: Path
) -> None:
    # The course's 2.1-2.7 was assigned on 28/03 and carried twice; the last two units on 14/04.
    store.mark(["dl-course/2.6", "dl-course/2.7"], True, now=at(14, 19))
    text, data = report(curriculum, store, tmp_path)
    assert "- [x] **Deep Learning Fundamentals**: units 2.1-2.7 (first assigned 28/03)" in section(
        text, "Done"
    )
    assert not [line for line in section(text, "Carried over") if "Deep Learning" in line]
    course = items(data)["course-2"]
    assert (course["status"], course["section"], course["first_assigned"]) == (
        "done",
        "finished",
        "2024-03-28",
    )
    assert course["finished"] == "2024-04-14T19:00:00+00:00"


def test_work_assigned_twice_and_finished_is_reported_once(
    curriculum: Curriculum, store: ProgressStore, tmp_path: Path
) -> None:
    # Book 2.6 on 28/03, then 2.6-2.8 on 08/04: 2.8, the last part, is ticked on 14/04.
    store.mark(["llm-book/2.8"], True, now=at(14, 19))
    text, data = report(curriculum, store, tmp_path)
    done = section(text, "Done")
    assert (
        "- [x] **Build a Large Language Model (From Scratch)**: sections 2.6-2.8"
        " (first assigned 28/03)"
    ) in done
    assert sum("2.6" in line for line in text.splitlines()) == 1
    assert (items(data)["book-2-6"]["section"], items(data)["book-2-6"]["merged_into"]) == (
        "merged",
        "book-2-6-2-8",
    )


def test_the_json_holds_every_assigned_item_with_its_status(
    curriculum: Curriculum, store: ProgressStore, tmp_path: Path
) -> None:
    _, data = report(curriculum, store, tmp_path)
    assigned = [i.id for m in curriculum.meetings for i in m.items if i.owner.value == "mentee"]
    assert sorted(items(data)) == sorted(assigned)
    assert {i["status"] for i in items(data).values()} <= {"done", "partial", "not_started"}


# --- the window -------------------------------------------------------------------------------


def test_activity_after_the_last_meeting_is_reported(
    curriculum: Curriculum, store: ProgressStore, tmp_path: Path
) -> None:
    later = Clock(MONTHS_LATER, tz=UTC)
    store.mark(["llm-book/2.8"], True, now=MONTHS_LATER.replace(hour=9))
    for minute in range(20):
        rating = GOOD if minute % 4 else AGAIN
        qid = ("contiguity-rows", "logit-inverse")[minute % 2]
        _answer(store, qid, rating, MONTHS_LATER.replace(hour=10, minute=minute))
    text, data = report(curriculum, store, tmp_path, clock=later)
    header = text.splitlines()[2]
    assert "from the meeting of 08/04/2024 to today (30/11/2026)" in header
    assert "no activity recorded" not in header
    assert "_The meeting of 16/04/2024 is past: everything done since 08/04/2024 is reported" in (
        text
    )
    accuracy = data["mentees"][0]["quiz_accuracy"]
    assert sum(a["answers"] for a in accuracy) == 20 + 4  # today's, and the four of 14/04
    assert data["mentees"][0]["time_spent"]["days"] == 4

    # --since narrows the window to today's answers, and says so.
    text, data = report(curriculum, store, tmp_path, since=date(2026, 11, 1), clock=later)
    assert "from 01/11/2026 (--since) to today (30/11/2026)" in text.splitlines()[2]
    assert sum(a["answers"] for a in data["mentees"][0]["quiz_accuracy"]) == 20
    assert (data["since"], data["since_given"], data["until"]) == (
        "2026-11-01",
        True,
        "2026-11-30",
    )


def test_a_since_after_today_is_refused_with_a_reason(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    argv = ["--curriculum", str(root), "--today", "2024-04-15", "report", "--since", "2024-04-20"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (
        "study report: error: --since 20/04/2024 is after today (15/04/2024):"
        " nothing could have been done in that window\n"
    )


# --- questions --------------------------------------------------------------------------------


def test_an_open_question_carries_over_until_it_is_answered(
    curriculum: Curriculum, store: ProgressStore, tmp_path: Path
) -> None:
    text, data = report(curriculum, store, tmp_path)
    assert "- [ ] How many dims has torch.tensor(5)? (asked for 08/04, still open)" in section(
        text, "Questions from the mentee"
    )
    (qid,) = [q.id for q in store.questions(date(2024, 4, 8))]
    store.tick_question(qid, True, now=at(15, 9))
    text, data = report(curriculum, store, tmp_path)
    assert [q["text"] for q in data["mentees"][0]["questions"]] == [
        "Why bytes([idx]) and not bytes(idx)?"
    ]


# --- the mentor's TODOs -----------------------------------------------------------------------


def test_a_mentor_todo_is_ready_once_its_task_is_done(
    curriculum: Curriculum, tmp_path: Path
) -> None:
    store = ProgressStore(connect(":memory:"))
    text, data = report(curriculum, store, tmp_path)
    (todo,) = [t for t in data["mentees"][0]["mentor_todos"] if t["item"] == "push-work"]
    assert todo["ready"] is None and "ready" not in text
    store.mark(["task/push-work"], True, now=at(12, 18))
    text, data = report(curriculum, store, tmp_path)
    (todo,) = [t for t in data["mentees"][0]["mentor_todos"] if t["item"] == "push-work"]
    assert (todo["ready"], todo["done"]) == ("2024-04-12", False)
    assert todo["waits_on"] == "Add your work to our GitHub, then tell me"
    assert section(text, "Mentor's TODOs")[0] == (
        "- [ ] Look through the pushed work and merge it (08/04/2024): **ready**,"
        " “Add your work to our GitHub, then tell me” done on 12/04"
    )


def test_the_example_in_the_mentors_guide_is_what_study_report_prints(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import ROOT
    from tracker.paths import database_path

    guide = (ROOT / "docs" / "mentor.md").read_text(encoding="utf-8")
    example = guide.split("```markdown\n", 1)[1].split("```", 1)[0]
    root = write_curriculum(tmp_path / "curriculum")
    with ProgressStore.open(database_path()) as db:
        seed(db)
        db.mark(["dl-course/2.6", "dl-course/2.7"], True, now=at(14, 19))
    argv = ["--curriculum", str(root), "--today", "2024-04-15", "report", "--name", "vova"]
    assert main(argv) == 0
    assert capsys.readouterr().out == example
