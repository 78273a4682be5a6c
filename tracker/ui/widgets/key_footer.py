"""Provides `KeyFooter`: Textual's `Footer`, without restyling each key twice as it is made.

Textual's `FooterKey` starts compact (`compact = True`); when mounted, its watcher adds the
`-compact` class and the footer's data binding (not compact) takes it away again: two restyles
of a key through the whole stylesheet, for each of the dozen keys, each time the footer is
rebuilt (on every screen's first showing and whenever the keys change, as focus moves). This
footer makes each key with the `compact` it will be bound to and the matching class, so that
neither watcher changes anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    """A `Footer` whose keys are made in the footer's `compact` style, not restyled into it."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # the command palette's key is not bound to the footer: it stays compact
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
