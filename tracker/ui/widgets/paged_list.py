"""Provides `PagedListView`: a `ListView` that mounts its rows a page at a time, as they are needed.

A list of 2,000 topics costs ten widgets a row when every row is mounted:
seconds to show, seconds to quit. This one is told how many rows there are and how to make
row `i`; it mounts the first page, and the next one when the cursor or the scroll comes near
the last row mounted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.widgets import ListItem, ListView

__all__ = ["PagedListView"]


class PagedListView(ListView):
    """A list whose rows are made and mounted a page at a time (`show_rows`)."""

    PAGE: ClassVar[int] = 40
    """Rows mounted at a time (at least the terminal's height and `MARGIN`: a list that ended
    before the bottom of the screen would never be scrolled, so never fed)."""
    MARGIN: ClassVar[int] = 10
    """The next page is mounted when the cursor comes this close to the last row mounted."""

    def __init__(self, *children: ListItem, **kwargs: object) -> None:
        super().__init__(*children, **kwargs)  # type: ignore[arg-type]
        self._count = len(children)
        """How many rows the list has in all, mounted or not."""
        self._make: Callable[[int], ListItem] | None = None
        """Makes row `i` (None: every row is mounted)."""
        self._mounted = len(children)
        """How many of the rows are mounted (always the first ones)."""

    @property
    def mounted_count(self) -> int:
        """How many rows are mounted (the first ones)."""
        return self._mounted

    @property
    def row_count(self) -> int:
        """How many rows the list has, including those not mounted yet."""
        return self._count

    def show_rows(
        self, count: int, make: Callable[[int], ListItem], *, index: int | None = 0
    ) -> None:
        """Replaces the rows: `count` of them, row `i` made by `make(i)` when first needed.

        Args:
            count: How many rows.
            make: Makes the row at an index.
            index: The row to highlight (it is mounted at once); None for none.
        """
        if self._nodes:
            self.clear()  # the old rows leave after this call: the new ones are mounted before
        self._count, self._make, self._mounted = count, make, 0
        wanted = 0 if index is None else max(0, min(index, count - 1))
        self.mount_through(wanted + self.MARGIN)
        if index is not None and count:
            self.index = wanted

    def mount_through(self, index: int) -> None:
        """Mounts the rows up to `index` (rounded up to a whole page), if not mounted yet.

        Args:
            index: The last row wanted (clamped to the list's length).
        """
        make = self._make
        if make is None:
            return
        page = max(self.PAGE, self.app.size.height + self.MARGIN)  # a tall terminal: fill it
        end = min(self._count, max(index + 1, self._mounted + page))
        if end <= self._mounted:
            return
        rows = [make(i) for i in range(self._mounted, end)]
        at = self._mounted
        self._mounted = end
        if at < len(self._nodes):  # rows cleared a moment ago are still leaving: go before them
            self.mount(*rows, before=at)
        else:
            self.extend(rows)

    def watch_index(self, old_index: int | None, new_index: int | None) -> None:
        super().watch_index(old_index, new_index)
        if new_index is not None and new_index + self.MARGIN >= self._mounted:
            self.mount_through(new_index + self.MARGIN)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._mounted < self._count and new_value + self.size.height >= self.max_scroll_y:
            self.mount_through(self._mounted)
