"""Provides `MeetingTimeline`: every meeting on one line, drawn only where it is on screen.

Years of meetings are thousands of rows: a widget per row (or a table that measures every cell)
costs seconds to show and to quit. This is a `ScrollView` on Textual's line API: `render_line`
draws the rows in view and nothing else, so 2,000 meetings cost what 30 do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text as RichText
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.ui.widgets.entry_list import completion_bar

__all__ = ["BAR_WIDTH", "MeetingLine", "MeetingTimeline", "fit_title"]

BAR_WIDTH = 17
"""Cells of a meeting's completion bar."""
COUNT_WIDTH = 14
"""Cells of the `12/34 parts` column."""


def fit_title(title: str, width: int) -> str:
    """`title` in exactly `width` cells: padded, or cut with `…` in its name, so that a last
    `  (next)`-style part stays whole where it fits (`▶ Tue 15/12 · For the next…  (next)`)."""
    if len(title) <= width:
        return title.ljust(width)
    head, marker, tail = title.rpartition("  (")
    suffix = marker + tail if head and title.endswith(")") else ""
    if len(suffix) + 2 > width:
        suffix = ""
    head = title[: len(title) - len(suffix)]
    return head[: width - len(suffix) - 1] + "…" + suffix


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One meeting's row: what the timeline shows of it."""

    day: str
    """The meeting's date, ISO: what `Chosen` carries."""
    title: str
    count: str
    """`12/34 parts`."""
    done: int
    total: int
    is_past: bool = False
    is_next: bool = False


class MeetingTimeline(ScrollView, can_focus=True):
    """Meetings, one a line, with a cursor; enter (or a click) chooses one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, down, pageup, pagedown, home, end | Move the cursor. |
    | enter | Open the meeting under the cursor. |
    """

    DEFAULT_CSS = """
    MeetingTimeline { height: 1fr; overflow-x: hidden; }
    MeetingTimeline > .meeting-timeline--cursor { background: $block-cursor-blurred-background; }
    MeetingTimeline:focus > .meeting-timeline--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    MeetingTimeline > .meeting-timeline--next { color: $accent; text-style: bold; }
    MeetingTimeline > .meeting-timeline--past { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "meeting-timeline--cursor",
        "meeting-timeline--next",
        "meeting-timeline--past",
    }

    cursor: reactive[int] = reactive(0)
    """The row under the cursor."""

    @dataclass
    class Chosen(Message):
        """The user chose a meeting (enter or a click)."""

        timeline: MeetingTimeline
        day: str
        """The meeting's date, ISO."""

        @property
        def control(self) -> MeetingTimeline:
            return self.timeline

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[MeetingLine, ...] = ()
        """The rows, in date order."""
        self._cache: dict[tuple[int, int, str], Strip] = {}

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.lines) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._cache.clear()
        self.refresh_lines(old)
        self.refresh_lines(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)

    def action_cursor(self, step: int) -> None:
        """Moves the cursor by `step` rows."""
        self.cursor += step

    def action_page(self, direction: int) -> None:
        """Moves the cursor by a screenful."""
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_jump(self, row: int) -> None:
        """Moves the cursor to a row (-1: the last)."""
        self.cursor = row if row >= 0 else len(self.lines) - 1

    def action_choose(self) -> None:
        """Posts `Chosen` for the row under the cursor."""
        if self.lines:
            self.post_message(self.Chosen(self, self.lines[self.cursor].day))

    def show(self, lines: Sequence[MeetingLine], *, cursor: int | None = None) -> None:
        """Shows `lines`; only the rows in view are drawn, and only when drawn.

        Args:
            lines: The meetings, in date order.
            cursor: Where to put the cursor (None: leave it).
        """
        lines = tuple(lines)
        if lines == self.lines and cursor is None:
            return
        self.lines = lines
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))
        if cursor is not None:
            self.set_reactive(MeetingTimeline.cursor, self.validate_cursor(cursor))
            self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def on_resize(self, event: events.Resize) -> None:
        """Redraws at the new size, the cursor's row kept in view (a smaller terminal). Rows are
        fitted to the width: there is never a horizontal scrollbar (it took the last row)."""
        self._cache.clear()
        self.virtual_size = Size(event.size.width, len(self.lines))
        self.call_after_refresh(self._scroll_to_cursor)

    async def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_offset.y)
        if 0 <= row < len(self.lines):
            self.cursor = row
            self.action_choose()

    def render_line(self, y: int) -> Strip:
        row = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        if not 0 <= row < len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[row]
        state = "cursor" if row == self.cursor else ""
        key = (row, width, state + ("focus" if self.has_focus else ""))
        if (strip := self._cache.get(key)) is None:
            strip = self._render_row(line, width, is_cursor=row == self.cursor)
            self._cache[key] = strip
        return strip.crop(int(self.scroll_offset.x), int(self.scroll_offset.x) + width)

    def _render_row(self, line: MeetingLine, width: int, *, is_cursor: bool) -> Strip:
        base = self.rich_style
        if line.is_next:
            base += self.get_component_rich_style("meeting-timeline--next", partial=True)
        elif line.is_past:
            base += self.get_component_rich_style("meeting-timeline--past", partial=True)
        if is_cursor:
            base += self.get_component_rich_style("meeting-timeline--cursor")
        bar = completion_bar(line.done, line.total, BAR_WIDTH)
        title_width = max(1, width - COUNT_WIDTH - len(bar) - 2)
        text = RichText(no_wrap=True, overflow="ellipsis")
        text.append(fit_title(line.title, title_width))
        text.append(line.count.rjust(COUNT_WIDTH - 1) + "  ")
        text.append_text(bar)
        segments = list(Segment.apply_style(text.render(self.app.console, end=""), base))
        return Strip(segments).adjust_cell_length(width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._cache.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        self.refresh()
