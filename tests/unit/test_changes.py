"""Tests for tracker.domain.changes: what a reload changed, per file, in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tracker.domain.changes import describe_changes
from tracker.domain.curriculum import (
    Curriculum,
    Item,
    ItemKind,
    Location,
    Meeting,
    Part,
    Problem,
    Severity,
)

DAY = date(2024, 4, 26)


def _item(item_id: str, line: int, label: str = "3.1") -> Item:
    return Item(
        id=item_id,
        meeting=DAY,
        order=1,
        kind=ItemKind.SECTIONS,
        location=Location("assignments/2024-04-26.yaml", line, 5),
        resource="llm-book",
        parts=(Part(f"llm-book/{label}", label),),
    )


def _curriculum(*items: Item, problems: tuple[Problem, ...] = ()) -> Curriculum:
    meeting = Meeting(DAY, Location("assignments/2024-04-26.yaml", 1, 1), items=items)
    return Curriculum(root=".", meetings=(meeting,), problems=problems)


def test_added_and_changed_items_are_counted_per_file() -> None:
    old = _curriculum(_item("a", 3), _item("b", 5))
    new = _curriculum(_item("a", 3, "3.2"), _item("b", 5), _item("c", 7))
    assert describe_changes(old, new) == ["2024-04-26.yaml: 1 item added, 1 changed"]


def test_removed_items_and_plurals() -> None:
    old = _curriculum(_item("a", 3), _item("b", 5))
    assert describe_changes(old, _curriculum()) == ["2024-04-26.yaml: 2 items removed"]


def test_an_item_that_only_moved_is_not_a_change() -> None:
    old = _curriculum(_item("a", 3))
    assert describe_changes(old, _curriculum(replace(_item("a", 9)))) == ["no change to items"]


def test_problems_appearing_are_reported() -> None:
    problem = Problem(Location("x.yaml", 1, 1), Severity.ERROR, "bad")
    lines = describe_changes(_curriculum(), _curriculum(problems=(problem,)))
    assert lines == ["x.yaml: 1 error (p shows them)"]
    assert describe_changes(_curriculum(problems=(problem,)), _curriculum()) == [
        "x.yaml: problems fixed"
    ]


EARLIER, LATER = date(2024, 4, 19), DAY
EARLIER_FILE, LATER_FILE = "assignments/2024-04-19.yaml", "assignments/2024-04-26.yaml"


def _repeating(*, later_loads: bool = True, repeats: bool = True) -> Curriculum:
    """19/04 with two items; 26/04 `repeat:`s it (copies written in 19/04's file; `repeats=False`:
    the `repeat:` line deleted) and adds two of its own. `later_loads=False`: 26/04's date has a
    typo, it is not loaded."""
    earlier_items = tuple(
        replace(
            _item(f"2024-04-19-{n}", 3 + n),
            meeting=EARLIER,
            location=Location(EARLIER_FILE, 3 + n, 5),
        )
        for n in range(2)
    )
    meetings = [Meeting(EARLIER, Location(EARLIER_FILE, 1, 1), items=earlier_items)]
    problems: tuple[Problem, ...] = ()
    if later_loads:
        copies = tuple(
            replace(i, id=i.id.replace("2024-04-19", "2024-04-26"), meeting=LATER)
            for i in earlier_items
            if repeats
        )
        own = tuple(_item(f"own-{n}", 5 + n) for n in range(2))
        meetings.append(Meeting(LATER, Location(LATER_FILE, 1, 1), items=copies + own))
    else:
        problems = (
            Problem(Location(LATER_FILE, 1, 7), Severity.ERROR, "not a date: 2024-04-2x"),
            Problem(Location(LATER_FILE, 2, 1), Severity.ERROR, "no meeting date"),
        )
    return Curriculum(root=".", meetings=tuple(meetings), problems=problems)


def test_the_copies_a_repeat_makes_count_for_the_repeating_meetings_file() -> None:
    lines = describe_changes(_repeating(), _repeating(repeats=False))
    assert lines == ["2024-04-26.yaml: 2 items removed"]  # 19/04's file was not touched


def test_a_meeting_that_no_longer_loads_is_one_line_naming_its_file() -> None:
    broken = _repeating(later_loads=False)
    assert describe_changes(_repeating(), broken) == [
        "2024-04-26.yaml: not loaded, 2 errors (p shows them)"
    ]
    assert describe_changes(broken, _repeating()) == ["2024-04-26.yaml: loaded again"]
