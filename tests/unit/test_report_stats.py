"""The Stats screen's figures: heatmap grid, progress per resource, reviews, retention, streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from tests.unit.report_fixture import NOW, at, seed, write_curriculum
from tracker.content import load_curriculum
from tracker.report.settings import Settings, load_settings, save_settings
from tracker.report.snapshot import ReviewRecord
from tracker.report.source import snapshot_from_store
from tracker.report.stats import (
    activity_by_day,
    activity_grid,
    activity_level,
    due_days,
    resource_progress,
    review_figures,
    reviews_per_day,
    streak,
    weekly_retention,
)
from tracker.store.database import connect
from tracker.store.progress_store import ProgressStore

TODAY = NOW.date()  # Monday 15/04/2024


def _review(qid: str, day: int, correct: bool, *, due: int | None = None, cram: bool = False):  # type: ignore[no-untyped-def]
    return ReviewRecord(
        qid, at(day, 9), 3 if correct else 1, correct, cram, at(due, 9) if due else None
    )


def test_the_grid_has_26_weeks_of_7_days_ending_today() -> None:
    counts = {TODAY: 8, TODAY - timedelta(days=1): 2, date(2024, 3, 1): 1}
    grid = activity_grid(counts, TODAY)
    assert len(grid) == 26 and all(len(column) == 7 for column in grid)
    cells = [cell for column in grid for cell in column if cell is not None]
    assert len(cells) == 25 * 7 + 1  # today is a Monday: the last column has one day so far
    assert cells[0].day == date(2023, 10, 23) and cells[0].day.weekday() == 0
    assert cells[-1].day == TODAY
    assert [(c.count, c.level) for c in cells if c.count] == [(1, 1), (2, 1), (8, 4)]


def test_levels_shade_in_quarters_of_the_busiest_day() -> None:
    assert [activity_level(n, 8) for n in (0, 1, 2, 3, 4, 5, 6, 7, 8)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert activity_level(3, 0) == 0


def test_progress_per_resource_grows_with_the_events(tmp_path: Path) -> None:
    curriculum = load_curriculum(write_curriculum(tmp_path / "c"), use_cache=False)
    snapshot = snapshot_from_store(seed(ProgressStore(connect(":memory:"))), name="v")
    series = {p.resource: p for p in resource_progress(curriculum, snapshot.events, TODAY, days=30)}
    course = series["dl-course"]
    assert course.title == "Deep Learning Fundamentals" and len(course.fractions) == 30
    assert course.fractions[0] == 0.0  # 17/03
    assert course.fractions[-1] == 5 / 7
    video = series["tokenizer-video"]
    assert video.current == 3130 / 8015  # the position over the video's length
    book = series["llm-book"]  # 2.6-2.8 and A.1-A.5: 8 parts, 7 done by now
    assert book.current == 7 / 8
    assert list(series)[:3] == ["tokenizer-video", "dl-course", "llm-book"]


def test_reviews_per_day_and_true_retention() -> None:
    reviews = [
        _review("a", 1, True),  # first sight of a: not counted in retention
        _review("a", 3, False),
        _review("b", 3, True),
        _review("a", 9, True),
        _review("b", 10, True, cram=True),  # cram: not counted
        _review("b", 12, False),
    ]
    assert reviews_per_day(reviews, TODAY, days=15) == [1, 0, 2, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0]
    # weeks from Monday: 25/03, 01/04, 08/04, 15/04
    assert weekly_retention(reviews, TODAY, weeks=4) == [None, 0.0, 0.5, None]


def test_the_streak_forgives_days_with_nothing_due() -> None:
    active = {TODAY - timedelta(days=n) for n in (0, 1, 3, 4, 7)}
    nothing_due: set[date] = set()
    assert streak(active, nothing_due, TODAY) == 5
    due = {TODAY - timedelta(days=2)}
    assert streak(active, due, TODAY) == 2
    assert streak(active, None, TODAY) == 2  # no cards at all: a plain streak
    assert streak(active - {TODAY}, None, TODAY) == 1  # today is not over yet
    assert streak(set(), None, TODAY) == 0


def test_due_days_run_from_due_to_the_next_review() -> None:
    reviews = [_review("a", 1, True, due=3), _review("a", 5, True, due=20)]
    assert due_days(reviews, TODAY) == {date(2024, 4, d) for d in (3, 4, 5)}
    open_card = [_review("b", 10, True, due=13)]
    assert due_days(open_card, TODAY) == {date(2024, 4, d) for d in (13, 14, 15)}


def test_activity_by_day_counts_events(tmp_path: Path) -> None:
    snapshot = snapshot_from_store(seed(ProgressStore(connect(":memory:"))), name="v")
    counts = activity_by_day(snapshot.events)
    assert counts[date(2024, 4, 10)] == 3
    assert sum(counts.values()) == len(snapshot.events)


def test_activity_by_day_counts_in_the_given_zone() -> None:
    store = ProgressStore(connect(":memory:"))
    monday = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)
    store.mark(["a", "b"], True, now=monday)
    store.mark(["c"], True, now=monday + timedelta(days=1))
    events = store.events()
    assert activity_by_day(events) == {date(2024, 4, 8): 2, date(2024, 4, 9): 1}
    yerevan = timezone(timedelta(hours=4))
    # 18:30 UTC is 22:30 in Yerevan: still the 8th; the next day's too.
    assert activity_by_day(events, tz=yerevan) == {date(2024, 4, 8): 2, date(2024, 4, 9): 1}
    assert activity_by_day(events, tz=timezone(timedelta(hours=6))) == {
        date(2024, 4, 9): 2,
        date(2024, 4, 10): 1,
    }


def test_settings_default_to_no_streak_and_persist(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings(show_streak=False)
    save_settings(Settings(show_streak=True), tmp_path)
    assert load_settings(tmp_path).show_streak is True
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_settings(tmp_path) == Settings()
    (tmp_path / "settings.json").write_text('{"show_streak": "yes"}', encoding="utf-8")
    assert load_settings(tmp_path) == Settings()


def test_every_quiz_figure_agrees_with_a_hand_made_review_log() -> None:
    """The Stats screen's quiz figures, from one log written out by hand (weeks from Monday).

    week of 01/04: a first seen (1st), a wrong (repeat), b first seen (1st)
    week of 08/04: a right (repeat), b practice (cram), b right (repeat), c first seen
    week of 15/04 (today): c right, c wrong (repeats), a practice (cram)
    and one review before the window (a, 04/03) and one after today (17/04), left out.
    """
    at_ = lambda month, day, hour, q, ok, cram=False: ReviewRecord(  # noqa: E731
        q, datetime(2024, month, day, hour, tzinfo=UTC), 3 if ok else 1, ok, cram
    )
    log = [
        at_(4, 1, 9, "a", True),
        at_(4, 3, 9, "a", False),
        at_(4, 3, 10, "b", True),
        at_(4, 9, 9, "a", True),
        at_(4, 10, 9, "b", True, True),
        at_(4, 12, 9, "b", True),
        at_(4, 12, 10, "c", False),
        at_(4, 15, 8, "c", True),
        at_(4, 15, 9, "c", False),
        at_(4, 15, 10, "a", False, True),
        at_(4, 17, 9, "a", True),
    ]
    early = ReviewRecord("z", datetime(2024, 3, 4, 9, tzinfo=UTC), 3, True)
    figures = review_figures([early, *log], TODAY, weeks=3)
    assert figures.start == date(2024, 4, 1)
    assert len(figures.per_day) == 15  # 01/04 to 15/04
    assert figures.per_day[0] == 1 and figures.per_day[2] == 2 and figures.per_day[-1] == 3
    assert (figures.total, figures.today) == (10, 3)
    assert (figures.first, figures.cram, figures.repeats, figures.right) == (3, 2, 5, 3)
    assert figures.total == sum(figures.per_day) == figures.first + figures.cram + figures.repeats
    assert figures.shares == (0.0, 1.0, 0.5)
    assert figures.retention_words == "50% latest week · 3/5 repeats right"
    assert weekly_retention([early, *log], TODAY, weeks=3) == list(figures.shares)


def test_a_day_of_first_answers_says_why_there_is_no_retention_yet() -> None:
    log = [
        ReviewRecord(f"q{n}", datetime(2024, 4, 15, 9, n, tzinfo=UTC), 3, True) for n in range(19)
    ]
    figures = review_figures(log, TODAY)
    assert (figures.total, figures.today, figures.repeats) == (19, 19, 0)
    assert figures.retention_words == (
        "no repeat answers yet (19 first answers: retention counts repeats)"
    )
    assert review_figures([], TODAY).retention_words == "no reviews yet"
