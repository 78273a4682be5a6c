"""Tests for `load_curriculum` on a small valid curriculum: every item kind, topics, snippets, quizzes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tracker.content import curriculum_files, file_role, load_curriculum
from tracker.content.drafts import FileRole
from tracker.domain.curriculum import (
    Curriculum,
    Item,
    ItemKind,
    Owner,
    Part,
    QuestionType,
    ResourceKind,
    Text,
)
from tracker.errors import ContentError


@pytest.fixture
def curriculum(good: Path) -> Curriculum:
    return load_curriculum(good)


def _item(curriculum: Curriculum, item_id: str) -> Item:
    return next(i for i in curriculum.items if i.id == item_id)


def test_the_good_fixture_has_no_problems(curriculum: Curriculum) -> None:
    assert curriculum.problems == ()
    assert not curriculum.has_errors


def test_files_are_found_catalogue_first(good: Path) -> None:
    names = [p.relative_to(good).as_posix() for p in curriculum_files(good)]
    assert names == [
        "assignments/resources.yaml",
        "assignments/2024-03-28.yaml",
        "assignments/2024-04-08.yaml",
        "quizzes/contiguity.yaml",
    ]
    assert [file_role(good / n) for n in names] == [
        FileRole.CATALOGUE,
        FileRole.MEETING,
        FileRole.MEETING,
        FileRole.QUIZ,
    ]


def test_resources(curriculum: Curriculum) -> None:
    video = curriculum.resources["tokenizer-video"]
    assert (video.kind, video.length, video.author) == (ResourceKind.VIDEO, 8015, "Andrej Karpathy")
    assert [(c.start, c.title) for c in video.chapters] == [
        (0, "intro: tokenization, GPT-2 paper"),
        (4298, "tiktoken library intro"),
    ]
    assert (video.location.line, video.location.column) == (2, 3)
    book = curriculum.resources["probability"]
    assert book.title == Text(en="Probability and Statistics", hy="Հավանականություն")
    assert book.exercises == {"1.4": 14}
    assert list(curriculum.resources["llm-book"].sections)[:2] == ["2.6", "2.7"]


def test_meetings_are_sorted_by_date_with_both_date_forms(curriculum: Curriculum) -> None:
    assert [m.date for m in curriculum.meetings] == [date(2024, 3, 28), date(2024, 4, 8)]
    first = curriculum.meetings[0]
    assert first.title == Text(en="For the next meeting", hy="28/03/2024 - հաջորդ հանդիպման համար")
    assert first.is_ordered


def test_items_without_an_id_get_date_and_order(curriculum: Curriculum) -> None:
    first = curriculum.meetings[0]
    assert [i.id for i in first.items] == [f"2024-03-28-{n}" for n in range(1, 7)]
    assert [i.order for i in first.items] == list(range(1, 7))
    assert curriculum.meetings[1].items[0].id == "2024-04-08-push-work"


def test_video_until(curriculum: Curriculum) -> None:
    item = _item(curriculum, "2024-03-28-1")
    assert (item.kind, item.resource, item.start, item.end, item.parts) == (
        ItemKind.VIDEO,
        "tokenizer-video",
        0,
        4298,
        (),
    )
    assert (item.location.line, item.location.column) == (4, 5)


def test_video_from_until(curriculum: Curriculum) -> None:
    item = _item(curriculum, "2024-04-08-6")
    assert (item.start, item.end) == (2266, 5128)


def test_sections_single_and_lettered_range(curriculum: Curriculum) -> None:
    assert [p.key for p in _item(curriculum, "2024-03-28-3").parts] == ["llm-book/2.6"]
    appendix = _item(curriculum, "2024-03-28-4")
    assert appendix.parts == (
        Part("llm-book/A.1", "A.1", "What is PyTorch"),
        Part("llm-book/A.2", "A.2", "Understanding tensors"),
        Part("llm-book/A.3", "A.3", "Seeing models as computation graphs"),
    )
    assert appendix.note == Text(en="Read the book and the course on different days.")


def test_sections_range_through_the_catalogue(curriculum: Curriculum) -> None:
    assert [p.key for p in _item(curriculum, "2024-04-08-3").parts] == [
        "llm-book/2.6",
        "llm-book/2.7",
        "llm-book/2.8",
    ]


def test_course_units(curriculum: Curriculum) -> None:
    item = _item(curriculum, "2024-03-28-2")
    assert (item.kind, [p.key for p in item.parts]) == (ItemKind.SECTIONS, ["dl-course/2.1"])
    assert item.parts[0].title == "Introducing PyTorch"


def test_exercises_with_numbers_and_from_the_catalogue_count(curriculum: Curriculum) -> None:
    numbered = _item(curriculum, "2024-04-08-4")
    assert [p.key for p in numbered.parts] == [f"probability/1.4/ex{n}" for n in range(1, 5)]
    assert numbered.parts[0].label == "ex 1"
    counted = _item(curriculum, "2024-04-08-2")
    assert [p.key for p in counted.parts] == ["dl-course/2/ex1", "dl-course/2/ex2"]
    assert counted.mentor_todo is not None


def test_read_until_by_exact_title_uses_the_label(curriculum: Curriculum) -> None:
    item = _item(curriculum, "2024-03-28-6")
    assert item.kind is ItemKind.READ_UNTIL
    assert item.parts == (
        Part(
            "probability/until/1.4-proof",
            "up to 1.4-proof",
            "Proof That the Real Numbers Are Uncountable",
        ),
    )


def test_whole_post(curriculum: Curriculum) -> None:
    item = _item(curriculum, "2024-03-28-5")
    assert (item.kind, [p.key for p in item.parts]) == (ItemKind.WHOLE, ["perceptron-post/whole"])


def test_tasks_with_mentor_todo_and_owner(curriculum: Curriculum) -> None:
    push = _item(curriculum, "2024-04-08-push-work")
    assert push.kind is ItemKind.TASK
    assert push.resource == "llms-repo"
    assert push.text == Text(
        en="Add your work to our GitHub, then tell me", hy="Քո արածները ավելացրու"
    )
    assert push.mentor_todo == Text(en="Review and merge the pushed work")
    assert [p.key for p in push.parts] == ["task/2024-04-08-push-work"]
    mentor = _item(curriculum, "2024-04-08-5")
    assert (mentor.owner, mentor.resource, [p.key for p in mentor.parts]) == (
        Owner.MENTOR,
        None,
        ["task/2024-04-08-5"],
    )


def test_topics_and_embedded_snippets(curriculum: Curriculum) -> None:
    topic = curriculum.meetings[1].topics[0]
    assert (topic.id, topic.meeting, topic.order, topic.snippets) == (
        "contiguity",
        date(2024, 4, 8),
        1,
        ("s01",),
    )
    assert topic.links == ("https://pytorch.org/docs/stable/generated/torch.Tensor.view.html",)
    assert topic.notes == Text(en="PyTorch stores tensors row-major.\n")
    snippet = curriculum.snippets["s01"]
    assert snippet.code.startswith("import torch\n")
    assert snippet.code_line == 35  # the first line of the block, not the `code: |` line
    assert (snippet.location.line, snippet.location.column) == (28, 9)
    assert (snippet.expected, snippet.determinism, snippet.seed) == ("False\n", "D", 123)
    assert (snippet.timeout, snippet.memory_mb) == (10.0, 2048)


def test_quiz_questions_of_every_type(curriculum: Curriculum) -> None:
    by_id = {q.id: q for q in curriculum.questions}
    assert [q.type for q in curriculum.questions] == [
        QuestionType.PREDICT,
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.NUMERIC,
        QuestionType.TEXT,
        QuestionType.CODE,
    ]
    predict = by_id["contiguity-predict"]
    assert (predict.snippet, predict.code, predict.accepted) == (
        "contiguity-demo",
        None,
        ("False True",),
    )
    assert predict.topic == "contiguity"
    assert predict.meeting == date(2024, 4, 8)
    single = by_id["contiguity-view"]
    assert [c.is_correct for c in single.choices] == [False, True, False]
    assert single.hints == (Text(en="Which of them needs compatible strides?"),)
    assert [c.is_correct for c in by_id["contiguity-both"].choices] == [True, False, True]
    numeric = by_id["param-count"]
    assert (numeric.number, numeric.tolerance) == (2213.0, 0.0)
    assert numeric.code is not None and numeric.code.startswith("print(")
    text = by_id["logit-inverse"]
    assert text.accepted == ("sigmoid", "logistic", "the sigmoid")
    assert text.prompt.hy == "Լոգիտը ո՞ր ֆունկցիայի հակադարձն է"
    code = by_id["count-params-code"]
    assert code.checks is not None and "1530" in code.checks


def test_follows_are_normalised_to_the_catalogue_spelling(curriculum: Curriculum) -> None:
    by_id = {q.id: q for q in curriculum.questions}
    assert by_id["contiguity-view"].follows == ("llm-book/A.2",)  # written llm-book/A2, inherited
    assert by_id["logit-inverse"].follows == (  # its own list replaces the quiz's
        "probability/1.4/ex3",
        "probability/until/1.4-proof",
        "task/2024-04-08-push-work",
    )


def test_one_broken_file_does_not_hide_the_rest(good: Path) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text("date: 2024-05-06\nitems: [\n")
    (good / "quizzes" / "broken.yaml").write_bytes(b"topic: x\xff\n")
    curriculum = load_curriculum(good)
    assert [(p.location.path.rsplit("/", 1)[-1], p.location.line) for p in curriculum.problems] == [
        ("2024-05-06.yaml", 3),
        ("broken.yaml", 1),
    ]
    assert len(curriculum.meetings) == 2 and len(curriculum.items) == 12
    assert len(curriculum.questions) == 6


def test_a_meeting_with_problems_keeps_its_good_items(good: Path) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nitems:\n  - resource: nope\n  - resource: perceptron-post\n"
    )
    curriculum = load_curriculum(good)
    meeting = curriculum.meetings[-1]
    assert [i.resource for i in meeting.items] == ["nope", "perceptron-post"]
    assert [p.message for p in curriculum.problems] == ["unknown resource 'nope'"]


def test_section_labels_are_normalised_and_unknown_ones_warn(good: Path) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nitems:\n  - resource: llm-book\n    sections: a.2, A3\n"
        "  - resource: llm-book\n    sections: [A.4, '2.10']\n"
    )
    curriculum = load_curriculum(good)
    items = curriculum.meetings[-1].items
    assert [p.key for p in items[0].parts] == ["llm-book/A.2", "llm-book/A.3"]
    assert [p.key for p in items[1].parts] == ["llm-book/A.4", "llm-book/2.10"]
    assert [
        (p.location.line, p.location.column, p.severity, p.message) for p in curriculum.problems
    ] == [
        (6, 16, "warning", "section A.4 of 'llm-book' is not in the catalogue"),
        (6, 21, "warning", "section 2.10 of 'llm-book' is not in the catalogue"),
    ]


def test_pieces_of_one_scalar_are_located_one_by_one(good: Path) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\nitems:\n  - resource: llm-book\n    sections: 2.6, 2.9-2.7, A9\n"
        "  - resource: llm-book\n    sections: '3.1,  3.7-3.2'\n"
    )
    problems = load_curriculum(good).problems
    assert [(p.location.line, p.location.column, p.severity, p.message) for p in problems] == [
        (4, 20, "error", "reversed range '2.9-2.7' (did you mean '2.7-2.9'?)"),
        (4, 29, "warning", "section A.9 of 'llm-book' is not in the catalogue"),
        (6, 22, "error", "reversed range '3.7-3.2' (did you mean '3.2-3.7'?)"),
    ]


def test_a_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no curriculum directory"):
        load_curriculum(tmp_path / "nowhere")


def test_a_file_over_the_size_cap_is_refused_without_reading(good: Path) -> None:
    big = good / "quizzes" / "big.yaml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    problems = load_curriculum(good).problems
    assert [(p.location.path, p.location.line, p.location.column) for p in problems] == [
        (str(big), 1, 1)
    ]
    assert problems[0].message == "file is 2.0 MiB, over the 2 MiB limit (split it)"


def test_value_forms_the_mentor_may_write(good: Path) -> None:
    (good / "assignments" / "2024-05-06.yaml").write_text(
        "date: 2024-05-06\n"
        "items:\n"
        "  - {resource: llm-book, sections: ['3.1', 2.10, A2]}\n"
        "  - {resource: probability, exercises: {section: '1.4', numbers: [1, '3-4', 6]}}\n"
        "  - {resource: probability, exercises: {section: '1.4', numbers: 5}}\n"
        "  - {resource: probability, read_until: 1.4-proof}\n"
        "  - {resource: tokenizer-video, until: 01:11:38}\n"
        "  - {resource: tokenizer-video, from: 60, until: 4298}\n"
        "  - {resource: llm-book, sections: 2.6 \u2013 2.8}\n",
        encoding="utf-8",
    )
    curriculum = load_curriculum(good)
    items = curriculum.meetings[-1].items
    assert [p.key for p in items[0].parts] == ["llm-book/3.1", "llm-book/2.10", "llm-book/A.2"]
    assert [p.key for p in items[1].parts] == [
        "probability/1.4/ex1",
        "probability/1.4/ex3",
        "probability/1.4/ex4",
        "probability/1.4/ex6",
    ]
    assert [p.key for p in items[2].parts] == ["probability/1.4/ex5"]
    assert [p.key for p in items[3].parts] == ["probability/until/1.4-proof"]
    assert (items[4].start, items[4].end) == (0, 4298)  # unquoted 01:11:38 is read as written
    assert (items[5].start, items[5].end) == (60, 4298)
    assert [p.label for p in items[6].parts] == ["2.6", "2.7", "2.8"]
    assert [(p.location.line, p.severity, p.message) for p in curriculum.problems] == [
        (3, "warning", "section 2.10 of 'llm-book' is not in the catalogue")
    ]


def test_a_second_file_for_a_meeting_is_one_error_not_a_cascade(good: Path) -> None:
    shutil.copyfile(good / "assignments" / "2024-03-28.yaml", good / "assignments" / "copy.yaml")
    curriculum = load_curriculum(good)
    assert [
        (p.location.path.rsplit("/", 1)[-1], p.location.line, p.message[:36])
        for p in curriculum.problems
    ] == [("copy.yaml", 1, "a second meeting on 2024-03-28 (firs")]
    assert len(curriculum.meetings) == 2
