"""Provides the mentor's text as the quiz shows it: inline code, highlighted code, paragraphs."""

from __future__ import annotations

import re

from rich.syntax import Syntax
from textual.content import Content

__all__ = ["CODE_STYLE", "code_view", "inline_code", "prose_pieces"]

CODE_STYLE = "bold $text-accent"
"""How `inline code` in the mentor's text is shown (the backticks are dropped)."""

_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def inline_code(text: str, style: str = "") -> Content:
    """The mentor's text with its `inline code` spans shown as code, without the backticks.

    Args:
        text: One prompt, hint, choice or paragraph.
        style: The style of the text around the code.

    Returns:
        The text to show.
    """
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _INLINE_CODE.finditer(text):
        if match.start() > position:
            parts.append(
                (text[position : match.start()], style) if style else text[position : match.start()]
            )
        parts.append((match[1], f"{style} {CODE_STYLE}".strip()))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], style) if style else text[position:])
    return Content.assemble(*parts)


def code_view(code: str, *, language: str = "python") -> Syntax:
    """Highlighted code (read-only), as a question's code is shown."""
    return Syntax(code.rstrip(), language or "python", theme="ansi_dark", word_wrap=True)


def prose_pieces(text: str) -> list[Content | Syntax]:
    """Splits the mentor's text into paragraphs (with inline code) and fenced code blocks.

    Args:
        text: An explanation, which may hold ```python fenced blocks.

    Returns:
        The pieces in order; empty ones left out.
    """
    pieces: list[Content | Syntax] = []
    position = 0
    for match in _FENCE.finditer(text):
        if before := text[position : match.start()].strip():
            pieces.append(inline_code(before))
        pieces.append(code_view(match[2], language=match[1]))
        position = match.end()
    if rest := text[position:].strip():
        pieces.append(inline_code(rest))
    return pieces
