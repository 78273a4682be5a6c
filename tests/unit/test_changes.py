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
    assert lines == ["problems: 0 -> 1"]
