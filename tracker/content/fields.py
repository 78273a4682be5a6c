"""Provides the reads every file's schema shares: ids, dates, timestamps, pieces and snippets."""

from __future__ import annotations

import re
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode

from tracker.content.drafts import Ref
from tracker.content.nodes import NodeReader
from tracker.content.ranges import ValueProblem, parse_date, parse_timestamp
from tracker.domain.curriculum import Location, Problem, Severity, Snippet
from tracker.domain.packages import PACKAGE_NAME, module_name

__all__ = [
    "ID_PATTERN",
    "SNIPPET_KEYS",
    "check_python",
    "identifier",
    "named",
    "piece_refs",
    "problem_at",
    "read_date",
    "read_snippet",
    "read_timestamp",
]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""What an id may look like: `llm-book`, `s01`, `2024-04-08-push-work`."""

SNIPPET_KEYS = (
    "id",
    "title",
    "code",
    "expected",
    "determinism",
    "seed",
    "timeout",
    "memory",
    "requires",
)
_DETERMINISM = re.compile(r"^[DSVE](\s*[,/ ]\s*[DSVE])*$")


def named(noun: str, node: Node, fallback: str) -> str:
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


def identifier(reader: NodeReader, node: Node, what: str) -> str | None:
    """An id (`llm-book`, `s01`), or None with an error that suggests a valid spelling."""
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


def read_date(reader: NodeReader, node: Node, what: str) -> date | None:
    """A date written `2024-04-08` or `08/04/2024`, or None with an error."""
    value = reader.string(node, what)
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueProblem as exc:
        reader.error(node, str(exc))
        return None


def read_timestamp(reader: NodeReader, node: Node, what: str) -> int | None:
    """A video position in seconds (`01:11:38`), or None with an error naming the value."""
    value = reader.string(node, what)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueProblem as exc:
        reader.error(node, f"{what}: {exc}")
        return None


def piece_refs(reader: NodeReader, node: Node, what: str) -> tuple[Ref, ...]:
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


def read_snippet(reader: NodeReader, node: Node, out: list[tuple[Snippet, Location]]) -> str | None:
    """Reads a snippet mapping into `out`; returns its id."""
    fields = reader.mapping(node, named("snippet", node, "a snippet"), SNIPPET_KEYS, ("id", "code"))
    if fields is None:
        return None
    snippet_id = identifier(reader, fields["id"][1], "snippet id") if "id" in fields else None
    what = f"snippet '{snippet_id}'" if snippet_id else "a snippet"
    code = None
    code_line = 0
    if "code" in fields:
        code_node = fields["code"][1]
        code = reader.string(code_node, f"the code of {what}")
        if code is not None:
            check_python(reader, fields["code"][0], code_node, code, what)
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
    requires = _requires(reader, fields["requires"][1], what) if "requires" in fields else ()
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
        requires=requires,
    )
    out.append((snippet, reader.location(fields["id"][1])))
    return snippet_id


def _requires(reader: NodeReader, node: Node, what: str) -> tuple[str, ...]:
    """The modules a snippet declares it needs: `requires: [torchvision]` or one name."""
    names: list[str] = []
    for entry in reader.items_or_one(node):
        value = reader.string(entry, f"a module that {what} requires")
        if value is None:
            continue
        name = value.strip()
        if not PACKAGE_NAME.match(name):
            fixed = module_name(name)
            hint = (
                f" (did you mean '{fixed}'? name the module as `import` does)"
                if PACKAGE_NAME.match(fixed)
                else ""
            )
            reader.error(entry, f"'{name}' in the requires of {what} is not a module name{hint}")
            continue
        names.append(name)
    return tuple(dict.fromkeys(names))


def check_python(reader: NodeReader, key: Node, node: Node, code: str, what: str) -> None:
    """Records a syntax error in `code` at its line in the file; nothing is run.

    `compile` only parses, so this is as safe as reading the text. In a block (`code: |`) the
    line is exact and the column assumes the usual indent, two spaces past the key.

    Args:
        reader: The file's reader, which records the error.
        key: The `code:` key node.
        node: The code's scalar node.
        code: The code.
        what: What the code belongs to, for the message (`snippet 's01'`).
    """
    try:
        compile(code, "<snippet>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        location = reader.location(node)
        line = exc.lineno or 1
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            indent = key.start_mark.column + 2
            location = Location(reader.path, location.line + line, indent + (exc.offset or 1))
        elif line > 1:
            location = Location(reader.path, location.line + line - 1, location.column)
        source = (exc.text or "").strip()
        shown = f": '{source}'" if source else ""
        reader.problems.append(
            Problem(
                location,
                Severity.ERROR,
                f"the code of {what} does not parse as Python: {exc.msg} (line {line} of the"
                f" code{shown})",
            )
        )
    except ValueError:  # a NUL character: the reader reports control characters already
        pass


def problem_at(location: Location, message: str) -> Problem:
    """An error at `location`."""
    return Problem(location, Severity.ERROR, message)
