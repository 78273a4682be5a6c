"""Provides `TrackerScreen`: a screen that redraws when the app's data or language changes."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, cast

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.message import Message

    from tracker.ui.app import TrackerApp
    from tracker.ui.widgets.entry_list import EntryList

__all__ = ["NARROW", "TrackerScreen"]

NARROW = 100
"""Below this many cells wide, a screen is narrow: compact footer, shorter progress bars."""


class TrackerScreen(Screen[None]):
    """Base of the app's screens: `update_view` runs on mount and after every change of data.

    Subclasses draw everything in `update_view`, which must cope with `self.tracker.curriculum`
    being None (still loading). An `on_mount` of their own runs as well as this one (Textual
    calls each class's handler), so it must not draw.
    """

    @property
    def tracker(self) -> TrackerApp:
        """The app, typed."""
        return cast("TrackerApp", self.app)

    def __init__(self, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.is_stale = False
        """Whether the data changed while another screen was shown: redrawn when shown again."""
        self._styled_as: tuple[object, ...] | None = None
        """What the app's styles hung on when this screen was made or last hidden
        (`_style_state`); None when made outside a running app."""
        with suppress(RuntimeError):  # made outside a running app: Textual's ways stay
            if self.app.screen_stack:  # not the first screen: the app's styles are in place
                self._css_update_count = self.app._css_update_count  # styled as it mounts
                self._styled_as = self._style_state()

    def _style_state(self) -> tuple[object, ...]:
        """What a hidden screen's styles depend on outside it: the stylesheet's generation (a new
        theme), the app's classes and pseudo-classes.

        Textual restyles a screen's every widget each time it is shown, and the whole app's
        (every screen's) twice when a section is first shown, as if a new screen had been styled
        by an older stylesheet. On years of meetings that was most of a switch. A screen is
        styled as it mounts, and a widget whose classes change is restyled then; so a screen
        is restyled when shown only if one of these changed while it was hidden.
        """
        app = self.app
        return (app._css_update_count, frozenset(app.classes), app.pseudo_classes)

    def post_message(self, message: Message) -> bool:
        """Posts a message; a `ScreenResume` restyles the screen only when needed (above)."""
        if isinstance(message, events.ScreenResume) and message.refresh_styles:
            message.refresh_styles = self._styled_as != self._style_state()
        return super().post_message(message)

    def on_screen_suspend(self) -> None:
        """Notes what the styles hang on, for when the screen is shown again."""
        self._styled_as = self._style_state()

    def on_mount(self) -> None:
        self.watch(self.app, "save_revision", self._save_state_changed)
        self.watch(self.app, "revision", self._data_changed, init=False)
        self.watch(self.app, "lang", self._data_changed, init=False)
        self.draw()

    def on_resize(self, event: events.Resize) -> None:
        """Packs the footer's keys closer on narrow terminals, so that fewer are cut off."""
        for footer in self.query(Footer):
            footer.compact = event.size.width < NARROW

    def _save_state_changed(self) -> None:
        """Mounts the line that says what is not saved (or cannot be read), once there is any:
        while all is well the screen's layout is left as it is."""
        from tracker.ui.widgets.save_status import SaveStatus

        if self.tracker.has_save_trouble and not self.query(SaveStatus):
            self.mount(SaveStatus())  # docked at the top; it hides itself when all is well

    def _data_changed(self) -> None:
        if not self.is_mounted:
            return
        if not self.is_current:  # years of meetings: draw only the screen that is shown
            self.is_stale = True
            return
        self.draw()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Draws what changed while another screen was shown."""
        if self.is_stale:
            self.is_stale = False
            self.draw()

    def draw(self) -> None:
        """Runs `update_view`; a read of progress that fails is said at the top of the screen
        (`TrackerApp.read_failed`) and the screen shows what it could draw."""
        from tracker.errors import StoreError

        try:
            self.update_view()
        except StoreError as error:
            self.tracker.read_failed(error)

    def update_view(self) -> None:
        """Draws the screen from the app's curriculum and progress (override)."""

    def on_entry_list_opened(self, event: EntryList.Opened) -> None:
        """Opens the item chosen in any list of items on this screen."""
        from tracker.ui.screens.item import ItemScreen

        self.app.push_screen(ItemScreen(event.item.id))
