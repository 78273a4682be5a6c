"""Provides `PartChecklist`: tickable parts (units, sections, exercises, tasks) one by one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text as RichText
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.selection_list import Selection

__all__ = ["PartChecklist"]


class PartChecklist(SelectionList[str]):
    """A checklist of progress keys: space or enter (or a click) ticks the highlighted one.

    An open part's box is empty (`▐ ▌`), a ticked one's has the cross (`▐X▌`): Textual's
    selection list draws the cross in both and tells them apart by colour alone, which a
    terminal without colour (or a reader who cannot tell the two colours apart) does not show.
    """

    DEFAULT_CSS = """
    PartChecklist { height: auto; max-height: 100%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Tick", tooltip="Tick or untick the highlighted part"),
    ]
    """Textual's `space` binding, shown in the footer: ticking is what this list is for."""

    @dataclass
    class Ticked(Message):
        """The user ticked (or unticked) one part."""

        checklist: PartChecklist
        key: str
        is_done: bool

        @property
        def control(self) -> PartChecklist:
            return self.checklist

    def show(self, parts: Sequence[tuple[str, str, bool]]) -> None:
        """Shows `(key, label, is_done)` rows, keeping the highlight where it was.

        The same rows with the same words are only ticked or unticked; new words (an edited
        question) or other rows rebuild the list.

        Args:
            parts: The rows, in order.
        """
        options = (self.get_option_at_index(i) for i in range(self.option_count))
        shown = [(option.value, str(option.prompt)) for option in options]
        if shown == [(key, label) for key, label, _ in parts]:
            for key, _, is_done in parts:
                if is_done:
                    self.select(key)
                else:
                    self.deselect(key)
            return
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            [Selection(RichText(label), key, is_done) for key, label, is_done in parts]
        )
        if parts:
            self.highlighted = min(highlighted or 0, len(parts) - 1)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            box = segments[1]
            segments[1] = Segment(" " * len(box.text), box.style, box.control)
            return Strip(segments, strip.cell_length)
        return strip

    @property
    def highlighted_key(self) -> str | None:
        """The progress key of the highlighted row."""
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).value

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Ticks the row the key (or the click) was on. Textual's selection list ticks the row
        highlighted when the message is handled: keys typed in a burst ("space down space") are
        all handled first, and the second row was ticked twice, the first not at all."""
        event.stop()
        event.prevent_default()  # not the selection list's own handler
        self.toggle(self.get_option_at_index(event.option_index))

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        key = event.selection.value
        self.post_message(self.Ticked(self, key, key in self.selected))
