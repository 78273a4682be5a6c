"""Provides `EntryList`: agenda items in order, each with its progress bar, optionally grouped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text as RichText
from textual import on
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import ListItem, ListView

from tracker.ui.screens.base import NARROW
from tracker.ui.widgets.paged_list import PagedListView

if TYPE_CHECKING:
    from tracker.domain.agenda import AgendaEntry
    from tracker.domain.curriculum import Curriculum, Item, Lang

__all__ = ["EntryList", "EntryRow", "EntryTitle", "GroupRow", "completion_bar", "replace_rows"]

NAME_CELLS = 4
"""A cut name keeps at least this many cells (with its "…"), when the detail leaves room."""
COUNT_CELLS = 17
"""Cells of a row's count (`12:00/1:11:38`), right-aligned with a cell either side."""
BAR_CELLS = 24
"""Cells of a row's completion bar, its percentage and a cell after."""
NARROW_BAR_CELLS = 12
"""The same on a narrow screen (narrower than `NARROW` cells)."""


def completion_bar(done: int, total: int, width: int) -> RichText:
    """A completion as a bar and a percentage: `━━━━━━━━━━━━━━━━━  50%`.

    Args:
        done: Parts done.
        total: Parts in all (0: nothing to do, an empty bar).
        width: The bar's cells.

    Returns:
        The bar, the done part bold and the rest dim, then the percentage.
    """
    fraction = min(1.0, done / total) if total else 0.0
    filled = round(fraction * width)
    bar = RichText("━" * filled, style="bold")
    bar.append("━" * (width - filled), style="dim")
    bar.append(f" {fraction:>4.0%}")
    return bar


class EntryTitle:
    """`1. Build a Large Language Model · 2.6–2.8`, cut to fit: the name gives way first, so the
    parts and scope (what tells two items of one resource apart) stay whole; a title that is
    still too wide is cut at its end."""

    def __init__(self) -> None:
        self.mark = ""
        self.name_words = ""
        self.detail = ""
        self.problem = ""

    def show(self, mark: str, name: str, detail: str, problem: str = "") -> bool:
        """Shows `mark name · detail` (`detail` may be ""), and `⚠ problem` when the item's
        YAML has one: the sign always, the words where there is room after the whole name.

        Returns:
            Whether the words changed.
        """
        shown = (mark, name, detail, problem)
        if shown == (self.mark, self.name_words, self.detail, self.problem):
            return False
        self.mark, self.name_words, self.detail, self.problem = shown
        return True

    @property
    def words(self) -> str:
        """The whole title, uncut."""
        return self.fitted(10**6).plain

    def fitted(self, width: int) -> Content:
        """The title cut to `width` cells.

        Args:
            width: The cells it has.

        Returns:
            The text to draw.
        """
        head = Content(f"{self.mark} ")
        if self.problem:
            head += Content.styled("⚠ ", "bold $warning")
        tail = Content(f" · {self.detail}") if self.detail else Content("")
        name = Content(self.name_words)
        room = width - head.cell_length - tail.cell_length
        if name.cell_length > room:
            name = name.truncate(max(room, NAME_CELLS), ellipsis=True)
        elif self.problem and room - name.cell_length > 6:
            tail += Content.styled(f"  {self.problem}", "$warning").truncate(
                room - name.cell_length, ellipsis=True
            )
        return (head + name + tail).truncate(width, ellipsis=True)


class GroupRow(ListItem):
    """A small heading inside the list (`from 28/03 · carried x3`); the cursor skips it."""

    DEFAULT_CSS = """
    GroupRow { height: 1; padding: 0 0 0 1; color: $text-muted; text-style: italic; }
    GroupRow:disabled { color: $text-muted; }
    """

    def __init__(self, heading: str) -> None:
        super().__init__(disabled=True)
        self.heading = heading
        """The words shown."""

    def render(self) -> Content:
        return Content(self.heading)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1  # one line, whatever the width (ListView gives its items `height: auto`)


def replace_rows(view: ListView, rows: Sequence[ListItem]) -> None:
    """Replaces a list's rows, keeping the cursor at its place or the next row that is no heading.

    Args:
        view: The list.
        rows: Its new rows (`GroupRow` headings are disabled: the cursor skips them).
    """
    index = view.index
    view.clear()
    if view.children:  # the old rows leave after this call: the new ones go before them, so
        view.mount(*rows, before=0)  # that `index` counts the new rows from the first
    else:
        view.extend(rows)
    if any(not row.disabled for row in rows):
        index = min(index or 0, len(rows) - 1)
        while rows[index].disabled and index + 1 < len(rows):
            index += 1
        view.index = index


class EntryRow(ListItem):
    """One item on one drawn line: its number and words, its carry-over note, its count and a
    completion bar. One widget, not a row of six: a list of carried items may show dozens."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"entry-row--muted"}
    """
    | Class | Description |
    | :- | :- |
    | `entry-row--muted` | The count, and the title of an item done (struck through). |

    One class: Textual styles each component class of each row as a node of its own.
    """

    DEFAULT_CSS = """
    EntryRow { height: 1; }
    EntryRow.-grouped { padding-left: 2; }
    EntryRow > .entry-row--muted { color: $text-muted; }
    """

    def __init__(
        self,
        entry: AgendaEntry,
        curriculum: Curriculum | None,
        lang: Lang,
        *,
        is_grouped: bool = False,
    ) -> None:
        super().__init__(classes="-grouped" if is_grouped else "")
        self.entry = entry
        """The agenda entry shown."""
        self.is_grouped = is_grouped
        """Whether the row sits under a `GroupRow` (which then says how long it was carried)."""
        self.title = EntryTitle()
        """The title's words (`1. Build a Large Language Model · 2.6–2.8`)."""
        self.note = ""
        """The carry-over note (`carried x2 since 01/04`, `re-assigned from 28/03`) or ""."""
        self.count = ""
        """The count (`0/3`, `12:00/1:11:38`)."""
        self._set(entry, curriculum, lang)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line, whatever the width: ListView gives its items `height: auto`, and a row's
        words fitted to its old width would wrap onto a second line as the terminal narrows."""
        return 1

    @property
    def title_words(self) -> str:
        """The row's title, uncut (`1. Build a Large Language Model · 2.6–2.8`)."""
        return self.title.words

    def show(self, entry: AgendaEntry, curriculum: Curriculum | None, lang: Lang) -> None:
        """Shows `entry` (the same item, with new progress or words)."""
        self._set(entry, curriculum, lang)
        self.refresh()

    def _set(self, entry: AgendaEntry, curriculum: Curriculum | None, lang: Lang) -> None:
        from tracker.domain.item_kinds import ITEM_KINDS  # not for the first frame
        from tracker.ui.labels import item_title_parts, where

        self.entry = entry
        progress = entry.progress
        item = entry.item
        mark = "✓" if progress.is_done else f"{item.order}."
        problem = item.problems[0].message if item.problems else ""
        self.title.show(mark, *item_title_parts(item, curriculum, lang), problem)
        root = Path(curriculum.root) if curriculum else Path()
        located = [f"{where(p.location, root)}: {p.severity}: {p.message}" for p in item.problems]
        self.tooltip = Content("\n".join(located)) if located else None  # Content: no markup
        self.note = entry.reassigned_text if self.is_grouped else entry.carried_text
        spec = ITEM_KINDS[item.kind]
        self.count = spec.count(item, progress.done, progress.total, 0, short=True)
        self.set_class(progress.is_done, "-done")

    def render(self) -> Content:
        width = self.outer_size.width - self.styles.gutter.width  # not `size`: no screen lookup
        bar_cells = BAR_CELLS if self.app.size.width >= NARROW else NARROW_BAR_CELLS
        note_cells = min(cell_len(self.note) + 1, width * 2 // 5)  # at most 40%, a cell before
        title_cells = max(0, width - note_cells - COUNT_CELLS - bar_cells)
        title = self.title.fitted(title_cells)
        muted = self.get_visual_style("entry-row--muted")
        if self.entry.progress.is_done:
            title = title.stylize(muted).stylize("strike")
        title = title.truncate(title_cells, pad=True)
        note = Content(" " + self.note).truncate(note_cells, ellipsis=True, pad=True)
        count = Content(self.count).right(COUNT_CELLS - 2, ellipsis=True).pad(1, 1)
        done, total = self.entry.progress.done, self.entry.progress.total
        bar = completion_bar(done, total, width=max(1, bar_cells - 6))
        return Content.assemble(
            title,
            note.stylize("$warning"),
            count.stylize(muted),
            Content.from_rich_text(bar).truncate(bar_cells, pad=True),
        )


class EntryList(PagedListView):
    """Items in the mentor's order; enter (or a click) opens one. Rows are mounted a page at a
    time, as the cursor or the scroll reaches them (`PagedListView`)."""

    DEFAULT_CSS = """
    EntryList { height: auto; max-height: 100%; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._specs: list[tuple[str, AgendaEntry | None, bool]] = []
        """Every row, mounted or not: `(heading, None, False)` or `("", entry, is_grouped)`."""
        self._wanted: list[tuple[str, str]] = []
        """What the rows show: `(heading, "")` or `("", item id)`, to tell a rebuild from an update."""
        self._curriculum: Curriculum | None = None
        self._lang: Lang = "en"

    @dataclass
    class Opened(Message):
        """The user chose an item to open."""

        entry_list: EntryList
        item: Item

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def show(
        self, entries: Sequence[AgendaEntry], curriculum: Curriculum | None, lang: Lang
    ) -> None:
        """Shows `entries`, updating rows in place when the items are the same ones.

        Args:
            entries: The entries, in order.
            curriculum: For resource titles.
            lang: "en" or "hy".
        """
        self.show_groups([("", entries)], curriculum, lang)

    def show_groups(
        self,
        groups: Sequence[tuple[str, Sequence[AgendaEntry]]],
        curriculum: Curriculum | None,
        lang: Lang,
    ) -> None:
        """Shows entries under small headings (a group with the heading "" has none).

        Args:
            groups: `(heading, entries)` pairs, in order.
            curriculum: For resource titles.
            lang: "en" or "hy".
        """
        specs: list[tuple[str, AgendaEntry | None, bool]] = []
        for heading, entries in groups:
            if heading:
                specs.append((heading, None, False))
            specs += [("", e, bool(heading)) for e in entries]
        wanted = [(words, e.item.id if e else "") for words, e, _ in specs]
        self._specs, self._curriculum, self._lang = specs, curriculum, lang
        if wanted == self._wanted:  # the same rows: new progress or words, in place
            flat = [e for _, e, _ in specs[: self.mounted_count] if e is not None]
            for row, entry in zip(self.query_children(EntryRow), flat, strict=False):
                row.show(entry, curriculum, lang)
            return
        highlighted = self.highlighted_child
        kept = highlighted.entry.item.id if isinstance(highlighted, EntryRow) else None
        self._wanted = wanted
        index = None
        if kept is not None and ("", kept) in wanted:  # the same item, where it is now
            index = wanted.index(("", kept))
        elif any(e is not None for _, e, _ in specs):
            index = min(self.index or 0, len(specs) - 1)
            while specs[index][1] is None and index + 1 < len(specs):
                index += 1
        self.show_rows(len(specs), self._make_row, index=index)

    def _make_row(self, index: int) -> ListItem:
        heading, entry, is_grouped = self._specs[index]
        if entry is None:
            return GroupRow(heading)
        return EntryRow(entry, self._curriculum, self._lang, is_grouped=is_grouped)

    @on(ListView.Selected)
    def _opened(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, EntryRow):
            self.post_message(self.Opened(self, event.item.entry.item))
