"""Provides `SaveStatus`: the line at the top of each screen that says what is not saved, and why.

It is hidden while every change is saved and the database can be written. It shows:

- "Read-only: ..." when the progress database was opened read-only (a read-only mount);
- "N changes not saved yet: ... retrying in 4 s · ctrl+s retry now · ctrl+z discard the last"
  while the store refuses writes (locked, full disk, I/O error);
- "Cannot read progress: ..." when the last read failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.widgets import Static

from tracker.domain.terminal_text import inert

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp

__all__ = ["SaveStatus"]


class SaveStatus(Static):
    """What is not saved (or cannot be read), at the top of a screen; hidden when all is well."""

    DEFAULT_CSS = """
    SaveStatus {
        dock: top;
        height: auto;
        padding: 0 1;
        display: none;
        background: $warning 30%;
    }
    SaveStatus.-error { background: $error 40%; }
    SaveStatus.-shown { display: block; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "save_revision", self._changed)

    def _changed(self) -> None:
        self.show(cast("TrackerApp", self.app))

    def show(self, app: TrackerApp) -> None:
        """Draws the line from the app's pending changes, read error and read-only mode."""
        lines = []
        pending = app.pending
        if pending:
            words = pending.descriptions()
            count = len(words)
            reason = f" ({pending.error})" if pending.error is not None else ""
            lines.append(
                f"{count} change{'s' * (count != 1)} not saved yet: {'; '.join(words[-3:])}"
                f"{reason}. Retrying in {pending.delay:.0f} s · ctrl+s retry now ·"
                " ctrl+z discard the last"
            )
        if app.read_error is not None:
            lines.append(f"Cannot read progress: {app.read_error}")
        store = app.store if app.is_ready else None
        if store is not None and store.is_read_only:
            lines.append(
                f"Read-only: progress is shown but not saved here ({store.path} cannot be written)"
            )
        self.set_class(bool(lines), "-shown")
        self.set_class(bool(pending) or app.read_error is not None, "-error")
        self.update(Content("\n".join(inert(line) for line in lines)))

    @property
    def text(self) -> str:
        """What the line says now ("" when hidden)."""
        return str(self.render()) if self.has_class("-shown") else ""
