"""Provides the exception tree of the tracker.

TrackerError
├── ContentError      the curriculum cannot be read at all (not a located problem: those are data)
├── StoreError        the progress database cannot be opened or written
│   └── SchemaTooNewError   the database was written by a newer version; left untouched
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


class RunnerError(TrackerError):
    """The snippet worker cannot be started or spoken to."""
