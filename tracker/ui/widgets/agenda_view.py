"""Provides `AgendaView`: the agenda's lists: due items, carried items, the mentor's TODOs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

if TYPE_CHECKING:
    from tracker.domain.agenda import Agenda
    from tracker.domain.curriculum import Curriculum

__all__ = ["AgendaView"]


class AgendaView(VerticalScroll, can_focus=False):
    """The lists under the agenda's heading; sections with nothing in them are hidden."""

    def compose(self) -> ComposeResult:
        yield Label("Due", id="due-title", classes="section-title")
        yield EntryList(id="due")
        yield Label("Carried over", id="carried-title", classes="section-title")
        yield EntryList(id="carried")
        yield Label("Mentor's TODOs", id="todos-title", classes="section-title")
        yield PartChecklist(id="todos")

    def show(self, agenda: Agenda, curriculum: Curriculum, lang: str) -> None:
        """Shows `agenda`'s items, carried items and TODOs."""
        from tracker.domain.agenda import short_date

        if agenda.meeting is not None:
            title = f"Due on {short_date(agenda.meeting.date)} ({agenda.countdown})"
            self.query_one("#due-title", Label).update(title)
        self.query_one("#due", EntryList).show(agenda.entries, curriculum, lang)
        self.query_one("#carried", EntryList).show(agenda.carried, curriculum, lang)
        todos = [
            (t.key, f"{short_date(t.item.meeting)}  {t.text.get(lang)}", t.is_done)
            for t in agenda.mentor_todos
        ]
        self.query_one("#todos", PartChecklist).show(todos)
        for name, shown in (("carried", agenda.carried), ("todos", todos)):
            self.query_one(f"#{name}-title").display = bool(shown)
            self.query_one(f"#{name}").display = bool(shown)
