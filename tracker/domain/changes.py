"""Provides what changed between two loads of the curriculum, per file, in words."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from tracker.domain.curriculum import Curriculum, Item, Location, Question, Severity, Topic

__all__ = ["describe_changes"]

_NOWHERE = Location("", 0, 0)
_VERBS = ("added", "removed", "changed")


def describe_changes(old: Curriculum, new: Curriculum) -> list[str]:
    """Lines such as `2024-04-26.yaml: 1 item added, 1 changed`, one per file that changed.

    An item counts for the file of the meeting it is listed in: the copies a `repeat:` makes
    are the repeating meeting's, though their fields were written in the earlier file. A
    meeting file that no longer loads (a date typo) says so in one line, `2024-04-26.yaml: not
    loaded, 2 errors (p shows them)`, not as its items removed; one that loads again after
    that says `loaded again`. A file whose problems changed says how many it has now, or
    `problems fixed`. Moving an item within its file (so that its line changes) is not a
    change; editing any of its fields is. Items, topics and quiz questions are compared by id.

    Args:
        old: The curriculum before the reload.
        new: The curriculum after it.

    Returns:
        One line per changed file, sorted by file name, or `["no change to items"]` when the
        files changed in some other way.
    """
    old_files, new_files = _meeting_files(old), _meeting_files(new)
    counts: dict[str, dict[str, list[int]]] = defaultdict(dict)
    kinds: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...] = (
        ("item", {i.id: i for i in old.items}, {i.id: i for i in new.items}),
        (
            "topic",
            {t.id: t for m in old.meetings for t in m.topics},
            {t.id: t for m in new.meetings for t in m.topics},
        ),
        ("question", {q.id: q for q in old.questions}, {q.id: q for q in new.questions}),
    )
    for noun, before, after in kinds:
        for key in before.keys() | after.keys():
            was, now = before.get(key), after.get(key)
            if was is not None and now is not None and _same(was, now):
                continue
            slot = 0 if was is None else 1 if now is None else 2
            either = now or was  # a removed item counts for the file its meeting was in
            assert either is not None  # the key is in one of the two
            where = _file_of(either, old_files if now is None else new_files)
            counts[where].setdefault(noun, [0, 0, 0])[slot] += 1
    old_problems, new_problems = _problems_by_file(old), _problems_by_file(new)
    lines = []
    for where in sorted(counts.keys() | old_problems.keys() | new_problems.keys()):
        before_count = old_problems.get(where, Counter())
        after_count = new_problems.get(where, Counter())
        problems_changed = before_count != after_count
        if where not in counts and not problems_changed:
            continue
        if where in old_files.values() and where not in new_files.values() and after_count:
            lines.append(f"{where}: not loaded, {_problem_words(after_count)}")
            continue
        words = []
        if where in new_files.values() and where not in old_files.values() and before_count:
            words.append("loaded again")  # its items are back: not news item by item
            if after_count:
                words.append(_problem_words(after_count))
        else:
            words += [_noun_words(noun, numbers) for noun, numbers in counts[where].items()]
            if problems_changed:
                words.append(_problem_words(after_count) if after_count else "problems fixed")
        lines.append(f"{where}: {'; '.join(words)}")
    return lines or ["no change to items"]


def _meeting_files(curriculum: Curriculum) -> dict[object, str]:
    """Each meeting's date, to the name of the file it was read from."""
    return {m.date: PurePath(m.location.path).name for m in curriculum.meetings}


def _file_of(thing: Item | Topic | Question, meeting_files: dict[object, str]) -> str:
    """The file an item counts for: its meeting's (a repeated copy's too); else where it is."""
    meeting = thing.meeting if isinstance(thing, Item) else None
    return meeting_files.get(meeting) or PurePath(thing.location.path).name


def _problems_by_file(curriculum: Curriculum) -> dict[str, Counter[Severity]]:
    found: dict[str, Counter[Severity]] = defaultdict(Counter)
    for problem in curriculum.problems:
        found[PurePath(problem.location.path).name or "the curriculum"][problem.severity] += 1
    return found


def _problem_words(count: Counter[Severity]) -> str:
    """`2 errors, 1 warning (p shows them)`."""
    parts = [
        f"{n} {severity.value}{'s' * (n != 1)}"
        for severity in Severity
        if (n := count.get(severity, 0))
    ]
    return f"{', '.join(parts)} (p shows them)"


def _noun_words(noun: str, numbers: list[int]) -> str:
    """`1 item added, 1 changed`, from `[added, removed, changed]`."""
    parts = [f"{n} {verb}" for n, verb in zip(numbers, _VERBS, strict=True) if n]
    first = next(n for n in numbers if n)
    parts[0] = parts[0].replace(" ", f" {noun}{'s' * (first != 1)} ", 1)
    return ", ".join(parts)


def _same(a: Item | Topic | Question, b: Item | Topic | Question) -> bool:
    return replace(a, location=_NOWHERE) == replace(b, location=_NOWHERE)
