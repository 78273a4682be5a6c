"""Provides the values the progress store hands out: events, notes, questions, cards, reviews."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.store.events import EventKind

__all__ = ["CardRecord", "Event", "MenteeQuestion", "Note", "StoredReview", "UndoResult"]


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the append-only log."""

    id: int
    action: int
    """The user action this event belongs to (the id of the action's first event)."""
    at: datetime
    """When it was recorded (UTC)."""
    kind: EventKind
    """What the event records (`tracker.store.events` interprets each kind)."""
    key: str
    """A progress key, `question/{id}` for a mentee question, or a quiz question id."""
    value: Mapping[str, Any] = field(default_factory=dict)
    """The event's JSON: `new` and `old` snapshots, and kind-specific fields."""
    undoes: int | None = None
    """For the events of an undo: the action they reverse."""
    is_undone: bool = False
    """Whether a later undo reversed this event's action."""


@dataclass(frozen=True, slots=True)
class Note:
    """A note the mentee wrote on an item or part."""

    id: int
    key: str
    """The progress key (or item key) the note is attached to."""
    text: str
    created: datetime


@dataclass(frozen=True, slots=True)
class MenteeQuestion:
    """A question the mentee wants to bring to a meeting."""

    id: int
    meeting: date
    text: str
    is_done: bool
    """Whether it was answered (ticked)."""
    created: datetime


@dataclass(frozen=True, slots=True)
class CardRecord:
    """The stored FSRS state of one quiz question (the quiz engine owns its meaning)."""

    question_id: str
    card: Mapping[str, Any]
    """`fsrs.Card.to_dict()` as the quiz engine gave it."""
    due: datetime
    """When the card is next due (UTC)."""
    lapses: int
    reps: int
    """Scheduled (not cram) reviews recorded for this card."""


@dataclass(frozen=True, slots=True)
class StoredReview:
    """One review of a quiz question that has not been undone."""

    id: int
    """The review's event id."""
    question_id: str
    at: datetime
    rating: int
    answer: str | None
    is_correct: bool
    is_cram: bool


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What an undo (or redo) did."""

    action: int
    """The action that was reversed."""
    undo_action: int
    """The action made of the inverse events."""
    description: str
    """In words, for the status line: "unticked llm-book/2.6", "review of contiguity-1"."""
    keys: tuple[str, ...] = ()
    """The keys whose state changed."""
