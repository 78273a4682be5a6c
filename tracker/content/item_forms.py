"""Provides the item forms: how each item kind is read from a meeting file and resolved.

The content half of an item kind's spec (the rest is `tracker.domain.item_kinds`): `read` fills
an `ItemDraft` from the keys the kind's spec declares (`ItemKindSpec.yaml_keys`), `resolve` turns
the draft into the item's parts (or its start and end) against the resource catalogue. The
meeting reader and the resolver only look a form up by kind in `ITEM_FORMS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple, Protocol

from yaml.nodes import Node, ScalarNode

from tracker.content.drafts import ItemDraft, Ref
from tracker.content.fields import piece_refs, problem_at, read_timestamp
from tracker.content.nodes import NodeReader, suggest
from tracker.content.ranges import (
    ValueProblem,
    canonical_label,
    expand_numbers,
    expand_sections,
    label_lookup,
)
from tracker.domain.curriculum import (
    ItemKind,
    Location,
    Part,
    Problem,
    Resource,
    ResourceKind,
    Severity,
    exercise_key,
    exercises_key,
    file_key,
    format_hms,
    section_key,
    task_key,
    through_key,
    until_key,
    whole_key,
)

__all__ = ["ITEM_FORMS", "CatalogueIndex", "ItemForm", "Resolution", "Resolved", "until_label"]

Fields = dict[str, tuple[ScalarNode, Node]]
"""An item's mapping as `NodeReader.mapping` returns it: key to (key node, value node)."""


class CatalogueIndex:
    """One resource's section labels, ready for lookups."""

    __slots__ = ("labels", "lookup", "sections", "titles")

    def __init__(self, resource: Resource) -> None:
        self.sections = resource.sections
        self.labels = list(resource.sections)
        self.lookup = label_lookup(self.labels)
        self.titles = {title: label for label, title in resource.sections.items() if title}

    def label(self, text: str) -> str | None:
        """The catalogue's spelling of a label, or None when it is not listed."""
        return self.lookup.get(canonical_label(text).casefold())


def until_label(index: CatalogueIndex | None, text: str) -> tuple[str, str | None, bool]:
    """The label a read_until names (by label or exact title), its title, and whether known.

    Args:
        index: The resource's catalogue (None: the resource is unknown).
        text: What the mentor wrote.
    """
    if index is None:
        return canonical_label(text), None, False
    label = index.label(text) or index.titles.get(text)
    if label is None:
        return canonical_label(text), None, False
    return label, index.sections.get(label) or None, True


class Resolution(Protocol):
    """What the resolver lends a form while it resolves one item."""

    memo: dict[tuple[object, ...], Any]
    """Results worth keeping for the rest of this load, keyed by the form's own tuples."""

    def error(self, location: Location, message: str) -> None:
        """Reports an error at `location`."""

    def warning(self, location: Location, message: str) -> None:
        """Reports a warning at `location`."""

    def report(self, problem: Problem) -> None:
        """Reports a problem made ahead (a memoised one)."""

    def part(self, key: str, label: str, title: str | None = None) -> Part:
        """The part with `key` (one object per key across the load)."""

    def catalogue(self, resource: Resource) -> CatalogueIndex:
        """The resource's catalogue index."""


class Resolved(NamedTuple):
    """A resolved item's progress units: its parts, or (a kind with a position) start and end."""

    parts: tuple[Part, ...] = ()
    start: int | None = None
    end: int | None = None


class ItemForm(ABC):
    """How one item kind is written in a meeting file and resolved against the catalogue."""

    kind: ClassVar[ItemKind]

    @abstractmethod
    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        """Reads the kind's keys from `fields` into `item`; problems go to `reader`.

        Args:
            reader: The file's reader.
            fields: The item's mapping.
            item: The draft, filled in place.
            what: The item as messages name it (`item 3`).
        """

    @abstractmethod
    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        """The item's parts (or start and end), with cross-file problems reported.

        Args:
            resolution: The resolver's services.
            draft: The item's draft.
            resource: The resource it names, when the catalogue has it.
        """


class VideoForm(ItemForm):
    """`until: 01:11:38` and `from: 00:20:00` of a video."""

    kind = ItemKind.VIDEO
    resource_kind: ClassVar[ResourceKind] = ResourceKind.VIDEO

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        if "from" in fields:
            node = fields["from"][1]
            item.start = read_timestamp(reader, node, f"'from' of {what}")
            item.start_at = Ref.at(str(node.value), reader.location(node))
        if "until" in fields:
            node = fields["until"][1]
            item.end = read_timestamp(reader, node, f"'until' of {what}")
            item.end_at = Ref.at(str(node.value), reader.location(node))
        if item.start is not None and item.end is not None and item.start >= item.end:
            assert item.start_at is not None
            reader.problems.append(
                problem_at(
                    item.start_at.location,
                    f"'from' ({fields['from'][1].value}) of {what} is not before 'until'"
                    f" ({fields['until'][1].value})",
                )
            )

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        start = draft.start if draft.start is not None else 0
        end = draft.end
        if resource is None:
            return Resolved((), start, end)
        if resource.kind is not self.resource_kind:
            assert draft.resource is not None
            resolution.error(
                draft.resource.location,
                f"'{resource.id}' is a {resource.kind}, not a {self.resource_kind}:"
                f" 'until'/'from' need a {self.resource_kind}",
            )
            return Resolved((), start, end)
        length = resource.length
        if length is None:
            if end is None:  # open-ended: one tick, "watched to the end", completes it
                return Resolved(
                    (resolution.part(whole_key(resource.id), "watched to the end"),), start
                )
            return Resolved((), start, end)
        for value, written, name in (
            (draft.end, draft.end_at, "until"),
            (draft.start, draft.start_at, "from"),
        ):
            if value is not None and written is not None and value > length:
                resolution.error(
                    written.location,
                    f"'{name}' {format_hms(value)} is past the end of '{resource.id}'"
                    f" (its length is {format_hms(length)})",
                )
        return Resolved((), start, end if end is not None else length)


class SectionsForm(ItemForm):
    """`sections: 2.1-2.7` of a book, `units: [A1-A3, B1]` of a course."""

    kind = ItemKind.SECTIONS

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        key = "units" if "units" in fields else "sections"
        item.pieces = piece_refs(reader, fields[key][1], f"the {key} of {what}")
        if "with_exercises" in fields:  # "finish chapter 3, with the exercises"
            node = fields["with_exercises"][1]
            if reader.boolean(node, f"'with_exercises' of {what}") is True:
                item.with_exercises_at = reader.location(node)

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        rid = draft.resource.value if draft.resource is not None else ""
        if resource is not None and resource.kind is ResourceKind.VIDEO and draft.resource:
            resolution.error(
                draft.resource.location,
                f"'{rid}' is a video: give 'until' (and 'from'), not sections",
            )
        parts: tuple[Part, ...] = ()
        for piece in draft.pieces:
            key = ("piece", rid, piece.value)
            expanded = resolution.memo.get(key)
            if expanded is None:
                expanded = resolution.memo[key] = _expand_piece(
                    resolution, rid, resource, piece.value
                )
            piece_parts, severity, message = expanded
            if severity is not None:
                resolution.report(Problem(piece.location, severity, message))
            parts = piece_parts if not parts else parts + piece_parts
        parts = parts if len(draft.pieces) == 1 else tuple(dict.fromkeys(parts))
        if draft.with_exercises_at is not None and resource is not None and parts:
            if resource.kind not in (ResourceKind.BOOK, ResourceKind.COURSE):
                resolution.error(
                    draft.with_exercises_at,
                    f"'{rid}' is a {resource.kind}, which has no exercises: 'with_exercises'"
                    " goes with a book's sections or a course's units",
                )
            else:
                memo = ("with exercises", rid, parts)
                with_exercises = resolution.memo.get(memo)
                if with_exercises is None:
                    with_exercises = _with_exercises(resolution, resource, parts)
                    resolution.memo[memo] = with_exercises
                parts = with_exercises
        return Resolved(parts)


def _expand_piece(
    resolution: Resolution, rid: str, resource: Resource | None, value: str
) -> tuple[tuple[Part, ...], Severity | None, str]:
    """One piece of a sections list as parts, with the problem it has (memoised per load)."""
    index = resolution.catalogue(resource) if resource is not None else None
    try:
        labels = expand_sections(
            value, index.labels if index else [], index.lookup if index else {}
        )
    except ValueProblem as exc:
        return (), Severity.ERROR, str(exc)
    titles: Mapping[str, str] = resource.sections if resource is not None else {}
    severity: Severity | None = None
    message = ""
    if resource is not None:
        missing = [label for label in labels if label not in titles]
        if missing:
            names = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
            verb = "section {} of '{}' is" if len(missing) == 1 else "sections {} of '{}' are"
            listed = "" if titles else " (it lists no sections for it)"
            severity = Severity.WARNING
            message = f"{verb.format(names, rid)} not in the catalogue{listed}"
    if not rid:
        return (), severity, message
    parts = tuple(
        resolution.part(section_key(rid, label), label, titles.get(label))
        for label in dict.fromkeys(labels)
    )
    return parts, severity, message


def _with_exercises(
    resolution: Resolution, resource: Resource, sections: tuple[Part, ...]
) -> tuple[Part, ...]:
    """The sections, each followed (after its subsections) by its exercises: as many as the
    catalogue counts, else one tick. A count given for a chapter (`"3": 12`) instead follows
    the chapter's last section of the item. Never a made-up count."""
    index = resolution.catalogue(resource)
    counts = {canonical_label(k).casefold(): (k, v) for k, v in resource.exercises.items()}
    groups: list[list[Part]] = []  # a section and the subsections after it (3.3, 3.3.1, ...)
    for part in sections:
        top = groups[-1][0].label if groups else None
        if top is not None and part.label.startswith((f"{top}.", f"{top}-")):
            groups[-1].append(part)
        else:
            groups.append([part])
    tops = [group[0].label for group in groups]
    last_of = {  # a counted chapter the item does not name -> its last section in the item
        chapter: label
        for label in tops
        for chapter in _ancestors(label)
        if chapter.casefold() in counts and chapter not in tops
    }
    out: list[Part] = []
    for group, label in zip(groups, tops, strict=True):
        out += group
        counted = counts.get(label.casefold())
        if counted is not None:
            out += _numbered(resolution, resource.id, index.label(label) or counted[0], counted[1])
        elif not any(chapter in last_of for chapter in _ancestors(label)):
            out.append(resolution.part(exercises_key(resource.id, label), "exercises"))
        for chapter in _ancestors(label):
            if last_of.get(chapter) == label:
                spelled, count = counts[chapter.casefold()]
                out += _numbered(resolution, resource.id, index.label(chapter) or spelled, count)
    return tuple(dict.fromkeys(out))


def _ancestors(label: str) -> list[str]:
    """The sections a label lies in, nearest first: `3.4.1` -> `3.4`, `3`."""
    pieces = label.split(".")
    return [".".join(pieces[:n]) for n in range(len(pieces) - 1, 0, -1)]


def _numbered(resolution: Resolution, rid: str, section: str, count: int) -> list[Part]:
    return [resolution.part(exercise_key(rid, section, n), f"ex {n}") for n in range(1, count + 1)]


class ExercisesForm(ItemForm):
    """`exercises: {section: "1.4", numbers: 6-11}`; no numbers: all the catalogue counts, or
    one tick for "the exercises of 1.6" when it does not count them."""

    kind = ItemKind.EXERCISES

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        node = fields["exercises"][1]
        if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            reader.error(
                node,
                f"the exercises of {what} need their section: write"
                f' exercises: {{section: "1.4", numbers: {node.value}}} with the section\'s label',
            )
            return
        keys = reader.mapping(
            node, f"the exercises of {what}", ("section", "numbers"), ("section",)
        )
        if keys is None:
            return
        if "section" in keys:
            section_node = keys["section"][1]
            value = reader.string(section_node, f"the exercises' section of {what}")
            if value is not None:
                item.section = Ref.at(value.strip(), reader.location(section_node))
        if "numbers" not in keys:
            return
        numbers_node = keys["numbers"][1]
        item.numbers_at = Ref.at(str(numbers_node.value), reader.location(numbers_node))
        numbers: list[int] = []
        for entry in reader.items_or_one(numbers_node):
            value = reader.string(entry, f"the exercise numbers of {what}")
            if value is None:
                continue
            try:
                numbers.extend(expand_numbers(value))
            except ValueProblem as exc:
                reader.error(entry, str(exc))
        item.numbers = tuple(dict.fromkeys(numbers))

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        if draft.resource is None or draft.section is None:
            return Resolved()
        if draft.numbers_at is not None and not draft.numbers:
            return Resolved()  # numbers were given but none could be read: already reported
        key = ("exercises", draft.resource.value, draft.section.value, draft.numbers)
        expanded = resolution.memo.get(key)
        if expanded is None:
            expanded = resolution.memo[key] = _expand_exercises(
                resolution, draft.resource.value, draft.section.value, draft.numbers, resource
            )
        parts, problems = expanded
        for severity, is_numbers, message in problems:
            where = draft.numbers_at if is_numbers and draft.numbers_at else draft.section
            resolution.report(Problem(where.location, severity, message))
        return Resolved(parts)


def _expand_exercises(
    resolution: Resolution,
    rid: str,
    written: str,
    numbers: tuple[int, ...],
    resource: Resource | None,
) -> tuple[tuple[Part, ...], list[tuple[Severity, bool, str]]]:
    """An exercises item's parts, with its problems (memoised per load)."""
    problems: list[tuple[Severity, bool, str]] = []
    section = canonical_label(written)
    if resource is not None:
        known = resolution.catalogue(resource).label(written)
        counts = {canonical_label(k).casefold(): (k, v) for k, v in resource.exercises.items()}
        counted = counts.get(section.casefold())
        section = known or (counted[0] if counted else section)
        if known is None and counted is None:
            problems.append(
                (Severity.WARNING, False, f"section '{written}' of '{rid}' is not in the catalogue")
            )
        count = counted[1] if counted else None
        if not numbers and count is not None:
            numbers = tuple(range(1, count + 1))
        elif count is not None and max(numbers) > count:
            problems.append(
                (
                    Severity.WARNING,
                    True,
                    f"exercise {max(numbers)} is past the {count} exercises of section"
                    f" '{section}' of '{rid}'",
                )
            )
    if not numbers:  # nobody knows how many: one tick for them all, never a made-up count
        return (resolution.part(exercises_key(rid, section), "exercises"),), problems
    parts = tuple(resolution.part(exercise_key(rid, section, n), f"ex {n}") for n in numbers)
    return parts, problems


class ReadUntilForm(ItemForm):
    """`read_until: 1.4-proof`: a section label or an exact section title."""

    kind = ItemKind.READ_UNTIL

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        key = "read_through" if "read_through" in fields else "read_until"
        until_node = fields[key][1]
        value = reader.string(until_node, f"the {key} of {what}")
        if value is not None:
            item.read_until = Ref.at(value.strip(), reader.location(until_node))
            item.is_through = key == "read_through"

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        if draft.resource is None or draft.read_until is None:
            return Resolved()
        rid = draft.resource.value
        index = resolution.catalogue(resource) if resource is not None else None
        label, title, is_known = until_label(index, draft.read_until.value)
        if index is not None and not is_known:
            close = suggest(draft.read_until.value, [*index.labels, *index.titles])
            hint = f" (did you mean '{close}'?)" if close else ""
            key = "read_through" if draft.is_through else "read_until"
            resolution.warning(
                draft.read_until.location,
                f"{key} '{draft.read_until.value}' is neither a section label nor a section"
                f" title of '{rid}' in the catalogue{hint}",
            )
        if draft.is_through:
            return Resolved((resolution.part(through_key(rid, label), f"through {label}", title),))
        return Resolved((resolution.part(until_key(rid, label), f"up to {label}", title),))


class WholeForm(ItemForm):
    """An item with only `resource`: the whole post (or resource), one tick."""

    kind = ItemKind.WHOLE

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        return None  # no keys of its own

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        if draft.resource is None:
            return Resolved()
        return Resolved((resolution.part(whole_key(draft.resource.value), "whole"),))


class TaskForm(ItemForm):
    """`task: {hy: ..., en: ...}`: something to do, in words; one tick under the item's id."""

    kind = ItemKind.TASK

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        item.text = reader.text(fields["task"][1], f"the task of {what}")

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        return Resolved((resolution.part(task_key(draft.id), "task"),))


class FileForm(ItemForm):
    """`path: ch02/ch02.ipynb` of a repository: one file, one tick."""

    kind = ItemKind.FILE

    def read(self, reader: NodeReader, fields: Fields, item: ItemDraft, what: str) -> None:
        node = fields["path"][1]
        value = reader.string(node, f"the path of {what}")
        if value is not None:
            item.path = Ref.at(value.strip().lstrip("/"), reader.location(node))

    def resolve(
        self, resolution: Resolution, draft: ItemDraft, resource: Resource | None
    ) -> Resolved:
        if draft.resource is None or draft.path is None:
            return Resolved()
        path = draft.path
        if resource is not None and resource.kind is not ResourceKind.REPOSITORY:
            resolution.error(
                path.location,
                f"'path' names a file of a repository, and '{resource.id}' is a {resource.kind}"
                " (give the repository as 'resource')",
            )
            return Resolved()
        name = path.value.rsplit("/", 1)[-1]
        return Resolved(
            (resolution.part(file_key(draft.resource.value, path.value), name, path.value),)
        )


ITEM_FORMS: Mapping[ItemKind, ItemForm] = {
    form.kind: form
    for form in (
        VideoForm(),
        SectionsForm(),
        ExercisesForm(),
        ReadUntilForm(),
        WholeForm(),
        TaskForm(),
        FileForm(),
    )
}
"""Every kind's form."""
