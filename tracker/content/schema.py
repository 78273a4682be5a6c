"""Provides the per-file schema: one file's node tree to a `FileDraft`, every problem located."""

from __future__ import annotations

import re
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode

from tracker.content.drafts import (
    FileDraft,
    FileRole,
    ItemDraft,
    MeetingDraft,
    QuestionDraft,
    QuizDraft,
    Ref,
    TopicDraft,
)
from tracker.content.nodes import NodeReader, suggest
from tracker.content.ranges import (
    ValueProblem,
    canonical_label,
    expand_numbers,
    parse_date,
    parse_timestamp,
)
from tracker.domain.curriculum import (
    Chapter,
    Choice,
    ItemKind,
    Location,
    Owner,
    Problem,
    Question,
    QuestionType,
    Resource,
    ResourceKind,
    Severity,
    Snippet,
    Text,
    Topic,
)

__all__ = ["ID_PATTERN", "draft_node"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""What an id may look like: `llm-book`, `s01`, `2024-04-08-push-work`."""

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
MEETING_KEYS = ("date", "title", "note", "ordered", "items", "discuss")
ITEM_KEYS = (
    "id",
    "resource",
    "until",
    "from",
    "units",
    "sections",
    "exercises",
    "read_until",
    "task",
    "owner",
    "mentor_todo",
    "note",
)
KIND_GROUPS: tuple[tuple[ItemKind, tuple[str, ...]], ...] = (
    (ItemKind.VIDEO, ("until", "from")),
    (ItemKind.SECTIONS, ("units", "sections")),
    (ItemKind.EXERCISES, ("exercises",)),
    (ItemKind.READ_UNTIL, ("read_until",)),
    (ItemKind.TASK, ("task",)),
)
"""Which keys make an item of which kind; an item has the keys of one group at most."""
TOPIC_KEYS = ("id", "title", "notes", "links", "snippets")
SNIPPET_KEYS = ("id", "title", "code", "expected", "determinism", "seed", "timeout", "memory")
QUIZ_KEYS = ("topic", "title", "meeting", "follows", "snippets", "questions")
QUESTION_COMMON = ("id", "type", "prompt", "hints", "explanation", "follows", "meeting")
QUESTION_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("choices", "answer"),
    QuestionType.MULTIPLE: ("choices", "answer"),
    QuestionType.NUMERIC: ("answer", "tolerance", "code", "snippet"),
    QuestionType.TEXT: ("answer", "code", "snippet"),
    QuestionType.PREDICT: ("answer", "code", "snippet"),
    QuestionType.CODE: ("code", "checks"),
}
"""The keys each question type takes besides the common ones."""
ALL_QUESTION_KEYS = tuple(
    dict.fromkeys(QUESTION_COMMON + tuple(k for ks in QUESTION_KEYS.values() for k in ks))
)
_DETERMINISM = re.compile(r"^[DSVE](\s*[,/ ]\s*[DSVE])*$")


def draft_node(path: str, role: FileRole, node: Node | None, stem: str) -> FileDraft:
    """Reads one file's node tree into a draft, recording every problem in it.

    Args:
        path: The file's path, as problems name it.
        role: What the file holds.
        node: The file's root node (None for an empty file).
        stem: The file's name without its suffix (used for default ids when the date is bad).

    Returns:
        The draft; its `problems` hold everything found in this file alone.
    """
    reader = NodeReader(path)
    draft = FileDraft(path, role)
    if node is None:
        what = {"catalogue": "the catalogue", "meeting": "a meeting", "quiz": "a quiz"}[role]
        draft.problems.append(_at_start(reader, f"the file is empty; {what} file needs content"))
        return draft
    if role is FileRole.CATALOGUE:
        _catalogue(reader, node, draft)
    elif role is FileRole.MEETING:
        _meeting(reader, node, draft, stem)
    else:
        _quiz(reader, node, draft)
    draft.problems.extend(reader.problems)
    return draft


def _at_start(reader: NodeReader, message: str) -> Problem:
    return Problem(Location(reader.path, 1, 1), Severity.ERROR, message)


# --- shared pieces ----------------------------------------------------------------------------


def _named(noun: str, node: Node, fallback: str) -> str:
    """`snippet 's01'` when the mapping has a plain `id`, else `fallback` (for messages)."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, ScalarNode)
                and key_node.value == "id"
                and isinstance(value_node, ScalarNode)
                and value_node.value
            ):
                return f"{noun} '{value_node.value}'"
    return fallback


def _identifier(reader: NodeReader, node: Node, what: str) -> str | None:
    value = reader.string(node, what)
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        fixed = re.sub(r"[^a-z0-9._-]+", "-", value.lower()).strip("-._")
        hint = f" (did you mean '{fixed}'?)" if fixed and ID_PATTERN.match(fixed) else ""
        reader.error(
            node,
            f"{what} '{value}' must be lowercase letters, digits, '-', '_' and '.',"
            f" starting with a letter or digit{hint}",
        )
        return None
    return value


def _date(reader: NodeReader, node: Node, what: str) -> date | None:
    value = reader.string(node, what)
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueProblem as exc:
        reader.error(node, str(exc))
        return None


def _timestamp(reader: NodeReader, node: Node, what: str) -> int | None:
    value = reader.string(node, what)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueProblem as exc:
        reader.error(node, f"{what}: {exc}")
        return None


def _piece_refs(reader: NodeReader, node: Node, what: str) -> tuple[Ref, ...]:
    """The comma-separated pieces of a scalar (or of each list item), each located precisely."""
    refs: list[Ref] = []
    for item in reader.items_or_one(node):
        value = reader.string(item, what)
        if value is None:
            continue
        base = reader.location(item)
        is_exact = (
            isinstance(item, ScalarNode)
            and item.style in (None, "", "'", '"')
            and item.start_mark.line == item.end_mark.line
        )
        shift = 1 if isinstance(item, ScalarNode) and item.style in ("'", '"') else 0
        offset = 0
        for raw in value.split(","):
            lead = len(raw) - len(raw.lstrip())
            inside = offset + lead
            column = base.column + shift + inside if is_exact and inside else base.column
            refs.append(Ref.at(raw.strip(), Location(base.path, base.line, column)))
            offset += len(raw) + 1
    return tuple(refs)


def _snippet(reader: NodeReader, node: Node, out: list[tuple[Snippet, Location]]) -> str | None:
    """Reads a snippet mapping into `out`; returns its id."""
    fields = reader.mapping(
        node, _named("snippet", node, "a snippet"), SNIPPET_KEYS, ("id", "code")
    )
    if fields is None:
        return None
    snippet_id = _identifier(reader, fields["id"][1], "snippet id") if "id" in fields else None
    what = f"snippet '{snippet_id}'" if snippet_id else "a snippet"
    code = None
    code_line = 0
    if "code" in fields:
        code_node = fields["code"][1]
        code = reader.string(code_node, f"the code of {what}")
        is_block = isinstance(code_node, ScalarNode) and code_node.style in ("|", ">")
        code_line = code_node.start_mark.line + 1 + (1 if is_block else 0)
    title = reader.text(fields["title"][1], f"the title of {what}") if "title" in fields else None
    expected = (
        reader.string(fields["expected"][1], f"the expected output of {what}")
        if "expected" in fields
        else None
    )
    determinism = None
    if "determinism" in fields:
        determinism_node = fields["determinism"][1]
        determinism = reader.string(determinism_node, f"the determinism of {what}")
        if determinism is not None and not _DETERMINISM.match(determinism.strip()):
            reader.error(
                determinism_node,
                f"determinism '{determinism}' of {what} must be D, S, V or E (or several: 'D, E')",
            )
            determinism = None
    seed = reader.integer(fields["seed"][1], f"the seed of {what}") if "seed" in fields else None
    timeout = (
        reader.number(fields["timeout"][1], f"the timeout of {what}", minimum=0.001)
        if "timeout" in fields
        else None
    )
    memory = (
        reader.integer(fields["memory"][1], f"the memory of {what}", minimum=1)
        if "memory" in fields
        else None
    )
    if snippet_id is None or code is None:
        return snippet_id
    snippet = Snippet(
        id=snippet_id,
        code=code,
        location=reader.location(node),
        code_line=code_line,
        title=title,
        expected=expected,
        determinism=determinism.strip() if determinism else None,
        seed=seed,
        timeout=timeout,
        memory_mb=memory,
    )
    out.append((snippet, reader.location(fields["id"][1])))
    return snippet_id


# --- the catalogue ----------------------------------------------------------------------------


def _catalogue(reader: NodeReader, node: Node, draft: FileDraft) -> None:
    fields = reader.mapping(node, "the catalogue", CATALOGUE_KEYS, ("resources",))
    if fields is None or "resources" not in fields:
        return
    entries = reader.mapping(fields["resources"][1], "'resources'", None)
    for key_node, value_node in (entries or {}).values():
        resource_id = _identifier(reader, key_node, "resource id")
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
        length = _timestamp(reader, fields["length"][1], f"the length of {what}")
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
        start = _timestamp(reader, at_node, f"the start of a chapter of {what}")
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


# --- meetings ---------------------------------------------------------------------------------


def _meeting(reader: NodeReader, node: Node, draft: FileDraft, stem: str) -> None:
    fields = reader.mapping(node, "a meeting", MEETING_KEYS, ("date",))
    if fields is None:
        return
    meeting_date = (
        _date(reader, fields["date"][1], "the meeting date") if "date" in fields else None
    )
    meeting = MeetingDraft(meeting_date, reader.location(node))
    if "title" in fields:
        meeting.title = reader.text(fields["title"][1], "the meeting's title")
    if "note" in fields:
        meeting.note = reader.text(fields["note"][1], "the meeting's note")
    if "ordered" in fields:
        meeting.is_ordered = reader.boolean(fields["ordered"][1], "'ordered'") is not False
    prefix = meeting_date.isoformat() if meeting_date else stem
    if "items" in fields:
        for order, entry in enumerate(reader.sequence(fields["items"][1], "'items'") or [], 1):
            item = _item(reader, entry, order, prefix)
            if item is not None:
                meeting.items.append(item)
    if "discuss" in fields:
        for order, entry in enumerate(reader.sequence(fields["discuss"][1], "'discuss'") or [], 1):
            topic = _topic(reader, entry, order, meeting_date, draft)
            if topic is not None:
                meeting.topics.append(topic)
    draft.meeting = meeting


def _item(reader: NodeReader, node: Node, order: int, prefix: str) -> ItemDraft | None:
    what = f"item {order}"
    fields = reader.mapping(node, what, ITEM_KEYS)
    if fields is None:
        return None
    location = reader.location(node)
    item_id = f"{prefix}-{order}"
    id_at: Ref | None = None
    if "id" in fields:
        given = _identifier(reader, fields["id"][1], "item id")
        if given is not None:
            item_id, id_at = given, Ref.at(given, reader.location(fields["id"][1]))
    kind = ItemKind.WHOLE
    first_key: str | None = None
    for group_kind, keys in KIND_GROUPS:
        for key in keys:
            if key not in fields:
                continue
            if first_key is None:
                kind, first_key = group_kind, key
            elif group_kind is not kind or {key, first_key} == {"units", "sections"}:
                reader.error(
                    fields[key][0],
                    f"{what} has both '{first_key}' and '{key}'; an item is one of: until/from"
                    " (a video), units or sections, exercises, read_until, task, or none (whole)",
                )
    item = ItemDraft(item_id, order, kind, location, id_at)
    if "resource" in fields:
        resource_node = fields["resource"][1]
        value = reader.string(resource_node, f"the resource of {what}")
        if value is not None:
            item.resource = Ref.at(value, reader.location(resource_node))
    elif kind is not ItemKind.TASK:
        reader.error(node, f"{what} is missing 'resource' (only a task may go without one)")
    if "owner" in fields:
        owner_node = fields["owner"][1]
        value = reader.string(owner_node, f"the owner of {what}")
        if value is not None:
            try:
                item.owner = Owner(value)
            except ValueError:
                reader.error(owner_node, f"owner '{value}' of {what} must be mentee or mentor")
    if "note" in fields:
        item.note = reader.text(fields["note"][1], f"the note of {what}")
    if "mentor_todo" in fields:
        todo_node = fields["mentor_todo"][1]
        if isinstance(todo_node, ScalarNode) and todo_node.tag.endswith(":bool"):
            is_todo = reader.boolean(todo_node, "'mentor_todo'")
            item.mentor_todo = Text(en="Follow up on this item") if is_todo else None
        else:
            item.mentor_todo = reader.text(todo_node, f"the mentor_todo of {what}")
    if kind is ItemKind.VIDEO:
        _video(reader, fields, item, what)
    elif kind is ItemKind.SECTIONS:
        key = "units" if "units" in fields else "sections"
        item.pieces = _piece_refs(reader, fields[key][1], f"the {key} of {what}")
    elif kind is ItemKind.EXERCISES:
        _exercises(reader, fields["exercises"][1], item, what)
    elif kind is ItemKind.READ_UNTIL:
        until_node = fields["read_until"][1]
        value = reader.string(until_node, f"the read_until of {what}")
        if value is not None:
            item.read_until = Ref.at(value.strip(), reader.location(until_node))
    elif kind is ItemKind.TASK:
        item.text = reader.text(fields["task"][1], f"the task of {what}")
    return item


def _video(
    reader: NodeReader, fields: dict[str, tuple[ScalarNode, Node]], item: ItemDraft, what: str
) -> None:
    if "from" in fields:
        node = fields["from"][1]
        item.start = _timestamp(reader, node, f"'from' of {what}")
        item.start_at = Ref.at(str(node.value), reader.location(node))
    if "until" in fields:
        node = fields["until"][1]
        item.end = _timestamp(reader, node, f"'until' of {what}")
        item.end_at = Ref.at(str(node.value), reader.location(node))
    if item.start is not None and item.end is not None and item.start >= item.end:
        assert item.start_at is not None
        reader.problems.append(
            _problem_at(
                item.start_at.location,
                f"'from' ({fields['from'][1].value}) of {what} is not before 'until'"
                f" ({fields['until'][1].value})",
            )
        )


def _problem_at(location: Location, message: str) -> Problem:
    return Problem(location, Severity.ERROR, message)


def _exercises(reader: NodeReader, node: Node, item: ItemDraft, what: str) -> None:
    fields = reader.mapping(node, f"the exercises of {what}", ("section", "numbers"), ("section",))
    if fields is None:
        return
    if "section" in fields:
        section_node = fields["section"][1]
        value = reader.string(section_node, f"the exercises' section of {what}")
        if value is not None:
            item.section = Ref.at(value.strip(), reader.location(section_node))
    if "numbers" not in fields:
        return
    numbers_node = fields["numbers"][1]
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


def _topic(
    reader: NodeReader, node: Node, order: int, meeting_date: date | None, draft: FileDraft
) -> TopicDraft | None:
    fields = reader.mapping(
        node, _named("topic", node, f"discussion topic {order}"), TOPIC_KEYS, ("id", "title")
    )
    if fields is None:
        return None
    topic_id = _identifier(reader, fields["id"][1], "topic id") if "id" in fields else None
    what = f"topic '{topic_id}'" if topic_id else f"discussion topic {order}"
    title = reader.text(fields["title"][1], f"the title of {what}") if "title" in fields else None
    notes = reader.text(fields["notes"][1], f"the notes of {what}") if "notes" in fields else None
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
            snippet_id = _snippet(reader, entry, draft.snippets)
            if snippet_id is not None:
                snippet_ids.append(snippet_id)
    if topic_id is None or title is None or meeting_date is None:
        return None
    topic = Topic(
        id=topic_id,
        meeting=meeting_date,
        order=order,
        title=title,
        location=reader.location(node),
        notes=notes,
        snippets=tuple(snippet_ids),
        links=tuple(links),
    )
    return TopicDraft(topic, reader.location(fields["id"][1]), tuple(refs))


# --- quizzes ----------------------------------------------------------------------------------


def _quiz(reader: NodeReader, node: Node, draft: FileDraft) -> None:
    fields = reader.mapping(node, "a quiz", QUIZ_KEYS, ("topic", "questions"))
    if fields is None:
        return
    topic: Ref | None = None
    if "topic" in fields:
        value = _identifier(reader, fields["topic"][1], "topic")
        if value is not None:
            topic = Ref.at(value, reader.location(fields["topic"][1]))
    if "title" in fields:
        reader.text(fields["title"][1], "the quiz's title")
    meeting, meeting_location = None, None
    if "meeting" in fields:
        meeting = _date(reader, fields["meeting"][1], "the quiz's meeting")
        meeting_location = reader.location(fields["meeting"][1]) if meeting else None
    follows = _follows(reader, fields["follows"][1]) if "follows" in fields else ()
    for entry in (
        reader.sequence(fields["snippets"][1], "the quiz's snippets") or []
        if "snippets" in fields
        else []
    ):
        _snippet(reader, entry, draft.snippets)
    quiz = QuizDraft(topic, follows=follows, meeting=meeting, meeting_location=meeting_location)
    if "questions" in fields:
        for order, entry in enumerate(
            reader.sequence(fields["questions"][1], "'questions'") or [], 1
        ):
            question = _question(
                reader,
                entry,
                order,
                topic.value if topic else "",
                meeting,
                follows,
                draft,
            )
            if question is not None:
                quiz.questions.append(question)
    draft.quiz = quiz


def _follows(reader: NodeReader, node: Node) -> tuple[Ref, ...]:
    refs: list[Ref] = []
    for entry in reader.items_or_one(node):
        value = reader.string(entry, "a 'follows' key")
        if value is not None:
            refs.append(Ref.at(value.strip(), reader.location(entry)))
    return tuple(refs)


def _question(
    reader: NodeReader,
    node: Node,
    order: int,
    topic: str,
    meeting: date | None,
    follows: tuple[Ref, ...],
    draft: FileDraft,
) -> QuestionDraft | None:
    fields = reader.mapping(
        node,
        _named("question", node, f"question {order}"),
        ALL_QUESTION_KEYS,
        ("id", "type", "prompt"),
    )
    if fields is None:
        return None
    question_id = _identifier(reader, fields["id"][1], "question id") if "id" in fields else None
    what = f"question '{question_id}'" if question_id else f"question {order}"
    qtype = None
    if "type" in fields:
        type_node = fields["type"][1]
        value = reader.string(type_node, f"the type of {what}")
        if value is not None:
            try:
                qtype = QuestionType(value)
            except ValueError:
                choices = [t.value for t in QuestionType]
                close = suggest(value, choices)
                hint = f" (did you mean '{close}'?)" if close else ""
                reader.error(
                    type_node,
                    f"unknown question type '{value}'{hint}; expected one of: {', '.join(choices)}",
                )
    if qtype is not None:
        allowed = set(QUESTION_COMMON) | set(QUESTION_KEYS[qtype])
        for key, (key_node, _value) in fields.items():
            if key not in allowed:
                reader.error(key_node, f"'{key}' is not used by a {qtype} question ({what})")
    prompt = (
        reader.text(fields["prompt"][1], f"the prompt of {what}") if "prompt" in fields else None
    )
    hints = tuple(
        hint
        for entry in (reader.items_or_one(fields["hints"][1]) if "hints" in fields else [])
        if (hint := reader.text(entry, f"a hint of {what}")) is not None
    )
    explanation = (
        reader.text(fields["explanation"][1], f"the explanation of {what}")
        if "explanation" in fields
        else None
    )
    own_meeting_location: Location | None = None
    if "meeting" in fields:
        meeting = _date(reader, fields["meeting"][1], f"the meeting of {what}")
        own_meeting_location = reader.location(fields["meeting"][1]) if meeting else None
    own_follows: tuple[Ref, ...] | None = None
    if "follows" in fields:
        follows = own_follows = _follows(reader, fields["follows"][1])
    code = reader.string(fields["code"][1], f"the code of {what}") if "code" in fields else None
    checks = (
        reader.string(fields["checks"][1], f"the checks of {what}") if "checks" in fields else None
    )
    snippet: Ref | None = None
    if "snippet" in fields:
        snippet_node = fields["snippet"][1]
        value = reader.string(snippet_node, f"the snippet of {what}")
        if value is not None:
            snippet = Ref.at(value, reader.location(snippet_node))
        if "code" in fields:
            reader.error(snippet_node, f"{what} has both 'code' and 'snippet'; give one")
    answer = _answer(
        reader, fields, qtype, what, node, has_code=code is not None or snippet is not None
    )
    if qtype is QuestionType.CODE and "checks" not in fields:
        reader.error(
            node, f"{what} is missing 'checks' (a code question runs them against the answer)"
        )
    if qtype is QuestionType.PREDICT and "code" not in fields and "snippet" not in fields:
        reader.error(node, f"{what} is missing 'code' or 'snippet' (its live output is the truth)")
    if question_id is None or qtype is None or prompt is None or answer is None:
        return None
    choices, number, tolerance, accepted = answer
    question = Question(
        id=question_id,
        topic=topic,
        type=qtype,
        prompt=prompt,
        location=reader.location(node),
        choices=choices,
        number=number,
        tolerance=tolerance,
        accepted=accepted,
        code=code,
        snippet=snippet.value if snippet else None,
        checks=checks,
        hints=hints,
        explanation=explanation,
        follows=tuple(ref.value for ref in follows),
        meeting=meeting,
    )
    return QuestionDraft(
        question,
        reader.location(fields["id"][1]),
        snippet=snippet,
        follows=own_follows,
        meeting_location=own_meeting_location,
    )


_Answer = tuple[tuple[Choice, ...], float | None, float, tuple[str, ...]]


def _answer(
    reader: NodeReader,
    fields: dict[str, tuple[ScalarNode, Node]],
    qtype: QuestionType | None,
    what: str,
    node: Node,
    *,
    has_code: bool,
) -> _Answer | None:
    """Reads the type-specific answer: choices, number and tolerance, or accepted texts."""
    answer_node = fields["answer"][1] if "answer" in fields else None
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts: list[Text] = []
        if "choices" not in fields:
            reader.error(node, f"{what} is missing 'choices'")
            return None
        choices_node = fields["choices"][1]
        for entry in reader.sequence(choices_node, f"the choices of {what}") or []:
            choice = reader.text(entry, f"a choice of {what}")
            if choice is not None:
                texts.append(choice)
        if len(texts) < 2:
            reader.error(choices_node, f"{what} needs at least 2 choices, found {len(texts)}")
            return None
        if answer_node is None:
            reader.error(
                node, f"{what} is missing 'answer' (the 1-based number of the right choice)"
            )
            return None
        if qtype is QuestionType.SINGLE:
            entries = [answer_node]
            if not isinstance(answer_node, ScalarNode):
                reader.error(
                    answer_node, f"the answer of single-choice {what} is one number, found a list"
                )
                return None
        else:
            entries = reader.items_or_one(answer_node)
        right: set[int] = set()
        for entry in entries:
            index = reader.integer(entry, f"the answer of {what}")
            if index is None:
                return None
            if not 1 <= index <= len(texts):
                reader.error(
                    entry,
                    f"answer {index} of {what} is not a choice: there are {len(texts)} (1-{len(texts)})",
                )
                return None
            if index in right:
                reader.error(entry, f"answer {index} of {what} is listed twice")
            right.add(index)
        if not right:
            reader.error(answer_node, f"{what} needs at least one right answer")
            return None
        choices = tuple(Choice(text, n in right) for n, text in enumerate(texts, 1))
        return choices, None, 0.0, ()
    if qtype is QuestionType.NUMERIC:
        number = (
            reader.number(answer_node, f"the answer of {what}") if answer_node is not None else None
        )
        tolerance: float | None = 0.0
        if "tolerance" in fields:
            tolerance = reader.number(fields["tolerance"][1], f"the tolerance of {what}", minimum=0)
        if answer_node is None and not has_code:
            reader.error(node, f"{what} is missing 'answer' (or 'code' that prints it)")
            return None
        if (answer_node is not None and number is None) or tolerance is None:
            return None
        return (), number, tolerance, ()
    if qtype is QuestionType.TEXT:
        if answer_node is None:
            if has_code:
                return (), None, 0.0, ()
            reader.error(node, f"{what} is missing 'answer' (the accepted answers)")
            return None
        accepted = [
            reader.string(entry, f"an accepted answer of {what}")
            for entry in reader.items_or_one(answer_node)
        ]
        if not accepted or any(a is None for a in accepted):
            if not accepted:
                reader.error(answer_node, f"{what} needs at least one accepted answer")
            return None
        return (), None, 0.0, tuple(a for a in accepted if a is not None)
    if qtype is QuestionType.PREDICT:
        if answer_node is None:
            return (), None, 0.0, ()
        declared = reader.string(answer_node, f"the declared output of {what}")
        return ((), None, 0.0, (declared,)) if declared is not None else None
    return (), None, 0.0, ()
