"""Provides `MeetingsScreen` (the timeline) and `MeetingScreen` (one meeting's list)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Label, ListItem, ListView, ProgressBar

from tracker.domain.agenda import AgendaEntry, countdown_text, meeting_timeline
from tracker.domain.progress import item_progress
from tracker.ui.labels import meeting_title
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.entry_list import EntryList

__all__ = ["MeetingScreen", "MeetingsScreen"]


class MeetingRow(ListItem):
    """One meeting on the timeline: date, title, completion."""

    DEFAULT_CSS = """
    MeetingRow { height: 1; }
    MeetingRow Horizontal { height: 1; }
    MeetingRow .title { width: 1fr; }
    MeetingRow .count { width: 14; content-align: right middle; padding: 0 1; }
    MeetingRow ProgressBar { width: 24; }
    MeetingRow ProgressBar Bar { width: 17; }
    MeetingRow.-past .title { color: $text-muted; }
    MeetingRow.-next .title { text-style: bold; color: $accent; }
    """

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day
        """The meeting's date, ISO."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(classes="title", markup=False)
            yield Label(classes="count")
            yield ProgressBar(show_eta=False)


class MeetingsScreen(TrackerScreen):
    """Every meeting, past and coming, with its completion; enter opens one."""

    DEFAULT_CSS = """
    MeetingsScreen #timeline { height: auto; max-height: 1fr; margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Meetings", classes="section-title")
        yield ListView(id="timeline")
        yield Footer()

    def update_view(self) -> None:
        app = self.tracker
        if app.curriculum is None:
            return
        timeline = meeting_timeline(app.curriculum, app.states, app.today)
        listing = self.query_one("#timeline", ListView)
        rows = list(listing.query(MeetingRow))
        if [r.day for r in rows] != [s.meeting.date.isoformat() for s in timeline]:
            listing.clear()
            rows = [MeetingRow(s.meeting.date.isoformat()) for s in timeline]
            listing.extend(rows)
            self.call_after_refresh(self.update_view)
            return
        for row, summary in zip(rows, timeline, strict=True):
            marker = "▶ " if summary.is_next else "  "
            title = marker + meeting_title(summary.meeting, app.lang)
            if summary.is_next:
                title += "  (last, passed)" if summary.is_past else "  (next)"
            row.query_one(".title", Label).update(title)
            row.query_one(".count", Label).update(f"{summary.totals} parts")
            row.query_one(ProgressBar).update(
                total=max(summary.totals.total, 1), progress=summary.totals.done
            )
            row.set_class(summary.is_past, "-past")
            row.set_class(summary.is_next, "-next")
        if listing.index is None and timeline:
            listing.index = next((i for i, s in enumerate(timeline) if s.is_next), 0)

    @on(ListView.Selected, "#timeline")
    def _meeting_chosen(self, event: ListView.Selected) -> None:
        if isinstance(event.item, MeetingRow):
            self.app.push_screen(MeetingScreen(event.item.day))


class MeetingScreen(TrackerScreen):
    """One meeting's list, in the mentor's order; enter opens an item."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day
        """The meeting's date, ISO."""

    def compose(self) -> ComposeResult:
        yield Label(id="meeting-title", classes="section-title", markup=False)
        yield EntryList(id="meeting-items")
        yield Label(id="meeting-note", classes="muted", markup=False)
        yield Footer()

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
