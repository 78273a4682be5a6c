"""Provides the schema of a meeting file: its items, in order, and its topics to discuss."""

from __future__ import annotations

from datetime import date

from yaml.nodes import Node, ScalarNode

from tracker.content.drafts import FileDraft, ItemDraft, MeetingDraft, Ref, TopicDraft
from tracker.content.fields import identifier, named, read_date, read_snippet
from tracker.content.item_forms import ITEM_FORMS
from tracker.content.links import is_link, link_resource, link_start
from tracker.content.nodes import NodeReader
from tracker.content.prose import first_line
from tracker.domain.curriculum import ItemKind, Owner, ResourceKind, Text, Topic
from tracker.domain.item_kinds import ITEM_KINDS

__all__ = ["read_meeting"]

MEETING_KEYS = ("date", "title", "note", "ordered", "repeat", "items", "discuss")
ITEM_KEYS = (
    "id",
    "resource",
    "url",
    "title",
    *(key for spec in ITEM_KINDS.values() for key in spec.yaml_keys),
    *(key for spec in ITEM_KINDS.values() for key in spec.extra_keys),
    "scope",
    "owner",
    "optional",
    "mentor_todo",
    "note",
)
_KIND_WORDS = [spec.yaml_words for spec in ITEM_KINDS.values() if spec.yaml_keys] + [
    spec.yaml_words for spec in ITEM_KINDS.values() if not spec.yaml_keys
]
_ONE_OF = ", ".join(_KIND_WORDS[:-1]) + f", or {_KIND_WORDS[-1]}"
"""The kinds an item may be, as the message about an item of two kinds lists them."""
TOPIC_KEYS = ("id", "title", "notes", "links", "snippets")


def read_meeting(reader: NodeReader, node: Node, draft: FileDraft, stem: str) -> None:
    """Reads a meeting file into `draft.meeting` (and its snippets); problems go to `reader`.

    Args:
        reader: The file's reader, which collects the located problems.
        node: The file's top-level node.
        draft: The file's draft, filled in place.
        stem: The file's name without its suffix: the items' key prefix when the date is
            missing or unreadable.
    """
    fields = reader.mapping(node, "a meeting", MEETING_KEYS, ("date",))
    if fields is None:
        return
    meeting_date = (
        read_date(reader, fields["date"][1], "the meeting date") if "date" in fields else None
    )
    meeting = MeetingDraft(meeting_date, reader.location(node))
    if "date" in fields:
        meeting.date_at = reader.location(fields["date"][1])
    if "title" in fields:
        meeting.title = reader.text(fields["title"][1], "the meeting's title")
    if "note" in fields:
        meeting.note = reader.text(fields["note"][1], "the meeting's note")
    if "ordered" in fields:
        meeting.is_ordered = reader.boolean(fields["ordered"][1], "'ordered'") is not False
    if "repeat" in fields:  # "the same as last meeting" (items: adds to it)
        repeat_node = fields["repeat"][1]
        meeting.repeat = read_date(reader, repeat_node, "the meeting 'repeat' names")
        meeting.repeat_at = reader.location(repeat_node)
    prefix = meeting_date.isoformat() if meeting_date else stem
    if "items" in fields:
        for order, entry in enumerate(reader.sequence(fields["items"][1], "'items'") or [], 1):
            item = _item(reader, entry, order, prefix)
            if item is not None:
                meeting.items.append(item)
    if "discuss" in fields:
        discuss = fields["discuss"][1]
        if _is_empty(discuss):  # "To discuss:" written down, nothing under it yet
            reader.warning(fields["discuss"][0], "'discuss' is empty; nothing to discuss yet")
        for order, entry in enumerate(
            [] if _is_empty(discuss) else reader.sequence(discuss, "'discuss'") or [], 1
        ):
            topic = _topic(reader, entry, order, meeting_date, draft)
            if topic is not None:
                meeting.topics.append(topic)
    draft.meeting = meeting


def _item(reader: NodeReader, node: Node, order: int, prefix: str) -> ItemDraft | None:
    before = len(reader.problems)
    item = _read_item(reader, node, order, prefix)
    if item is not None:  # the item shows them too: a misspelt key may make it another kind
        item.problems = tuple(reader.problems[before:])
    return item


def _read_item(reader: NodeReader, node: Node, order: int, prefix: str) -> ItemDraft | None:
    what = f"item {order}"
    fields = reader.mapping(node, what, ITEM_KEYS)
    if fields is None:
        return None
    location = reader.location(node)
    item_id = f"{prefix}-{order}"
    id_at: Ref | None = None
    if "id" in fields:
        given = identifier(reader, fields["id"][1], "item id")
        if given is not None:
            item_id, id_at = given, Ref.at(given, reader.location(fields["id"][1]))
    kind = ItemKind.WHOLE
    first_key: str | None = None
    for spec in ITEM_KINDS.values():
        for key in spec.yaml_keys:
            if key not in fields:
                continue
            if first_key is None:
                kind, first_key = spec.kind, key
            elif spec.kind is not kind or spec.is_one_key:
                reader.error(
                    fields[key][0],
                    f"{what} has both '{first_key}' and '{key}'; an item is one of: {_ONE_OF}",
                )
    for spec in ITEM_KINDS.values():
        for key in spec.extra_keys:
            if key in fields and spec.kind is not kind:
                keys = "' or '".join(spec.yaml_keys)
                none = "neither" if len(spec.yaml_keys) == 2 else "none of them"
                reader.error(
                    fields[key][0], f"'{key}' of {what} goes with '{keys}', and it has {none}"
                )
    item = ItemDraft(item_id, order, kind, location, id_at)
    if "url" in fields:
        _link(reader, fields, item, what)
    elif "title" in fields:
        reader.error(
            fields["title"][0],
            f"'title' of {what} names a one-off link: give its 'url' too (a catalogue"
            " resource has its title in resources.yaml)",
        )
    if "resource" in fields and "url" not in fields:
        resource_node = fields["resource"][1]
        value = reader.string(resource_node, f"the resource of {what}")
        if value is not None and is_link(value):
            reader.error(
                resource_node,
                f"the resource of {what} is a link, not a catalogue id: add it as"
                f" `url: {value.strip()}` (with a `title:`), or add it to the catalogue",
            )
        elif value is not None:
            item.resource = Ref.at(value, reader.location(resource_node))
    elif "url" not in fields and ITEM_KINDS[item.kind].needs_resource:
        reader.error(
            node,
            f"{what} is missing 'resource' (only a task may go without one);"
            " a one-off link gives 'url' instead",
        )
    if "owner" in fields:
        owner_node = fields["owner"][1]
        value = reader.string(owner_node, f"the owner of {what}")
        if value is not None:
            try:
                item.owner = Owner(value)
            except ValueError:
                close = value.strip().casefold()
                close = "mentee" if close in ("student", "learner") else close
                if close in ("mentee", "mentor"):
                    hint = f" (did you mean '{close}'?)"
                else:
                    hint = " (for your own follow-ups write 'owner: mentor')"
                reader.error(
                    owner_node, f"owner '{value}' of {what} must be mentee or mentor{hint}"
                )
    if "note" in fields:
        item.note = reader.text(fields["note"][1], f"the note of {what}")
    if "scope" in fields:  # "only the second answer": how much, in words
        item.scope = reader.text(fields["scope"][1], f"the scope of {what}")
    if "optional" in fields:  # "if you have time"
        item.is_optional = reader.boolean(fields["optional"][1], f"'optional' of {what}") is True
    if "mentor_todo" in fields:
        todo_node = fields["mentor_todo"][1]
        if isinstance(todo_node, ScalarNode) and todo_node.tag.endswith(":bool"):
            is_todo = reader.boolean(todo_node, "'mentor_todo'")
            item.mentor_todo = Text(en="Follow up on this item") if is_todo else None
        else:
            item.mentor_todo = reader.text(todo_node, f"the mentor_todo of {what}")
    ITEM_FORMS[item.kind].read(reader, fields, item, what)
    if item.link is not None and item.start is None and item.kind is ItemKind.VIDEO:
        item.start = link_start(str(fields["url"][1].value))  # `&t=2266s`: start there
    return item


def _link(
    reader: NodeReader, fields: dict[str, tuple[ScalarNode, Node]], item: ItemDraft, what: str
) -> None:
    """A one-off link: `url:` (and `title:`) instead of a catalogue `resource:`."""
    url_node = fields["url"][1]
    if "resource" in fields:
        reader.error(
            fields["url"][0],
            f"{what} has both 'resource' and 'url'; give one (url: a one-off link)",
        )
        return
    url = reader.string(url_node, f"the url of {what}")
    if url is None:
        return
    if not is_link(url):
        reader.error(url_node, f"the url of {what} must start with https:// (found '{url}')")
        return
    title = reader.text(fields["title"][1], f"the title of {what}") if "title" in fields else None
    item.link = link_resource(url, title, reader.location(url_node))
    item.resource = Ref.at(item.link.id, reader.location(url_node))
    if item.link.kind is ResourceKind.VIDEO and item.kind is ItemKind.WHOLE:
        item.kind = ItemKind.VIDEO  # a video link: its position is kept, as a video's is
    elif item.link.kind is not ResourceKind.VIDEO and item.kind is ItemKind.VIDEO:
        reader.error(
            url_node, f"'until'/'from' of {what} need a video, and '{url}' is not a video link"
        )
        item.kind = ItemKind.WHOLE


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and (
        node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip()
    )


def _topic(
    reader: NodeReader, node: Node, order: int, meeting_date: date | None, draft: FileDraft
) -> TopicDraft | None:
    """A topic; an empty entry is left out with a warning."""
    if _is_empty(node):
        reader.warning(node, f"discussion topic {order} is empty; it is left out")
        return None
    fields = reader.mapping(
        node, named("topic", node, f"discussion topic {order}"), TOPIC_KEYS, ("id",)
    )
    if fields is None:
        return None
    topic_id = identifier(reader, fields["id"][1], "topic id") if "id" in fields else None
    what = f"topic '{topic_id}'" if topic_id else f"discussion topic {order}"
    title = reader.text(fields["title"][1], f"the title of {what}") if "title" in fields else None
    notes = reader.text(fields["notes"][1], f"the notes of {what}") if "notes" in fields else None
    if "title" not in fields and "notes" not in fields:
        reader.error(node, f"{what} needs a title or notes (its first line becomes the title)")
    links: list[str] = []
    if "links" in fields:
        for link in reader.items_or_one(fields["links"][1]):
            value = reader.string(link, f"a link of {what}")
            if value is not None:
                links.append(value)
    snippet_ids: list[str] = []
    refs: list[Ref] = []
    if "snippets" in fields:
        for entry in reader.sequence(fields["snippets"][1], f"the snippets of {what}") or []:
            if isinstance(entry, ScalarNode):
                value = reader.string(entry, "a snippet id")
                if value is not None:
                    snippet_ids.append(value)
                    refs.append(Ref.at(value, reader.location(entry)))
                continue
            snippet_id = read_snippet(reader, entry, draft.snippets)
            if snippet_id is not None:
                snippet_ids.append(snippet_id)
    if topic_id is None or meeting_date is None or (title is None and notes is None):
        return None
    topic = Topic(
        id=topic_id,
        meeting=meeting_date,
        order=order,
        title=title or _title_of(notes or Text(), topic_id),
        location=reader.location(node),
        notes=notes,
        snippets=tuple(snippet_ids),
        links=tuple(links),
        is_titled=title is not None,
    )
    return TopicDraft(topic, reader.location(fields["id"][1]), tuple(refs))


def _title_of(notes: Text, topic_id: str) -> Text:
    """A title from the notes' first line, in each language the notes have (else the id)."""
    en = first_line(notes.en) if notes.en else None
    hy = first_line(notes.hy) if notes.hy else None
    return Text(en=en, hy=hy) if en or hy else Text(en=topic_id)
