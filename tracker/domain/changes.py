"""Provides what changed between two loads of the curriculum, per file, in words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from tracker.domain.curriculum import Curriculum, Item, Location, Question, Topic

__all__ = ["describe_changes"]

_NOWHERE = Location("", 0, 0)
_VERBS = ("added", "removed", "changed")


def describe_changes(old: Curriculum, new: Curriculum) -> list[str]:
    """Lines such as `2024-04-26.yaml: 1 item added, 1 changed`, one per file that changed.

    Moving an item within its file (so that its line changes) is not a change; editing any of its
    fields is. Items, topics and quiz questions are compared by id.

    Args:
        old: The curriculum before the reload.
        new: The curriculum after it.

    Returns:
        One line per changed file, sorted by file name; a line for new or fixed problems; or
        `["no change to items"]` when the files changed in some other way.
    """
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
            either = now or was
            assert either is not None  # the key is in one of the two
            where = PurePath(either.location.path).name
            counts[where].setdefault(noun, [0, 0, 0])[slot] += 1
    lines = []
    for where in sorted(counts):
        words = []
        for noun, numbers in counts[where].items():
            parts = [f"{n} {verb}" for n, verb in zip(numbers, _VERBS, strict=True) if n]
            first = next(n for n in numbers if n)
            parts[0] = parts[0].replace(" ", f" {noun}{'s' * (first != 1)} ", 1)
            words.append(", ".join(parts))
        lines.append(f"{where}: {'; '.join(words)}")
    before_problems, after_problems = len(old.problems), len(new.problems)
    if before_problems != after_problems:
        lines.append(f"problems: {before_problems} -> {after_problems}")
    return lines or ["no change to items"]


def _same(a: Item | Topic | Question, b: Item | Topic | Question) -> bool:
    return replace(a, location=_NOWHERE) == replace(b, location=_NOWHERE)
