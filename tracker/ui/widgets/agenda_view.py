"""Provides `AgendaView`: the agenda's lists: due, optional, carried over, to discuss, TODOs."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import ListView, OptionList

from tracker.ui.widgets.entry_list import EntryList
from tracker.ui.widgets.part_checklist import PartChecklist

if TYPE_CHECKING:
    from tracker.domain.agenda import Agenda, MentorTodo
    from tracker.domain.curriculum import Curriculum, Lang, Question

__all__ = ["AgendaView"]


SECTIONS = {
    "due": "Due",
    "optional": "If you have time",
    "carried": "Carried over",
    "talk": "To discuss",
    "todos": "Mentor's TODOs",
}
"""The agenda's lists, top to bottom (their ids), with their titles."""


class AgendaView(VerticalScroll, can_focus=False):
    """The lists under the agenda's heading; sections with nothing in them are hidden.

    A list is made the first time its section has something to show (a meeting without topics
    never imports the discussion list), then kept, hidden while its section is empty. Each
    list's title is its border title, on a blank top border (a Label a title cost 4-6 ms of the
    first screen).

    down on a list's last row moves to the first row of the next list shown, up on its first
    row to the last row of the one before: the arrows go through every section (tab too), and
    stop at the last row of the last list and the first row of the first.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._todos: list[MentorTodo] = []
        """The mentor's TODOs shown, in order."""

    def _section(self, name: str, is_shown: object) -> Widget | None:
        """The list of section `name`: made (in its place) the first time it is shown; None
        while it was never shown. A list made before is hidden while its section is empty."""
        found = self.query_children(f"#{name}")
        if found:
            widget = found.first()
            widget.display = bool(is_shown)
            return widget
        if not is_shown:
            return None
        widget = _make_list(name)
        widget.border_title = SECTIONS[name]
        later = list(SECTIONS)[list(SECTIONS).index(name) + 1 :]
        after = [w for w in self.query_children(".agenda-list") if w.id in later]
        self.mount(widget, before=after[0] if after else None)
        return widget

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
        day = short_date(meeting.date) if meeting is not None else ""
        due = self._section("due", meeting is not None)
        if isinstance(due, EntryList):
            verb = "Was due" if agenda.is_past else "Due"
            title = f"{verb} on {day} ({agenda.countdown})"
            if not agenda.entries and not agenda.optional:
                title += ": nothing on this list is yours"
            due.border_title = title
            due.show(agenda.entries, curriculum, lang)
        optional = self._section("optional", agenda.optional)
        if isinstance(optional, EntryList):
            optional.show(agenda.optional, curriculum, lang)
        carried = self._section("carried", agenda.carried)
        if isinstance(carried, EntryList):
            groups = [
                (f"from {short_date(first_due)} · carried x{entries[0].carried}", entries)
                for first_due, entries in agenda.carried_groups
            ]
            carried.show_groups(groups, curriculum, lang)
        topics = meeting.topics if meeting is not None else ()
        talk = self._section("talk", topics or leeches)
        if talk is not None:
            if day:
                talk.border_title = f"To discuss on {day}"
            talk.show(topics, leeches, lang)  # type: ignore[attr-defined]
        mentor_todos = list(agenda.mentor_todos)
        listed = {t.key for t in mentor_todos}
        for at, shown_todo in enumerate(self._todos):
            if shown_todo.key in keep and shown_todo.key not in listed:
                mentor_todos.insert(min(at, len(mentor_todos)), replace(shown_todo, is_done=True))
        self._todos = mentor_todos
        todos = [(t.key, _todo_words(t, lang, day_of or _utc_day), t.is_done) for t in mentor_todos]
        checklist = self._section("todos", todos)
        if isinstance(checklist, PartChecklist):
            checklist.show(todos)
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
        lists = list(self.query_children(".agenda-list"))
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


def _make_list(name: str) -> Widget:
    """A new, empty list for section `name` (see `SECTIONS`)."""
    if name == "talk":
        from tracker.ui.widgets.discuss_list import DiscussList

        return DiscussList(id=name, classes="agenda-list")
    if name == "todos":
        return PartChecklist(id=name, classes="agenda-list")
    return EntryList(id=name, classes="agenda-list")


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _todo_words(todo: MentorTodo, lang: Lang, day_of: Callable[[datetime], date]) -> str:
    """`08/04  Review and merge it`, and once its task is done `... (ready: done on 12/04)`."""
    from tracker.domain.agenda import short_date

    words = f"{short_date(todo.item.meeting)}  {todo.text.get(lang)}"
    if todo.is_ready and todo.ready_at is not None:
        words += f"  (ready: done on {short_date(day_of(todo.ready_at))})"
    return words
