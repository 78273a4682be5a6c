"""Provides `NotesList`: the mentee's notes on an item, newest last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.widgets import Static

if TYPE_CHECKING:
    from tracker.store.records import Note

__all__ = ["NotesList"]


class NotesList(Static):
    """Notes with their dates; a hint when there are none."""

    DEFAULT_CSS = """
    NotesList { height: auto; padding: 0 1; }
    """

    def show(self, notes: Sequence[Note]) -> None:
        """Shows `notes` in the order given."""
        if not notes:
            self.update(RichText("No notes yet: press n to add one.", style="dim"))
            return
        text = RichText()
        for index, note in enumerate(notes):
            if index:
                text.append("\n")
            text.append(note.created.astimezone().strftime("%d/%m %H:%M  "), style="dim")
            text.append(note.text)
        self.update(text)
