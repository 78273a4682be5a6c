""" "Finish chapter 3, with the exercises": one item, resolved against the catalogue."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tracker.content import load_curriculum
from tracker.domain.agenda import build_agenda
from tracker.domain.curriculum import Curriculum, Item, KeyKind, parse_key
from tracker.domain.item_kinds import kind_spec
from tracker.domain.progress import PartState
from tracker.report.markdown import render_markdown
from tracker.report.model import ItemStatus, build_report
from tracker.report.scaffold import scaffold_meeting
from tracker.report.snapshot import ProgressSnapshot

DAY = date(2024, 5, 6)
AT = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def _meeting(good: Path, items: str) -> Curriculum:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        f"date: 2024-05-06\nitems:\n{items}", encoding="utf-8"
    )
    return load_curriculum(good, use_cache=False)


def _item(curriculum: Curriculum) -> Item:
    return curriculum.meetings[-1].items[0]


def _done(*keys: str) -> dict[str, PartState]:
    return {key: PartState(key, is_done=True, updated=AT) for key in keys}


def test_the_rest_of_a_chapter_with_its_counted_exercises(good: Path) -> None:
    curriculum = _meeting(
        good, "  - resource: probability\n    sections: 1.4-\n    with_exercises: true\n"
    )
    assert curriculum.problems == ()
    item = _item(curriculum)
    keys = [part.key for part in item.parts]
    # each section, its subsections, then its exercises: 1.4's 14 as the catalogue counts them
    assert keys == [
        "probability/1.4",
        "probability/1.4-proof",
        *(f"probability/1.4/ex{n}" for n in range(1, 15)),
        "probability/1.5",
        "probability/1.5/exercises",  # not counted: one tick, never a made-up count
    ]
    spec = kind_spec(item.kind)
    resource = curriculum.resources["probability"]
    assert spec.summary(item) == "1.4, 1.4-proof, 1.5 + exercises"
    assert spec.scope(item, resource) == "sections 1.4-1.5 with exercises"
    assert [spec.part_label(item, p) for p in item.parts[1:3]] == ["1.4-proof", "§1.4 ex 1"]
    assert spec.part_label(item, item.parts[-1]) == "§1.5 exercises"
    # the same keys as an `exercises:` item: an exercise done there is done here
    states = _done("probability/1.4/ex6")
    assert spec.amount(item, states) == (1, len(keys))


def test_a_count_given_for_a_chapter_follows_its_last_unit(good: Path) -> None:
    curriculum = _meeting(
        good, '  - resource: dl-course\n    units: "2.1"\n    with_exercises: true\n'
    )
    assert curriculum.problems == ()
    assert [p.key for p in _item(curriculum).parts] == [
        "dl-course/2.1",
        "dl-course/2/ex1",
        "dl-course/2/ex2",
    ]


def test_carried_over_with_what_is_left_and_its_exercises(good: Path) -> None:
    curriculum = _meeting(
        good, "  - resource: probability\n    sections: 1.4-\n    with_exercises: true\n"
    )
    item = _item(curriculum)
    spec = kind_spec(item.kind)
    # 1.4 read but its exercises not all done, 1.4-proof read, 1.5 and its exercises done
    states = _done(
        "probability/1.4",
        "probability/1.4-proof",
        *(f"probability/1.4/ex{n}" for n in range(1, 14)),
        "probability/1.5",
        "probability/1.5/exercises",
    )
    carry = spec.carry(item, states)
    assert carry is not None and carry.labels == ("1.4",)
    resource = curriculum.resources["probability"]
    assert spec.carry_yaml(item, carry, resource) == [
        '    sections: ["1.4"]',
        "    with_exercises: true",
    ]
    text = scaffold_meeting(curriculum, states, date(2024, 5, 13))
    assert '    sections: ["1.4"]\n    with_exercises: true\n' in text
    (good / "assignments" / "2024-05-13.yaml").write_text(text, encoding="utf-8")
    again = load_curriculum(good, use_cache=False)
    assert again.problems == ()
    carried = next(
        i
        for i in again.meetings[-1].items
        if i.resource == "probability" and i.parts[0].key == "probability/1.4"
    )
    assert [p.key for p in carried.parts] == [
        "probability/1.4",
        *(f"probability/1.4/ex{n}" for n in range(1, 15)),
    ]
    assert kind_spec(carried.kind).amount(carried, states) == (14, 15)  # ex 14 is what is left


def test_the_agenda_and_report_say_with_exercises(good: Path) -> None:
    curriculum = _meeting(
        good, "  - resource: probability\n    sections: 1.4-\n    with_exercises: true\n"
    )
    item = _item(curriculum)
    states = _done("probability/1.4", "probability/1.4/ex1", "probability/1.4/ex2")
    agenda = build_agenda(curriculum, states, DAY)
    entry = next(e for e in agenda.entries if e.item.id == item.id)
    assert (entry.progress.done, entry.progress.total) == (3, 18)
    snapshot = ProgressSnapshot("vova", states=states)
    report = build_report(curriculum, snapshot, DAY)
    line = next(x for x in report.mentees[0].items if x.item_id == item.id)
    assert (line.status, line.scope) == (ItemStatus.PARTIAL, "sections 1.4-1.5 with exercises")
    assert line.detail == "sections 1.4 of 1.4-1.5; exercises 2 of 15 done"
    assert "sections 1.4 of 1.4-1.5; exercises 2 of 15 done" in render_markdown(report)


def test_with_exercises_mistakes_are_located(good: Path) -> None:
    curriculum = _meeting(
        good,
        '  - resource: perceptron-post\n    sections: "1"\n    with_exercises: true\n'
        '  - resource: tokenizer-video\n    until: "00:10:00"\n    with_exercises: true\n'
        "  - resource: llm-book\n    sections: 2.7-\n    with_exercises: yes please\n"
        '  - resource: probability\n    exercises: {section: "1.4"}\n    with_exercises: true\n',
    )
    problems = [
        (p.location.line, p.location.column, str(p.severity), p.message)
        for p in curriculum.problems
        if p.severity == "error"
    ]
    assert problems == [
        (
            5,
            21,
            "error",
            "'perceptron-post' is a post, which has no exercises: 'with_exercises' goes with a"
            " book's sections or a course's units",
        ),
        (
            8,
            5,
            "error",
            "'with_exercises' of item 2 goes with 'units' or 'sections', and it has neither",
        ),
        (11, 21, "error", "'with_exercises' of item 3 must be true or false, found 'yes please'"),
        (
            14,
            5,
            "error",
            "'with_exercises' of item 4 goes with 'units' or 'sections', and it has neither",
        ),
    ]


def test_with_exercises_false_is_the_sections_alone(good: Path) -> None:
    curriculum = _meeting(
        good, "  - resource: llm-book\n    sections: 2.7-\n    with_exercises: false\n"
    )
    assert curriculum.problems == ()
    item = _item(curriculum)
    assert all(parse_key(p.key).kind is KeyKind.SECTION for p in item.parts)  # type: ignore[union-attr]
    assert kind_spec(item.kind).summary(item) == "2.7, 2.8"


def test_the_agenda_line_runs_chapter_by_chapter_then_says_exercises(good: Path) -> None:
    curriculum = _meeting(
        good, "  - resource: llm-book\n    sections: 2.6-3.1\n    with_exercises: true\n"
    )
    assert curriculum.problems == ()
    item = _item(curriculum)
    assert kind_spec(item.kind).summary(item) == "2.6–2.8, 3.1 + exercises"
