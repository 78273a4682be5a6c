"""Tests that what a tired mentor types late at night either loads as meant or is named precisely."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.curriculum import Curriculum, Severity


def _meeting(good: Path, text: str, name: str = "2024-05-06.yaml") -> Curriculum:
    (good / "assignments" / name).write_text(text, encoding="utf-8")
    return load_curriculum(good, use_cache=False)


def _problems(curriculum: Curriculum) -> list[tuple[str, int, int, str, str]]:
    return [
        (
            Path(p.location.path).name,
            p.location.line,
            p.location.column,
            str(p.severity),
            p.message,
        )
        for p in curriculum.problems
    ]


@pytest.mark.parametrize(
    "written",
    ["2.6-2.8", "2.6 - 2.8", "2.6\u20132.8", "2.6 \u2013 2.8", "2.6 \u2014 2.8", "'2.6 - 2.8'"],
)
def test_a_range_with_spaces_or_dashes_is_the_same_range(good: Path, written: str) -> None:
    curriculum = _meeting(
        good, f"date: 2024-05-06\nitems:\n  - resource: llm-book\n    sections: {written}\n"
    )
    assert curriculum.problems == ()
    assert [p.label for p in curriculum.meetings[-1].items[0].parts] == ["2.6", "2.7", "2.8"]


@pytest.mark.parametrize("written", ["A1-A3", "A.1-A3", "A1-A.3", "a1-a3", "A1 \u2013 A3"])
def test_lettered_ranges_in_either_spelling(good: Path, written: str) -> None:
    curriculum = _meeting(
        good, f"date: 2024-05-06\nitems:\n  - resource: llm-book\n    sections: {written}, 3.1\n"
    )
    assert curriculum.problems == ()
    parts = curriculum.meetings[-1].items[0].parts
    assert [p.label for p in parts] == ["A.1", "A.2", "A.3", "3.1"]


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("01:11:38", 4298), ("1:11:38", 4298), ("'1:11:38'", 4298), ("71:38", 4298)],
)
def test_timestamps_without_a_leading_zero_or_hours(good: Path, written: str, seconds: int) -> None:
    curriculum = _meeting(
        good, f"date: 2024-05-06\nitems:\n  - resource: tokenizer-video\n    until: {written}\n"
    )
    assert curriculum.problems == ()
    assert curriculum.meetings[-1].items[0].end == seconds


@pytest.mark.parametrize(
    "written", ["2024-05-06", "2024-5-6", "06/05/2024", "06.05.2024", "6.5.2024"]
)
def test_meeting_dates_in_the_forms_a_mentor_writes(good: Path, written: str) -> None:
    curriculum = _meeting(good, f"date: {written}\nitems:\n  - resource: perceptron-post\n")
    assert curriculum.problems == ()
    assert curriculum.meetings[-1].date == date(2024, 5, 6)


def test_a_byte_order_mark_and_crlf_line_endings_just_work(good: Path) -> None:
    text = "date: 2024-05-06\nitems:\n  - resource: llm-bok\n"
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    (good / "assignments" / "2024-05-06.yaml").write_bytes(data)
    curriculum = load_curriculum(good, use_cache=False)
    assert _problems(curriculum) == [
        (
            "2024-05-06.yaml",
            3,
            15,
            "error",
            "unknown resource 'llm-bok' (did you mean 'llm-book'?)",
        )
    ]
    assert curriculum.meetings[-1].date == date(2024, 5, 6)


def test_a_multiple_choice_answer_may_be_written_1_comma_3(good: Path) -> None:
    (good / "quizzes" / "late.yaml").write_text(
        "topic: late\ntitle: Late\nquestions:\n"
        "  - {id: q-late, type: multiple, prompt: Which?, choices: [a, b, c], answer: '1, 3'}\n"
        "  - id: q-plain\n    type: multiple\n    prompt: Which?\n    choices: [a, b, c]\n"
        "    answer: 2, 3\n",
        encoding="utf-8",
    )
    curriculum = load_curriculum(good, use_cache=False)
    assert curriculum.problems == ()
    by_id = {q.id: q for q in curriculum.questions}
    assert [c.is_correct for c in by_id["q-late"].choices] == [True, False, True]
    assert [c.is_correct for c in by_id["q-plain"].choices] == [False, True, True]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (
            "  - {resource: llm-book, sections: 2.6, 2.7}\n",
            41,
            "unknown key '2.7' in item 1 (a comma inside {...} ends the value of 'sections':"
            " write sections: [2.6, 2.7], or quote the value)",
        ),
        (
            "  - {resource: probability, exercises: {section: '1.4', numbers: 6, 8}}\n",
            69,
            "unknown key '8' in the exercises of item 1 (a comma inside {...} ends the value of"
            " 'numbers': write numbers: [6, 8], or quote the value)",
        ),
    ],
)
def test_a_comma_inside_braces_is_explained(
    good: Path, line: str, column: int, message: str
) -> None:
    curriculum = _meeting(good, "date: 2024-05-06\nitems:\n" + line)
    assert _problems(curriculum) == [("2024-05-06.yaml", 3, column, "error", message)]


def test_a_multiple_choice_answer_past_the_choices_is_still_an_error(good: Path) -> None:
    (good / "quizzes" / "late.yaml").write_text(
        "topic: late\ntitle: Late\nquestions:\n"
        "  - id: q-late\n    type: multiple\n    prompt: Which?\n    choices: [a, b, c]\n"
        "    answer: 1, 4\n",
        encoding="utf-8",
    )
    assert _problems(load_curriculum(good, use_cache=False)) == [
        (
            "late.yaml",
            8,
            13,
            "error",
            "answer 4 of question 'q-late' is not a choice: there are 3 (1-3)",
        )
    ]


def test_a_snippet_that_does_not_parse_is_named_at_its_line(good: Path) -> None:
    curriculum = _meeting(
        good,
        "date: 2024-05-06\n"
        "items:\n"
        "  - resource: perceptron-post\n"
        "discuss:\n"
        "  - id: ones\n"
        "    title: torch.ones\n"
        "    snippets:\n"
        "      - id: s99\n"
        "        code: |\n"
        "          import torch\n"
        "          for i in range(3)\n"
        "              print(i)\n",
    )
    assert _problems(curriculum) == [
        (
            "2024-05-06.yaml",
            11,
            28,
            "error",
            "the code of snippet 's99' does not parse as Python: expected ':' (line 2 of the"
            " code: 'for i in range(3)')",
        )
    ]


def test_a_code_question_starter_may_be_unfinished_but_its_checks_must_parse(good: Path) -> None:
    (good / "quizzes" / "late.yaml").write_text(
        "topic: late\ntitle: Late\nquestions:\n"
        "  - id: q-code\n    type: code\n    prompt: Write f.\n"
        "    code: |\n      def f(x):\n          # your code here\n"
        "    checks: |\n      assert f(1) == 2 +\n",
        encoding="utf-8",
    )
    problems = _problems(load_curriculum(good, use_cache=False))
    assert [(name, line, severity) for name, line, _c, severity, _m in problems] == [
        ("late.yaml", 11, "error")
    ]
    assert problems[0][4].startswith("the code of the checks of question 'q-code' does not parse")


def test_a_broken_catalogue_is_one_line_per_file_not_one_per_reference(good: Path) -> None:
    catalogue = good / "assignments" / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("    kind: book\n", "\tkind: book\n", 1),
        encoding="utf-8",
    )
    problems = _problems(load_curriculum(good, use_cache=False))
    by_file: dict[str, int] = {}
    for name, *_rest in problems:
        by_file[name] = by_file.get(name, 0) + 1
    assert by_file["resources.yaml"] == 1
    assert all(count == 1 for count in by_file.values())
    assert any(
        message.startswith("resource '")
        and message.endswith("could not be read (fix its errors first)")
        for _n, _l, _c, _s, message in problems
    )
    assert {severity for *_rest, severity, _m in problems} == {Severity.ERROR}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "view",
            "the answer of question 'q-one' must be the number of the right choice, found 'view'"
            " (did you mean 2?)",
        ),
        (
            "'the third'",
            "the answer of question 'q-one' must be the number of the right choice, found"
            " 'the third' (1-3)",
        ),
        (
            "1, 3",
            "single-choice question 'q-one' has one right answer, found 2 (use type: multiple"
            " for several)",
        ),
    ],
)
def test_a_single_choice_answer_written_as_text_is_named(
    good: Path, answer: str, message: str
) -> None:
    (good / "quizzes" / "late.yaml").write_text(
        "topic: late\ntitle: Late\nquestions:\n"
        "  - id: q-one\n    type: single\n    prompt: Which?\n    choices: [reshape, view, both]\n"
        f"    answer: {answer}\n",
        encoding="utf-8",
    )
    assert _problems(load_curriculum(good, use_cache=False)) == [
        ("late.yaml", 8, 13, "error", message)
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("mcq", "unknown question type 'mcq' (did you mean 'single'?)"),
        ("checkbox", "unknown question type 'checkbox' (did you mean 'multiple'?)"),
        ("singel", "unknown question type 'singel' (did you mean 'single'?)"),
    ],
)
def test_a_question_type_by_another_name_suggests_ours(
    good: Path, written: str, message: str
) -> None:
    (good / "quizzes" / "late.yaml").write_text(
        "topic: late\ntitle: Late\nquestions:\n"
        f"  - id: q-one\n    type: {written}\n    prompt: Which?\n    choices: [a, b]\n"
        "    answer: 1\n",
        encoding="utf-8",
    )
    problems = _problems(load_curriculum(good, use_cache=False))
    assert [(line, column) for _n, line, column, _s, _m in problems] == [(5, 11)]
    assert problems[0][4].startswith(message + "; expected one of: single, multiple")


def test_non_breaking_spaces_in_the_indentation_are_named_and_the_item_still_loads(
    good: Path,
) -> None:
    curriculum = _meeting(
        good, "date: 2024-05-06\nitems:\n  - resource: llm-book\n\u00a0\u00a0  sections: 2.6\n"
    )
    assert _problems(curriculum) == [
        (
            "2024-05-06.yaml",
            4,
            1,
            "error",
            "a non-breaking space (U+00A0) in the indentation, often pasted from a chat or a web"
            " page: replace it with an ordinary space",
        )
    ]
    assert [p.label for p in curriculum.meetings[-1].items[0].parts] == ["2.6"]


def test_a_meeting_copied_with_its_ids_suggests_ids_of_its_own_date(good: Path) -> None:
    source = (good / "assignments" / "2024-04-08.yaml").read_text(encoding="utf-8")
    copied = source.replace("date: 2024-04-08", "date: 2024-05-06", 1)
    problems = _problems(_meeting(good, copied))
    assert problems
    assert all(name == "2024-05-06.yaml" for name, *_rest in problems)
    duplicates = [m for *_rest, m in problems if m.startswith("duplicate item id '2024-04-08-")]
    assert duplicates
    assert all("(did you mean '2024-05-06-" in m for m in duplicates)


@pytest.mark.parametrize("written", ["2266s", "t=2266", "'t=2266s'", "37m46s"])
def test_a_video_position_pasted_from_a_link_is_read(good: Path, written: str) -> None:
    curriculum = _meeting(
        good, f"date: 2024-05-06\nitems:\n  - resource: tokenizer-video\n    from: {written}\n"
    )
    assert curriculum.problems == ()
    assert curriculum.meetings[-1].items[0].start == 2266


def test_a_pasted_link_and_an_armenian_colon_are_located_with_the_fix(good: Path) -> None:
    curriculum = _meeting(
        good,
        "date: 2024-05-06\nitems:\n  - resource: tokenizer-video\n"
        "    from: https://www.youtube.com/watch?v=zduSFxRajkE&t=2266s\n"
        "  - resource: tokenizer-video\n    until: 30\u058927\n",
    )
    assert _problems(curriculum) == [
        (
            "2024-05-06.yaml",
            4,
            11,
            "error",
            "'from' of item 1: 'https://www.youtube.com/watch?v=zduSFxRajkE&t=2266s' is a link,"
            " not a position (did you mean '00:37:46'?)",
        ),
        (
            "2024-05-06.yaml",
            6,
            12,
            "error",
            "'until' of item 2: malformed timestamp '30\u058927': '\u0589' (U+0589, armenian full"
            " stop) is not a colon (did you mean '00:30:27'?)",
        ),
    ]
