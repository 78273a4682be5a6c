"""Provides the safe YAML reader: bytes to a node tree with marks, or located problems.

The reader composes (never constructs) with PyYAML's C loader, so nothing in a file is executed
and every node keeps its mark. Before anything reads the tree it checks what would make it
unsafe or absurd to walk: the file's size, its encoding, tags other than the standard ones,
nesting depth, and aliases that refer to themselves or expand past a budget.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracker.content.regular_file import MAX_BYTES, oversize_message
from tracker.domain.curriculum import Location, Problem, Severity
from tracker.domain.terminal_text import inert, is_inert

__all__ = ["MAX_DEPTH", "MAX_NODES", "ReadResult", "read_yaml"]

MAX_DEPTH = 50
"""Deeper nesting is refused (the format needs five levels)."""
MAX_NODES = 100_000
"""The most nodes a file may expand to once its aliases are followed."""

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
)
"""The standard scalar tags; any other tag is an error at its node."""
_COLLECTION_TAGS: dict[type[Node], str] = {SequenceNode: _TAG + "seq", MappingNode: _TAG + "map"}


@dataclass(slots=True)
class ReadResult:
    """What reading one file gave: its node tree (None when it cannot be walked) and problems."""

    node: Node | None
    problems: list[Problem] = field(default_factory=list)


def read_yaml(path: str, data: bytes) -> ReadResult:
    """Composes one file's bytes into a node tree, checking that it is safe to walk.

    Args:
        path: The file's path, as it should appear in problems.
        data: The file's bytes.

    Returns:
        The node tree (None for an empty file or when the tree must not be walked) and the
        problems found; never raises for bad content.
    """
    result = ReadResult(None)
    if len(data) > MAX_BYTES:
        result.problems.append(_problem(path, 1, 1, oversize_message(len(data))))
        return result
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2]:
        result.problems.append(
            _problem(
                path,
                1,
                1,
                "the file is saved as UTF-16, not UTF-8: save it again as UTF-8 (in most editors:"
                " Save with Encoding, UTF-8)",
            )
        )
        return result
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        bad = data[exc.start : exc.end].hex(" ")
        result.problems.append(
            _problem(
                path, line, column, f"bytes that are not UTF-8 (0x{bad}); save the file as UTF-8"
            )
        )
        return result
    text = text.removeprefix("\ufeff")
    if "\u00a0" in text:
        text = _spaces_for_nbsp(path, text, result.problems)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        result.problems.append(_syntax_problem(path, exc, text))
        return result
    except yaml.reader.ReaderError as exc:
        line, column = _char_position(text, exc.position)
        result.problems.append(
            _problem(
                path,
                line,
                column,
                f"character {_codepoint(exc.character)} is not allowed: {exc.reason}",
            )
        )
        return result
    except yaml.YAMLError as exc:  # libyaml errors without a mark
        result.problems.append(_problem(path, 1, 1, f"cannot read YAML: {exc}"))
        return result
    except RecursionError:  # the pure-Python fallback loader on absurd nesting
        result.problems.append(_problem(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels"))
        return result
    finally:
        if gc_was_enabled:
            gc.enable()
    if node is None:
        return result
    checker = _StructureChecker(path)
    total = checker.visit(node, 1)
    result.problems.extend(checker.problems)
    if checker.is_cyclic or total > MAX_NODES:
        result.problems.append(_alias_problem(path, text))
        return result
    if not checker.is_too_deep:
        result.node = node
    return result


def _problem(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(Location(path, line, column), Severity.ERROR, message)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of the byte at `offset` (a BOM is no column)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and data.startswith(b"\xef\xbb\xbf"):
        line_start = 3
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _codepoint(character: object) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def _char_position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `offset`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _spaces_for_nbsp(path: str, text: str, problems: list[Problem]) -> str:
    """Reports non-breaking spaces in indentation and reads them as spaces (same columns)."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip(" \t\u00a0"))]
        if "\u00a0" in indent:
            problems.append(
                _problem(
                    path,
                    number + 1,
                    indent.index("\u00a0") + 1,
                    "a non-breaking space (U+00A0) in the indentation, often pasted from a chat"
                    " or a web page: replace it with an ordinary space",
                )
            )
            lines[number] = indent.replace("\u00a0", " ") + line[len(indent) :]
    return "\n".join(lines)


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    context = exc.context or ""
    if context.startswith("while scanning a quoted scalar") and exc.context_mark is not None:
        quote_line, quote_column = exc.context_mark.line + 1, exc.context_mark.column + 1
        quote = text.splitlines()[quote_line - 1][quote_column - 1 : quote_column] or '"'
        return _problem(
            path,
            quote_line,
            quote_column,
            f"YAML syntax: the quote {quote} opened here is never closed (add the closing {quote}"
            " at the end of the text)",
        )
    hint = explain_syntax(text, line, column, exc.problem or "")
    if hint is not None:
        hint_line, hint_column, message = hint
        return _problem(path, hint_line, hint_column, f"YAML syntax: {message}")
    message = exc.problem or exc.context or "malformed YAML"
    if exc.context and exc.problem and exc.problem.startswith("but "):
        message = f"{exc.context}, {exc.problem}"
    elif exc.context and exc.problem:
        where = ""
        if exc.context_mark is not None:
            where = f" at {exc.context_mark.line + 1}:{exc.context_mark.column + 1}"
        message = f"{exc.problem} ({exc.context}{where})"
    return _problem(path, line, column, f"YAML syntax: {message}")


_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)*)([^\s:#'\"{\[|>&*!%@`][^:#]*?):[ \t]+(\S)")
_NO_COLON = re.compile(r"^(\s*(?:-\s+)*)([a-z_][\w.-]*)[ \t]+(\S.*?)\s*$")
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)*)([a-z_][\w.-]*):(\S.*?)\s*$")
_LAST_WORD = re.compile(r"\s([a-z_]+)$")
_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s:#][^:#]*?):(?:\s|$)")


def explain_syntax(text: str, line: int, column: int, problem: str) -> tuple[int, int, str] | None:
    """Turns the parser's complaint into the mentor's mistake, where it can be recognised.

    The parser often notices a mistake a line later than it was made (a missing ':' turns the
    next line into the rest of a text). This looks at the lines around its position for the
    usual slips: a tab in the indentation, ': ' inside an unquoted text, a key without ':' or
    without a space after it, and a key that does not line up with the ones above it.

    Args:
        text: The file's text.
        line: The parser's 1-based line.
        column: The parser's 1-based column.
        problem: The parser's message.

    Returns:
        The line, column and message of the mistake, or None when it is not one of these.
    """
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    current = lines[line - 1]
    indent = current[: len(current) - len(current.lstrip(" \t"))]
    if "\t" in indent or ("tab" in problem and "\t" in current):
        tab_line, tab = line, indent.find("\t")
        if tab < 0:
            tab_line, tab = _first_indent_tab(lines, line)
        return (
            tab_line,
            tab + 1,
            "a tab in the indentation: indent with spaces only (YAML does not allow tabs)",
        )
    if problem.startswith("mapping values are not allowed"):
        return _stray_colon(lines, line, column)
    if problem.startswith(
        ("did not find expected '-' indicator", "did not find expected key", "expected <block end>")
    ):
        above = _line_above(lines, line)
        key = _KEY.match(current)
        if above is not None and key is not None:
            above_line, above_key = above
            if (slip := _dash_slip(above_key)) is not None:
                return above_line, *slip
            want = len(above_key.group(1)) + 1
            have = len(key.group(1)) + 1
            if have != want:
                return (
                    line,
                    have,
                    f"'{key.group(2)}' starts at column {have} but '{above_key.group(2)}' on"
                    f" line {above_line} starts at column {want}: line them up (indent with"
                    f" {want - 1} spaces)",
                )
    return None


def _first_indent_tab(lines: list[str], line: int) -> tuple[int, int]:
    """The line and 0-based column of the nearest tab in an indentation at or above `line`."""
    for number in range(line, 0, -1):
        text = lines[number - 1]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return number, indent.index("\t")
    return line, max(lines[line - 1].find("\t"), 0)


def _dash_slip(key: re.Match[str]) -> tuple[int, str] | None:
    """The column and message for a `-resource` that should be `- resource`, else None."""
    name = key.group(2)
    if name.startswith("-") and len(name) > 1 and not name[1].isspace():
        message = (
            f"'{name}' needs a space after '-' to be a list item (did you mean '- {name[1:]}'?)"
        )
        return len(key.group(1)) + 1, message
    return None


def _line_above(lines: list[str], line: int) -> tuple[int, re.Match[str]] | None:
    """The nearest line above `line` that has a `key:`, with its match."""
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(lines[number - 1])
        return (number, match) if match is not None else None
    return None


def _stray_colon(lines: list[str], line: int, column: int) -> tuple[int, int, str] | None:
    """Explains a ':' the parser cannot take as a key (1-based `line` and `column`)."""
    current = lines[line - 1]
    key_value = _KEY_VALUE.match(current)
    if key_value is not None and key_value.start(3) < column - 1:
        key = key_value.group(2).strip()
        value = current[key_value.start(3) :].strip()
        shown = value if len(value) <= 40 else value[:37] + "..."
        inner = _LAST_WORD.search(current[: column - 1])
        other = ""
        if inner is not None and " " not in current[key_value.start(3) : inner.start()].strip():
            other = f", or if '{inner.group(1)}' is a key of its own, put it on a line of its own"
        return (
            line,
            key_value.start(3) + 1,
            f"the text of '{key}' contains ': ' (column {column}), which YAML takes for a new"
            f' key: put the text in quotes ({key}: "{shown}"){other}',
        )
    for number in range(line - 1, 0, -1):
        above = lines[number - 1]
        stripped = above.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if (match := _NO_SPACE.match(above)) is not None:
            key, value = match.group(2), match.group(3)
            return (
                number,
                match.end(1) + 1,
                f"no space after ':' in '{key}:{value}' (did you mean '{key}: {value}'?)",
            )
        if (match := _NO_COLON.match(above)) is not None and ":" not in above:
            key, value = match.group(2), match.group(3)
            return (
                number,
                match.end(1) + 1,
                f"no ':' after '{key}' in '{key} {value}' (did you mean '{key}: {value}'?)",
            )
        above_key = _KEY.match(above)
        key = _KEY.match(current)
        if above_key is not None and (slip := _dash_slip(above_key)) is not None:
            return number, *slip
        if above_key is not None and key is not None:
            want, have = len(above_key.group(1)) + 1, len(key.group(1)) + 1
            if have > want:
                return (
                    line,
                    have,
                    f"'{key.group(2)}' starts at column {have} but '{above_key.group(2)}' on"
                    f" line {number} starts at column {want}: line them up (indent with"
                    f" {want - 1} spaces)",
                )
        return None
    return None


def short_tag(tag: str) -> str:
    """A tag as the mentor would write it: `!!python/object:x` rather than the long form."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _StructureChecker:
    """Walks each distinct node once: tags, depth, cycles, and the expanded size."""

    __slots__ = ("_active", "_sizes", "is_cyclic", "is_too_deep", "path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.is_cyclic = False
        self.is_too_deep = False
        self._sizes: dict[int, int] = {}
        self._active: set[int] = set()

    def visit(self, node: Node, depth: int) -> int:
        """The number of nodes `node` expands to, following aliases."""
        key = id(node)
        size = self._sizes.get(key)
        if size is not None:
            return size
        if key in self._active:
            self.is_cyclic = True
            return 0
        if depth > MAX_DEPTH:
            if not self.is_too_deep:
                self.is_too_deep = True
                self._error(node, f"nesting deeper than {MAX_DEPTH} levels")
            return 1
        if isinstance(node, ScalarNode):
            if node.tag not in SCALAR_TAGS:
                self._bad_tag(node)
            elif not is_inert(node.value):
                # "\e]0;...\a" in a quoted value: every reader (app, report, check) gets the
                # value with its control characters written as visible escapes.
                node.value = inert(node.value)
                mark = node.start_mark
                self.problems.append(
                    Problem(
                        Location(self.path, mark.line + 1, mark.column + 1),
                        Severity.WARNING,
                        "the value holds control characters (an escape sequence?); they are"
                        " shown as escapes such as \\x1b",
                    )
                )
            size = 1
        else:
            if node.tag != _COLLECTION_TAGS.get(type(node)):
                self._bad_tag(node)
            self._active.add(key)
            size = 1
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    size += self.visit(key_node, depth + 1) + self.visit(value_node, depth + 1)
            else:
                for child in node.value:
                    size += self.visit(child, depth + 1)
            self._active.discard(key)
        self._sizes[key] = size
        return size

    def _bad_tag(self, node: Node) -> None:
        self._error(
            node,
            f"tag '{short_tag(node.tag)}' is not allowed: the curriculum is plain data"
            " (remove the tag)",
        )

    def _error(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(_problem(self.path, mark.line + 1, mark.column + 1, message))


def _too_many(path: str, event: yaml.Event) -> Problem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return _problem(path, line, column, f"the file holds more than {MAX_NODES:,} values; split it")


def _alias_problem(path: str, text: str) -> Problem:
    """Locates the alias that refers to itself or that takes the file past `MAX_NODES` (or,
    with no alias to blame, the value that does)."""
    anchors: dict[str, int | None] = {}
    open_anchors: list[str | None] = []
    counts: list[int] = []
    total = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            size = anchors.get(event.anchor or "")
            if size is None:
                return _problem(
                    path, line, column, f"alias '*{event.anchor}' refers to a node that contains it"
                )
            total += size
            if total > MAX_NODES:
                return _problem(
                    path,
                    line,
                    column,
                    f"alias '*{event.anchor}' expands the file past {MAX_NODES:,} nodes"
                    " (an alias bomb?)",
                )
            if counts:
                counts[-1] += size
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if total > MAX_NODES:
                return _too_many(path, event)
            if event.anchor:
                anchors[event.anchor] = 1
            if counts:
                counts[-1] += 1
        elif isinstance(event, yaml.CollectionStartEvent):
            total += 1
            if total > MAX_NODES:
                return _too_many(path, event)
            if event.anchor:
                anchors[event.anchor] = None
            open_anchors.append(event.anchor)
            counts.append(1)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, count = open_anchors.pop(), counts.pop()
            if anchor:
                anchors[anchor] = count
            if counts:
                counts[-1] += count
    return _problem(path, 1, 1, f"aliases expand the file past {MAX_NODES:,} nodes")
