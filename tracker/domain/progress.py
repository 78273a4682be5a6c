"""Provides the mentee's progress as values: the state of each part, and an item's completion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from tracker.domain.curriculum import Item
from tracker.domain.item_kinds import ITEM_KINDS
from tracker.domain.spans import Spans, seen

__all__ = [
    "ItemProgress",
    "PartState",
    "WatchHistory",
    "covered_since",
    "is_question_for",
    "item_progress",
]

WatchHistory = tuple[tuple[datetime, Spans], ...]
"""One video's watched spans after each change of them (UTC instant, spans), oldest first: what
its `position` and `watched` events replayed give (`spans_of` of the state after each)."""


@dataclass(frozen=True, slots=True)
class PartState:
    """The current state of one progress key, as the store derives it from the event log."""

    key: str
    is_done: bool = False
    position: int | None = None
    """For a `{resource}/position` key: seconds watched, as recorded before spans (one position
    per video)."""
    updated: datetime | None = None
    """When the state last changed (UTC)."""
    watched: Spans | None = None
    """For a `{resource}/position` key: the spans watched, recorded per item (None: never;
    then `position` alone says how far, from 0). `tracker.domain.spans.spans_of` reads both."""


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


def covered_since(history: WatchHistory, start: int, end: int) -> datetime | None:
    """When the segment `start`-`end` became watched whole and stayed so: the first change of
    the latest run of changes that all cover it.

    Watching other segments of the video later does not move this moment; a segment set back
    and watched whole again is covered from the second time.

    Args:
        history: The video's spans after each change, oldest first.
        start: The segment's first second.
        end: Its end (seconds, after `start`).

    Returns:
        The UTC instant, or None when the last spans of `history` do not cover the segment
        (or there are none).
    """
    since = None
    for at, spans in reversed(history):
        if seen(spans, start, end) < end - start:
            break
        since = at
    return since


def is_question_for(asked_for: date, is_done: bool, meeting: date) -> bool:
    """Whether a mentee's question belongs to `meeting`'s discussion.

    A question carries over: it is for the meeting it was asked for, and for every later one
    until the mentee marks it answered.

    Args:
        asked_for: The meeting it was asked for.
        is_done: Whether the mentee ticked it as answered.
        meeting: The meeting in question.

    Returns:
        True for the meeting's own questions (answered or not) and for earlier unanswered ones.
    """
    return asked_for == meeting or (asked_for < meeting and not is_done)
