"""Provides `AgendaScreen`, the home screen: what is due for the next meeting, in order."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label

from tracker.domain.agenda import build_agenda, short_date
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.meeting_header import MeetingHeader
from tracker.ui.widgets.part_checklist import PartChecklist

__all__ = ["AgendaScreen"]


class AgendaScreen(TrackerScreen):
    """The next meeting: its items with progress, what carried over, the mentor's TODOs."""

    AUTO_FOCUS = "#due"

    def compose(self) -> ComposeResult:
        yield MeetingHeader(id="heading")
        with VerticalScroll(id="agenda-body"):
            yield Label("Due", id="due-title", classes="section-title")
            yield EntryList(id="due")
            yield Label("Carried over", id="carried-title", classes="section-title")
            yield EntryList(id="carried")
            yield Label("Mentor's TODOs", id="todos-title", classes="section-title")
            yield PartChecklist(id="todos")
        yield Footer()

    def update_view(self) -> None:
        app = self.tracker
        heading = self.query_one(MeetingHeader)
        if app.curriculum is None:
            heading.show(None, app.lang)
            return
        agenda = build_agenda(app.curriculum, app.states, app.today)
        heading.show(agenda, app.lang)
        if agenda.meeting is not None:
            title = f"Due on {short_date(agenda.meeting.date)} ({agenda.countdown})"
            self.query_one("#due-title", Label).update(title)
        self.query_one("#due", EntryList).show(agenda.entries, app.curriculum, app.lang)
        self.query_one("#carried", EntryList).show(agenda.carried, app.curriculum, app.lang)
        self.query_one("#carried-title").display = bool(agenda.carried)
        self.query_one("#carried").display = bool(agenda.carried)
        todos = [
            (t.key, f"{short_date(t.item.meeting)}  {t.text.get(app.lang)}", t.is_done)
            for t in agenda.mentor_todos
        ]
        self.query_one("#todos", PartChecklist).show(todos)
        self.query_one("#todos-title").display = bool(todos)
        self.query_one("#todos").display = bool(todos)

    @on(PartChecklist.Ticked, "#todos")
    def _todo_ticked(self, event: PartChecklist.Ticked) -> None:
        self.tracker.record(self.tracker.store.mark, [event.key], event.is_done)
