"""Provides `FigureView`: a figure a snippet drew, as a picture in the terminal; `o` opens the PNG.

In a terminal with a graphics protocol (Kitty's, or Sixel: kitty, WezTerm, foot, Konsole, iTerm2,
mlterm, contour), textual-image draws the PNG itself. textual-image asks the terminal what it
speaks when it is imported, which must happen before Textual starts
(`tracker.ui.graphics.prepare_images`), and costs a third of a second on a terminal that does
not answer: so it is imported only where the terminal is one of those (or
`STUDY_IMAGES=graphics` says so). Everywhere else the picture is
drawn in coloured half blocks (`HalfBlocks`: two pixels a cell), which every colour terminal shows.
`STUDY_IMAGES=halfblocks` forces those.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label

from tracker.ui.graphics import draws_images
from tracker.ui.system_open import open_in_system

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions
    from textual.app import ComposeResult

__all__ = ["FigureView", "HalfBlocks"]

FIGURE_ROWS = 18
"""The height of a picture in terminal rows (its width follows from the aspect ratio); in half
blocks, the least: they are drawn as wide as the pane, up to the screen's height."""
SCREEN_MARGIN_ROWS = 3
"""Rows of the screen left beside a half-block picture at its largest (its caption, the footer)."""


class HalfBlocks:
    """A Rich renderable: an image in `▀` cells, the upper pixel as foreground, the lower as back.

    Args:
        path: The image file.
        rows: Its height in terminal rows; the width keeps the aspect ratio (cells are about
            twice as high as wide, so two pixels a cell are square).
    """

    def __init__(self, path: Path, rows: int) -> None:
        from PIL import Image

        with Image.open(path) as image:
            self._picture = image.convert("RGB")
        self.rows = 0
        self.columns = 0
        self.resize(rows)

    def columns_for(self, rows: int) -> int:
        """The width in cells of the picture `rows` rows high (at least 1)."""
        return max(1, round(rows * 2 * self._picture.width / self._picture.height))

    def rows_within(self, columns: int, rows: int) -> int:
        """The height in rows of the largest picture within `columns` x `rows` cells (at least 1)."""
        by_width = columns * self._picture.height // (2 * self._picture.width)
        while self.columns_for(by_width + 1) <= columns:  # `columns_for` rounds
            by_width += 1
        return max(1, min(rows, by_width))

    def resize(self, rows: int) -> None:
        """Draws the picture `rows` rows high from now on (its width follows)."""
        from PIL import Image

        if rows == self.rows:
            return
        self.rows = rows
        self.columns = self.columns_for(rows)
        self._pixels = self._picture.resize((self.columns, rows * 2), Image.Resampling.BOX)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        columns = min(self.columns, options.max_width)
        pixels: Any = self._pixels.load()
        for row in range(self.rows):
            for column in range(columns):
                upper = pixels[column, row * 2]
                lower = pixels[column, row * 2 + 1]
                style = Style(color=Color.from_rgb(*upper), bgcolor=Color.from_rgb(*lower))
                yield Segment("▀", style)
            yield Segment.line()


class _HalfBlockImage(Widget):
    """A widget that shows `HalfBlocks` of a PNG: as wide as its container, at least `rows` high
    and at most the screen's height less `SCREEN_MARGIN_ROWS`."""

    DEFAULT_CSS = "_HalfBlockImage { width: auto; height: auto; }"

    def __init__(self, path: Path, rows: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._least_rows = rows
        self._blocks = HalfBlocks(path, rows)

    def _rows(self, columns: int, screen_rows: int) -> int:
        most = max(self._least_rows, screen_rows - SCREEN_MARGIN_ROWS)
        return self._blocks.rows_within(columns, most)

    def render(self) -> HalfBlocks:
        self._blocks.resize(self.content_size.height or self._blocks.rows)
        return self._blocks

    def get_content_width(self, container: Any, viewport: Any) -> int:
        return self._blocks.columns_for(self._rows(container.width, viewport.height))

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return self._rows(width, viewport.height)


class FigureView(Vertical, can_focus=True):
    """One figure: a caption with the PNG's path, and the picture."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open the PNG", tooltip="Open the figure in the system's viewer"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | o | Open the PNG in the system's image viewer. |
    """

    DEFAULT_CSS = f"""
    FigureView {{ height: auto; margin-top: 1; }}
    FigureView:focus > .figure-view--caption {{ text-style: bold reverse; }}
    FigureView > .figure-view--caption {{ color: $text-muted; width: 100%; }}
    FigureView > .figure-view--image {{ height: {FIGURE_ROWS}; width: auto; }}
    FigureView > .figure-view--image.-half-blocks {{ height: auto; }}
    """

    def __init__(
        self,
        path: Path,
        number: int,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Creates the view.

        Args:
            path: The PNG the worker saved.
            number: The figure's number in its run (1 for the first).
            name: The widget's name.
            id: The widget's id.
            classes: The widget's classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.path = path
        """The PNG file."""
        self.number = number
        """The figure's number in its run."""

    def compose(self) -> ComposeResult:
        yield Label(
            f"figure {self.number} · {self.path.name} · o opens it",
            classes="figure-view--caption",
            markup=False,
        )
        try:
            if draws_images():
                from textual_image.widget import Image

                yield Image(self.path, classes="figure-view--image")
            else:
                yield _HalfBlockImage(
                    self.path, FIGURE_ROWS, classes="figure-view--image -half-blocks"
                )
        except OSError as error:  # gone, or not an image
            yield Label(f"(cannot show it: {error})", markup=False)

    def action_open(self) -> None:
        """Opens the PNG in the system's viewer, or shows its whole path in the caption (to copy)
        when none can be started."""
        if open_in_system(self.app, self.path):
            self.notify(str(self.path), title="Opened", markup=False)
            return
        self.app.copy_to_clipboard(str(self.path))
        self.query_one(".figure-view--caption", Label).update(
            f"figure {self.number} · {self.path} · no viewer here: copy the path"
        )
        self.notify(  # the path itself stays in the caption, not in a toast over the screen
            "No image viewer could be started here. The figure's caption shows its file, to copy"
            " (and it is on the clipboard where the terminal allows it).",
            title="Could not open",
            severity="warning",
        )
