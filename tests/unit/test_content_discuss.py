"""Tests of "to discuss" as mentors write it: no title, an empty entry or an empty list."""

from __future__ import annotations

from pathlib import Path

from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, Severity, Text


def _meeting(good: Path, text: str) -> Curriculum:
    (good / "assignments" / "2024-05-06.yaml").write_text(text, encoding="utf-8")
    return load_curriculum(good, use_cache=False)


def _problems(curriculum: Curriculum) -> list[tuple[str, int, int, str, str]]:
    return [
        (Path(p.location.path).name, p.location.line, p.location.column, str(p.severity), p.message)
        for p in curriculum.problems
    ]


def test_a_topic_without_a_title_takes_its_notes_first_line(good: Path) -> None:
    curriculum = _meeting(
        good,
        "date: 2024-05-06\ndiscuss:\n  - id: logits\n    notes: |\n"
        "      **On logits**: why $\\sigma$?\n\n      The logit is the inverse of the sigmoid.\n",
    )
    assert curriculum.problems == ()
    topic = curriculum.meetings[-1].topics[0]
    assert topic.id == "logits"
    assert topic.title == Text(en="On logits: why σ?")
    assert topic.is_titled is False
    assert topic.notes is not None and topic.notes.en is not None
    assert topic.notes.en.startswith("**On logits**")  # the notes are kept as written


def test_a_titled_topic_is_marked_titled(good: Path) -> None:
    curriculum = _meeting(good, "date: 2024-05-06\ndiscuss:\n  - {id: t1, title: Strides}\n")
    assert curriculum.problems == ()
    topic = curriculum.meetings[-1].topics[0]
    assert (topic.title, topic.is_titled) == (Text(en="Strides"), True)


def test_a_bilingual_topic_takes_each_languages_first_line(good: Path) -> None:
    curriculum = _meeting(
        good,
        'date: 2024-05-06\ndiscuss:\n  - id: t1\n    notes: {hy: "Լոգիտներ\\nավելին", en: Logits}\n',
    )
    assert curriculum.problems == ()
    assert curriculum.meetings[-1].topics[0].title == Text(en="Logits", hy="Լոգիտներ")


def test_an_empty_entry_is_left_out_with_a_warning(good: Path) -> None:
    curriculum = _meeting(
        good,
        "date: 2024-05-06\ndiscuss:\n  - id: t1\n    title: A\n  -\n  - id: t3\n    title: C\n",
    )
    assert _problems(curriculum) == [
        ("2024-05-06.yaml", 5, 4, "warning", "discussion topic 2 is empty; it is left out")
    ]
    assert not curriculum.has_errors
    assert [t.id for t in curriculum.meetings[-1].topics] == ["t1", "t3"]


def test_an_empty_discuss_is_a_warning_not_an_error(good: Path) -> None:
    curriculum = _meeting(good, "date: 2024-05-06\nitems:\n  - task: Read\ndiscuss:\n")
    assert _problems(curriculum) == [
        ("2024-05-06.yaml", 4, 1, "warning", "'discuss' is empty; nothing to discuss yet")
    ]
    meeting = curriculum.meetings[-1]
    assert (len(meeting.items), meeting.topics) == (1, ())


def test_a_topic_with_neither_title_nor_notes_is_an_error(good: Path) -> None:
    curriculum = _meeting(
        good, "date: 2024-05-06\ndiscuss:\n  - id: t1\n    links: [https://x.org]\n"
    )
    assert _problems(curriculum) == [
        (
            "2024-05-06.yaml",
            3,
            5,
            "error",
            "topic 't1' needs a title or notes (its first line becomes the title)",
        )
    ]
    assert curriculum.meetings[-1].topics == ()
    assert all(p.severity is Severity.ERROR for p in curriculum.problems)
