"""Provides `scaffold_meeting`: the next meeting's YAML, with the unfinished work carried over.

The text passes `study check` by construction: labels are written as quoted lists (never ranges,
which the loader might expand differently), every id is new across the whole curriculum, and
every value comes from the loaded curriculum itself. Only the unfinished parts are written: the
sections still to read, the exercises still to do, a video from its saved position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from tracker.domain.agenda import AgendaEntry, build_agenda
from tracker.domain.curriculum import Curriculum, Item, Text
from tracker.domain.item_kinds import ITEM_KINDS, Carry
from tracker.domain.progress import PartState
from tracker.domain.spans import Spans, intersect, spans_of

__all__ = ["CarriedItem", "default_date", "merge_states", "plan_carry_over", "scaffold_meeting"]

DEFAULT_GAP = timedelta(days=7)
"""A new meeting's default distance from the last one."""


@dataclass(frozen=True, slots=True)
class CarriedItem:
    """One item of the new list: what is left of an earlier item."""

    source: Item
    """The item it continues."""
    carried: int
    """How many meetings it has already been carried (the agenda's count at the last meeting)."""
    rest: Carry | None = None
    """What is left, as the item's kind says (`ItemKindSpec.carry`); None: the agenda carries
    the item on its own (a task), so the new file only names it in a comment."""


def default_date(curriculum: Curriculum, today: date) -> date:
    """A week after the last meeting, or today when that is later.

    Args:
        curriculum: The curriculum.
        today: The user's date (`Clock.today()`: local, or `--today`).

    Returns:
        The new meeting's date.
    """
    last = max((m.date for m in curriculum.meetings), default=None)
    return today if last is None else max(last + DEFAULT_GAP, today)


def merge_states(snapshots: Iterable[Mapping[str, PartState]]) -> dict[str, PartState]:
    """Several mentees' states as one: a part is done when every mentee has done it.

    A video's watched spans are the seconds every mentee watched, so that nobody skips a part.

    Args:
        snapshots: The part states of each mentee.

    Returns:
        The merged states (for one mentee, a copy of their states).
    """
    all_states = list(snapshots)
    if not all_states:
        return {}
    keys = set().union(*all_states)
    merged = {}
    for key in keys:
        found = [states.get(key) for states in all_states]
        positions = [s.position if s is not None and s.position is not None else 0 for s in found]
        has_position = any(s is not None and s.position is not None for s in found)
        common: Spans | None = None
        if any(s is not None and s.watched is not None for s in found):
            each = [spans_of(s.watched, s.position) if s is not None else () for s in found]
            common = reduce(intersect, each)
        merged[key] = PartState(
            key,
            is_done=all(s is not None and s.is_done for s in found),
            position=min(positions) if has_position else None,
            watched=common,
        )
    return merged


def plan_carry_over(
    curriculum: Curriculum, states: Mapping[str, PartState]
) -> tuple[CarriedItem, ...]:
    """What is left of the last meeting's list and of the work carried into it.

    Args:
        curriculum: The curriculum.
        states: The mentee's part states (or `merge_states` of several).

    Returns:
        The unfinished mentee items as the agenda lists them at the last meeting: work carried
        from earlier meetings first (oldest first), then the last meeting's own items, in order.
    """
    if not curriculum.meetings:
        return ()
    last = max(m.date for m in curriculum.meetings)
    agenda = build_agenda(curriculum, states, last)
    entries: list[AgendaEntry] = [*agenda.carried, *agenda.entries]
    carried = []
    for entry in entries:
        if entry.progress.is_done:
            continue
        item = entry.item
        rest = ITEM_KINDS[item.kind].carry(item, states)
        carried.append(CarriedItem(item, entry.carried + 1, rest))
    return tuple(carried)


_PLAIN = re.compile(r"^[a-z][a-z0-9_-]*$")
"""Values safe to write unquoted: YAML reads them back as the same string."""

_YAML_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
"""Plain words YAML (1.1) would read as something other than a string."""


def _quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _plain(value: str) -> str:
    """`value` unquoted when YAML reads it back unchanged, else quoted."""
    return value if _PLAIN.match(value) and value not in _YAML_WORDS else _quote(value)


def _text(value: Text) -> str:
    if value.hy is None:
        return _quote(value.en or "")
    if value.en is None:
        return f"{{hy: {_quote(value.hy)}}}"
    return f"{{hy: {_quote(value.hy)}, en: {_quote(value.en)}}}"


def _one_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _all_ids(curriculum: Curriculum) -> set[str]:
    ids = set(curriculum.resources) | set(curriculum.snippets)
    ids.update(item.id for item in curriculum.items)
    ids.update(topic.id for meeting in curriculum.meetings for topic in meeting.topics)
    ids.update(question.id for question in curriculum.questions)
    return ids


def _new_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _item_yaml(
    curriculum: Curriculum, carried: CarriedItem, rest: Carry, item_id: str
) -> list[str]:
    item = carried.source
    times = "once" if carried.carried == 1 else f"x{carried.carried}"
    lines = [
        f"  # carried over ({times}) from {item.meeting.isoformat()}, item {item.id}",
        f"  - id: {_quote(item_id)}",
    ]
    resource = curriculum.resources.get(item.resource or "")
    if resource is not None and resource.is_link:  # a one-off link: its address again
        lines.append(f"    url: {_quote(resource.url or '')}")
        if resource.is_titled:  # else the app names it from its address again
            lines.append(f"    title: {_text(resource.title)}")
    elif item.resource is not None:
        lines.append(f"    resource: {_plain(item.resource)}")
    lines += ITEM_KINDS[item.kind].carry_yaml(item, rest, resource)
    if item.scope is not None:
        lines.append(f"    scope: {_text(item.scope)}")
    if item.note is not None:
        lines.append(f"    note: {_text(item.note)}")
    return lines


def scaffold_meeting(
    curriculum: Curriculum,
    states: Mapping[str, PartState],
    day: date,
    *,
    carried: Sequence[CarriedItem] | None = None,
) -> str:
    """The YAML of a new meeting on `day`, with the unfinished work carried over.

    Args:
        curriculum: The loaded curriculum.
        states: The mentee's part states (or `merge_states` of several mentees).
        day: The new meeting's date.
        carried: What to carry (default: `plan_carry_over(curriculum, states)`).

    Returns:
        The file's text: `date`, a title placeholder, `ordered: true`, the items (each with a
        comment naming the item it continues) and a commented-out empty `discuss:`.
    """
    plan = plan_carry_over(curriculum, states) if carried is None else tuple(carried)
    last = max((m.date for m in curriculum.meetings), default=None)
    taken = _all_ids(curriculum)
    lines = [
        f"# The list for the meeting of {day.strftime('%d/%m/%Y')}, scaffolded by `study new`.",
    ]
    if last is not None:
        lines.append(
            f"# Unfinished work up to {last.strftime('%d/%m/%Y')} is carried over below; "
            "edit freely, then run `study check`."
        )
    lines += [
        f"date: {day.isoformat()}",
        "# title: {hy: հաջորդ հանդիպման համար, en: For the next meeting}",
        "ordered: true",
    ]
    tasks = [entry for entry in plan if entry.rest is None]
    copied = [(entry, entry.rest) for entry in plan if entry.rest is not None]
    if tasks:
        lines.append(
            "# Still open, and carried over by the agenda on its own (a task's progress belongs"
            " to its id, so a copy here would be tracked apart):"
        )
        for entry in tasks:
            text = (entry.source.text or Text(en=entry.source.id)).get("en")
            lines.append(
                f"#   {entry.source.id} ({entry.source.meeting.isoformat()}): {_one_line(text)}"
            )
    if not copied:
        lines += ["items: []", "# Nothing else is left over: add the new items here."]
    else:
        lines.append("items:")
        for entry, rest in copied:
            source = curriculum.resources.get(entry.source.resource or "")
            name = "link" if source is not None and source.is_link else entry.source.resource
            base = f"{day.isoformat()}-{name}"
            lines += _item_yaml(curriculum, entry, rest, _new_id(base, taken))
    lines += [
        "# discuss:",
        "#   - id: topic-id",
        "#     title: What to talk about",
        "#     notes: |",
        "#       Markdown notes.",
    ]
    return "\n".join(lines) + "\n"
