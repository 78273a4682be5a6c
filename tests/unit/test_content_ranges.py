"""Tests for the value parsers: timestamps, dates, section labels and ranges, exercise numbers."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.content.ranges import (
    ValueProblem,
    canonical_label,
    expand_numbers,
    expand_sections,
    label_lookup,
    parse_date,
    parse_timestamp,
)

BOOK = ["2.6", "2.7", "2.8", "3.1", "A.1", "A.2", "A.3"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("01:11:38", 4298),
        ("1:11:38", 4298),
        ("02:13:35", 8015),
        ("37:46", 2266),
        ("90", 90),
        ("0:00:00", 0),
    ],
)
def test_timestamps(text: str, seconds: int) -> None:
    assert parse_timestamp(text) == seconds


def test_the_seed_typo_names_the_value_and_suggests_the_fix() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_timestamp("01:11:382")
    assert str(caught.value) == (
        "malformed timestamp '01:11:382': seconds '382' has 3 digits (did you mean '01:11:38'?)"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1:75:00", "minutes 75 must be below 60"),
        ("00:00:60", "seconds 60 must be below 60"),
        ("soon", "malformed timestamp 'soon' (use hh:mm:ss"),
        ("1:2:3:4", "malformed timestamp '1:2:3:4'"),
        ("01:11:", "malformed timestamp '01:11:'"),
        ("01:11:999", "seconds '999' has 3 digits"),
    ],
)
def test_bad_timestamps(text: str, fragment: str) -> None:
    with pytest.raises(ValueProblem, match=fragment.replace("(", r"\(")):
        parse_timestamp(text)


def test_no_suggestion_when_truncating_does_not_help() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_timestamp("01:11:999")
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize(
    "pasted", ["2266s", "2266S", "t=2266", "t=2266s", "&t=2266s", "?t=2266", "37m46s", "t=37m46s"]
)
def test_positions_as_a_video_site_writes_them_are_understood(pasted: str) -> None:
    assert parse_timestamp(pasted) == 2266  # 00:37:46


def test_hours_in_site_form() -> None:
    assert parse_timestamp("1h2m3s") == 3723
    assert parse_timestamp("t=1h") == 3600


@pytest.mark.parametrize(
    "link",
    [
        "https://www.youtube.com/watch?v=zduSFxRajkE&t=2266s",
        "https://youtu.be/zduSFxRajkE?t=2266",
        "www.youtube.com/watch?v=zduSFxRajkE&t=37m46s",
    ],
)
def test_a_pasted_link_suggests_its_position(link: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_timestamp(link)
    assert str(caught.value) == f"'{link}' is a link, not a position (did you mean '00:37:46'?)"


def test_a_link_without_a_position_says_how_to_write_one() -> None:
    with pytest.raises(ValueProblem, match=r"is a link, not a position \(use hh:mm:ss"):
        parse_timestamp("https://www.youtube.com/watch?v=zduSFxRajkE")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("30\u058927", "U+0589, armenian full stop"),
        ("30\u223627", "U+2236, ratio"),
        ("30\uff1a27", "U+FF1A, fullwidth colon"),
        ("0\ua78930\ua78927", "U+A789, modifier letter colon"),
    ],
)
def test_a_look_alike_colon_gets_did_you_mean(typed: str, name: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_timestamp(typed)
    mark = next(ch for ch in typed if not ch.isdigit())
    assert str(caught.value) == (
        f"malformed timestamp '{typed}': '{mark}' ({name}) is not a colon"
        " (did you mean '00:30:27'?)"
    )


def test_a_look_alike_colon_in_a_bad_time_says_to_type_a_colon() -> None:
    with pytest.raises(ValueProblem, match=r"is not a colon \(type ':' instead\)"):
        parse_timestamp("30\u058999")


def test_day_first_dates_with_dots_are_read() -> None:
    assert parse_date("08.04.2024") == date(2024, 4, 8)
    assert parse_date("8.4.2024") == date(2024, 4, 8)
    assert parse_date("2024-4-8") == date(2024, 4, 8)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-04-08", date(2024, 4, 8)),
        ("08/04/2024", date(2024, 4, 8)),
        ("8/4/2024", date(2024, 4, 8)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_both_date_forms(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2024", "impossible date '31/02/2024': February 2024 has 29 days"),
        ("29/02/2023", "impossible date '29/02/2023': February 2023 has 28 days"),
        (
            "2024-13-01",
            "impossible date '2024-13-01': there is no month 13 (did you mean '2024-01-13'?)",
        ),
        (
            "2024/04/08",
            "malformed date '2024/04/08' (use 2024-04-08, 08/04/2024 or 08.04.2024)"
            " (did you mean '2024-04-08'?)",
        ),
        ("04/08", "malformed date '04/08' (use 2024-04-08, 08/04/2024 or 08.04.2024)"),
        (
            "8/4/24",
            "malformed date '8/4/24' (use 2024-04-08, 08/04/2024 or 08.04.2024); write the"
            " year in full (did you mean '8/4/2024'?)",
        ),
        ("31.04.2024", "impossible date '31.04.2024': April 2024 has 30 days"),
        (
            "2024-31-05",
            "impossible date '2024-31-05': there is no month 31 (did you mean '2024-05-31'?)",
        ),
    ],
)
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("A1", "A.1"),
        ("a.1", "A.1"),
        ("A.1", "A.1"),
        ("2.6", "2.6"),
        ("1.4-proof", "1.4-proof"),
        ("A10", "A.10"),
    ],
)
def test_labels_are_spelled_one_way(label: str, canonical: str) -> None:
    assert canonical_label(label) == canonical


def _expand(piece: str, catalogue: list[str] = BOOK) -> list[str]:
    return expand_sections(piece, catalogue, label_lookup(catalogue))


def test_a_lettered_range_uses_the_catalogue_spelling() -> None:
    assert _expand("A1-A3") == ["A.1", "A.2", "A.3"]
    assert _expand("A1") == ["A.1"]


def test_a_range_with_both_ends_listed_follows_the_catalogue_order() -> None:
    assert _expand("2.7-3.1") == ["2.7", "2.8", "3.1"]


def test_a_range_with_an_unlisted_end_counts_the_last_number() -> None:
    assert _expand("2.1-2.7", []) == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    assert _expand("2.7-2.9") == ["2.7", "2.8", "2.9"]


def test_dashes_and_spaces() -> None:
    assert _expand("2.6 \u2013 2.8") == ["2.6", "2.7", "2.8"]


@pytest.mark.parametrize(
    ("piece", "message"),
    [
        (
            "2.8-2.6",
            "reversed range '2.8-2.6': 2.6 comes before 2.8 in the catalogue (did you mean '2.6-2.8'?)",
        ),
        ("2.7-2.1", "reversed range '2.7-2.1' (did you mean '2.1-2.7'?)"),
        ("-2.6", "malformed range '-2.6' (write it as first-last, e.g. 2.1-2.7)"),
        ("2.6--2.7", "malformed range '2.6--2.7' (write it as first-last, e.g. 2.1-2.7)"),
        (
            "2.6-x",
            "malformed range '2.6-x': 'x' does not end in a number and is not in the catalogue",
        ),
        ("2.9-4.1", "cannot expand range '2.9-4.1': its ends differ before the last number"),
        ("1-5000", "range '1-5000' has 5000 parts, over 1000"),
        ("", "empty section label"),
    ],
)
def test_bad_section_ranges(piece: str, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        _expand(piece)
    assert str(caught.value).startswith(message)


def test_a_catalogue_label_with_a_dash_is_a_label_not_a_range() -> None:
    assert _expand("1.4-proof", ["1.4", "1.4-proof"]) == ["1.4-proof"]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("6-11", [6, 7, 8, 9, 10, 11]),
        ("1-4, 6", [1, 2, 3, 4, 6]),
        ("3", [3]),
        ("12 - 14", [12, 13, 14]),
    ],
)
def test_exercise_numbers(text: str, numbers: list[int]) -> None:
    assert expand_numbers(text) == numbers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6-x", "malformed range '6-x': 'x' is not a number (use e.g. 6-11)"),
        ("11-6", "reversed range '11-6' (did you mean '6-11'?)"),
        ("0", "exercise number '0' must be 1 or more"),
        ("six", "malformed exercise number 'six' (use e.g. 6, 6-11)"),
        ("1,,2", "empty exercise number in '1,,2'"),
    ],
)
def test_bad_exercise_numbers(text: str, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        expand_numbers(text)
    assert str(caught.value).startswith(message)


CHAPTERS = ["2.6", "2.7", "3.1", "3.2", "3.3", "3.3.1", "3.3.2", "3.4", "4.1", "A.1", "A.2"]


@pytest.mark.parametrize(
    ("piece", "labels"),
    [
        ("3.3", ["3.3", "3.3.1", "3.3.2"]),  # a section covers its subsections
        ("3.1-3.3", ["3.1", "3.2", "3.3", "3.3.1", "3.3.2"]),  # through 3.3, all of it
        ("3", ["3.1", "3.2", "3.3", "3.3.1", "3.3.2", "3.4"]),  # a chapter not listed itself
        ("3.2-", ["3.2", "3.3", "3.3.1", "3.3.2", "3.4"]),  # the rest of the chapter
        ("3.2-end", ["3.2", "3.3", "3.3.1", "3.3.2", "3.4"]),
        ("3.2 \u2013 \u2026", ["3.2", "3.3", "3.3.1", "3.3.2", "3.4"]),
        ("A1-", ["A.1", "A.2"]),
        ("2.6-2.7", ["2.6", "2.7"]),
        ("5", ["5"]),
    ],
)
def test_sections_chapters_and_the_rest_of_a_chapter(piece: str, labels: list[str]) -> None:
    assert expand_sections(piece, CHAPTERS, label_lookup(CHAPTERS)) == labels


def test_an_open_ended_range_needs_its_start_in_the_catalogue() -> None:
    with pytest.raises(ValueProblem) as caught:
        expand_sections("9.9-", CHAPTERS, label_lookup(CHAPTERS))
    assert str(caught.value) == (
        "open-ended range '9.9-': '9.9' is not in the catalogue, so where its chapter ends is"
        " unknown (give the last section: first-last)"
    )
