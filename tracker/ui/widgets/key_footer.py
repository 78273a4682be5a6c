"""Provides `KeyFooter`: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's footer removes and remakes every key each time the screen's bindings may have changed
(whenever focus moves: a dozen times as a screen is first shown), and each new `FooterKey` is
restyled twice through the whole stylesheet as it mounts: it starts compact, its watcher adds
the `-compact` class and the footer's data binding (not compact) takes it away again. This
footer is rebuilt only when what it would show differs from what it shows, and makes each key
with the `compact` it will be bound to and the matching class, so that neither watcher changes
anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    """A `Footer` rebuilt only when its keys change, its keys made in the footer's style."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None
        """What the keys shown were made from (`_keys`); None before the first time."""

    def _keys(self) -> tuple[object, ...]:
        """What the footer's keys are made from: the screen's active bindings."""
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # the command palette's key is not bound to the footer: it stays compact
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuilds the keys after the next refresh, if they changed (Textual's always does)."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
