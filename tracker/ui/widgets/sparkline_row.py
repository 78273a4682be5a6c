"""Provides `SparklineRow` (a titled sparkline with its value), `ProgressRow` (a titled progress
bar with its value) and `ShareBars` (shares as bars)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text as RichText
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

__all__ = ["BLOCKS", "ProgressRow", "ShareBars", "SparklineRow", "share_bars"]

BLOCKS = " ▁▂▃▄▅▆▇█"
"""Bar heights from nothing to full, one character each."""


def share_bars(values: Sequence[float | None]) -> str:
    """Shares between 0.0 and 1.0 as one block character each (`·` where there is no value)."""
    out = []
    for value in values:
        if value is None:
            out.append("·")
        else:
            out.append(BLOCKS[max(1, round(min(1.0, max(0.0, value)) * (len(BLOCKS) - 1)))])
    return "".join(out)


class SparklineRow(Widget):
    """One line: a title, a sparkline of the history, and the current value in words.

    Drawn as one line of text (Textual's sparkline, as its `Sparkline` draws it), not as a
    label, a sparkline and a label.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sparkline-row--max-color",
        "sparkline-row--min-color",
    }
    """
    | Class | Description |
    | :- | :- |
    | `sparkline-row--max-color` | The colour of the highest bars. |
    | `sparkline-row--min-color` | The colour of the lowest bars. |
    """

    DEFAULT_CSS = """
    SparklineRow {
        height: 1;
        margin: 0 1;
    }
    SparklineRow > .sparkline-row--max-color {
        color: $primary;
    }
    SparklineRow > .sparkline-row--min-color {
        color: $primary 30%;
    }
    """

    TITLE_WIDTH = 34
    """Columns of the title (cut with an ellipsis)."""
    LINE_WIDTH = 48
    """The widest sparkline."""
    VALUE_WIDTH = 20
    """Columns of the value in words."""

    def __init__(
        self,
        title: str,
        data: Sequence[float],
        value: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates the row.

        Args:
            title: What the row is about.
            data: The history, oldest first.
            value: The current value in words (`71%`, `12 today`).
            name: The widget's name.
            id: The widget's id.
            classes: The widget's CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.title = title
        """What the row is about."""
        self.data = list(data)
        """The history drawn."""
        self.value = value
        """The current value in words."""

    def show(self, data: Sequence[float], value: str) -> None:
        """Draws a new history and value."""
        self.data = list(data)
        self.value = value
        self.refresh()

    def render(self) -> RenderResult:
        from rich.table import Table
        from textual.renderables.sparkline import Sparkline as SparklineRenderable

        free = self.size.width - self.TITLE_WIDTH - self.VALUE_WIDTH - 2  # a margin either side
        width = max(0, min(self.LINE_WIDTH, free))
        _, base = self.background_colors
        low = base + self.get_component_styles("sparkline-row--min-color").color
        high = base + self.get_component_styles("sparkline-row--max-color").color
        line = SparklineRenderable(
            self.data,
            width=width,
            height=1,
            min_color=low.rich_color,
            max_color=high.rich_color,
            summary_function=max,
        )
        grid = Table.grid()
        grid.add_column(width=self.TITLE_WIDTH, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=1)
        grid.add_column(width=width, no_wrap=True)
        grid.add_column(width=1)
        grid.add_column(width=self.VALUE_WIDTH, no_wrap=True, overflow="ellipsis")
        grid.add_row(RichText(self.title), "", line, "", RichText(self.value))
        return grid


class ProgressRow(Widget):
    """One line: a title, a progress bar of a share done (0 to 100%), and the value in words.

    For how far a resource is done: a sparkline scales to its own highest value, so a history
    of zeros and today's 28% drew `▁▁▁█`, which reads as done, or as nothing done.

    Drawn as one line of text (Textual's bar, as its `ProgressBar` draws it), not as a label, a
    progress bar and a label: a widget with no children and no timers, cheap to mount.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"progress-row--bar", "progress-row--complete"}
    """
    | Class | Description |
    | :- | :- |
    | `progress-row--bar` | The bar (its colour: done; its background: to do). |
    | `progress-row--complete` | The bar when all is done. |
    """

    DEFAULT_CSS = """
    ProgressRow {
        height: 1;
        margin: 0 1;
    }
    ProgressRow > .progress-row--bar {
        color: $primary;
        background: $surface;
    }
    ProgressRow > .progress-row--complete {
        color: $success;
        background: $surface;
    }
    """

    TITLE_WIDTH = 34
    """Columns of the title (cut with an ellipsis)."""
    BAR_WIDTH = 50
    """The widest bar."""
    VALUE_WIDTH = 24
    """Columns of the value in words."""

    def __init__(
        self,
        title: str,
        share: float,
        value: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates the row.

        Args:
            title: What the row is about.
            share: How much is done, 0.0 to 1.0.
            value: The share in words (`28%`, `28% · +12% in 4 weeks`).
            name: The widget's name.
            id: The widget's id.
            classes: The widget's CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.title = title
        """What the row is about."""
        self.share = min(1.0, max(0.0, share))
        """The share drawn, 0.0 to 1.0."""
        self.value = value
        """The share in words."""

    def show(self, share: float, value: str) -> None:
        """Draws a new share and value."""
        self.share = min(1.0, max(0.0, share))
        self.value = value
        self.refresh()

    def render(self) -> RenderResult:
        from rich.style import Style
        from rich.table import Table
        from textual.renderables.bar import Bar

        free = self.size.width - self.TITLE_WIDTH - self.VALUE_WIDTH - 2  # a margin either side
        width = max(0, min(self.BAR_WIDTH, free))
        part = "progress-row--complete" if self.share >= 1 else "progress-row--bar"
        style = self.get_component_rich_style(part)
        grid = Table.grid()
        grid.add_column(width=self.TITLE_WIDTH, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=1)
        grid.add_column(width=width, no_wrap=True)
        grid.add_column(width=1)
        grid.add_column(width=self.VALUE_WIDTH, no_wrap=True, overflow="ellipsis")
        bar = Bar(
            highlight_range=(0, width * self.share),
            highlight_style=Style.from_color(style.color),
            background_style=Style.from_color(style.bgcolor),
            width=width,
        )
        grid.add_row(RichText(self.title), "", bar, "", RichText(self.value))
        return grid


class ShareBars(Widget):
    """Shares (0-100%) as bars on an absolute scale, with a gap where a value is missing."""

    DEFAULT_CSS = """
    ShareBars {
        height: 1;
        width: auto;
        color: $success;
    }
    """

    def __init__(
        self,
        values: Sequence[float | None] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates the bars.

        Args:
            values: Shares between 0.0 and 1.0, or None where there is no value.
            name: The widget's name.
            id: The widget's id.
            classes: The widget's CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.values: list[float | None] = list(values)
        """The shares drawn."""

    def show(self, values: Sequence[float | None]) -> None:
        """Draws new values."""
        self.values = list(values)
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(1, len(self.values))

    def render(self) -> RenderResult:
        return RichText(share_bars(self.values), no_wrap=True)
