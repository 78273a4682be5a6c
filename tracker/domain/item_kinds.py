"""Provides the item kinds' registry: one spec per `ItemKind`, the one place a kind is interpreted.

Each spec says, for its kind, which YAML keys make an item of it, under which key its position is
kept (a kind with a position), how far an item is, how it is put into words (on screen and in the
report), and how `study new` carries what is left of it into the next meeting. The content layer
adds how the keys are read and resolved against the catalogue (`tracker.content.item_forms`);
everything else (agenda, progress, labels, report, scaffold) asks `kind_spec(item.kind)`.

A new kind is one subclass here (of `PartsKind` or `PositionKind`, which carry the shared
behaviour), one form in `tracker.content.item_forms`, and its `ItemKind` member.
`tests/unit/test_item_kinds.py` fails when a kind lacks a spec or a form.
"""

from __future__ import annotations

import itertools
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from tracker.domain.curriculum import (
    Item,
    ItemKind,
    KeyKind,
    Part,
    Resource,
    ResourceKind,
    Text,
    format_hms,
    parse_key,
    position_key,
)
from tracker.domain.spans import Spans, reach, resume, seen, spans_of

if TYPE_CHECKING:
    from tracker.domain.progress import PartState

__all__ = [
    "ITEM_KINDS",
    "Carry",
    "ItemKindSpec",
    "PartsKind",
    "PositionKind",
    "colab_url",
    "compress_labels",
    "file_url",
    "is_open_ended",
    "kind_spec",
    "resume_at",
    "watched",
    "watched_spans",
]


@dataclass(frozen=True, slots=True)
class Carry:
    """What is left of an item, for the next meeting's file."""

    labels: tuple[str, ...] = ()
    """Sections, units or exercise numbers still to do (empty for other kinds)."""
    start: int | None = None
    """A kind with a position: where to continue from (the saved position, or the item's start)."""


def compress_labels(labels: Sequence[str], chosen: Sequence[str] | None = None) -> str:
    """Writes `chosen` labels as runs of consecutive labels of `labels`.

    Consecutive means adjacent in `labels` (the item's own order), so `2.6, 2.7, 2.8` of an item
    listing 2.6-2.8 becomes `2.6-2.8`, and a gap starts a new run. So does a new chapter (the
    label's first part: `A` of `A.7`, `3` of `3.1`): an item spanning the appendix and chapter 3
    is `A.7-A.8, 3.1-3.3.1`, never `A.7-3.3.1`, which reads as if it ran through chapters A to 3.

    Args:
        labels: Every label, in order.
        chosen: The labels to write (default: all of them); labels not in `labels` are ignored.

    Returns:
        The runs joined with `, `: a run of one is its label, a longer run is `first-last`.
        An empty string when nothing is chosen.
    """
    wanted = set(labels if chosen is None else chosen)
    runs: list[list[str]] = []
    is_open = False
    for label in labels:
        if label in wanted:
            if is_open and _chapter(label) == _chapter(runs[-1][-1]):
                runs[-1].append(label)
            else:
                runs.append([label])
            is_open = True
        else:
            is_open = False
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def _chapter(label: str) -> str:
    """The chapter of a section label (`A` of `A.7`, `3` of `3.3.1`); a number is its own."""
    return label.split(".", 1)[0] if "." in label else ""


def _brief(labels: Sequence[str]) -> str:
    """Labels in brief, on screen: up to three as they are, more chapter by chapter, as the
    report writes them: "A.7–A.8, 3.1–3.3.1"."""
    if len(labels) <= 3:
        return ", ".join(labels)
    ranges = []
    for _, group in itertools.groupby(labels, _chapter):
        chapter = list(group)
        first, last = chapter[0], chapter[-1]
        last = last.removeprefix("ex ") if first.startswith("ex ") else last
        ranges.append(first if len(chapter) == 1 else f"{first}–{last}")
    return ", ".join(ranges)


def _quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _is_done(states: Mapping[str, PartState], key: str) -> bool:
    state = states.get(key)
    return state is not None and state.is_done


def _is_course(resource: Resource | None) -> bool:
    return resource is not None and resource.kind is ResourceKind.COURSE


def _short_hms(seconds: int) -> str:
    """`52:10`, `1:11:38`: a time without leading zeros, to keep a column narrow."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ItemKindSpec(ABC):
    """Everything the app knows about one item kind, outside the YAML reader.

    Attributes are the kind's declaration; each abstract method is one part that a kind must
    define (`PartsKind` and `PositionKind` define most of them for their families).
    """

    kind: ClassVar[ItemKind]
    """The kind this spec is for."""
    yaml_keys: ClassVar[tuple[str, ...]]
    """The item keys that make an item of this kind (empty: the kind of an item with none)."""
    is_one_key: ClassVar[bool] = False
    """Whether `yaml_keys` are alternative spellings, of which an item has one at most."""
    extra_keys: ClassVar[tuple[str, ...]] = ()
    """Keys an item of this kind may add to its own (`with_exercises` of sections)."""
    yaml_words: ClassVar[str]
    """How the kind's keys are named when an item mixes kinds: `until/from (a video)`."""
    needs_resource: ClassVar[bool] = True
    """Whether an item of this kind must name a resource."""
    has_position: ClassVar[bool] = False
    """Whether progress is a position (seconds) rather than ticked parts."""
    is_titled_by_text: ClassVar[bool] = False
    """Whether the item's own words (`text`) are its title, rather than its resource's."""
    can_read_up_to: ClassVar[bool] = False
    """Whether "read up to here" (tick every part up to one) applies, for a book."""

    def position_key(self, item: Item) -> str | None:
        """The key under which the item's position is stored; None for a kind without one."""
        return None

    def url(self, item: Item, resource: Resource | None) -> str | None:
        """The address the item opens: its resource's, unless the kind names a part of it."""
        return resource.url if resource is not None else None

    def part_label(self, item: Item, part: Part) -> str:
        """How one of the item's parts is named on its own (the item screen's checklist)."""
        return part.label

    @abstractmethod
    def amount(self, item: Item, states: Mapping[str, PartState]) -> tuple[int, int]:
        """How far the item is: (done, total), parts or seconds."""

    @abstractmethod
    def units(self, item: Item, states: Mapping[str, PartState]) -> dict[str, bool]:
        """The item's countable units (each done or not), keyed so that the same part counts
        once across meetings."""

    @abstractmethod
    def covers(self, later: Item, earlier: Item, states: Mapping[str, PartState]) -> bool:
        """Whether `later` assigns again everything of `earlier` (of this kind) not done yet."""

    @abstractmethod
    def summary(self, item: Item) -> str:
        """The item's parts in brief, on screen: `2.6–2.8`, `ex 6–11`, `up to 01:11:38`."""

    @abstractmethod
    def count(self, item: Item, done: int, total: int, position: int, *, short: bool) -> str:
        """How far the item is in words: `3/7 done`; `short`: for a narrow column (`3/7`)."""

    @abstractmethod
    def labels(self, item: Item) -> list[str]:
        """The parts' labels as the report writes them (exercises: their numbers)."""

    @abstractmethod
    def scope(self, item: Item, resource: Resource | None) -> str:
        """What was assigned, in the report's words: `units 2.1-2.7`, `video up to 01:11:38`."""

    @abstractmethod
    def partial(
        self, item: Item, resource: Resource | None, position: int, done: Sequence[str]
    ) -> str:
        """The exact point reached by a partly done item: `units 2.1-2.5 of 2.1-2.7`."""

    @abstractmethod
    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        """What `study new` carries of an unfinished item; None: the agenda carries it alone."""

    @abstractmethod
    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        """The kind's own lines of a carried item in the new meeting file (indented 4)."""


class PartsKind(ItemKindSpec):
    """A kind whose progress is parts ticked one by one."""

    def amount(self, item: Item, states: Mapping[str, PartState]) -> tuple[int, int]:
        done = sum(1 for part in item.parts if _is_done(states, part.key))
        return done, len(item.parts)

    def units(self, item: Item, states: Mapping[str, PartState]) -> dict[str, bool]:
        return {part.key: _is_done(states, part.key) for part in item.parts}

    def covers(self, later: Item, earlier: Item, states: Mapping[str, PartState]) -> bool:
        pending = {p.key for p in earlier.parts if not _is_done(states, p.key)}
        return bool(pending) and pending <= {p.key for p in later.parts}

    def summary(self, item: Item) -> str:
        return _brief([p.label for p in item.parts])

    def count(self, item: Item, done: int, total: int, position: int, *, short: bool) -> str:
        return f"{done}/{total}" if short else f"{done}/{total} done"

    def labels(self, item: Item) -> list[str]:
        return [part.label for part in item.parts]

    def partial(
        self, item: Item, resource: Resource | None, position: int, done: Sequence[str]
    ) -> str:
        labels = self.labels(item)
        done_text, all_text = compress_labels(labels, done), compress_labels(labels)
        return f"{self.scope_noun(item, resource)} {done_text} of {all_text}"

    def scope(self, item: Item, resource: Resource | None) -> str:
        return f"{self.scope_noun(item, resource)} {compress_labels(self.labels(item))}"

    def scope_noun(self, item: Item, resource: Resource | None) -> str:
        """What the parts are called in the report: `units` of a course, else `sections`."""
        return "units" if _is_course(resource) else "sections"

    def pending(self, item: Item, states: Mapping[str, PartState]) -> Carry:
        """The labels (as `labels` writes them) of the parts not done yet."""
        labels = self.labels(item)
        return Carry(
            labels=tuple(
                label
                for label, part in zip(labels, item.parts, strict=True)
                if not _is_done(states, part.key)
            )
        )

    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        return Carry()

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        return []


class PositionKind(ItemKindSpec):
    """A kind whose progress is the seconds watched of its segment, `start` to `end`.

    What was watched belongs to the resource (`position_key`: its spans), not to the item, and
    each item counts its own segment of it: two items on two segments of one video are done
    apart, and two items on the same segment (carried, or assigned twice) share it.
    """

    has_position = True
    noun: ClassVar[str] = "video"
    """What the resource is called in the report's words: `video up to 01:11:38`."""

    def position_key(self, item: Item) -> str | None:
        return position_key(item.resource or "")

    def amount(self, item: Item, states: Mapping[str, PartState]) -> tuple[int, int]:
        if is_open_ended(item):  # no end known: done when ticked "watched to the end"
            return sum(1 for p in item.parts if _is_done(states, p.key)), len(item.parts)
        start, end = item.start or 0, item.end or 0
        return (seen(watched_spans(item, states), start, end) if end else 0), max(0, end - start)

    def units(self, item: Item, states: Mapping[str, PartState]) -> dict[str, bool]:
        if is_open_ended(item):
            return {part.key: _is_done(states, part.key) for part in item.parts}
        done, total = self.amount(item, states)
        key = f"{self.position_key(item)}@{item.start or 0}-{item.end or 0}"
        return {key: total > 0 and done >= total}

    def covers(self, later: Item, earlier: Item, states: Mapping[str, PartState]) -> bool:
        if later.kind is not earlier.kind or later.resource != earlier.resource:
            return False
        rest_start = resume_at(earlier, states)
        return (later.start or 0) <= rest_start and (later.end or 0) >= (earlier.end or 0)

    def summary(self, item: Item) -> str:
        if not item.end:
            return f"from {format_hms(item.start)}" if item.start else f"the whole {self.noun}"
        start = f"{format_hms(item.start)}–" if item.start else "up to "
        return f"{start}{format_hms(item.end)}"

    def count(self, item: Item, done: int, total: int, position: int, *, short: bool) -> str:
        if is_open_ended(item):
            if short:
                return "done" if done else _short_hms(position) if position else "0/1"
            state = "watched to the end" if done else "not finished (t: watched to the end)"
            return f"at {format_hms(position)} · {state}" if position else state
        if short:
            return f"{_short_hms(done)}/{_short_hms(total)}"
        start, end = item.start or 0, item.end
        if done == position:  # the item starts at 0 and is not watched past its end
            return f"{format_hms(position)} of {format_hms(total)}"
        if end and position > end:
            return f"at {format_hms(position)}, past this item's end ({format_hms(end)})"
        if position < start:
            if done:  # watched in parts, not from its start
                return f"{format_hms(done)} of this item's {format_hms(total)} watched"
            return f"at {format_hms(position)}; this item starts at {format_hms(start)}"
        return f"at {format_hms(position)} · {format_hms(done)} of this item's {format_hms(total)}"

    def labels(self, item: Item) -> list[str]:
        return [part.label for part in item.parts]  # open-ended: its "watched to the end" tick

    def _span(self, item: Item) -> str:
        start, end = item.start or 0, item.end
        if end is None:
            return f"from {format_hms(start)}" if start else f"whole {self.noun}"
        return f"{format_hms(start)}-{format_hms(end)}" if start else f"up to {format_hms(end)}"

    def scope(self, item: Item, resource: Resource | None) -> str:
        return f"{self.noun} {self._span(item)}"

    def partial(
        self, item: Item, resource: Resource | None, position: int, done: Sequence[str]
    ) -> str:
        end = item.end
        if end is None:
            return f"{self.noun} at {format_hms(position)}"
        span = format_hms(end) if not item.start else f"{format_hms(item.start)}-{format_hms(end)}"
        return f"{self.noun} at {format_hms(position)} of {span}"

    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        return Carry(start=resume_at(item, states) or None)

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        lines = []
        if carry.start:
            lines.append(f"    from: {_quote(format_hms(carry.start))}")
        if item.end is not None:
            lines.append(f"    until: {_quote(format_hms(item.end))}")
        return lines


# --- the kinds ----------------------------------------------------------------------------------


class Video(PositionKind):
    """A position in a video: `until: 01:11:38`, `from: 00:20:00`."""

    kind = ItemKind.VIDEO
    yaml_keys = ("until", "from")
    yaml_words = "until/from (a video)"


class Sections(PartsKind):
    """Book sections or course units, ticked one by one: `sections: 2.1-2.7`.

    With `with_exercises: true`, each section's exercises follow it as parts of their own (the
    keys of an `exercises:` item, so the same exercise counts once): numbered when the
    catalogue counts them, else one tick.
    """

    kind = ItemKind.SECTIONS
    yaml_keys = ("units", "sections")
    is_one_key = True
    yaml_words = "units or sections"
    extra_keys = ("with_exercises",)
    can_read_up_to = True

    @staticmethod
    def exercise_of(part: Part) -> str | None:
        """The section whose exercise `part` is; None for a section (or unit) itself."""
        if part.key.count("/") != 2:  # `{resource}/{label}`: a section
            return None
        parsed = parse_key(part.key)
        return parsed.label if parsed is not None and parsed.kind is KeyKind.EXERCISE else None

    def has_exercises(self, item: Item) -> bool:
        """Whether the item is "these sections, with the exercises"."""
        return any(self.exercise_of(part) is not None for part in item.parts)

    def _sections(self, item: Item) -> list[str]:
        return [part.label for part in item.parts if self.exercise_of(part) is None]

    def part_label(self, item: Item, part: Part) -> str:
        section = self.exercise_of(part)
        return part.label if section is None else f"§{section} {part.label}"

    def labels(self, item: Item) -> list[str]:
        labels = []
        for part in item.parts:
            section = self.exercise_of(part)
            labels.append(part.label if section is None else f"{section} {part.label}")
        return labels

    def summary(self, item: Item) -> str:
        if not self.has_exercises(item):
            return super().summary(item)
        return f"{_brief(self._sections(item))} + exercises"

    def scope(self, item: Item, resource: Resource | None) -> str:
        if not self.has_exercises(item):
            return super().scope(item, resource)
        noun = self.scope_noun(item, resource)
        return f"{noun} {compress_labels(self._sections(item))} with exercises"

    def partial(
        self, item: Item, resource: Resource | None, position: int, done: Sequence[str]
    ) -> str:
        if not self.has_exercises(item):
            return super().partial(item, resource, position, done)
        sections, chosen = self._sections(item), set(done)
        done_text = compress_labels(sections, [s for s in sections if s in chosen]) or "none"
        exercises = [label for label in self.labels(item) if label not in sections]
        finished = sum(1 for label in exercises if label in chosen)
        return (
            f"{self.scope_noun(item, resource)} {done_text} of {compress_labels(sections)};"
            f" exercises {finished} of {len(exercises)} done"
        )

    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        if not self.has_exercises(item):
            return self.pending(item, states)
        pending: set[str] = set()
        top: str | None = None  # the section whose exercises follow (after its subsections)
        for part in item.parts:
            if self.exercise_of(part) is None:
                label = part.label
                if top is None or not label.startswith((f"{top}.", f"{top}-")):
                    top = label
                if not _is_done(states, part.key):
                    pending.add(label)
            elif top is not None and not _is_done(states, part.key):
                pending.add(top)  # its exercises are left: the section comes again with them
        return Carry(labels=tuple(label for label in self._sections(item) if label in pending))

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        field = "units" if _is_course(resource) else "sections"
        lines = [f"    {field}: [{', '.join(_quote(label) for label in carry.labels)}]"]
        if self.has_exercises(item):
            lines.append("    with_exercises: true")
        return lines


class Exercises(PartsKind):
    """Numbered exercises of one section, ticked one by one: `exercises: {section: 1.4, ...}`."""

    kind = ItemKind.EXERCISES
    yaml_keys = ("exercises",)
    yaml_words = "exercises"

    @staticmethod
    def section(item: Item) -> str:
        """The section whose exercises these are (as the catalogue spells it)."""
        parsed = parse_key(item.parts[0].key) if item.parts else None
        return parsed.label or "" if parsed is not None else ""

    def labels(self, item: Item) -> list[str]:
        numbers = []
        for part in item.parts:
            parsed = parse_key(part.key)
            numbers.append(str(parsed.number) if parsed and parsed.number is not None else "all")
        return numbers

    @staticmethod
    def is_uncounted(item: Item) -> bool:
        """Whether the item is "the exercises of a section", with no count known: one tick."""
        parsed = parse_key(item.parts[0].key) if len(item.parts) == 1 else None
        return parsed is not None and parsed.number is None

    def summary(self, item: Item) -> str:
        return "exercises" if self.is_uncounted(item) else super().summary(item)

    def scope(self, item: Item, resource: Resource | None) -> str:
        if self.is_uncounted(item):
            return f"§{self.section(item)} exercises"
        return f"§{self.section(item)} exercises {compress_labels(self.labels(item))}"

    def partial(
        self, item: Item, resource: Resource | None, position: int, done: Sequence[str]
    ) -> str:
        labels = self.labels(item)
        done_text, all_text = compress_labels(labels, done), compress_labels(labels)
        return f"§{self.section(item)} exercises {done_text} of {all_text}"

    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        return self.pending(item, states)

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        if self.is_uncounted(item):
            return [f"    exercises: {{section: {_quote(self.section(item))}}}"]
        numbers = ", ".join(carry.labels)
        return [f"    exercises: {{section: {_quote(self.section(item))}, numbers: [{numbers}]}}"]


class ReadUntil(PartsKind):
    """Reading up to (not including) a named section, or through it (`read_through`): one tick."""

    kind = ItemKind.READ_UNTIL
    yaml_keys = ("read_until", "read_through")
    is_one_key = True
    yaml_words = "read_until or read_through"

    def scope(self, item: Item, resource: Resource | None) -> str:
        return f"read {item.parts[0].label}" if item.parts else "read"

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        parsed = parse_key(item.parts[0].key) if item.parts else None
        if parsed is None or parsed.label is None:
            return []
        if parsed.kind is KeyKind.THROUGH:
            return [f"    read_through: {_quote(parsed.label)}"]
        if parsed.kind is KeyKind.UNTIL:
            return [f"    read_until: {_quote(parsed.label)}"]
        return []


class Whole(PartsKind):
    """A whole post or resource: one tick (the kind of an item with no kind's keys)."""

    kind = ItemKind.WHOLE
    yaml_keys = ()
    yaml_words = "none (whole)"

    def summary(self, item: Item) -> str:
        return ""

    def scope(self, item: Item, resource: Resource | None) -> str:
        return f"whole {resource.kind}" if resource is not None else "whole"


class Task(PartsKind):
    """Something to do, described in words: one tick; it may go without a resource."""

    kind = ItemKind.TASK
    yaml_keys = ("task",)
    yaml_words = "task"
    needs_resource = False
    is_titled_by_text = True

    def summary(self, item: Item) -> str:
        return ""

    def scope(self, item: Item, resource: Resource | None) -> str:
        return "task"

    def carry(self, item: Item, states: Mapping[str, PartState]) -> Carry | None:
        return None  # a task's progress belongs to its id: a copy would be tracked apart


class File(PartsKind):
    """One file of a repository (`path:`), a notebook most often: one tick."""

    kind = ItemKind.FILE
    yaml_keys = ("path",)
    yaml_words = "path (a file of a repository)"

    @staticmethod
    def path(item: Item) -> str:
        """The file's path in its repository."""
        parsed = parse_key(item.parts[0].key) if item.parts else None
        return parsed.label or "" if parsed is not None else ""

    def summary(self, item: Item) -> str:
        return self.path(item)

    def scope(self, item: Item, resource: Resource | None) -> str:
        path = self.path(item)
        noun = "notebook" if path.endswith(".ipynb") else "file"
        return f"{noun} {path}"

    def url(self, item: Item, resource: Resource | None) -> str | None:
        if resource is None or resource.url is None:
            return None
        return file_url(resource.url, self.path(item))

    def carry_yaml(self, item: Item, carry: Carry, resource: Resource | None) -> list[str]:
        return [f"    path: {_quote(self.path(item))}"]


ITEM_KINDS: Mapping[ItemKind, ItemKindSpec] = {
    spec.kind: spec
    for spec in (Video(), Sections(), Exercises(), ReadUntil(), Whole(), Task(), File())
}
"""Every kind's spec, in the order the YAML reader tries their keys."""


def kind_spec(kind: ItemKind) -> ItemKindSpec:
    """The spec of `kind`."""
    return ITEM_KINDS[kind]


def is_open_ended(item: Item) -> bool:
    """Whether a video item has no end anyone knows (`from:` alone, the length unknown): it is
    done when the mentee ticks it watched to the end, not by its position."""
    return item.end is None and bool(item.parts) and ITEM_KINDS[item.kind].has_position


_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?(?:/(?:tree|blob)/([^/\s]+))?/?$"
)
_GITHUB_FILE = re.compile(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s]+)/blob/(.+\.ipynb)$")


def file_url(repository_url: str, path: str) -> str:
    """The address of one file of a repository: GitHub's page of it, else the URL joined.

    Args:
        repository_url: The repository's address (`https://github.com/owner/name`, perhaps with
            `/tree/branch`).
        path: The file's path in it.

    Returns:
        `https://github.com/owner/name/blob/<branch or HEAD>/<path>` for GitHub.
    """
    match = _GITHUB.match(repository_url.strip())
    clean = path.strip().lstrip("/")
    if match is None:
        return f"{repository_url.rstrip('/')}/{clean}"
    owner, name, branch = match.groups()
    return f"https://github.com/{owner}/{name}/blob/{branch or 'HEAD'}/{clean}"


def colab_url(url: str | None) -> str | None:
    """Colab's address of a notebook hosted on GitHub; None for anything else.

    Args:
        url: A file's address.

    Returns:
        `https://colab.research.google.com/github/owner/name/blob/<branch>/<path>`, or None.
    """
    match = _GITHUB_FILE.match((url or "").strip())
    if match is None:
        return None
    owner, name, rest = match.groups()
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{rest}"


def watched(item: Item, states: Mapping[str, PartState]) -> int | None:
    """How far the item's own segment is watched: the position to show and to open it at.

    With spans, where the watching from the item's start ends (at most the item's end); None
    when the start itself is not watched. A video recorded before spans has one position,
    which every item of it shows, as it always did.

    Args:
        item: The item (of a kind with a position; None for any other).
        states: Part states by key.

    Returns:
        Seconds, or None when nothing of the item was watched (or never recorded).
    """
    key = ITEM_KINDS[item.kind].position_key(item)
    state = states.get(key) if key is not None else None
    if state is None:
        return None
    if state.watched is None:
        return state.position
    end = reach(state.watched, item.start or 0)
    return end if end is None or item.end is None else min(end, item.end)


def watched_spans(item: Item, states: Mapping[str, PartState]) -> Spans:
    """What was watched of the item's video (every item of it), as spans.

    This is the one place that reads a video's progress for an item (`watched` reads it too).
    """
    key = ITEM_KINDS[item.kind].position_key(item)
    state = states.get(key) if key is not None else None
    return spans_of(state.watched, state.position) if state is not None else ()


def resume_at(item: Item, states: Mapping[str, PartState]) -> int:
    """Where the item's video continues (seconds): the first second of its segment not watched
    yet, so its start (`from:`, a link's `t=`) when nothing of it was watched; 0 for neither.

    Opening the video (`o`) and carrying it to the next meeting both start here.
    """
    return resume(watched_spans(item, states), item.start or 0)


def item_text(item: Item) -> Text | None:
    """The item's own words when they are its title (a task), else None."""
    return item.text if ITEM_KINDS[item.kind].is_titled_by_text else None
