"""Provides `MeetingHeader`: the next meeting's date, countdown and totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.widgets import Static

if TYPE_CHECKING:
    from tracker.domain.agenda import Agenda
    from tracker.domain.curriculum import Lang

__all__ = ["BUNDLED", "MeetingHeader"]

BUNDLED = "The bundled example curriculum (read-only) · study init DIR starts your own"
"""What the heading says when no curriculum was found and the bundled example is open."""


class MeetingHeader(Static):
    """Two lines: the meeting and its countdown; what is done for it and overall."""

    DEFAULT_CSS = """
    MeetingHeader { height: auto; padding: 0 1; background: $boost; }
    """

    def show(
        self, agenda: Agenda | None, lang: Lang, errors: int = 0, *, bundled: bool = False
    ) -> None:
        """Shows `agenda`'s heading; None means the curriculum is still loading.

        Args:
            agenda: The agenda, or None while loading.
            lang: "en" or "hy".
            errors: How many errors the curriculum has (a badge points to Problems).
            bundled: Whether this is the bundled example curriculum (a line says so, and how to
                start one's own, in place of where a later meeting's list would go).
        """
        if agenda is None:
            self.update("Loading the curriculum…")
            return
        if agenda.meeting is None:
            words = (
                BUNDLED if bundled else "No meetings yet: the mentor's lists go in assignments/."
            )
            if errors:
                words += f"\n⚠ {errors} error{'s' * (errors != 1)} in the curriculum: press p"
            self.update(words)
            return
        from tracker.ui.labels import meeting_title  # not for the first frame

        text = RichText()
        if agenda.is_past:  # every meeting is behind us: say so, not only "943 days ago"
            text.append("Last meeting: ", style="bold")
            text.append(meeting_title(agenda.meeting, lang))
            text.append(f"  (passed, {agenda.countdown})", style="bold")
            if not bundled:
                text.append("\nNo later meeting is planned yet: its list goes in assignments/.")
        else:
            text.append("Next meeting: ", style="bold")
            text.append(meeting_title(agenda.meeting, lang))
            text.append(f"  ({agenda.countdown})", style="bold")
        open_todos = sum(not t.is_done for t in agenda.mentor_todos)
        text.append(
            f"\nDone {agenda.meeting_totals} parts · overall {agenda.overall_totals}"
            f" · {len(agenda.carried)} carried over"
            f" · {open_todos} mentor TODO{'s' * (open_todos != 1)} open"
        )
        if errors:
            noun = "error" if errors == 1 else "errors"
            text.append(f"\n⚠ {errors} {noun} in the curriculum: press p", style="bold red")
        if bundled:
            text.append(f"\n{BUNDLED}", style="italic")
        if agenda.meeting.note is not None:
            text.append(f"\n{agenda.meeting.note.get(lang)}", style="italic")
        self.update(text)
