"""Provides `TrackerScreen`: a screen that redraws when the app's data or language changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp
    from tracker.ui.widgets.entry_list import EntryList

__all__ = ["TrackerScreen"]


class TrackerScreen(Screen[None]):
    """Base of the app's screens: `update_view` runs on mount and after every change of data.

    Subclasses do not define `on_mount`; they draw everything in `update_view`, which must cope
    with `self.tracker.curriculum` being None (still loading).
    """

    @property
    def tracker(self) -> TrackerApp:
        """The app, typed."""
        return cast("TrackerApp", self.app)

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._data_changed, init=False)
        self.watch(self.app, "lang", self._data_changed, init=False)
        self.update_view()

    def _data_changed(self) -> None:
        if self.is_mounted:
            self.update_view()

    def update_view(self) -> None:
        """Draws the screen from the app's curriculum and progress (override)."""

    def on_entry_list_opened(self, event: EntryList.Opened) -> None:
        """Opens the item chosen in any list of items on this screen."""
        from tracker.ui.screens.item import ItemScreen

        self.app.push_screen(ItemScreen(event.item.id))
