"""Provides the scale benchmarks' generators: years of meetings, and a long event log.

- `write_curriculum(root, today)`: 2,000 meetings of 10 items each (20,000 items), one topic
  with notes per meeting, every kind of item, dated every 3 days up to a few meetings after
  `today`.
- `seed_progress(store, curriculum, today)`: what a steady mentee would have done: every part of
  the past meetings ticked except every 25th item (carried over), videos watched.
- `seed_events(store, curriculum, count)`: a log of `count` events (ticks and unticks in
  batches, video positions, notes, reviews, undos), spread over three years.

Everything goes through the store's own methods, so the log and the state tables agree.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.curriculum import Curriculum
    from tracker.store.progress_store import ProgressStore

MEETINGS = 2_000
ITEMS_PER_MEETING = 10
"""2,000 x 10 = 20,000 items."""
FUTURE = 5
"""Meetings planned after today."""
EVERY = 3
"""Days between meetings."""

CATALOGUE = """\
resources:
  video:
    kind: video
    title: Let's build the GPT Tokenizer
    length: "02:13:35"
  course:
    kind: course
    title: Deep Learning Fundamentals
    sections: {%s}
    exercises: {"2": 2}
  book:
    kind: book
    title: {en: Build a Large Language Model, hy: Մեծ լեզվական մոդել}
    sections: {%s}
    exercises: {"1.4": 14}
  post:
    kind: post
    title: "Linear Supervised Learning, Part 3: Perceptron"
"""


def write_catalogue(assignments: Path) -> None:
    """Makes `assignments` and writes `CATALOGUE` there, with chapters 1-9 of 7 sections each
    and appendix A.1-A.8."""
    assignments.mkdir(parents=True)
    labels = [f'"{c}.{s}": Section {c}.{s}' for c in range(1, 10) for s in range(1, 8)]
    appendix = [f'"A.{n}": Appendix {n}' for n in range(1, 9)]
    (assignments / "resources.yaml").write_text(
        CATALOGUE % (", ".join(labels), ", ".join(labels + appendix)), encoding="utf-8"
    )


def _item(meeting: int, order: int) -> str:
    kind = order % 6
    if kind == 0:
        return f'  - resource: video\n    from: "00:{order % 60:02d}:00"\n    until: "01:11:38"\n'
    if kind == 1:
        return f"  - resource: course\n    units: {1 + meeting % 8}.1-{1 + meeting % 8}.7\n"
    if kind == 2:
        return f"  - resource: book\n    sections: A1-A3, {1 + meeting % 8}.2\n    note: Read it twice.\n"
    if kind == 3:
        return '  - resource: book\n    exercises: {section: "1.4", numbers: 6-11}\n'
    if kind == 4:
        return (
            f"  - id: m{meeting}-task-{order}\n"
            "    task: {hy: Քո արածները ավելացրու, en: Push your work}\n"
            "    mentor_todo: Review and merge\n"
        )
    return f"  - id: m{meeting}-task-{order}\n    task: Write up meeting {meeting}'s notes\n"


def _topic(meeting: int) -> str:
    return (
        "discuss:\n"
        f"  - id: topic-{meeting}\n"
        f"    title: Topic of meeting {meeting}, about strides and views\n"
        "    notes: |\n"
        f"      Meeting {meeting}: `.view` needs compatible strides; `.reshape` copies when it\n"
        "      must. **Why?** Because a view shares the storage.\n"
    )


def meeting_dates(today: date, meetings: int = MEETINGS) -> list[date]:
    """The meetings' dates: every `EVERY` days, the last `FUTURE` of them after `today`."""
    first = today - timedelta(days=EVERY * (meetings - FUTURE))
    return [first + timedelta(days=EVERY * n) for n in range(meetings)]


def write_curriculum(root: Path, today: date, meetings: int = MEETINGS) -> None:
    """Writes a catalogue and one file per meeting under `root/assignments`.

    Args:
        root: The curriculum directory (created).
        today: The meetings end `FUTURE` meetings after this day.
        meetings: How many meetings (10 items each).
    """
    assignments = root / "assignments"
    write_catalogue(assignments)
    (root / "quizzes").mkdir()
    for number, day in enumerate(meeting_dates(today, meetings)):
        body = "".join(_item(number, order) for order in range(1, ITEMS_PER_MEETING + 1))
        text = f"date: {day.isoformat()}\ntitle: Meeting {number}\nitems:\n{body}{_topic(number)}"
        (assignments / f"{day.isoformat()}.yaml").write_text(text, encoding="utf-8")


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, 0, tzinfo=UTC)


def seed_progress(store: ProgressStore, curriculum: Curriculum, today: date) -> int:
    """Ticks what a steady mentee would have done by `today`; returns the events written.

    Every past meeting's items and the mentor's TODOs are done (one action per meeting, on its
    day), except every 25th item, which stays unfinished and so is carried over (or stays on the
    mentor's list); the video is watched to its end.
    """
    from tracker.domain.curriculum import ItemKind, Owner, mentor_key, position_key

    count = 0
    number = 0
    for meeting in sorted(curriculum.meetings, key=lambda m: m.date):
        if meeting.date >= today:
            break
        keys = []
        for item in meeting.items:
            number += 1
            if number % 25 == 0 or item.kind is ItemKind.VIDEO:
                continue  # left unfinished: carried over (or the mentor's TODO still open)
            if item.owner is Owner.MENTEE:
                keys += [part.key for part in item.parts]
            if item.mentor_todo is not None:
                keys.append(mentor_key(item.id))
            if item.owner is Owner.MENTOR:
                keys += [part.key for part in item.parts]
        if keys and store.mark(keys, True, now=_moment(meeting.date)):
            count += len(keys)
    videos = {i.resource for i in curriculum.items if i.kind is ItemKind.VIDEO and i.resource}
    for resource in sorted(videos):
        count += bool(store.set_position(position_key(resource), 2 * 3600, now=_moment(today)))
    return count


def seed_events(
    store: ProgressStore, curriculum: Curriculum, count: int, *, batch: int = 12
) -> int:
    """Appends `count` events or a few more, spread over three years before 2026-01-01.

    Of every 10 actions: 6 tick or untick `batch` parts at once (sweeping over every part,
    ticking on one sweep and unticking on the next, so that each action changes its parts),
    1 sets a video position, 1 adds a note, 2 record a review of a quiz question (ids
    `q0`..`q199`); every 997th action is undone. The count is of the rows the log holds, undo
    events included.

    Args:
        store: The (empty) store.
        curriculum: Its parts give the keys.
        count: Events wanted (the log ends with at least this many).
        batch: Keys per tick action.

    Returns:
        The number of events in the log.
    """
    from tracker.domain.curriculum import Owner, position_key

    mentee = (p.key for item in curriculum.items if item.owner is Owner.MENTEE for p in item.parts)
    keys = list(dict.fromkeys(mentee))
    video = position_key("video")
    start = datetime(2023, 1, 1, 8, 0, tzinfo=UTC)
    span = timedelta(days=3 * 365).total_seconds()
    written = 0
    action = 0
    ticks = 0
    last = store.connection.execute
    while written < count:
        moment = start + timedelta(seconds=span * written / count)
        kind = action % 10
        if kind < 6:
            sweep, offset = divmod(ticks * batch, len(keys))
            store.mark(keys[offset : offset + batch], sweep % 2 == 0, now=moment)
            ticks += 1
        elif kind == 6:
            store.set_position(video, (action * 37) % 8000, now=moment)
        elif kind == 7:
            store.add_note(keys[action % len(keys)], f"note {action}", now=moment)
        else:
            due = moment + timedelta(days=1 + action % 9)
            card = {
                "card_id": 1 + action % 200,
                "state": 2,
                "step": None,
                "stability": 3.0,
                "difficulty": 5.0,
                "due": due.isoformat(),
                "last_review": moment.isoformat(),
            }
            store.record_review(
                f"q{action % 200}",
                card=card,
                due=due,
                lapses=action % 5,
                rating=1 + action % 4,
                answer="x",
                is_correct=action % 4 != 0,
                now=moment,
            )
        if action % 997 == 996:
            store.undo(now=moment)
        action += 1
        written = int(last("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
    return written


def cached_events_db(scratch: Path, count: int) -> Path:
    """A progress database with `count` events on the generated curriculum (made once, kept in
    `scratch`, which the caller may keep between runs)."""
    from tracker.content import load_curriculum
    from tracker.store.progress_store import ProgressStore

    path = scratch / f"events-v2-{count}.sqlite3"  # v2: the count is of rows written
    if path.exists():
        with ProgressStore.open(path):  # brings an older copy's schema up to date, once
            pass
        return path
    root = scratch / "events-curriculum"
    if not root.exists():
        write_curriculum(root, date(2026, 1, 1), meetings=200)
    curriculum = load_curriculum(root, use_cache=False)
    building = path.with_suffix(".building")
    for leftover in scratch.glob(building.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    with ProgressStore.open(building) as store:
        seed_events(store, curriculum, count)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.rename(path)
    print(f"(generated {count:,} events in {time.perf_counter() - started:.0f} s: {path})")
    return path
