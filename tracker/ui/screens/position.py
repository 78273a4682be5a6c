"""Provides `PositionDialog`: asks where the mentee is in a video (hh:mm:ss), validated."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tracker.content.ranges import plain_colons
from tracker.domain.curriculum import Resource, format_hms
from tracker.ui.labels import chapter_at, parse_hms

__all__ = ["PositionDialog"]


class PositionDialog(ModalScreen[int | None]):
    """Asks for a position; gives back seconds clamped to the item's end (else the video's
    length), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    PositionDialog { align: center middle; }
    PositionDialog > Vertical {
        width: 70; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    PositionDialog Label { width: 100%; }
    PositionDialog #position-title { text-style: bold; }
    PositionDialog #position-hint { color: $text-muted; margin-top: 1; }
    PositionDialog #position-hint.-invalid { color: $error; }
    """

    def __init__(
        self, resource: Resource, seconds: int, *, start: int = 0, end: int | None = None
    ) -> None:
        """Args:
        resource: The video.
        seconds: The position to offer (the item's own).
        start: Where the item's segment starts.
        end: Where it ends (None: the video's end); a position counts for this segment only.
        """
        super().__init__()
        self.resource = resource
        """The video."""
        self._seconds = seconds
        self._start = start
        """The item's segment's start."""
        self._end = end if end is None or not resource.length else min(end, resource.length)
        """The item's segment's end, when it ends before the video does."""

    def compose(self) -> ComposeResult:
        length = self.resource.length
        of = f"; the video is {format_hms(length)} long" if length else ""
        if self._end is not None and self._end != length:
            of = f"; this item is {format_hms(self._start)}–{format_hms(self._end)}"
        elif self._start:
            of = f"; this item starts at {format_hms(self._start)}"
        with Vertical():
            yield Label(str(self.resource.title), id="position-title")
            yield Label(f"Watched up to (hh:mm:ss{of}):")
            yield Input(format_hms(self._seconds), id="position-input")
            yield Label(id="position-hint")

    def on_mount(self) -> None:
        self._describe(self.query_one(Input).value)

    def clamp(self, seconds: int) -> int:
        """`seconds` within 0 and the item's end (else the video's length, when known)."""
        end = self._end if self._end is not None else self.resource.length
        return max(0, min(seconds, end)) if end else max(0, seconds)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._describe(event.value)

    def _describe(self, text: str) -> None:
        hint = self.query_one("#position-hint", Label)
        if not text.strip():  # nothing typed yet: a hint, not an error
            hint.update("Type how far you watched, e.g. 01:11:38 or 52:10")
            hint.remove_class("-invalid")
            return
        try:
            seconds = parse_hms(text)
        except ValueError as error:
            hint.update(str(error))
            hint.add_class("-invalid")
            return
        hint.remove_class("-invalid")
        clamped = self.clamp(seconds)
        end = "the end of this item" if self._end is not None else "the end of the video"
        words = f"→ {format_hms(clamped)}" + (f" ({end})" if clamped < seconds else "")
        if lookalikes := sorted({ch for ch in text if plain_colons(ch) != ch}):
            words += f" (read {', '.join(repr(ch) for ch in lookalikes)} as ':')"
        if chapter := chapter_at(self.resource.chapters, clamped):
            words += f"\nchapter: {chapter.title}"
        hint.update(words)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            seconds = parse_hms(event.value)
        except ValueError:
            self.app.bell()
            return
        self.dismiss(self.clamp(seconds))

    def action_cancel(self) -> None:
        """Closes the dialog without a position."""
        self.dismiss(None)
