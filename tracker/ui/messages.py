"""Provides the app-wide messages that workers post back to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tracker.domain.curriculum import Curriculum

__all__ = ["CurriculumLoaded"]


@dataclass
class CurriculumLoaded(Message):
    """The load worker read the curriculum (at start, or again after a file changed)."""

    curriculum: Curriculum
    """Whatever could be loaded, with its problems."""
    signature: dict[str, tuple[int, int]]
    """The files' `(mtime_ns, size)` as they were before the load started."""
    is_reload: bool
    """False for the first load, True when a change on disk caused it."""
