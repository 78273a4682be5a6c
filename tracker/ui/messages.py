"""Provides the app-wide messages that workers post back to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tracker.content.watch import FileStamp
    from tracker.domain.curriculum import Curriculum
    from tracker.store.pending import SavedChange

__all__ = ["ChangesRetried", "CurriculumLoaded"]


@dataclass
class CurriculumLoaded(Message):
    """The load worker read the curriculum (at start, or again after a file changed)."""

    curriculum: Curriculum
    """Whatever could be loaded, with its problems."""
    signature: dict[str, FileStamp]
    """The files' stamps as they were before the load started."""
    is_reload: bool
    """False for the first load, True when a change on disk caused it."""


@dataclass
class ChangesRetried(Message):
    """The save worker retried the pending changes (some, all or none were saved)."""

    saved: list[SavedChange]
    """The changes saved by this retry, oldest first."""
