"""`inert`: untrusted text never reaches the terminal with a live control or escape sequence."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.terminal_text import inert, inert_json, is_inert

HOSTILE = {
    "osc title": ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    "osc 52 clipboard": ("\x1b]52;c;Y3VybCBldmlsLnNo\x07", "\\x1b]52;c;Y3VybCBldmlsLnNo\\x07"),
    "osc with string terminator": ("\x1b]2;t\x1b\\", "\\x1b]2;t\\x1b\\"),
    "osc 8 hyperlink": ("\x1b]8;;http://x\x1b\\ok\x1b]8;;\x1b\\", None),
    "csi clear screen": ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
    "csi sgr colour": ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    "dcs": ("\x1bPq#0;2;0;0;0\x1b\\", "\\x1bPq#0;2;0;0;0\\x1b\\"),
    "lone esc": ("a\x1bb", "a\\x1bb"),
    "8-bit csi": ("\x9b2J", "\\x9b2J"),
    "8-bit osc": ("\x9d0;t\x9c", "\\x9d0;t\\x9c"),
    "8-bit dcs": ("\x90q\x9c", "\\x90q\\x9c"),
    "bell nul backspace": ("a\x07b\x00c\x08", "a\\x07b\\x00c\\x08"),
    "delete": ("a\x7fb", "a\\x7fb"),
    "lone carriage return": ("safe\rEVIL", "safe\\rEVIL"),
    "form feed vertical tab": ("\x0c\x0b", "\\x0c\\x0b"),
    "bidi override": ("abc\u202edcba", "abc\\u202edcba"),
    "bidi isolate": ("\u2066x\u2069", "\\u2066x\\u2069"),
    "line separator": ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
    "lone surrogate": ("bad\udc9bbyte", "bad\\udc9bbyte"),
}


def _is_visible(text: str) -> bool:
    return all(
        char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cs", "Zl", "Zp"}
        for char in text
    ) and not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in text)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_sample_is_shown_as_visible_escapes(name: str) -> None:
    raw, expected = HOSTILE[name]
    shown = inert(raw)
    assert _is_visible(shown)
    assert not is_inert(raw)
    assert is_inert(shown)
    if expected is not None:
        assert shown == expected


def test_newline_and_tab_are_kept_and_crlf_ends_a_line() -> None:
    assert inert("a\tb\nc") == "a\tb\nc"
    assert inert("one\r\ntwo\r\n") == "one\ntwo\n"
    assert inert("progress\r\n\rdone") == "progress\n\\rdone"


def test_plain_and_non_ascii_text_is_returned_as_it_is() -> None:
    text = "Բարև, attention is all you need: softmax(QKᵀ/√d) → 🙂 \\x1b stays a backslash"
    assert inert(text) is text


def test_large_text_with_sparse_escapes_is_escaped_in_full() -> None:
    line = "x" * 1000 + "\x1b[2J" + "\n"
    text = line * 2000
    shown = inert(text)
    assert shown.count("\\x1b[2J") == 2000
    assert "\x1b" not in shown
    assert len(shown) == len(text) + 3 * 2000


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x3000)))
def test_no_text_keeps_a_live_control(text: str) -> None:
    shown = inert(text)
    assert _is_visible(shown)
    assert inert(shown) == shown


def test_json_made_inert_decodes_to_the_same_value() -> None:
    value = {"name": "vova\x1b]0;t\x07\x9b2J\u202e", "n": [1, "\x7f"]}
    text = json.dumps(value, ensure_ascii=False)
    shown = inert_json(text)
    assert is_inert(shown)
    assert json.loads(shown) == value
    assert inert_json('{"a": "plain"}') == '{"a": "plain"}'
