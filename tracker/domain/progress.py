"""Provides the mentee's progress as values: the state of each part, and an item's completion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from tracker.domain.curriculum import Item
from tracker.domain.item_kinds import ITEM_KINDS

__all__ = ["ItemProgress", "PartState", "item_progress"]


@dataclass(frozen=True, slots=True)
class PartState:
    """The current state of one progress key, as the store derives it from the event log."""

    key: str
    is_done: bool = False
    position: int | None = None
    """For a `{resource}/position` key: seconds watched."""
    updated: datetime | None = None
    """When the state last changed (UTC)."""


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """How far one item is."""

    item: Item
    done: int
    """Parts done (for a video: seconds watched past `start`)."""
    total: int
    """Parts in all (for a video: `end - start` seconds; 0 when the end is unknown)."""

    @property
    def fraction(self) -> float:
        """Completion between 0.0 and 1.0."""
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def is_done(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def is_started(self) -> bool:
        return self.done > 0


def item_progress(item: Item, states: Mapping[str, PartState]) -> ItemProgress:
    """Computes how far `item` is from the current part states.

    Args:
        item: The item.
        states: Part states by key (missing keys count as not started).

    Returns:
        The item's progress. A video counts seconds between its `start` and `end`.
    """
    done, total = ITEM_KINDS[item.kind].amount(item, states)
    return ItemProgress(item, done, total)
