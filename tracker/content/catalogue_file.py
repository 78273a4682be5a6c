"""Provides the schema of the catalogue, `assignments/resources.yaml`: resources and their parts."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from tracker.content.drafts import FileDraft
from tracker.content.fields import identifier, read_timestamp
from tracker.content.nodes import NodeReader, suggest
from tracker.content.ranges import canonical_label
from tracker.domain.curriculum import Chapter, Location, Resource, ResourceKind

__all__ = ["read_catalogue"]

CATALOGUE_KEYS = ("resources",)
RESOURCE_KEYS = (
    "kind",
    "title",
    "author",
    "url",
    "sections",
    "exercises",
    "length",
    "chapters",
    "note",
)


def read_catalogue(reader: NodeReader, node: Node, draft: FileDraft) -> None:
    """Reads the catalogue's resources into `draft.resources`; problems go to `reader`.

    Args:
        reader: The file's reader, which collects the located problems.
        node: The file's top-level node.
        draft: The file's draft, filled in place.
    """
    fields = reader.mapping(node, "the catalogue", CATALOGUE_KEYS, ("resources",))
    if fields is None or "resources" not in fields:
        return
    entries = reader.mapping(fields["resources"][1], "'resources'", None)
    for key_node, value_node in (entries or {}).values():
        resource_id = identifier(reader, key_node, "resource id")
        if resource_id is not None:
            resource = _resource(reader, resource_id, key_node, value_node)
            if resource is not None:
                draft.resources.append(resource)


def _resource(reader: NodeReader, rid: str, key_node: Node, node: Node) -> Resource | None:
    what = f"resource '{rid}'"
    fields = reader.mapping(node, what, RESOURCE_KEYS, ("kind", "title"))
    if fields is None:
        return None
    kind = None
    if "kind" in fields:
        kind_node = fields["kind"][1]
        value = reader.string(kind_node, f"the kind of {what}")
        if value is not None:
            try:
                kind = ResourceKind(value)
            except ValueError:
                choices = [k.value for k in ResourceKind]
                close = suggest(value, choices)
                hint = f" (did you mean '{close}'?)" if close else ""
                reader.error(
                    kind_node,
                    f"unknown kind '{value}' of {what}{hint}; expected one of: {', '.join(choices)}",
                )
    title = reader.text(fields["title"][1], f"the title of {what}") if "title" in fields else None
    author = (
        reader.string(fields["author"][1], f"the author of {what}") if "author" in fields else None
    )
    url = reader.string(fields["url"][1], f"the url of {what}") if "url" in fields else None
    note = reader.text(fields["note"][1], f"the note of {what}") if "note" in fields else None
    sections = _sections(reader, fields["sections"][1], what) if "sections" in fields else {}
    exercises = (
        _exercise_counts(reader, fields["exercises"][1], what, sections)
        if "exercises" in fields
        else {}
    )
    length = None
    if "length" in fields:
        length = read_timestamp(reader, fields["length"][1], f"the length of {what}")
    chapters = (
        _chapters(reader, fields["chapters"][1], what, length) if "chapters" in fields else ()
    )
    if kind is None or title is None:
        return None
    return Resource(
        id=rid,
        kind=kind,
        title=title,
        location=reader.location(key_node),
        author=author,
        url=url,
        sections=sections,
        exercises=exercises,
        length=length,
        chapters=chapters,
        note=note,
    )


def _sections(reader: NodeReader, node: Node, what: str) -> dict[str, str]:
    entries = reader.mapping(node, f"the sections of {what}", None)
    sections: dict[str, str] = {}
    seen: dict[str, tuple[str, Location]] = {}
    for label, (key_node, value_node) in (entries or {}).items():
        match = canonical_label(label).casefold()
        if match in seen:
            other, where = seen[match]
            reader.error(
                key_node,
                f"section '{label}' of {what} is the same as '{other}'"
                f" (at {where.line}:{where.column}); A1 and A.1 name one section",
            )
            continue
        seen[match] = (label, reader.location(key_node))
        title = ""
        if not (isinstance(value_node, ScalarNode) and value_node.tag.endswith(":null")):
            title = reader.string(value_node, f"the title of section '{label}' of {what}") or ""
        sections[label] = title
    return sections


def _exercise_counts(
    reader: NodeReader, node: Node, what: str, sections: dict[str, str]
) -> dict[str, int]:
    entries = reader.mapping(node, f"the exercises of {what}", None)
    lookup = {canonical_label(s).casefold(): s for s in sections}
    counts: dict[str, int] = {}
    for label, (_key_node, value_node) in (entries or {}).items():
        count = reader.integer(value_node, f"the number of exercises of '{label}' in {what}", 1)
        if count is not None:
            counts[lookup.get(canonical_label(label).casefold(), canonical_label(label))] = count
    return counts


def _chapters(reader: NodeReader, node: Node, what: str, length: int | None) -> tuple[Chapter, ...]:
    chapters: list[Chapter] = []
    for entry in reader.sequence(node, f"the chapters of {what}") or []:
        fields = reader.mapping(entry, f"a chapter of {what}", ("at", "title"), ("at", "title"))
        if fields is None or "at" not in fields or "title" not in fields:
            continue
        at_node = fields["at"][1]
        start = read_timestamp(reader, at_node, f"the start of a chapter of {what}")
        title = reader.string(fields["title"][1], f"the title of a chapter of {what}")
        if start is None or title is None:
            continue
        if chapters and start <= chapters[-1].start:
            reader.error(
                at_node, f"chapter at '{at_node.value}' is not after the chapter before it"
            )
            continue
        if length is not None and start > length:
            reader.error(at_node, f"chapter at '{at_node.value}' is past the video's length")
            continue
        chapters.append(Chapter(start, title))
    return tuple(chapters)
