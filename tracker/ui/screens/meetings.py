"""Provides `MeetingsScreen` (the timeline) and `MeetingScreen` (one meeting's list)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label

from tracker.domain.agenda import AgendaEntry, countdown_text, meeting_timeline
from tracker.domain.progress import item_progress
from tracker.ui.labels import meeting_title
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.timeline import MeetingLine, MeetingTimeline

__all__ = ["MeetingScreen", "MeetingsScreen"]


class MeetingsScreen(TrackerScreen):
    """Every meeting, past and coming, with its completion; enter opens one.

    The timeline draws only the rows on screen (`MeetingTimeline`), so that years of meetings
    show as fast as a few.
    """

    def compose(self) -> ComposeResult:
        yield Label("Meetings", classes="section-title")
        yield MeetingTimeline(id="timeline")
        yield KeyFooter()

    def update_view(self) -> None:
        app = self.tracker
        if app.curriculum is None:
            return
        lines = []
        upcoming = 0
        for number, summary in enumerate(meeting_timeline(app.curriculum, app.states, app.today)):
            marker = "▶ " if summary.is_next else "  "
            title = marker + meeting_title(summary.meeting, app.lang)
            if summary.is_next:
                title += "  (last, passed)" if summary.is_past else "  (next)"
                upcoming = number
            totals = summary.totals
            lines.append(
                MeetingLine(
                    summary.meeting.date.isoformat(),
                    title,
                    f"{totals} parts",
                    totals.done,
                    totals.total,
                    is_past=summary.is_past,
                    is_next=summary.is_next,
                )
            )
        timeline = self.query_one(MeetingTimeline)
        is_new = [line.day for line in lines] != [line.day for line in timeline.lines]
        timeline.show(lines, cursor=upcoming if is_new else None)

    @on(MeetingTimeline.Chosen, "#timeline")
    def _meeting_chosen(self, event: MeetingTimeline.Chosen) -> None:
        self.app.push_screen(MeetingScreen(event.day))


class MeetingScreen(TrackerScreen):
    """One meeting's list, in the mentor's order; enter opens an item."""

    DEFAULT_CSS = """
    MeetingScreen #meeting-note { padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day
        """The meeting's date, ISO."""

    def compose(self) -> ComposeResult:
        yield Label(id="meeting-title", classes="section-title", markup=False)
        yield EntryList(id="meeting-items")
        yield Label(id="meeting-note", classes="muted", markup=False)
        yield KeyFooter()

    def update_view(self) -> None:
        app = self.tracker
        if app.curriculum is None:
            return
        meeting = next((m for m in app.curriculum.meetings if m.date.isoformat() == self.day), None)
        if meeting is None:
            self.query_one("#meeting-title", Label).update(f"{self.day}: no longer in the YAML")
            self.query_one(EntryList).show([], app.curriculum, app.lang)
            return
        when = countdown_text((meeting.date - app.today).days)
        self.query_one("#meeting-title", Label).update(
            f"{meeting_title(meeting, app.lang)} ({when})"
        )
        entries = [AgendaEntry(item_progress(i, app.states)) for i in meeting.items]
        self.query_one(EntryList).show(entries, app.curriculum, app.lang)
        self.query_one("#meeting-note", Label).update(
            meeting.note.get(app.lang) if meeting.note else ""
        )
