"""Tests for the safe YAML reader: syntax, encoding, size, depth, aliases and tags, each located."""

from __future__ import annotations

import pytest

from tracker.content.reader import MAX_DEPTH, MAX_NODES, read_yaml
from tracker.content.regular_file import MAX_BYTES
from tracker.domain.curriculum import Severity


def _one(text: str | bytes) -> tuple[int, int, str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = read_yaml("f.yaml", data)
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert problem.severity is Severity.ERROR
    assert problem.location.path == "f.yaml"
    return problem.location.line, problem.location.column, problem.message


def test_plain_data_reads_without_problems() -> None:
    result = read_yaml("f.yaml", b"a: !!str 3\nb: [1, 2]\nc: &x {d: 1}\ne: *x\n")
    assert result.problems == []
    assert result.node is not None


def test_an_empty_file_has_no_node_and_no_problem() -> None:
    result = read_yaml("f.yaml", b"# only a comment\n")
    assert (result.node, result.problems) == (None, [])


def test_a_syntax_error_is_located_at_the_parsers_mark() -> None:
    line, column, message = _one("a: 1\nb: [1, 2\nc: 3\n")
    assert (line, column) == (3, 2)
    assert message.startswith("YAML syntax: did not find expected ',' or ']'")
    assert "while parsing a flow sequence at 2:4" in message


def test_a_bad_indent_is_located_at_the_key_that_does_not_line_up() -> None:
    line, column, message = _one("a: 1\n  b: 2\n")
    assert (line, column) == (2, 3)
    assert message == (
        "YAML syntax: 'b' starts at column 3 but 'a' on line 1 starts at column 1:"
        " line them up (indent with 0 spaces)"
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "date: 2024-05-06\nitems:\n  - resource: llm-book\n\tsections: 2.6\n",
            (4, 1),
            "YAML syntax: a tab in the indentation: indent with spaces only",
        ),
        (
            "items:\n  - resource llm-book\n    sections: 2.6\n",
            (2, 5),
            "YAML syntax: no ':' after 'resource' in 'resource llm-book'"
            " (did you mean 'resource: llm-book'?)",
        ),
        (
            "items:\n  - resource:llm-book\n    sections: 2.6\n",
            (2, 5),
            "YAML syntax: no space after ':' in 'resource:llm-book'"
            " (did you mean 'resource: llm-book'?)",
        ),
        (
            "items:\n  - resource: post\n    note: Կարդա նորից: հետո\n",
            (3, 11),
            "YAML syntax: the text of 'note' contains ': ' (column 22), which YAML takes for a"
            ' new key: put the text in quotes (note: "Կարդա նորից: հետո")',
        ),
        (
            "items:\n  - resource: llm-book\n     sections: 2.6\n",
            (3, 6),
            "YAML syntax: 'sections' starts at column 6 but 'resource' on line 2 starts at"
            " column 5: line them up (indent with 4 spaces)",
        ),
        (
            "items:\n  - resource: llm-book\n   sections: 2.6\n",
            (3, 4),
            "YAML syntax: 'sections' starts at column 4 but 'resource' on line 2 starts at"
            " column 5: line them up (indent with 4 spaces)",
        ),
    ],
)
def test_the_usual_slips_are_named_where_they_were_made(
    text: str, where: tuple[int, int], message: str
) -> None:
    line, column, got = _one(text)
    assert (line, column) == where
    assert got.startswith(message)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_named_as_such(encoding: str) -> None:
    line, column, message = _one("date: 2024-05-06\n".encode(encoding))
    assert (line, column) == (1, 1)
    assert message.startswith("the file is saved as UTF-16, not UTF-8: save it again as UTF-8")


def test_crlf_line_endings_read_like_lf() -> None:
    result = read_yaml("f.yaml", b"a: 1\r\nb:\r\n  - 2\r\n")
    assert result.problems == []
    assert result.node is not None
    assert result.node.value[1][1].value[0].start_mark.line == 2


def test_non_utf8_bytes_are_located_by_character_column() -> None:
    data = "a: 1\nb: 'Հայ".encode() + b"\xfe\xff'\n"
    line, column, message = _one(data)
    assert (line, column) == (2, 8)
    assert message == "bytes that are not UTF-8 (0xfe); save the file as UTF-8"


def test_a_byte_order_mark_does_not_shift_columns() -> None:
    result = read_yaml("f.yaml", "\ufeffa: [1,\n".encode())
    assert [(p.location.line, p.location.column) for p in result.problems] == [(2, 1)]


def test_a_control_character_is_located() -> None:
    line, column, message = _one("a: 1\nb: 'x\x01'\n")
    assert (line, column) == (2, 6)
    assert message.startswith("character U+0001 is not allowed")


def test_a_file_over_the_size_cap_is_refused_at_its_start() -> None:
    line, column, message = _one(b"a: " + b"x" * MAX_BYTES)
    assert (line, column) == (1, 1)
    assert message == "file is 2.0 MiB, over the 2 MiB limit (split it)"


def test_nesting_past_the_depth_cap_is_refused_at_the_first_node_too_deep() -> None:
    depth = MAX_DEPTH + 10
    result = read_yaml("f.yaml", ("[" * depth + "]" * depth).encode())
    assert result.node is None
    assert [(p.location.line, p.location.column, p.message) for p in result.problems] == [
        (1, MAX_DEPTH + 1, "nesting deeper than 50 levels")
    ]


def test_nesting_past_libyamls_own_limit_is_a_located_syntax_error() -> None:
    line, column, message = _one("[" * 5000)
    assert line == 1 and column > 1
    assert message.startswith("YAML syntax:")


def test_an_alias_bomb_is_refused_at_the_alias_that_crosses_the_budget() -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for name, previous in zip("bcdef", "abcde", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    line, column, message = _one("\n".join(lines) + "\n")
    # a, b, c, d expand to 11, 111, 1,111, 11,111 nodes: 12,351 nodes up to line 5's list,
    # then each *d adds 11,111: the eighth (column 8 + 7 * 4) takes the total past 100,000
    assert (line, column) == (5, 8 + 7 * 4)
    assert message == f"alias '*d' expands the file past {MAX_NODES:,} nodes (an alias bomb?)"


def test_aliases_under_the_budget_are_fine() -> None:
    result = read_yaml("f.yaml", b"a: &a [1, 2, 3]\nb: [*a, *a, *a]\n")
    assert result.problems == []


def test_a_recursive_alias_is_refused_at_the_alias() -> None:
    line, column, message = _one("a: &r\n  - 1\n  - *r\n")
    assert (line, column) == (3, 5)
    assert message == "alias '*r' refers to a node that contains it"


@pytest.mark.parametrize(
    ("text", "where", "tag"),
    [
        ("a: !!python/object/apply:os.system ['ls']\n", (1, 4), "!!python/object/apply:os.system"),
        ("a: 1\nb: !foo bar\n", (2, 4), "!foo"),
        ("a: !!binary aGk=\n", (1, 4), "!!binary"),
        ("a: !!set {x, y}\n", (1, 4), "!!set"),
        ("- !!python/name:os.system\n", (1, 3), "!!python/name:os.system"),
    ],
)
def test_non_standard_tags_are_errors_at_the_node(
    text: str, where: tuple[int, int], tag: str
) -> None:
    line, column, message = _one(text)
    assert (line, column) == where
    assert message == f"tag '{tag}' is not allowed: the curriculum is plain data (remove the tag)"


def test_a_tagged_node_is_never_constructed() -> None:
    result = read_yaml(
        "f.yaml", b"a: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n"
    )
    assert result.node is not None  # composed (a node, with a mark), never built into an object
    assert type(result.node).__name__ == "MappingNode"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: 1\n  b: 2\n", (2, 3)),
        ("a: 1\nb: !foo x\n", (2, 4)),
        ("items:\n  - resource: llm-book\n   sections: 2.6\n", (3, 4)),
        ("items:\n  - resource llm-book\n    sections: 2.6\n", (2, 5)),
        ("items:\n  - resource: llm-book\n\tsections: 2.6\n", (3, 1)),
        ('a:\n  note: "x\n  b: 1\n', (2, 9)),
        ("a: &r\n  - *r\n", (2, 5)),
        ("[" * 60 + "]" * 60, (1, MAX_DEPTH + 1)),
        ("[" * 3000 + "]" * 3000, None),
    ],
)
def test_the_pure_python_loader_locates_the_same_problems(
    monkeypatch: pytest.MonkeyPatch, text: str, where: tuple[int, int] | None
) -> None:
    import yaml

    from tracker.content import reader

    monkeypatch.setattr(reader, "_LOADER", yaml.SafeLoader)
    result = read_yaml("f.yaml", text.encode())
    assert len(result.problems) == 1
    location = result.problems[0].location
    if where is not None:
        assert (location.line, location.column) == where
    else:  # too deep for the pure-Python composer: refused, still located
        assert (location.line, location.column) >= (1, 1)
