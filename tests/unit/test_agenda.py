"""Tests for tracker.domain.agenda: next meeting, carried items, re-assignment, TODOs, totals."""

from __future__ import annotations

from datetime import date

from tracker.domain.agenda import (
    build_agenda,
    countdown_text,
    meeting_timeline,
    next_meeting,
)
from tracker.domain.curriculum import (
    Curriculum,
    Item,
    ItemKind,
    Location,
    Meeting,
    Owner,
    Part,
    Text,
    mentor_key,
    position_key,
    section_key,
    task_key,
    whole_key,
)
from tracker.domain.progress import PartState

D1, D2, D3, D4 = date(2024, 3, 28), date(2024, 4, 8), date(2024, 4, 16), date(2024, 4, 26)
HERE = Location("test.yaml", 1, 1)


def _sections(meeting: date, order: int, resource: str, *labels: str, **kw: object) -> Item:
    parts = tuple(Part(section_key(resource, label), label) for label in labels)
    return Item(
        id=f"{meeting}-{order}",
        meeting=meeting,
        order=order,
        kind=ItemKind.SECTIONS,
        location=HERE,
        resource=resource,
        parts=parts,
        **kw,  # type: ignore[arg-type]
    )


def _video(meeting: date, order: int, start: int, end: int) -> Item:
    return Item(
        id=f"{meeting}-{order}",
        meeting=meeting,
        order=order,
        kind=ItemKind.VIDEO,
        location=HERE,
        resource="tok",
        start=start,
        end=end,
    )


def _whole(meeting: date, order: int) -> Item:
    return Item(
        id=f"{meeting}-{order}",
        meeting=meeting,
        order=order,
        kind=ItemKind.WHOLE,
        location=HERE,
        resource="post",
        parts=(Part(whole_key("post"), "whole"),),
    )


def _task(meeting: date, order: int, owner: Owner = Owner.MENTEE, todo: str | None = None) -> Item:
    item_id = f"{meeting}-{order}"
    return Item(
        id=item_id,
        meeting=meeting,
        order=order,
        kind=ItemKind.TASK,
        location=HERE,
        parts=(Part(task_key(item_id), "task"),),
        owner=owner,
        text=Text(en=f"task {order}"),
        mentor_todo=Text(en=todo) if todo else None,
    )


def _curriculum() -> Curriculum:
    m1 = Meeting(
        D1,
        HERE,
        items=(
            _video(D1, 1, 0, 4298),
            _sections(D1, 2, "book", "2.6"),
            _sections(D1, 3, "book", "A.1", "A.2", "A.3"),
            _whole(D1, 4),
        ),
    )
    m2 = Meeting(
        D2,
        HERE,
        items=(
            _task(D2, 1, todo="review and merge"),
            _sections(D2, 2, "book", "2.6", "2.7", "2.8"),
            _whole(D2, 3),
        ),
    )
    m3 = Meeting(D3, HERE, items=(_sections(D3, 1, "prob", "ex6", "ex7"),))
    m4 = Meeting(
        D4,
        HERE,
        items=(
            _sections(D4, 1, "book", "3.1", "3.2"),
            _task(D4, 2, owner=Owner.MENTOR),
        ),
    )
    return Curriculum(root=".", meetings=(m1, m2, m3, m4))


def _done(*keys: str) -> dict[str, PartState]:
    return {k: PartState(k, is_done=True) for k in keys}


def test_countdown_words() -> None:
    assert [countdown_text(d) for d in (3, 1, 0, -1, -12)] == [
        "in 3 days",
        "tomorrow",
        "today",
        "yesterday",
        "12 days ago",
    ]


def test_next_meeting_is_first_on_or_after_today_else_last() -> None:
    meetings = _curriculum().meetings
    assert next_meeting(meetings, date(2024, 4, 1)).date == D2
    assert next_meeting(meetings, D2).date == D2
    assert next_meeting(meetings, date(2024, 5, 8)).date == D4
    assert next_meeting((), D1) is None


def test_agenda_lists_the_meetings_items_in_order_with_countdown() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 5))
    assert agenda.meeting is not None and agenda.meeting.date == D2
    assert agenda.days == 3 and agenda.countdown == "in 3 days"
    assert [e.item.order for e in agenda.entries] == [1, 2, 3]


def test_past_all_meetings_counts_days_ago() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 5, 8))
    assert agenda.meeting is not None and agenda.meeting.date == D4
    assert agenda.countdown == "12 days ago"
    assert agenda.is_past


def test_a_meeting_today_or_later_is_not_past() -> None:
    assert not build_agenda(_curriculum(), {}, D4).is_past
    assert not build_agenda(_curriculum(), {}, date(2024, 4, 20)).is_past


def test_carried_items_are_grouped_by_the_meeting_they_were_first_due_at() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 20))
    groups = [(day, [e.item.id for e in entries]) for day, entries in agenda.carried_groups]
    assert groups == [
        (D1, [f"{D1}-1", f"{D1}-3"]),  # the mentor's numbers 1 and 3 of 28/03, in order
        (D2, [f"{D2}-1", f"{D2}-2", f"{D2}-3"]),
        (D3, [f"{D3}-1"]),
    ]
    for day, entries in agenda.carried_groups:  # one carry count per group: its meeting's
        assert {e.carried for e in entries} == {entries[0].carried}
        assert all(e.item.meeting == day for e in entries)
    later = next(e for e in agenda.carried if e.item.id == f"{D2}-2")
    assert later.reassigned_text == "re-assigned from 28/03"
    assert next(e for e in agenda.carried if e.item.id == f"{D1}-1").reassigned_text == ""


def test_carried_counts_meetings_after_the_items_own_up_to_the_next() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 20))
    carried = {e.item.id: e for e in agenda.carried}
    # The video and A.1-A.3 are due since 28/03: 08/04, 16/04 and 26/04 have passed them on.
    assert carried[f"{D1}-1"].carried == 3
    assert carried[f"{D1}-1"].carried_text == "carried x3 since 28/03"
    assert carried[f"{D3}-1"].carried_text == "carried x1 since 16/04"


def test_reassigned_part_is_listed_once_and_merged_into_the_later_item() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 20))
    ids = [e.item.id for e in agenda.carried]
    assert f"{D1}-2" not in ids  # book 2.6 of 28/03: re-assigned on 08/04
    assert f"{D1}-4" not in ids  # the post of 28/03: re-assigned on 08/04
    later = next(e for e in agenda.carried if e.item.id == f"{D2}-2")
    assert later.reassigned_from == (D1,)
    assert later.carried_text == "carried x2 since 08/04, re-assigned from 28/03"


def test_reassignment_into_the_next_meeting_shows_on_its_entry() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 1))
    assert [e.item.id for e in agenda.carried] == [f"{D1}-1", f"{D1}-3"]
    book = next(e for e in agenda.entries if e.item.id == f"{D2}-2")
    assert book.carried == 0 and book.carried_text == "re-assigned from 28/03"
    assert book.since == D1


def test_earlier_item_stays_when_the_later_does_not_cover_its_rest() -> None:
    curriculum = _curriculum()
    states = _done(section_key("book", "2.6"))
    agenda = build_agenda(curriculum, states, date(2024, 4, 20))
    ids = [e.item.id for e in agenda.carried]
    assert f"{D1}-2" not in ids  # done now: not carried at all
    # A.1-A.3 are never assigned again: listed on their own.
    assert f"{D1}-3" in ids


def test_video_watched_to_its_end_is_not_carried() -> None:
    states = {position_key("tok"): PartState(position_key("tok"), position=4298)}
    agenda = build_agenda(_curriculum(), states, date(2024, 4, 1))
    assert f"{D1}-1" not in [e.item.id for e in agenda.carried]


def test_mentor_todos_are_apart_and_keyed_by_mentor_key() -> None:
    agenda = build_agenda(_curriculum(), {}, date(2024, 4, 20))
    keys = [t.key for t in agenda.mentor_todos]
    assert keys == [mentor_key(f"{D2}-1"), task_key(f"{D4}-2")]
    assert all(e.item.owner is Owner.MENTEE for e in (*agenda.entries, *agenda.carried))
    done = build_agenda(_curriculum(), _done(mentor_key(f"{D2}-1")), date(2024, 4, 20))
    assert [t.key for t in done.mentor_todos] == [task_key(f"{D4}-2")]


def test_totals_count_each_part_once() -> None:
    states = _done(section_key("book", "2.6"), section_key("book", "3.1"))
    agenda = build_agenda(_curriculum(), states, date(2024, 4, 20))
    assert (agenda.meeting_totals.done, agenda.meeting_totals.total) == (1, 2)
    # video 1 + book 2.6,2.7,2.8,A.1-A.3 (6) + post 1 + task 1 + ex 2 + 3.1,3.2 (2) = 13
    assert (agenda.overall_totals.done, agenda.overall_totals.total) == (2, 13)


def test_timeline_marks_past_and_next_with_completion() -> None:
    states = _done(*(section_key("book", x) for x in ("2.6", "2.7", "2.8")), whole_key("post"))
    timeline = meeting_timeline(_curriculum(), states, date(2024, 4, 10))
    assert [s.meeting.date for s in timeline] == [D1, D2, D3, D4]
    assert [s.is_past for s in timeline] == [True, True, False, False]
    assert [s.is_next for s in timeline] == [False, False, True, False]
    assert str(timeline[1].totals) == "4/5"
    assert timeline[0].totals.fraction == 2 / 6
