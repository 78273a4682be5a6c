"""Provides `AgendaView`: the agenda's lists: due, optional, carried over, to discuss, TODOs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from tracker.ui.widgets.discuss_list import DiscussList
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

if TYPE_CHECKING:
    from tracker.domain.agenda import Agenda, MentorTodo
    from tracker.domain.curriculum import Curriculum, Lang, Question

__all__ = ["AgendaView"]


class AgendaView(VerticalScroll, can_focus=False):
    """The lists under the agenda's heading; sections with nothing in them are hidden."""

    def compose(self) -> ComposeResult:
        yield Label("Due", id="due-title", classes="section-title")
        yield EntryList(id="due")
        yield Label("If you have time", id="optional-title", classes="section-title")
        yield EntryList(id="optional")
        yield Label("Carried over", id="carried-title", classes="section-title")
        yield EntryList(id="carried")
        yield Label("To discuss", id="talk-title", classes="section-title")
        yield DiscussList(id="talk")
        yield Label("Mentor's TODOs", id="todos-title", classes="section-title")
        yield PartChecklist(id="todos")

    def show(
        self,
        agenda: Agenda,
        curriculum: Curriculum,
        lang: Lang,
        leeches: Sequence[tuple[Question, int]] = (),
        day_of: Callable[[datetime], date] | None = None,
    ) -> None:
        """Shows `agenda`'s items, carried items, topics, lapsing cards and TODOs.

        Args:
            agenda: The agenda.
            curriculum: For resource titles.
            lang: "en" or "hy".
            leeches: Cards that keep lapsing, `(question, lapses)`, for the "To discuss" list.
            day_of: The user's date of an instant (`Clock.day_of`), for "ready: done on 12/04".
        """
        from tracker.domain.agenda import short_date

        meeting = agenda.meeting
        if meeting is not None:
            day = short_date(meeting.date)
            verb = "Was due" if agenda.is_past else "Due"
            title = f"{verb} on {day} ({agenda.countdown})"
            if not agenda.entries and not agenda.optional:
                title += ": nothing on this list is yours"
            self.query_one("#due-title", Label).update(title)
            self.query_one("#talk-title", Label).update(f"To discuss on {day}")
        self.query_one("#due", EntryList).show(agenda.entries, curriculum, lang)
        self.query_one("#optional", EntryList).show(agenda.optional, curriculum, lang)
        groups = [
            (f"from {short_date(day)} · carried x{entries[0].carried}", entries)
            for day, entries in agenda.carried_groups
        ]
        self.query_one("#carried", EntryList).show_groups(groups, curriculum, lang)
        topics = meeting.topics if meeting is not None else ()
        self.query_one("#talk", DiscussList).show(topics, leeches, lang)
        todos = [
            (t.key, _todo_words(t, lang, day_of or _utc_day), t.is_done)
            for t in agenda.mentor_todos
        ]
        self.query_one("#todos", PartChecklist).show(todos)
        self.query_one("#due-title").display = meeting is not None
        self.query_one("#due").display = bool(agenda.entries)
        for name, shown in (
            ("optional", agenda.optional),
            ("carried", agenda.carried),
            ("talk", topics or leeches),
            ("todos", todos),
        ):
            self.query_one(f"#{name}-title").display = bool(shown)
            self.query_one(f"#{name}").display = bool(shown)


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _todo_words(todo: MentorTodo, lang: Lang, day_of: Callable[[datetime], date]) -> str:
    """`08/04  Review and merge it`, and once its task is done `... (ready: done on 12/04)`."""
    from tracker.domain.agenda import short_date

    words = f"{short_date(todo.item.meeting)}  {todo.text.get(lang)}"
    if todo.is_ready and todo.ready_at is not None:
        words += f"  (ready: done on {short_date(day_of(todo.ready_at))})"
    return words
