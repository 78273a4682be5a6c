"""Provides the mentor's pasted discussion text as the app shows it: math as Unicode, tab bullets as lists.

Mentors paste notes from chat answers and their own files: LaTeX math between `$...$`,
`$$...$$`, `\\(...\\)` or `\\[...\\]`, and bullets indented with tabs, which Markdown would take
for a code block (cut off at the pane's edge). `readable_markdown` rewrites both and leaves
everything else, code spans and fenced blocks included, as written. `first_line` gives a topic
without a title its title.

The LaTeX is converted by pylatexenc (imported only when a text holds math), with three
additions of ours: `\\frac{a}{b}` keeps its parentheses (`p/(1-p)`, not `p/1-p`), `^` and `_`
become superscript and subscript characters where Unicode has them all (`e⁻ˣ`, `xᵢ`), and
`\\text{...}` keeps its words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["first_line", "latex_to_unicode", "readable_markdown"]

TITLE_WIDTH = 60
"""At most this many characters of a first line make a title; longer ones end in `…`."""

_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
_MATH = re.compile(
    r"\$\$(?P<dd>.+?)\$\$"  # $$ display $$
    r"|\\\[(?P<bd>.+?)\\\]"  # \[ display \]
    r"|\\\((?P<bi>.+?)\\\)"  # \( inline \)
    r"|(?<![\\$\w])\$(?P<di>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)",  # $inline$, not "$5 and $10"
    re.DOTALL,
)
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[-*+•◦▪‣]|\d{1,3}[.)])[ \t]+(?P<rest>\S.*)$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_SUPERSCRIPT = str.maketrans(
    "0123456789+-−=()niaxbcdeghjklmoprstuvwyzT⊤'",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃˣᵇᶜᵈᵉᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷʸᶻᵀᵀ′",
)
_SUBSCRIPT = str.maketrans("0123456789+-−=()aeijoxnmtklhprsuv", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₒₓₙₘₜₖₗₕₚᵣₛᵤᵥ")


def readable_markdown(text: str) -> str:
    """The mentor's notes as Markdown that shows well: math in Unicode, tab bullets as lists.

    Args:
        text: The notes as written (Markdown, possibly pasted with LaTeX and tabs).

    Returns:
        The Markdown to show. Code (fenced blocks and `code spans`) is left as written.
    """
    pieces: list[str] = []
    position = 0
    for match in _FENCE.finditer(text):
        pieces.append(_prose(text[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_prose(text[position:]))
    return "".join(pieces)


def first_line(text: str) -> str:
    """A title from notes: their first line that has words, without Markdown marks or LaTeX.

    Args:
        text: The notes.

    Returns:
        At most `TITLE_WIDTH` characters (longer lines end in `…`); empty when nothing has words.
    """
    for line in text.splitlines():
        words = _plain(line)
        if words:
            return words if len(words) <= TITLE_WIDTH else words[: TITLE_WIDTH - 1].rstrip() + "…"
    return ""


def latex_to_unicode(latex: str) -> str:
    """One math formula (without its `$` marks) as plain Unicode text: `\\frac{1}{1+e^{-x}}` -> `1/(1+e⁻ˣ)`.

    Args:
        latex: The formula's LaTeX.

    Returns:
        The text; the LaTeX itself when pylatexenc cannot read it.
    """
    walker_context, convert = _converter()
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    try:
        nodes, _, _ = LatexWalker(
            latex, latex_context=walker_context, tolerant_parsing=True
        ).get_latex_nodes()
        text = convert.nodelist_to_text(nodes)
    except (LatexWalkerError, IndexError, TypeError, ValueError):
        return latex.strip()
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return text or latex.strip()


# --- prose outside code -----------------------------------------------------------------------


def _prose(text: str) -> str:
    """Markdown outside fenced blocks: bullets first (they are per line), then math."""
    return _with_math(_lists(text))


def _with_math(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        pieces.append(_MATH.sub(_math, text[position : span.start()]))
        pieces.append(span.group(0))
        position = span.end()
    pieces.append(_MATH.sub(_math, text[position:]))
    return "".join(pieces)


def _math(match: re.Match[str]) -> str:
    display = match.group("dd") or match.group("bd")
    formula = display if display is not None else (match.group("bi") or match.group("di"))
    shown = _MARKDOWN_SPECIAL.sub(r"\\\1", latex_to_unicode(formula))
    return f"\n\n{shown}\n\n" if display is not None else shown


def _lists(text: str) -> str:
    """Tab-indented bullets (and `•` bullets) as Markdown list items, nested by their indent.

    A line indented with a tab is a code block to Markdown; a bullet so indented is what a
    mentor pastes from a chat or a document. Lines indented with tabs that follow such a bullet
    are its continuation. Other lines are left alone (a tab-indented run with no bullet may be
    code).
    """
    out: list[str] = []
    in_list = False
    base = 0
    for line in text.split("\n"):
        bullet = _BULLET.match(line)
        indent = _indent_of(line)
        if bullet and ("\t" in bullet["indent"] or bullet["mark"] in "•◦▪‣"):
            level = _level(bullet["indent"])
            base = min(base, level) if in_list else level
            mark = bullet["mark"] if bullet["mark"][0].isdigit() else "-"
            out.append("  " * (level - base) + f"{mark} {bullet['rest']}")
            in_list = True
        elif in_list and line.strip() and "\t" in indent:
            out.append("  " * (_level(indent) - base + 1) + line.strip())
        else:
            in_list = in_list and not line.strip()
            out.append(line)
    return "\n".join(out)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _level(indent: str) -> int:
    """How deep an indent nests: one level a tab, one per four spaces."""
    return indent.count("\t") + indent.count(" ") // 4


def _plain(line: str) -> str:
    """A line's words: list marks, heading marks, emphasis and backticks dropped, math converted."""
    line = re.sub(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*+•][ \t]+|\d{1,3}[.)][ \t]+)", "", line)
    line = _MATH.sub(lambda m: latex_to_unicode(next(g for g in m.groups() if g is not None)), line)
    line = re.sub(r"(\*\*|__|\*|`)", "", line)
    return re.sub(r"\s+", " ", line).strip().rstrip(":")


# --- pylatexenc, set up once --------------------------------------------------------------------


@cache
def _converter() -> tuple[Any, Any]:
    """pylatexenc's walker context and converter, with our `^`, `_`, `\\frac` and `\\text`."""
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        SpecialsTextSpec,
        get_default_latex_context_db,
    )
    from pylatexenc.latexwalker import get_default_latex_context_db as walker_db
    from pylatexenc.macrospec import MacroStandardArgsParser, SpecialsSpec

    walker = walker_db()
    walker.add_context_category(
        "study-scripts",
        prepend=True,
        specials=[
            SpecialsSpec("^", args_parser=MacroStandardArgsParser("{")),
            SpecialsSpec("_", args_parser=MacroStandardArgsParser("{")),
        ],
    )
    text = get_default_latex_context_db()
    text.add_context_category(
        "study-scripts",
        prepend=True,
        macros=[
            MacroTextSpec("frac", simplify_repl=_frac),
            MacroTextSpec("dfrac", simplify_repl=_frac),
            MacroTextSpec("tfrac", simplify_repl=_frac),
            MacroTextSpec("text", simplify_repl="%(1)s"),
            MacroTextSpec("mathrm", simplify_repl="%(1)s"),
            MacroTextSpec("operatorname", simplify_repl="%(1)s"),
        ],
        specials=[
            SpecialsTextSpec("^", simplify_repl=_script(_SUPERSCRIPT, "^")),
            SpecialsTextSpec("_", simplify_repl=_script(_SUBSCRIPT, "_")),
        ],
    )
    return walker, LatexNodes2Text(latex_context=text, math_mode="text")


def _argument_texts(node: Any, l2tobj: Any) -> list[str]:
    arguments = node.nodeargd.argnlist if node.nodeargd is not None else []
    return [l2tobj.nodelist_to_text([a]).strip() if a is not None else "" for a in arguments]


def _grouped(text: str, *, is_word_bare: bool = True) -> str:
    """`text` as one operand: bare when it is one symbol (or word), else in parentheses."""
    bare = r"\w+|\(.*\)" if is_word_bare else r".|\(.*\)"
    if re.fullmatch(bare, text) and text.count("(") == text.count(")"):
        return text
    return f"({text})"


def _frac(node: Any, l2tobj: Any) -> str:
    parts = _argument_texts(node, l2tobj)
    if len(parts) != 2:
        return "/".join(parts)
    return f"{_grouped(parts[0])}/{_grouped(parts[1])}"


def _script(table: dict[int, int], mark: str) -> Callable[[Any, Any], str]:
    def repl(node: Any, l2tobj: Any) -> str:
        parts = _argument_texts(node, l2tobj)
        text = parts[0] if parts else ""
        if not text:
            return mark
        if all(ord(ch) in table for ch in text if not ch.isspace()):
            return text.translate(table)
        return f"{mark}{_grouped(text, is_word_bare=False)}"

    return repl
