"""The one clock: local dates in the user's zone, UTC instants, and `--today` / `STUDY_TODAY`.

The agreement tests put the same instant, a little after midnight somewhere, through every
part of the program that asks for "today" (the agenda, Meetings, the report, `study new`, Stats
and the quiz's unlocking) in UTC+14 and in UTC-10, and check that they name the same day.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.unit.report_fixture import write_curriculum
from tracker.cli import main, make_clock
from tracker.clock import TODAY_ENV, Clock
from tracker.content import load_curriculum
from tracker.domain.agenda import build_agenda, meeting_timeline
from tracker.domain.curriculum import Curriculum
from tracker.quiz.engine import QuizEngine
from tracker.report.model import default_meeting
from tracker.report.scaffold import default_date
from tracker.report.snapshot import EventRecord
from tracker.report.stats import activity_by_day, reviews_per_day
from tracker.store.progress_store import ProgressStore

PLUS_14 = timezone(timedelta(hours=14))
MINUS_10 = timezone(timedelta(hours=-10))

EARLY_16TH_IN_PLUS_14 = datetime(2024, 4, 15, 10, 30, tzinfo=UTC)
"""00:30 on 16/04 in UTC+14, still 15/04 in UTC."""
LATE_15TH_IN_MINUS_10 = datetime(2024, 4, 16, 9, 30, tzinfo=UTC)
"""23:30 on 15/04 in UTC-10, already 16/04 in UTC."""

CASES = [
    pytest.param(PLUS_14, "<+14>-14", EARLY_16TH_IN_PLUS_14, date(2024, 4, 16), id="UTC+14"),
    pytest.param(MINUS_10, "<-10>+10", LATE_15TH_IN_MINUS_10, date(2024, 4, 15), id="UTC-10"),
]
"""(zone, the same zone as a POSIX `TZ`, an instant near midnight there, the local date)."""

UNLOCKED_ON_16TH = """\
topic: bytes
title: Bytes
meeting: 2024-04-16
questions:
  - id: bytes-of-idx
    type: text
    prompt: What does bytes([65]) give?
    answer: [b'A']
"""
"""A quiz that unlocks on the 16/04 meeting's day."""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_curriculum(tmp_path / "curriculum")
    (root / "quizzes" / "bytes.yaml").write_text(UNLOCKED_ON_16TH, encoding="utf-8")
    return root


def days_seen(root: Path, clock: Clock) -> dict[str, date]:
    """The day each part of the program takes for today, by the clock given."""
    curriculum = load_curriculum(root)
    agenda = build_agenda(curriculum, {}, clock.today())
    timeline = meeting_timeline(curriculum, {}, clock.today())
    report = default_meeting(curriculum, clock.today())
    assert agenda.meeting is not None and report is not None
    now = clock.now()
    activity = activity_by_day([EventRecord(now, "done", "x/1", 1)], tz=clock.tz)
    with ProgressStore.open(":memory:") as store:
        engine = QuizEngine(curriculum, store, None, clock=clock)
        is_unlocked = [q.id for q in engine.unlocked()] == [q.id for q in curriculum.questions]
    # Each figure as the day it implies: the agenda's next meeting minus its countdown, ...
    return {
        "clock": clock.today(),
        "agenda": agenda.meeting.date - timedelta(days=agenda.days),
        "meetings": next(s.meeting.date for s in timeline if s.is_next)
        - timedelta(days=agenda.days),
        "report": report - timedelta(days=agenda.days),
        "new": default_date(Curriculum("none yet"), clock.today()),  # no meetings: today
        "stats": next(iter(activity)),
        "unlocking": date(2024, 4, 16) if is_unlocked else date(2024, 4, 15),
    }


@pytest.mark.parametrize(("zone", "posix", "instant", "local"), CASES)
def test_every_part_takes_the_same_local_day(
    root: Path, zone: timezone, posix: str, instant: datetime, local: date
) -> None:
    seen = days_seen(root, Clock(instant, tz=zone))
    assert set(seen.values()) == {local}, seen
    assert instant.date() != local  # the UTC date would have been the other day


@pytest.mark.parametrize(("zone", "posix", "instant", "local"), CASES)
def test_the_machines_zone_is_the_users_zone(
    root: Path, zone: timezone, posix: str, instant: datetime, local: date
) -> None:
    """With no zone given, the clock uses `TZ` (run in a fresh process with `TZ` set)."""
    code = (
        "import json, sys; from datetime import datetime;"
        "from tests.unit.test_clock import days_seen; from tracker.clock import Clock;"
        "seen = days_seen(__import__('pathlib').Path(sys.argv[1]),"
        " Clock(datetime.fromisoformat(sys.argv[2])));"
        "print(json.dumps({k: v.isoformat() for k, v in seen.items()}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), instant.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TZ": posix},
        check=True,
    )
    seen = json.loads(done.stdout)
    assert set(seen.values()) == {local.isoformat()}, seen


def test_a_fixed_date_ends_at_the_last_moment_of_that_local_day() -> None:
    clock = Clock(today=date(2024, 4, 16), tz=PLUS_14)
    assert clock.today() == date(2024, 4, 16)
    assert clock.now() == datetime(2024, 4, 16, 9, 59, 59, 999999, tzinfo=UTC)
    assert clock.day_of(clock.now()) == date(2024, 4, 16)
    assert clock.day_of(clock.now() + timedelta(microseconds=1)) == date(2024, 4, 17)
    assert clock.start_of(date(2024, 4, 16)) == datetime(2024, 4, 15, 10, 0, tzinfo=UTC)
    assert clock.is_fixed and not Clock(EARLY_16TH_IN_PLUS_14).is_fixed


def test_a_fixed_instant_or_function_is_the_clocks_now() -> None:
    moments = iter([EARLY_16TH_IN_PLUS_14, LATE_15TH_IN_MINUS_10])
    clock = Clock(lambda: next(moments), tz=MINUS_10)
    assert clock.now() == EARLY_16TH_IN_PLUS_14
    assert clock.today() == date(2024, 4, 15)
    with pytest.raises(ValueError, match="timezone-aware"):
        Clock(datetime(2024, 4, 16, 0, 0))


def test_reviews_per_day_count_local_days() -> None:
    from tracker.report.snapshot import ReviewRecord

    review = ReviewRecord("q", EARLY_16TH_IN_PLUS_14, 3, True)
    assert reviews_per_day([review], date(2024, 4, 16), days=2, tz=PLUS_14) == [0, 1]
    assert reviews_per_day([review], date(2024, 4, 16), days=2, tz=UTC) == [1, 0]


# --- --today and STUDY_TODAY ----------------------------------------------------------------


def test_today_comes_from_the_option_else_the_environment() -> None:
    assert make_clock("2024-04-16", {}).today() == date(2024, 4, 16)
    assert make_clock(None, {TODAY_ENV: "08/04/2024"}).today() == date(2024, 4, 8)
    assert make_clock("2024-04-16", {TODAY_ENV: "08/04/2024"}).today() == date(2024, 4, 16)
    assert not make_clock(None, {}).is_fixed
    assert not make_clock(None, {TODAY_ENV: "  "}).is_fixed


@pytest.mark.parametrize(
    ("argv", "env", "start"),
    [
        (["--today", "2024-13-01", "report"], None, "study report: error: --today: "),
        (["report", "--today", "16-04-24"], None, "study report: error: --today: "),
        (["check"], "yesterday", f"study check: error: {TODAY_ENV}: "),
    ],
)
def test_a_bad_date_is_one_line_naming_where_it_came_from(
    argv: list[str],
    env: str | None,
    start: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if env is not None:
        monkeypatch.setenv(TODAY_ENV, env)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(start), err


# --- the commands as of a date ----------------------------------------------------------------


def _seeded(tmp_path: Path, study_home: Path) -> Path:
    from tests.unit.report_fixture import seed
    from tracker.paths import database_path

    root = write_curriculum(tmp_path / "curriculum")
    assert str(database_path()).startswith(str(study_home))
    seed(ProgressStore.open(database_path())).close()
    return root


def test_the_report_as_of_a_date_leaves_out_what_came_after(
    tmp_path: Path, study_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _seeded(tmp_path, study_home)
    # 2.6 was ticked on 10/04 at 18:00 UTC, A.4-A.5 on 13/04: as of 10/04 only the first counts.
    assert (
        main(["--curriculum", str(root), "--today", "2024-04-10", "report", "--format", "json"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["meeting"] == "2024-04-16"  # the next meeting from 10/04
    items = {i["id"]: i for i in report["mentees"][0]["items"]}
    assert "2.6" in items["book-2-6-2-8"]["done_parts"]
    assert items["appendix-a4-a5"]["status"] == "not_started"
    questions = [q["text"] for q in report["mentees"][0]["questions"]]
    assert "Why bytes([idx]) and not bytes(idx)?" not in questions  # asked on 14/04


def test_study_new_as_of_a_date_carries_what_was_unfinished_then(
    tmp_path: Path, study_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _seeded(tmp_path, study_home)
    monkeypatch.setenv(TODAY_ENV, "2024-04-12")
    assert main(["--curriculum", str(root), "new", "2024-04-20"]) == 0
    written = (root / "assignments" / "2024-04-20.yaml").read_text(encoding="utf-8")
    assert "A4" in written or "A.4" in written  # ticked on 13/04, after the date: still open
