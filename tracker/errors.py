"""Provides the exception tree of the tracker.

TrackerError
├── ContentError      the curriculum cannot be read at all (not a located problem: those are data)
├── StoreError        the progress database cannot be opened, read or written (`fault` says why)
│   ├── SchemaTooNewError   the database was written by a newer version; left untouched
│   └── UndoConflictError   an undo would overwrite another app instance's later change
└── RunnerError       the snippet worker cannot be started or spoken to
"""

from __future__ import annotations

from enum import StrEnum


class TrackerError(Exception):
    """Base class of every error the tracker raises on purpose."""


class ContentError(TrackerError):
    """The curriculum cannot be read at all (a missing directory, say)."""


class StoreFault(StrEnum):
    """Why the progress database failed: what the app does next depends on it."""

    LOCKED = "locked"
    """Another program held the write lock past the timeout: retrying will work."""
    FULL = "full"
    """The disk (or the quota) is full: retrying works once space is freed."""
    READ_ONLY = "read-only"
    """The file or its directory cannot be written: reading still works."""
    CORRUPT = "corrupt"
    """The file is damaged or not a database."""
    IO = "io"
    """The disk reported an input/output error."""
    CANNOT_OPEN = "cannot-open"
    """The file or its directory cannot be opened or created."""
    OTHER = "other"
    """Anything else."""


class StoreError(TrackerError):
    """The progress database cannot be opened, read or written.

    Args:
        message: What failed, where, and what to do (one line).
        fault: Why, as a `StoreFault` (the app retries a locked or full database).
    """

    def __init__(self, message: str, fault: StoreFault = StoreFault.OTHER) -> None:
        super().__init__(message)
        self.fault = fault
        """Why the database failed."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the tracker; it is left untouched."""


class UndoConflictError(StoreError):
    """An undo (or redo) would overwrite a change another app instance made since; none was done."""


class RunnerError(TrackerError):
    """The snippet worker cannot be started or spoken to."""
