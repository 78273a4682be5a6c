"""Provides the per-file results of reading: what one file says, before other files are consulted.

A draft holds everything that can be known from one file alone, plus the references (with their
locations) that only the whole curriculum can resolve. Drafts are what the cache stores, keyed
by each file's content; cross-file resolution (`tracker.content.resolve`) runs on every load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from tracker.domain.curriculum import (
    Day,
    ItemKind,
    Location,
    Owner,
    Problem,
    Question,
    Resource,
    Snippet,
    Text,
    Topic,
)

__all__ = [
    "FileDraft",
    "FileRole",
    "ItemDraft",
    "MeetingDraft",
    "QuestionDraft",
    "QuizDraft",
    "Ref",
    "TopicDraft",
]


class FileRole(StrEnum):
    """What a curriculum file holds, decided by its name and directory."""

    CATALOGUE = "catalogue"
    MEETING = "meeting"
    QUIZ = "quiz"


class Ref(NamedTuple):
    """A value written in a file, with where it was written.

    A plain tuple, so that the cache unpickles it at C speed; `location` builds the domain
    `Location` only when a problem needs it.
    """

    value: str
    path: str
    line: int
    column: int

    @classmethod
    def at(cls, value: str, location: Location) -> Ref:
        """The value written at `location`."""
        return cls(value, location.path, location.line, location.column)

    @property
    def location(self) -> Location:
        """Where the value was written."""
        return Location(self.path, self.line, self.column)


@dataclass(slots=True)
class ItemDraft:
    """One item of a meeting, before the catalogue expands its ranges."""

    id: str
    order: int
    kind: ItemKind
    location: Location
    id_at: Ref | None = None
    """Where the id was written; None when the id is the default one."""
    resource: Ref | None = None
    pieces: tuple[Ref, ...] = ()
    """SECTIONS: the comma-separated pieces as written (`2.1-2.7`, `A1`)."""
    with_exercises_at: Location | None = None
    """SECTIONS: where `with_exercises: true` was written (None: the sections alone)."""
    section: Ref | None = None
    """EXERCISES: the section whose exercises these are."""
    numbers: tuple[int, ...] = ()
    """EXERCISES: the numbers, expanded; empty means all of them, as the catalogue counts."""
    numbers_at: Ref | None = None
    """Where `numbers` was written; None when it was left out (all of them)."""
    read_until: Ref | None = None
    is_through: bool = False
    """READ_UNTIL: `read_through` (the named section included) rather than `read_until`."""
    scope: Text | None = None
    path: Ref | None = None
    """FILE: the file's path in its repository."""
    start: int | None = None
    start_at: Ref | None = None
    end: int | None = None
    end_at: Ref | None = None
    owner: Owner = Owner.MENTEE
    text: Text | None = None
    mentor_todo: Text | None = None
    note: Text | None = None
    link: Resource | None = None
    """A one-off link (`url:`): the resource the item names by its address."""
    is_optional: bool = False
    problems: tuple[Problem, ...] = ()
    """The problems found while reading the item's YAML (a misspelt key, say)."""


@dataclass(slots=True)
class TopicDraft:
    """A "to discuss" topic; `snippet_refs` are snippet ids it names but does not define."""

    topic: Topic
    id_location: Location
    snippet_refs: tuple[Ref, ...] = ()


@dataclass(slots=True)
class MeetingDraft:
    """A meeting file, before its items are resolved."""

    date: date | None
    location: Location
    title: Text | None = None
    date_at: Location | None = None
    """Where the date is written (for a second file on the same date)."""
    note: Text | None = None
    is_ordered: bool = True
    items: list[ItemDraft] = field(default_factory=list)
    topics: list[TopicDraft] = field(default_factory=list)
    repeat: Day | None = None
    """`repeat: 2024-04-08`: the earlier meeting whose list this one repeats."""
    repeat_at: Location | None = None


@dataclass(slots=True)
class QuestionDraft:
    """A question, with the references that the whole curriculum resolves."""

    question: Question
    id_location: Location
    snippet: Ref | None = None
    follows: tuple[Ref, ...] | None = None
    """The question's own `follows`; None when it has none and takes the quiz's."""
    meeting_location: Location | None = None
    """Where the question's own `meeting` was written; None when it takes the quiz's."""


@dataclass(slots=True)
class QuizDraft:
    """A quiz file: its topic and questions."""

    topic: Ref | None
    title: Text | None = None
    questions: list[QuestionDraft] = field(default_factory=list)
    follows: tuple[Ref, ...] = ()
    meeting: date | None = None
    meeting_location: Location | None = None


@dataclass(slots=True)
class FileDraft:
    """Everything one file says, and the problems found in it alone."""

    path: str
    role: FileRole
    problems: list[Problem] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    meeting: MeetingDraft | None = None
    quiz: QuizDraft | None = None
    snippets: list[tuple[Snippet, Location]] = field(default_factory=list)
    """Snippets defined in this file, each with where its id was written."""
