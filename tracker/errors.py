"""Provides the exception tree of the tracker.

TrackerError
├── ContentError      the curriculum cannot be read at all (not a located problem: those are data)
├── StoreError        the progress database cannot be opened or written
│   ├── SchemaTooNewError   the database was written by a newer version; left untouched
│   └── UndoConflictError   an undo would overwrite another app instance's later change
└── RunnerError       the snippet worker cannot be started or spoken to
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base class of every error the tracker raises on purpose."""


class ContentError(TrackerError):
    """The curriculum cannot be read at all (a missing directory, say)."""


class StoreError(TrackerError):
    """The progress database cannot be opened or written."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the tracker; it is left untouched."""


class UndoConflictError(StoreError):
    """An undo (or redo) would overwrite a change another app instance made since; none was done."""


class RunnerError(TrackerError):
    """The snippet worker cannot be started or spoken to."""
