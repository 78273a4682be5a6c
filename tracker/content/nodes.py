"""Provides `NodeReader`: typed reads from YAML nodes that record located problems instead of raising."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Iterable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracker.content.reader import SCALAR_TAGS
from tracker.domain.curriculum import Location, Problem, Severity, Text

__all__ = ["Fields", "NodeReader", "describe", "suggest"]

_TAG = "tag:yaml.org,2002:"
_NULL = _TAG + "null"
_BOOL = _TAG + "bool"
_INT = _TAG + "int"
_FLOAT = _TAG + "float"
_MERGE = _TAG + "merge"
_STR = _TAG + "str"
_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
"""A number in scientific notation without a dot (`1e-3`), which YAML 1.1 leaves a string."""
_TRUE = frozenset({"true", "yes", "on", "y"})

Fields = dict[str, tuple[ScalarNode, Node]]
"""A mapping's known keys to their key node and value node."""


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


_SLIPPED_KEY = re.compile(r"^([a-z_]+)(?::|\s+)(\S.*)$")


def _key_slip(node: Node, allowed: Collection[str] | None) -> str:
    """` (did you mean 'resource: llm-book'?)` for a scalar that lost its ':' or the space after."""
    if not isinstance(node, ScalarNode) or node.style or allowed is None:
        return ""
    match = _SLIPPED_KEY.match(str(node.value))
    if match is None or match.group(1) not in allowed:
        return ""
    return f" (did you mean '{match.group(1)}: {match.group(2)}'?)"


def _cut_value(pairs: list[tuple[Node, Node]], key_node: Node) -> str:
    """The hint for `{sections: 2.6, 2.7}`, where a comma made `2.7` a key; else ''."""
    index = next(i for i, (k, _v) in enumerate(pairs) if k is key_node)
    if index == 0:
        return ""
    name_node, value = pairs[index - 1]
    if not isinstance(value, ScalarNode) or value.style:
        return ""
    name = name_node.value
    return (
        f" (a comma inside {{...}} ends the value of '{name}': write"
        f" {name}: [{value.value}, {key_node.value}], or quote the value)"
    )


def _is_bare(node: Node) -> bool:
    """Whether `node` is the empty value of a key written without ':' (`{a: 1, 2}` gives `2:`)."""
    return isinstance(node, ScalarNode) and node.tag == _NULL and not node.value


def describe(node: Node) -> str:
    """How a node is named in messages: `a list`, `the number 3`, `the string 'x'`."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    value = str(node.value)
    short = value if len(value) <= 40 else value[:37] + "..."
    if node.tag == _NULL:
        return "nothing"
    if node.tag == _BOOL:
        return f"the boolean {short}"
    if node.tag in (_INT, _FLOAT):
        return f"the number {short}"
    return f"'{short}'"


def _is_bad(node: Node) -> bool:
    """Whether the node carries a tag the reader already reported (so nothing more is said)."""
    if isinstance(node, ScalarNode):
        return node.tag not in SCALAR_TAGS
    return node.tag not in (_TAG + "seq", _TAG + "map")


class NodeReader:
    """Reads one file's nodes; every read that fails records a problem at the node and returns None.

    Args:
        path: The file's path as it should appear in problems.
    """

    __slots__ = ("path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        """The file's path, as problems name it."""
        self.problems: list[Problem] = []
        """Problems found so far, in the order found."""

    # --- problems -----------------------------------------------------------------------------

    def location(self, node: Node) -> Location:
        """The node's 1-based location."""
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: Node, message: str) -> None:
        """Records an error at `node`."""
        self.problems.append(Problem(self.location(node), Severity.ERROR, message))

    def warning(self, node: Node, message: str) -> None:
        """Records a warning at `node`."""
        self.problems.append(Problem(self.location(node), Severity.WARNING, message))

    # --- collections --------------------------------------------------------------------------

    def mapping(
        self,
        node: Node,
        what: str,
        allowed: Collection[str] | None,
        required: Iterable[str] = (),
        unknown_hint: str = "",
    ) -> Fields | None:
        """Reads a mapping's keys, reporting duplicates, unknown keys and missing required keys.

        Args:
            node: The node that should be a mapping.
            what: How to name the mapping in messages (`resource 'llm-book'`).
            allowed: The keys it may have (None: any key).
            required: The keys it must have.
            unknown_hint: Said after every unknown key that has no close match.

        Returns:
            The known keys to (key node, value node); None when the node is not a mapping.
        """
        if not isinstance(node, MappingNode):
            if not _is_bad(node):
                self.error(
                    node,
                    f"{what} must be a mapping, found {describe(node)}{_key_slip(node, allowed)}",
                )
            return None
        fields: Fields = {}
        seen: dict[str, ScalarNode] = {}
        pairs = self._pairs(node)
        for key_node, value_node in pairs:
            if not isinstance(key_node, ScalarNode):
                self.error(
                    key_node, f"keys in {what} must be plain words, found {describe(key_node)}"
                )
                continue
            key = str(key_node.value)
            first = seen.get(key)
            if first is not None:
                where = self.location(first)
                self.error(
                    key_node,
                    f"duplicate key '{key}' in {what} (first at {where.line}:{where.column})",
                )
                continue
            seen[key] = key_node
            if allowed is None or key in allowed:
                fields[key] = (key_node, value_node)
            elif not _is_bad(key_node):
                close = suggest(key, allowed)
                hint = (
                    f" (did you mean '{close}'?)"
                    if close
                    else f"; expected one of: {', '.join(allowed)}{unknown_hint}"
                )
                if node.flow_style and not unknown_hint and _is_bare(value_node):
                    hint = _cut_value(pairs, key_node) or hint
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
        for key in required:
            if key not in fields and key not in seen:
                self.error(node, f"{what} is missing '{key}'")
        return fields

    def _pairs(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """The mapping's pairs with `<<` merges applied (explicit keys win)."""
        if not any(isinstance(k, ScalarNode) and k.tag == _MERGE for k, _ in node.value):
            return list(node.value)
        explicit: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if not (isinstance(key_node, ScalarNode) and key_node.tag == _MERGE):
                explicit.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, MappingNode):
                    merged.extend(self._pairs(source))
                else:
                    self.error(source, f"'<<' merges a mapping, found {describe(source)}")
        names = {k.value for k, _ in explicit if isinstance(k, ScalarNode)}
        inherited: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in merged:
            name = str(key_node.value)
            if name not in names and name not in inherited:
                inherited[name] = (key_node, value_node)
        return explicit + list(inherited.values())

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        """The items of a list; None (with an error) when the node is not a list."""
        if isinstance(node, SequenceNode):
            return list(node.value)
        if not _is_bad(node):
            hint = ""
            if isinstance(node, MappingNode) and not node.flow_style:
                hint = " (start each entry with '- ')"
            elif isinstance(node, ScalarNode) and node.tag == _NULL:
                hint = " (list the entries under it, each starting with '- ')"
            self.error(node, f"{what} must be a list, found {describe(node)}{hint}")
        return None

    def items_or_one(self, node: Node) -> list[Node]:
        """A list's items, or the node itself when it is not a list (`hints: x` == `hints: [x]`)."""
        return list(node.value) if isinstance(node, SequenceNode) else [node]

    # --- scalars ------------------------------------------------------------------------------

    def string(self, node: Node, what: str) -> str | None:
        """A non-empty scalar's text as written (numbers and booleans too: `2.10` stays `2.10`)."""
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            if _is_bad(node):
                return None
            value = str(node.value)
            if not value.strip():
                self.error(node, f"{what} is empty")
                return None
            return value
        if not _is_bad(node):
            self.error(node, f"{what} must be text, found {describe(node)}")
        return None

    def text(self, node: Node, what: str) -> Text | None:
        """Text in English (a plain string) or both languages (`{hy: ..., en: ...}`)."""
        if isinstance(node, MappingNode):
            hint = (
                " (a comma inside {...} ends the text: quote it)"
                if node.flow_style
                else " (a ': ' inside a text makes YAML read a key: quote the text)"
            )
            fields = self.mapping(node, what, ("en", "hy"), unknown_hint=hint)
            if fields is None:
                return None
            if not fields:
                if not node.value:  # keys that are not en/hy were reported already
                    self.error(node, f"{what} needs 'en' or 'hy'")
                return None
            en = self.string(fields["en"][1], f"{what} (en)") if "en" in fields else None
            hy = self.string(fields["hy"][1], f"{what} (hy)") if "hy" in fields else None
            return Text(en=en, hy=hy) if en is not None or hy is not None else None
        value = self.string(node, what)
        return Text(en=value) if value is not None else None

    def boolean(self, node: Node, what: str) -> bool | None:
        """A boolean (`true`/`false`, also YAML 1.1's yes/no/on/off)."""
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return str(node.value).lower() in _TRUE
        if not _is_bad(node):
            self.error(node, f"{what} must be true or false, found {describe(node)}")
        return None

    def integer(self, node: Node, what: str, minimum: int | None = None) -> int | None:
        """An integer, at least `minimum` when given."""
        value: int | None = None
        if isinstance(node, ScalarNode) and node.tag == _INT:
            raw = str(node.value).replace("_", "")
            for base in (10, 0):
                try:
                    value = int(raw, base)
                    break
                except ValueError:
                    continue
        if value is None:
            if not _is_bad(node):
                self.error(node, f"{what} must be a whole number, found {describe(node)}")
            return None
        if minimum is not None and value < minimum:
            self.error(node, f"{what} must be {minimum} or more, found {value}")
            return None
        return value

    def number(self, node: Node, what: str, minimum: float | None = None) -> float | None:
        """A finite number (integer or decimal), at least `minimum` when given."""
        value: float | None = None
        is_exponent = (  # YAML 1.1 reads a plain `1e-3` (no dot) as a string: a number here
            isinstance(node, ScalarNode)
            and node.tag == _STR
            and not node.style  # plain, not quoted: None or "" by loader
            and _EXPONENT.fullmatch(str(node.value)) is not None
        )
        if isinstance(node, ScalarNode) and (node.tag in (_INT, _FLOAT) or is_exponent):
            try:
                value = float(str(node.value).replace("_", ""))
            except ValueError:
                value = None
            if value is not None and not math.isfinite(value):
                value = None
        if value is None:
            if not _is_bad(node):
                self.error(node, f"{what} must be a number, found {describe(node)}")
            return None
        if minimum is not None and value < minimum:
            self.error(node, f"{what} must be {minimum:g} or more, found {value:g}")
            return None
        return value
