"""Provides `leeches`: the quiz cards forgotten again and again, to discuss at the next meeting.

Apart from the quiz engine and its scheduler (FSRS), which the agenda does not need to list
them: the agenda is the first screen, and every import before it is drawn delays it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tracker.domain.curriculum import Curriculum, Question

__all__ = ["LEECH_LAPSES", "LapsedCard", "LapsedCards", "leeches"]

LEECH_LAPSES = 4
"""A card that has lapsed this many times becomes a "to discuss" item for the next meeting."""


class LapsedCard(Protocol):
    """What `leeches` needs of a stored card (`tracker.store.records.CardRecord`)."""

    @property
    def lapses(self) -> int:
        """How many times the card was forgotten."""
        ...


class LapsedCards(Protocol):
    """What `leeches` needs of `tracker.store.progress_store.ProgressStore`."""

    def cards(self, *, min_lapses: int = 0) -> Mapping[str, LapsedCard]: ...


def leeches(curriculum: Curriculum, store: LapsedCards) -> list[tuple[Question, int]]:
    """The questions whose card lapsed at least `LEECH_LAPSES` times: "to discuss" items.

    Args:
        curriculum: The questions.
        store: The progress store.

    Returns:
        `(question, lapses)` pairs, most lapses first, then in curriculum order.
    """
    cards = store.cards(min_lapses=LEECH_LAPSES)
    found = [(q, cards[q.id].lapses) for q in curriculum.questions if q.id in cards]
    found.sort(key=lambda pair: -pair[1])
    return found
