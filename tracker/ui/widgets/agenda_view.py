"""Provides `AgendaView`: the agenda's lists: due, optional, carried over, to discuss, TODOs."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import ListView, OptionList

from tracker.ui.widgets.discuss_list import DiscussList
from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

if TYPE_CHECKING:
    from tracker.domain.agenda import Agenda, MentorTodo
    from tracker.domain.curriculum import Curriculum, Lang, Question

__all__ = ["AgendaView"]


SECTIONS = ("#due", "#optional", "#carried", "#talk", "#todos")
"""The agenda's lists, top to bottom."""


class AgendaView(VerticalScroll, can_focus=False):
    """The lists under the agenda's heading; sections with nothing in them are hidden.

    down on a list's last row moves to the first row of the next list shown, up on its first
    row to the last row of the one before: the arrows go through every section (tab too), and
    stop at the last row of the last list and the first row of the first.
    """

    def compose(self) -> ComposeResult:
        # Each list's title is its border title (a blank top border): a Label a section cost
        # 4-6 ms of the first screen's start.
        for widget, title in (
            (EntryList(id="due", classes="agenda-list"), "Due"),
            (EntryList(id="optional", classes="agenda-list"), "If you have time"),
            (EntryList(id="carried", classes="agenda-list"), "Carried over"),
            (DiscussList(id="talk", classes="agenda-list"), "To discuss"),
            (PartChecklist(id="todos", classes="agenda-list"), "Mentor's TODOs"),
        ):
            widget.border_title = title
            yield widget

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._todos: list[MentorTodo] = []
        """The mentor's TODOs shown, in order."""

    def todo(self, key: str) -> MentorTodo | None:
        """The mentor's TODO shown with the progress key `key`, if any."""
        return next((t for t in self._todos if t.key == key), None)

    def show(
        self,
        agenda: Agenda,
        curriculum: Curriculum,
        lang: Lang,
        leeches: Sequence[tuple[Question, int]] = (),
        day_of: Callable[[datetime], date] | None = None,
        keep: Collection[str] = (),
    ) -> None:
        """Shows `agenda`'s items, carried items, topics, lapsing cards and TODOs.

        Args:
            agenda: The agenda.
            curriculum: For resource titles.
            lang: "en" or "hy".
            leeches: Cards that keep lapsing, `(question, lapses)`, for the "To discuss" list.
            day_of: The user's date of an instant (`Clock.day_of`), for "ready: done on 12/04".
            keep: Progress keys of TODOs shown that stay listed, ticked, where they were, though
                the agenda drops them once done (ticked a moment ago on this screen).
        """
        from tracker.domain.agenda import short_date

        meeting = agenda.meeting
        if meeting is not None:
            day = short_date(meeting.date)
            verb = "Was due" if agenda.is_past else "Due"
            title = f"{verb} on {day} ({agenda.countdown})"
            if not agenda.entries and not agenda.optional:
                title += ": nothing on this list is yours"
            self.query_one("#due").border_title = title
            self.query_one("#talk").border_title = f"To discuss on {day}"
        self.query_one("#due", EntryList).show(agenda.entries, curriculum, lang)
        self.query_one("#optional", EntryList).show(agenda.optional, curriculum, lang)
        groups = [
            (f"from {short_date(day)} · carried x{entries[0].carried}", entries)
            for day, entries in agenda.carried_groups
        ]
        self.query_one("#carried", EntryList).show_groups(groups, curriculum, lang)
        topics = meeting.topics if meeting is not None else ()
        self.query_one("#talk", DiscussList).show(topics, leeches, lang)
        mentor_todos = list(agenda.mentor_todos)
        listed = {t.key for t in mentor_todos}
        for at, shown_todo in enumerate(self._todos):
            if shown_todo.key in keep and shown_todo.key not in listed:
                mentor_todos.insert(min(at, len(mentor_todos)), replace(shown_todo, is_done=True))
        self._todos = mentor_todos
        todos = [(t.key, _todo_words(t, lang, day_of or _utc_day), t.is_done) for t in mentor_todos]
        self.query_one("#todos", PartChecklist).show(todos)
        for name, shown in (
            ("due", meeting is not None),
            ("optional", agenda.optional),
            ("carried", agenda.carried),
            ("talk", topics or leeches),
            ("todos", todos),
        ):
            self.query_one(f"#{name}").display = bool(shown)
        focused = self.screen.focused
        if focused is not None and focused.parent is self and not _is_open(focused):
            self.focus_first()  # its list went (a reload, an item done): not into nowhere

    def focus_first(self) -> None:
        """Focuses the first list shown, at its first line the cursor can stop on."""
        shown = [widget for widget in self.query_children(".agenda-list") if _is_open(widget)]
        if shown:
            _enter(shown[0], from_top=True)

    def on_key(self, event: events.Key) -> None:
        """Moves the cursor of the focused list; down past its last row (up past its first) into
        the next list shown; stops at the ends of the agenda.

        Every arrow key is applied to the list focused when it is handled, whichever list it
        was delivered to: keys that arrive in one burst (a held arrow key) are all delivered to
        the list focused when they arrived, and those after a move into the next list belong
        there.
        """
        step = {"down": 1, "up": -1}.get(event.key)
        lists = [self.query_one(name) for name in SECTIONS]
        focused = self.screen.focused
        if step is None or focused not in lists:
            return
        event.stop()
        event.prevent_default()
        if not _at_edge(focused, step):
            assert isinstance(focused, (ListView, OptionList))
            (focused.action_cursor_down if step > 0 else focused.action_cursor_up)()
            return
        shown = [widget for widget in lists if _is_open(widget)]
        position = shown.index(focused) + step
        if 0 <= position < len(shown):
            _enter(shown[position], from_top=step > 0)
        # else the last line of the last list (the first of the first): the cursor stays there,
        # where a checklist on its own would wrap round


def _is_open(widget: Widget) -> bool:
    """Whether the cursor can go into a list: shown, with a row (the due list stays shown,
    empty, for its title: "Due on 16/04: nothing on this list is yours")."""
    if not widget.display:
        return False
    if isinstance(widget, OptionList):
        return widget.option_count > 0
    return bool(widget.children)


def _rows_enabled(widget: Widget) -> list[bool]:
    """Which of a list's rows the cursor can stop on."""
    if isinstance(widget, OptionList):
        return [not widget.get_option_at_index(i).disabled for i in range(widget.option_count)]
    assert isinstance(widget, ListView)
    return [not row.disabled for row in widget.children]


def _cursor(widget: Widget) -> int | None:
    """The row the cursor is on."""
    return widget.highlighted if isinstance(widget, OptionList) else widget.index  # type: ignore[attr-defined]


def _at_edge(widget: Widget, step: int) -> bool:
    """Whether the cursor is on the list's last row it can stop on (first, going up)."""
    enabled = _rows_enabled(widget)
    at = _cursor(widget)
    if at is None:
        return True
    after = enabled[at + 1 :] if step > 0 else enabled[:at]
    return not any(after)


def _enter(widget: Widget, *, from_top: bool) -> None:
    """Focuses a list at its first row the cursor can stop on (its last, `from_top=False`)."""
    enabled = _rows_enabled(widget)
    order = range(len(enabled)) if from_top else range(len(enabled) - 1, -1, -1)
    first = next((i for i in order if enabled[i]), None)
    # At once, not after the messages already waiting (`focus()` is deferred): the next key of
    # a burst (a held arrow key) must reach the list the cursor is now in.
    widget.screen.set_focus(widget)
    if isinstance(widget, OptionList):
        widget.highlighted = first
    else:
        widget.index = first  # type: ignore[attr-defined]


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _todo_words(todo: MentorTodo, lang: Lang, day_of: Callable[[datetime], date]) -> str:
    """`08/04  Review and merge it`, and once its task is done `... (ready: done on 12/04)`."""
    from tracker.domain.agenda import short_date

    words = f"{short_date(todo.item.meeting)}  {todo.text.get(lang)}"
    if todo.is_ready and todo.ready_at is not None:
        words += f"  (ready: done on {short_date(day_of(todo.ready_at))})"
    return words
