"""Provides `ActivityHeatmap`: a GitHub-style grid of days, one column per week, shaded by activity."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from rich.text import Text as RichText
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tracker.report.stats import HEATMAP_WEEKS, ActivityCell, activity_grid

__all__ = ["ActivityHeatmap"]

CELL = "■ "
"""How one day is drawn (two columns wide, so that the grid looks square)."""

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
"""Row labels; every other day is left blank, as GitHub does."""


class ActivityHeatmap(Widget):
    """Days as shaded cells: weeks left to right, Monday to Sunday top to bottom."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--level-0",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
        "heatmap--label",
    }
    """
    | Class | Description |
    | :- | :- |
    | `heatmap--level-0` ... `heatmap--level-4` | A day with no activity ... the busiest days. |
    | `heatmap--label` | Month and weekday labels. |
    """

    DEFAULT_CSS = """
    ActivityHeatmap {
        height: 8;
        width: auto;
    }
    ActivityHeatmap > .heatmap--level-0 { color: $foreground 15%; }
    ActivityHeatmap > .heatmap--level-1 { color: $success 40%; }
    ActivityHeatmap > .heatmap--level-2 { color: $success 60%; }
    ActivityHeatmap > .heatmap--level-3 { color: $success 80%; }
    ActivityHeatmap > .heatmap--level-4 { color: $success; }
    ActivityHeatmap > .heatmap--label { color: $text-muted; }
    """

    counts: reactive[Mapping[date, int]] = reactive(dict, layout=True)
    """Events by day."""
    today: reactive[date | None] = reactive(None, layout=True)
    """The last day drawn (None: nothing is drawn yet)."""

    def __init__(
        self,
        *,
        weeks: int = HEATMAP_WEEKS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates an empty heatmap.

        Args:
            weeks: How many weeks to show.
            name: The widget's name.
            id: The widget's id.
            classes: The widget's CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.weeks = weeks
        """How many weeks are shown."""

    @property
    def grid(self) -> list[list[ActivityCell | None]]:
        """The columns of cells (None after today); empty before `today` is set."""
        if self.today is None:
            return []
        return activity_grid(self.counts, self.today, weeks=self.weeks)

    @property
    def cells(self) -> list[ActivityCell]:
        """Every day drawn, oldest first."""
        return [cell for column in self.grid for cell in column if cell is not None]

    def show(self, counts: Mapping[date, int], today: date) -> None:
        """Draws `counts` up to `today`."""
        self.counts = dict(counts)
        self.today = today

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 4 + len(CELL) * self.weeks

    def render(self) -> RenderResult:
        grid = self.grid
        label_style = self.get_component_rich_style("heatmap--label")
        styles = [self.get_component_rich_style(f"heatmap--level-{n}") for n in range(5)]
        text = RichText(no_wrap=True, overflow="crop")
        months = [" "] * (len(CELL) * len(grid))
        previous = None
        for index, column in enumerate(grid):
            first = next((cell.day for cell in column if cell is not None), None)
            if first is not None and first.month != previous:
                if previous is not None or first.day <= 7:
                    label = first.strftime("%b")
                    start = index * len(CELL)
                    months[start : start + len(label)] = label
                previous = first.month
        text.append("    " + "".join(months)[: len(months)].rstrip(), style=label_style)
        for weekday in range(7):
            text.append("\n")
            text.append(f"{WEEKDAYS[weekday]:<4}", style=label_style)
            for column in grid:
                cell = column[weekday]
                text.append(
                    CELL if cell is not None else "  ", style=styles[cell.level] if cell else ""
                )
        return text
