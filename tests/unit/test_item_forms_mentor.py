"""The item forms a mentor's ordinary week needs: exercises without numbers, and the rest."""

from __future__ import annotations

from pathlib import Path

from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, ItemKind, KeyKind, parse_key
from tracker.domain.item_kinds import kind_spec
from tracker.domain.progress import PartState


def _meeting(good: Path, items: str) -> Curriculum:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        f"date: 2024-05-06\nitems:\n{items}", encoding="utf-8"
    )
    return load_curriculum(good, use_cache=False)


def _problems(curriculum: Curriculum) -> list[tuple[int, int, str, str]]:
    return [
        (p.location.line, p.location.column, str(p.severity), p.message)
        for p in curriculum.problems
    ]


# --- 5. exercises without numbers ----------------------------------------------------------------


def test_uncounted_exercises_are_one_tick_never_a_made_up_count(good: Path) -> None:
    curriculum = _meeting(good, '  - resource: llm-book\n    exercises: {section: "2.6"}\n')
    assert curriculum.problems == ()
    item = curriculum.meetings[-1].items[0]
    assert item.kind is ItemKind.EXERCISES
    assert [(p.key, p.label) for p in item.parts] == [("llm-book/2.6/exercises", "exercises")]
    parsed = parse_key(item.parts[0].key)
    assert parsed is not None and (parsed.kind, parsed.label, parsed.number) == (
        KeyKind.EXERCISE,
        "2.6",
        None,
    )
    assert parsed.build() == "llm-book/2.6/exercises"
    spec = kind_spec(item.kind)
    resource = curriculum.resources["llm-book"]
    assert spec.summary(item) == "exercises"
    assert spec.scope(item, resource) == "§2.6 exercises"
    carry = spec.carry(item, {})
    assert carry is not None
    assert spec.carry_yaml(item, carry, resource) == ['    exercises: {section: "2.6"}']
    done = {item.parts[0].key: PartState(item.parts[0].key, is_done=True)}
    assert spec.amount(item, done) == (1, 1)


def test_counted_exercises_still_expand_to_the_catalogues_count(good: Path) -> None:
    curriculum = _meeting(good, '  - resource: probability\n    exercises: {section: "1.4"}\n')
    assert curriculum.problems == ()
    assert len(curriculum.meetings[-1].items[0].parts) == 14


def test_a_follows_key_may_name_uncounted_exercises(good: Path) -> None:
    (good / "quizzes" / "extra.yaml").write_text(
        "topic: extra\nfollows: [llm-book/2.6/exercises]\nquestions:\n"
        "  - {id: e1, type: text, prompt: P, answer: a}\n",
        encoding="utf-8",
    )
    curriculum = load_curriculum(good, use_cache=False)
    assert curriculum.problems == ()
    assert curriculum.questions[-1].follows == ("llm-book/2.6/exercises",)
