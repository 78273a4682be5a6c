"""Tests for the item kinds' registry: every kind has every part, and key parsing inverts building."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.content.item_forms import ITEM_FORMS, ItemForm
from tracker.content.meeting_file import ITEM_KEYS
from tracker.domain.curriculum import (
    Item,
    ItemKind,
    KeyKind,
    Location,
    ParsedKey,
    Part,
    Resource,
    ResourceKind,
    Text,
    exercise_key,
    file_key,
    mentor_key,
    parse_key,
    position_key,
    section_key,
    task_key,
    through_key,
    until_key,
    whole_key,
)
from tracker.domain.item_kinds import ITEM_KINDS, ItemKindSpec, watched
from tracker.domain.progress import PartState, item_progress

HERE = Location("m.yaml", 1, 1)
BOOK = Resource("book", ResourceKind.BOOK, Text(en="A Book"), HERE, sections={"1.1": "One"})


def _item(kind: ItemKind) -> Item:
    """An item of `kind` with one part (or, with a position, a span)."""
    if ITEM_KINDS[kind].has_position:
        return Item("i", date(2024, 4, 8), 1, kind, HERE, "vid", start=60, end=120)
    return Item("i", date(2024, 4, 8), 1, kind, HERE, "book", (Part("book/1.1", "1.1"),))


def test_every_kind_has_a_spec_and_a_form() -> None:
    assert set(ITEM_KINDS) == set(ItemKind)
    assert set(ITEM_FORMS) == set(ItemKind)
    for kind in ItemKind:
        assert ITEM_KINDS[kind].kind is kind
        assert ITEM_FORMS[kind].kind is kind


@pytest.mark.parametrize("kind", list(ItemKind))
def test_each_spec_declares_every_part(kind: ItemKind) -> None:
    spec, form = ITEM_KINDS[kind], ITEM_FORMS[kind]
    assert not inspect.isabstract(type(spec)) and not inspect.isabstract(type(form))
    assert isinstance(spec, ItemKindSpec) and isinstance(form, ItemForm)
    assert spec.yaml_words  # named in the "an item is one of" message
    assert all(key in ITEM_KEYS for key in spec.yaml_keys)
    item = _item(kind)
    states = {"book/1.1": PartState("book/1.1", is_done=True)}
    done, total = spec.amount(item, states)
    assert 0 <= done <= total
    assert spec.units(item, states)
    assert isinstance(spec.covers(item, item, states), bool)
    assert isinstance(spec.summary(item), str)
    assert spec.count(item, done, total, 0, short=True)
    assert spec.scope(item, BOOK)
    assert spec.partial(item, BOOK, 0, [])
    assert len(spec.labels(item)) == len(item.parts)
    carry = spec.carry(item, {})
    if carry is not None:
        assert all(line.startswith("    ") for line in spec.carry_yaml(item, carry, BOOK))
    assert (spec.position_key(item) is not None) is spec.has_position


def test_only_one_kind_has_no_keys_and_keys_are_not_shared() -> None:
    assert [spec.kind for spec in ITEM_KINDS.values() if not spec.yaml_keys] == [ItemKind.WHOLE]
    keys = [key for spec in ITEM_KINDS.values() for key in spec.yaml_keys]
    assert len(keys) == len(set(keys))


def test_a_video_position_is_read_from_its_resource() -> None:
    item = _item(ItemKind.VIDEO)
    states = {position_key("vid"): PartState(position_key("vid"), position=90)}
    assert watched(item, states) == 90
    assert watched(item, {}) is None
    assert watched(_item(ItemKind.SECTIONS), states) is None
    assert (item_progress(item, states).done, item_progress(item, states).total) == (30, 60)


BUILT = [
    (section_key("llm-book", "2.6"), ParsedKey(KeyKind.SECTION, "llm-book", "2.6")),
    (exercise_key("prob", "1.4", 6), ParsedKey(KeyKind.EXERCISE, "prob", "1.4", 6)),
    (until_key("prob", "1.4-proof"), ParsedKey(KeyKind.UNTIL, "prob", "1.4-proof")),
    (whole_key("post"), ParsedKey(KeyKind.WHOLE, "post")),
    (task_key("2024-04-08-push"), ParsedKey(KeyKind.TASK, item_id="2024-04-08-push")),
    (mentor_key("2024-04-08-push"), ParsedKey(KeyKind.MENTOR, item_id="2024-04-08-push")),
    (position_key("tok-video"), ParsedKey(KeyKind.POSITION, "tok-video")),
    (file_key("repo", "ch02/ch02.ipynb"), ParsedKey(KeyKind.FILE, "repo", "ch02/ch02.ipynb")),
    (through_key("prob", "1.4-proof"), ParsedKey(KeyKind.THROUGH, "prob", "1.4-proof")),
]


@pytest.mark.parametrize(("key", "parsed"), BUILT)
def test_parse_key_takes_apart_what_the_key_functions_build(key: str, parsed: ParsedKey) -> None:
    assert parse_key(key) == parsed
    assert parsed.build() == key


def test_every_key_kind_is_covered() -> None:
    assert {parsed.kind for _, parsed in BUILT} == set(KeyKind)


@pytest.mark.parametrize(
    "key", ["", "book", "book/", "/2.6", "task/a/b", "book/a/b", "book/a/b/c", "book//ex1"]
)
def test_parse_key_refuses_what_no_key_function_builds(key: str) -> None:
    assert parse_key(key) is None


_PIECE = st.from_regex(r"[a-z0-9][a-z0-9.\-]{0,8}", fullmatch=True)


@given(resource=_PIECE, label=_PIECE, number=st.integers(0, 999))
def test_parse_key_is_the_inverse_of_building(resource: str, label: str, number: int) -> None:
    for key in (
        section_key(resource, label),
        exercise_key(resource, label, number),
        until_key(resource, label),
        whole_key(resource),
        position_key(resource),
        task_key(label),
        mentor_key(label),
    ):
        if resource == "task" or label in ("whole", "position", "until"):
            continue  # the few spellings that two key functions share
        parsed = parse_key(key)
        assert parsed is not None and parsed.build() == key
