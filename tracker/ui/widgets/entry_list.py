"""Provides `EntryList`: agenda items in order, each with its progress bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, ListItem, ListView, ProgressBar

if TYPE_CHECKING:
    from tracker.domain.agenda import AgendaEntry
    from tracker.domain.curriculum import Curriculum, Item

__all__ = ["EntryList", "EntryRow"]


class EntryRow(ListItem):
    """One item: its number, words, carry-over note and a progress bar."""

    DEFAULT_CSS = """
    EntryRow { height: 1; }
    EntryRow Horizontal { height: 1; }
    EntryRow .title { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    EntryRow .carried { width: auto; max-width: 50; color: $warning; padding: 0 1; }
    EntryRow .count { width: auto; padding: 0 1; color: $text-muted; }
    EntryRow ProgressBar { width: 24; }
    EntryRow ProgressBar Bar { width: 17; }
    EntryRow.-done .title { color: $text-muted; text-style: strike; }
    """

    def __init__(self, entry: AgendaEntry, curriculum: Curriculum | None, lang: str) -> None:
        super().__init__()
        self.entry = entry
        """The agenda entry shown."""
        self._curriculum = curriculum
        self._lang = lang

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(classes="title", markup=False)
            yield Label(classes="carried", markup=False)
            yield Label(classes="count")
            yield ProgressBar(show_eta=False)

    def on_mount(self) -> None:
        self.show(self.entry, self._curriculum, self._lang)

    def show(self, entry: AgendaEntry, curriculum: Curriculum | None, lang: str) -> None:
        """Shows `entry` (the same item, with new progress or words)."""
        from tracker.domain.curriculum import ItemKind, format_hms  # not for the first frame
        from tracker.ui.labels import item_title

        self.entry, self._curriculum, self._lang = entry, curriculum, lang
        progress = entry.progress
        item = entry.item
        mark = "✓" if progress.is_done else f"{item.order}."
        self.query_one(".title", Label).update(f"{mark} {item_title(item, curriculum, lang)}")
        self.query_one(".carried", Label).update(entry.carried_text)
        if item.kind is ItemKind.VIDEO:
            count = f"{format_hms(progress.done)}/{format_hms(progress.total)}"
        else:
            count = f"{progress.done}/{progress.total}"
        self.query_one(".count", Label).update(count)
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        self.set_class(progress.is_done, "-done")


class EntryList(ListView):
    """Items in the mentor's order; enter (or a click) opens one."""

    DEFAULT_CSS = """
    EntryList { height: auto; max-height: 100%; }
    """

    @dataclass
    class Opened(Message):
        """The user chose an item to open."""

        entry_list: EntryList
        item: Item

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def show(
        self, entries: Sequence[AgendaEntry], curriculum: Curriculum | None, lang: str
    ) -> None:
        """Shows `entries`, updating rows in place when the items are the same ones.

        Args:
            entries: The entries, in order.
            curriculum: For resource titles.
            lang: "en" or "hy".
        """
        rows = list(self.query(EntryRow))
        if [r.entry.item.id for r in rows] == [e.item.id for e in entries]:
            for row, entry in zip(rows, entries, strict=True):
                row.show(entry, curriculum, lang)
            return
        index = self.index
        self.clear()
        self.extend(EntryRow(entry, curriculum, lang) for entry in entries)
        if entries:
            self.index = min(index or 0, len(entries) - 1)

    @on(ListView.Selected)
    def _opened(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, EntryRow):
            self.post_message(self.Opened(self, event.item.entry.item))
