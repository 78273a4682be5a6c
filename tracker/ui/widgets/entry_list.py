"""Provides `EntryList`: agenda items in order, each with its progress bar, optionally grouped.

The list is one widget (a Textual `OptionList`): each item is an option drawn as one line
(`EntryLine`), each group's heading a disabled option the cursor skips. Only the lines on screen
are drawn, so a list of 250 carried items costs what a screenful does; a widget a row (mounted,
styled and laid out each) made the agenda's first screen some 20 ms slower with 19 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text as RichText
from textual import on
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.ui.screens.base import NARROW

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

    from tracker.domain.agenda import AgendaEntry
    from tracker.domain.curriculum import Curriculum, Item, Lang

__all__ = ["EntryLine", "EntryList", "EntryTitle", "completion_bar"]

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


class EntryLine(Visual):
    """One item on one drawn line, fitted to the width it is drawn at: its number and words, its
    carry-over note, its count and a completion bar.

    Args:
        owner: The list it is drawn in (for its muted style and the screen's width).
        entry: The agenda entry.
        curriculum: For resource titles (None: ids only).
        lang: "en" or "hy".
        is_grouped: Whether it sits under a group's heading (then indented, and its note says
            where it was re-assigned from rather than how long it was carried).
    """

    def __init__(
        self,
        owner: EntryList,
        entry: AgendaEntry,
        curriculum: Curriculum | None,
        lang: Lang,
        *,
        is_grouped: bool = False,
    ) -> None:
        from tracker.domain.item_kinds import ITEM_KINDS  # not for the first frame
        from tracker.ui.labels import item_title_parts, where

        self.owner = owner
        self.entry = entry
        """The agenda entry shown."""
        self.is_grouped = is_grouped
        progress = entry.progress
        item = entry.item
        self.title = EntryTitle()
        """The title's words (`1. Build a Large Language Model · 2.6–2.8`)."""
        mark = "✓" if progress.is_done else f"{item.order}."
        problem = item.problems[0].message if item.problems else ""
        self.title.show(mark, *item_title_parts(item, curriculum, lang), problem)
        root = Path(curriculum.root) if curriculum else Path()
        located = [f"{where(p.location, root)}: {p.severity}: {p.message}" for p in item.problems]
        self.problems = "\n".join(located)
        """The item's problems, one located line each (`file:line:col: error: ...`), or ""."""
        self.note = entry.reassigned_text if is_grouped else entry.carried_text
        """The carry-over note (`carried x2 since 01/04`, `re-assigned from 28/03`) or ""."""
        spec = ITEM_KINDS[item.kind]
        self.count = spec.count(item, progress.done, progress.total, 0, short=True)
        """The count (`0/3`, `12:00/1:11:38`)."""

    @property
    def title_words(self) -> str:
        """The row's title, uncut (`1. Build a Large Language Model · 2.6–2.8`)."""
        return self.title.words

    def line(self, width: int) -> Content:
        """The row as `width` cells of text."""
        indent = 2 if self.is_grouped else 0
        width -= indent
        bar_cells = BAR_CELLS if self.owner.app.size.width >= NARROW else NARROW_BAR_CELLS
        note_cells = min(cell_len(self.note) + 1, width * 2 // 5)  # at most 40%, a cell before
        title_cells = max(0, width - note_cells - COUNT_CELLS - bar_cells)
        title = self.title.fitted(title_cells)
        # the colour alone: the row's background is the list's, or the cursor's
        muted = Style(foreground=self.owner.get_visual_style("entry-list--muted").foreground)
        if self.entry.progress.is_done:
            title = title.stylize(muted).stylize("strike")
        title = title.truncate(title_cells, pad=True)
        note = Content(" " + self.note).truncate(note_cells, ellipsis=True, pad=True)
        count = Content(self.count).right(COUNT_CELLS - 2, ellipsis=True).pad(1, 1)
        done, total = self.entry.progress.done, self.entry.progress.total
        bar = completion_bar(done, total, width=max(1, bar_cells - 6))
        return Content.assemble(
            " " * indent,
            title,
            note.stylize("$warning"),
            count.stylize(muted),
            Content.from_rich_text(bar).truncate(bar_cells, pad=True),
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.line(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1  # one line, whatever the width


class EntryList(OptionList):
    """Items in the mentor's order, optionally under small headings (`from 28/03 · carried x3`)
    that the cursor skips; enter (or a click) opens the highlighted item. Hovering an item with
    a problem in its YAML shows the problem, located, as the list's tooltip."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"entry-list--muted"}
    """
    | Class | Description |
    | :- | :- |
    | `entry-list--muted` | The count, and the title of an item done (struck through). |
    """

    DEFAULT_CSS = """
    EntryList { height: auto; max-height: 100%; padding: 0; }
    EntryList > .entry-list--muted { color: $text-muted; }
    EntryList > .option-list--option-disabled { color: $text-muted; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[EntryLine | str] = []
        """Every row: an `EntryLine`, or a group's heading."""

    @dataclass
    class Opened(Message):
        """The user chose an item to open."""

        entry_list: EntryList
        item: Item

        @property
        def control(self) -> EntryList:
            return self.entry_list

    @property
    def rows(self) -> Sequence[AgendaEntry | str]:
        """What the list shows, in order: an entry, or a group's heading."""
        return [row if isinstance(row, str) else row.entry for row in self._rows]

    @property
    def entries(self) -> list[AgendaEntry]:
        """The entries shown, in order (headings left out)."""
        return [row.entry for row in self._rows if not isinstance(row, str)]

    @property
    def highlighted_entry(self) -> AgendaEntry | None:
        """The entry under the cursor (None when nothing is highlighted)."""
        row = self._row(self.highlighted)
        return row.entry if row is not None else None

    def line(self, item_id: str) -> EntryLine:
        """The line of the item `item_id`.

        Raises:
            KeyError: No such item is shown.
        """
        for row in self._rows:
            if not isinstance(row, str) and row.entry.item.id == item_id:
                return row
        raise KeyError(item_id)

    def index_of(self, item_id: str) -> int:
        """The row of the item `item_id` (headings count as rows).

        Raises:
            KeyError: No such item is shown.
        """
        return self._rows.index(self.line(item_id))

    def highlight_item(self, item_id: str) -> None:
        """Moves the cursor to the item `item_id`.

        Raises:
            KeyError: No such item is shown.
        """
        self.highlighted = self.index_of(item_id)

    def row_text(self, index: int) -> str:
        """Row `index` as it is drawn now, without styles (a heading: its words)."""
        row = self._rows[index]
        if isinstance(row, str):
            return row
        return row.line(self.scrollable_content_region.width).plain

    def show(
        self, entries: Sequence[AgendaEntry], curriculum: Curriculum | None, lang: Lang
    ) -> None:
        """Shows `entries`, keeping the cursor on the same item where it is still shown.

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

        The cursor stays on the item it was on, wherever that is now; else at its place, on
        the next row that is no heading.

        Args:
            groups: `(heading, entries)` pairs, in order.
            curriculum: For resource titles.
            lang: "en" or "hy".
        """
        kept = self.highlighted_entry
        index = self.highlighted
        rows: list[EntryLine | str] = []
        for heading, entries in groups:
            if heading:
                rows.append(heading)
            rows += [
                EntryLine(self, e, curriculum, lang, is_grouped=bool(heading)) for e in entries
            ]
        self._rows = rows
        self.set_options(
            Option(Content(f" {row}"), disabled=True) if isinstance(row, str) else Option(row)
            for row in rows
        )
        items = [None if isinstance(row, str) else row.entry.item.id for row in rows]
        if kept is not None and kept.item.id in items:  # the same item, where it is now
            self.highlighted = items.index(kept.item.id)
        elif any(item is not None for item in items):
            index = min(index or 0, len(rows) - 1)
            while items[index] is None and index + 1 < len(rows):
                index += 1
            self.highlighted = index
        self._show_tooltip(self._mouse_hovering_over)

    def on_resize(self) -> None:
        """Keeps the highlighted item in view when the list shrinks (a smaller terminal)."""
        self.call_after_refresh(self.scroll_to_highlight)

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scrolls the highlighted item into view, with its group's heading when that is the
        line above it (an item first in its group is not shown without it)."""
        super().scroll_to_highlight(top)
        index = self.highlighted
        if index is None or index == 0 or not isinstance(self._rows[index - 1], str):
            return
        if self.is_mounted and round(self.scroll_y) == index:  # the heading is just above
            self.scroll_to(y=index - 1, animate=False, immediate=True)

    def action_page_up(self) -> None:
        """Moves the cursor a page up, to the first item at most.

        `OptionList`'s page up stops on the list's first line and looks up from it for an item:
        on a group's heading it found none and took the cursor off the list.
        """
        super().action_page_up()
        if self.highlighted is None:
            self.action_first()

    def _row(self, index: int | None) -> EntryLine | None:
        if index is None or not 0 <= index < len(self._rows):
            return None
        row = self._rows[index]
        return None if isinstance(row, str) else row

    def watch__mouse_hovering_over(self, index: int | None) -> None:
        self._show_tooltip(index)

    def _show_tooltip(self, index: int | None) -> None:
        """The hovered item's problems as the tooltip (Content: file names are no markup)."""
        row = self._row(index)
        self.tooltip = Content(row.problems) if row is not None and row.problems else None

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self._row(event.option_index)
        if row is not None:
            self.post_message(self.Opened(self, row.entry.item))
