"""Provides the small parsers of the curriculum's values: timestamps, dates, labels and ranges.

Every parser takes the text as the mentor wrote it and either returns the value or raises
`ValueProblem`, whose message names the offending value and suggests a fix where one exists.
Nothing here knows about YAML nodes or files.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from tracker.domain.curriculum import format_hms

__all__ = [
    "MAX_RANGE",
    "ValueProblem",
    "canonical_label",
    "expand_numbers",
    "expand_sections",
    "label_lookup",
    "parse_date",
    "parse_timestamp",
    "plain_colons",
    "split_pieces",
]

MAX_RANGE = 1000
"""The most parts one range may expand to (`1-1000000` is a typo, not a reading list)."""

_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")
"""A range's dash: `-`, an en dash or an em dash, with optional spaces around it."""
_OPEN_END = re.compile(r"^(.+?)\s*[-\u2013\u2014]\s*(?:end|…|\.\.\.)?$", re.IGNORECASE)
"""An open-ended range: `3.4-`, `3.4-end`, `3.4 – …`: to the end of 3.4's chapter."""
_LETTERED = re.compile(r"^([A-Za-z])\.?(\d[\d.]*)$")
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})$")
_YMD_OTHER = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")


_LOOKALIKE_COLONS = "\u0589\u2236\uff1a\u02f8\ua789\u05c3\u1804\u205a\ufe13\ufe55\u0703\u0704"
"""Characters that look like `:`: the Armenian full stop `։` first, then the ratio sign, the
fullwidth colon, modifier and letter colons, and others a keyboard layout may give."""
_SITE_POSITION = re.compile(
    r"^(?:[?&#]?t=)?(?:(?=\d)(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?)$", re.IGNORECASE
)
"""A position as a video site writes it in a link: `2266s`, `t=2266`, `37m46s`, `1h2m3s`."""
_LINK = re.compile(r"^(?:https?://|www\.|youtu\.?be)", re.IGNORECASE)
_LINK_TIME = re.compile(r"[?&#]t=([^&#\s]+)", re.IGNORECASE)


class ValueProblem(ValueError):
    """A value that cannot be read; the message names it and suggests a fix where one exists."""


def _is_number(text: str) -> bool:
    """Whether `text` is ASCII digits only (`"²".isdigit()` is true, but `int("²")` fails)."""
    return text.isascii() and text.isdigit()


# --- timestamps -------------------------------------------------------------------------------


def plain_colons(text: str) -> str:
    """`text` with each look-alike colon (`։`, `：`, `∶`, ...) written as `:`.

    For a position the mentee types: `30։27` on an Armenian layout means `30:27`. The mentor's
    YAML is not read this way (`parse_timestamp` refuses it, so that the file gets fixed).
    """
    return "".join(":" if ch in _LOOKALIKE_COLONS else ch for ch in text)


def parse_timestamp(text: str) -> int:
    """Reads a video position as a mentor writes or pastes it.

    Understood: `hh:mm:ss`, `h:mm:ss`, `mm:ss`, plain seconds (`2266`), and the forms a video
    site puts in links: `2266s`, `t=2266`, `t=2266s`, `37m46s`, `1h2m3s`. Refused with the
    position spelled out: a whole link (`...watch?v=...&t=2266s`: did you mean '00:37:46'?) and
    a look-alike colon (`30։27` with the Armenian full stop: did you mean '00:30:27'?).

    Args:
        text: The timestamp as written.

    Returns:
        Seconds from the start of the video.

    Raises:
        ValueProblem: The text is not a timestamp (`01:11:382`, `1:75:00`, `soon`).
    """
    value = text.strip()
    if _is_number(value):
        return int(value)
    if match := _SITE_POSITION.match(value):
        return _site_seconds(match)
    if _LINK.match(value):
        raise ValueProblem(_link_problem(text, value))
    if lookalike := next((ch for ch in value if ch in _LOOKALIKE_COLONS), None):
        fixed = plain_colons(value)
        name = unicodedata.name(lookalike, "a look-alike").lower()
        try:
            hint = f" (did you mean '{format_hms(parse_timestamp(fixed))}'?)"
        except ValueProblem:
            hint = " (type ':' instead)"
        raise ValueProblem(
            f"malformed timestamp '{text}': '{lookalike}' (U+{ord(lookalike):04X}, {name})"
            f" is not a colon{hint}"
        )
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(_is_number(p) for p in parts):
        raise ValueProblem(f"malformed timestamp '{text}' (use hh:mm:ss, e.g. 01:11:38)")
    names = ("hours", "minutes", "seconds")[-len(parts) :]
    for index, (name, part) in enumerate(zip(names, parts, strict=True)):
        if index == 0:
            continue
        if len(part) > 2:
            fixed_parts = [*parts[:index], part[:2], *parts[index + 1 :]]
            hint = ":".join(fixed_parts)
            if int(part[:2]) < 60 and _is_valid_hms(fixed_parts):
                raise ValueProblem(
                    f"malformed timestamp '{text}': {name} '{part}' has {len(part)} digits"
                    f" (did you mean '{hint}'?)"
                )
            raise ValueProblem(
                f"malformed timestamp '{text}': {name} '{part}' has {len(part)} digits"
            )
        if int(part) >= 60:
            raise ValueProblem(f"malformed timestamp '{text}': {name} {part} must be below 60")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def _site_seconds(match: re.Match[str]) -> int:
    hours, minutes, seconds = (int(g) if g else 0 for g in match.group("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def _link_problem(text: str, link: str) -> str:
    """What to say about a whole link given as a position: its `t=` spelled out, if it has one."""
    query = _LINK_TIME.search(link)
    if query and (match := _SITE_POSITION.match(query.group(1))):
        return (
            f"'{text}' is a link, not a position"
            f" (did you mean '{format_hms(_site_seconds(match))}'?)"
        )
    return f"'{text}' is a link, not a position (use hh:mm:ss, e.g. 01:11:38)"


def _is_valid_hms(parts: Sequence[str]) -> bool:
    return all(len(p) <= 2 and int(p) < 60 for p in parts[1:])


# --- dates ------------------------------------------------------------------------------------


def parse_date(text: str) -> date:
    """Reads a meeting date: `2024-04-08`, or day first `08/04/2024` or `08.04.2024`.

    Args:
        text: The date as written.

    Returns:
        The date.

    Raises:
        ValueProblem: The text is not a date in either form, or names a day that does not exist.
    """
    value = text.strip()
    if match := _ISO_DATE.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.match(value):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    else:
        hint = ""
        if match := _SHORT_YEAR.match(value):
            day_text, month_text, year_text = match.group(1), match.group(3), match.group(4)
            hint = (
                f"; write the year in full (did you mean '{day_text}/{month_text}/20{year_text}'?)"
            )
        elif match := _YMD_OTHER.match(value):
            year_text, month_text, day_text = match.group(1), match.group(3), match.group(4)
            hint = f" (did you mean '{year_text}-{month_text:0>2}-{day_text:0>2}'?)"
        raise ValueProblem(
            f"malformed date '{text}' (use 2024-04-08, 08/04/2024 or 08.04.2024){hint}"
        )
    if not 1 <= month <= 12:
        swapped = ""
        if _ISO_DATE.match(value) and 1 <= day <= 12:
            swapped = f" (did you mean '{year:04d}-{day:02d}-{month:02d}'?)"
        raise ValueProblem(f"impossible date '{text}': there is no month {month}{swapped}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = calendar.month_name[month]
        raise ValueProblem(f"impossible date '{text}': {month_name} {year} has {days} days")
    return date(year, month, day)


# --- labels -----------------------------------------------------------------------------------


def canonical_label(label: str) -> str:
    """The default spelling of a section label: `A1` and `a.1` become `A.1`; others stay as written."""
    value = label.strip()
    if match := _LETTERED.match(value):
        return f"{match.group(1).upper()}.{match.group(2)}"
    return value


def _match_key(label: str) -> str:
    return canonical_label(label).casefold()


def label_lookup(sections: Iterable[str]) -> dict[str, str]:
    """A lookup from a label's matching key to the catalogue's spelling of it."""
    return {_match_key(label): label for label in sections}


def split_pieces(text: str) -> list[str]:
    """Splits `3.1, 3.2, 3.3.1` into its comma-separated pieces (empty pieces included)."""
    return [piece.strip() for piece in text.split(",")]


def _split_range(piece: str) -> tuple[str, str] | None:
    ends = _DASH.split(piece)
    if len(ends) == 1:
        return None
    if len(ends) != 2 or not ends[0] or not ends[1]:
        raise ValueProblem(f"malformed range '{piece}' (write it as first-last, e.g. 2.1-2.7)")
    return ends[0], ends[1]


def expand_sections(piece: str, catalogue: Sequence[str], lookup: Mapping[str, str]) -> list[str]:
    """Expands one piece of a sections list (`2.6`, `2.1-2.7`, `A1-A3`, `3.4-`, `3`) to labels.

    A range expands through the catalogue's order when both ends are in it, else through its
    last number. A section the catalogue lists takes its listed subsections with it (`3.3` is
    3.3 and 3.3.1; a range through 3.3 too); a chapter the catalogue does not list itself is
    its listed sections (`3` is 3.1 ... 3.5); `3.4-` (or `3.4-end`) is the rest of chapter 3
    from 3.4. Labels come back in the catalogue's spelling when listed there, otherwise in
    their default spelling (`A.1`).

    Args:
        piece: One comma-separated piece.
        catalogue: The resource's labels in catalogue order.
        lookup: `label_lookup(catalogue)`.

    Returns:
        The labels, in order.

    Raises:
        ValueProblem: A malformed or reversed range, or one too long to be meant.
    """
    if not piece:
        raise ValueProblem("empty section label (is there a stray comma?)")
    known = lookup.get(_match_key(piece))
    if known is not None:  # a section, with the subsections the catalogue lists under it
        return [known, *_subsections(known, catalogue)]
    if open_end := _OPEN_END.match(piece):
        return _rest_of_chapter(piece, open_end.group(1), catalogue, lookup)
    ends = _split_range(piece)
    if ends is None:
        chapter = _subsections(canonical_label(piece), catalogue)
        return chapter or [canonical_label(piece)]  # `3`: the whole chapter, as listed
    first, last = ends
    first_known, last_known = lookup.get(_match_key(first)), lookup.get(_match_key(last))
    if first_known is not None and last_known is not None:
        start, stop = catalogue.index(first_known), catalogue.index(last_known)
        if start > stop:
            raise ValueProblem(
                f"reversed range '{piece}': {last_known} comes before {first_known}"
                f" in the catalogue (did you mean '{last}-{first}'?)"
            )
        stop += len(_subsections(last_known, catalogue))  # through 3.3 takes 3.3.1 too
        return list(catalogue[start : stop + 1])
    first_c, last_c = canonical_label(first), canonical_label(last)
    first_m, last_m = _TRAILING_NUMBER.match(first_c), _TRAILING_NUMBER.match(last_c)
    if first_m is None or last_m is None:
        bad = first if first_m is None else last
        raise ValueProblem(
            f"malformed range '{piece}': '{bad}' does not end in a number"
            " and is not in the catalogue"
        )
    if first_m.group(1).casefold() != last_m.group(1).casefold():
        raise ValueProblem(
            f"cannot expand range '{piece}': its ends differ before the last number"
            " and the catalogue does not list both (list the sections, or add them to the"
            " catalogue)"
        )
    low, high = int(first_m.group(2)), int(last_m.group(2))
    if low > high:
        raise ValueProblem(f"reversed range '{piece}' (did you mean '{last}-{first}'?)")
    if high - low >= MAX_RANGE:
        raise ValueProblem(f"range '{piece}' has {high - low + 1} parts, over {MAX_RANGE}")
    prefix = first_m.group(1)
    labels = [f"{prefix}{n}" for n in range(low, high + 1)]
    return [lookup.get(_match_key(label), label) for label in labels]


def _subsections(label: str, catalogue: Sequence[str]) -> list[str]:
    """The catalogue's labels under `label` (`3.3.1` under `3.3`, `3.1` under `3`), in order."""
    head = canonical_label(label).casefold() + "."
    return [c for c in catalogue if canonical_label(c).casefold().startswith(head)]


def _chapter(label: str) -> str:
    """The chapter a label belongs to: `3` of `3.4.1`, `A` of `A.2`."""
    return canonical_label(label).split(".")[0].casefold()


def _rest_of_chapter(
    piece: str, first: str, catalogue: Sequence[str], lookup: Mapping[str, str]
) -> list[str]:
    """`3.4-` (or `3.4-end`): from 3.4 to the last section of chapter 3 in the catalogue."""
    known = lookup.get(_match_key(first))
    if known is None:
        raise ValueProblem(
            f"open-ended range '{piece}': '{first}' is not in the catalogue, so where its chapter"
            " ends is unknown (give the last section: first-last)"
        )
    start = catalogue.index(known)
    chapter = _chapter(known)
    stop = start
    while stop + 1 < len(catalogue) and _chapter(catalogue[stop + 1]) == chapter:
        stop += 1
    return list(catalogue[start : stop + 1])


def expand_numbers(text: str) -> list[int]:
    """Expands exercise numbers: `6-11`, `1-4, 6`, `3`.

    Args:
        text: The numbers as written.

    Returns:
        The numbers, in the order written.

    Raises:
        ValueProblem: Something that is not a number or a range of numbers, a reversed range,
            a number below 1, or a range too long to be meant.
    """
    numbers: list[int] = []
    for piece in split_pieces(text):
        if not piece:
            raise ValueProblem(f"empty exercise number in '{text}' (is there a stray comma?)")
        ends = _split_range(piece)
        if ends is None:
            if not _is_number(piece):
                raise ValueProblem(f"malformed exercise number '{piece}' (use e.g. 6, 6-11)")
            numbers.append(_positive(int(piece), piece))
            continue
        first, last = ends
        if not _is_number(first) or not _is_number(last):
            bad = first if not _is_number(first) else last
            raise ValueProblem(
                f"malformed range '{piece}': '{bad}' is not a number (use e.g. 6-11)"
            )
        low, high = _positive(int(first), piece), int(last)
        if low > high:
            raise ValueProblem(f"reversed range '{piece}' (did you mean '{last}-{first}'?)")
        if high - low >= MAX_RANGE:
            raise ValueProblem(f"range '{piece}' has {high - low + 1} numbers, over {MAX_RANGE}")
        numbers.extend(range(low, high + 1))
    return numbers


def _positive(number: int, text: str) -> int:
    if number < 1:
        raise ValueProblem(f"exercise number '{text}' must be 1 or more")
    return number
