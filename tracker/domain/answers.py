"""Provides the normalisation of short text answers, shared by the quiz and `study check --run`."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_text"]

_ARMENIAN_MARKS = dict.fromkeys(map(ord, "\u055b\u055c\u055e\u055f"), None)
"""Armenian emphasis ՛, exclamation ՜, question ՞ and abbreviation ՟ marks: written over a
vowel inside a word, so they are removed wherever they stand."""

_EDGE_EXTRA = set("`")
_WHITESPACE = re.compile(r"\s+")


def _is_edge_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") or char in _EDGE_EXTRA


def normalise_text(text: str) -> str:
    """Normalises a short text answer for comparison.

    NFKC, case folding, Armenian in-word marks (՞ ՜ ՛ ՟) removed, `եվ` and `և` made one,
    punctuation stripped at both ends, whitespace collapsed to single spaces.

    Args:
        text: The text.

    Returns:
        The normalised text ("" for an answer made only of punctuation and spaces).
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_ARMENIAN_MARKS)
    folded = folded.replace("եվ", "եւ")  # NFKC already turns the ligature և into եւ
    folded = _WHITESPACE.sub(" ", folded).strip()
    start, end = 0, len(folded)
    while start < end and (_is_edge_punctuation(folded[start]) or folded[start].isspace()):
        start += 1
    while end > start and (_is_edge_punctuation(folded[end - 1]) or folded[end - 1].isspace()):
        end -= 1
    return folded[start:end]
