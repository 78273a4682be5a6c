"""Provides `Toasts`: the app's notifications, at most one of a kind, gone after a few seconds.

Textual keeps every notification until its own timeout, so the same "Could not open" pressed
three times stacked three toasts over the screen. Here a repeated notification (the same title
and words) takes the place of the older one, which expires at once: Textual's toast rack drops
an expired notification's toast when the next one is added.
"""

from __future__ import annotations

from threading import Lock
from typing import TYPE_CHECKING, Any

from textual.notifications import Notification, Notify

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

__all__ = ["TOAST_SECONDS", "Toasts"]

TOAST_SECONDS = 5.0
"""How long a toast stays: long enough to read two lines, short enough not to hide the screen
for long (what it names that must stay, a URL or a path, is shown on the screen itself)."""


class Toasts:
    """Posts the app's notifications, keeping at most one live toast per title and message."""

    def __init__(self, app: App[Any]) -> None:
        """Creates the toasts of `app`.

        Args:
            app: The app that shows them.
        """
        self._app = app
        self._live: dict[tuple[str, str], Notification] = {}
        """The newest notification of each kind (title, message), expired ones pruned."""
        self._lock = Lock()
        """`notify` may be called from a worker thread."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> Notification:
        """Shows a toast; an identical one still shown is replaced by it.

        Args:
            message: The words.
            title: The title (the kind of the toast, with the words).
            severity: "information", "warning" or "error".
            timeout: Seconds to show it; default `TOAST_SECONDS`.
            markup: Whether the words are Textual markup.

        Returns:
            The notification posted.
        """
        notification = Notification(
            message,
            title,
            severity,
            TOAST_SECONDS if timeout is None else timeout,
            markup=markup,
        )
        with self._lock:
            self._live = {k: n for k, n in self._live.items() if not n.has_expired}
            older = self._live.get((title, message))
            if older is not None:
                older.timeout = 0  # expired: the rack drops its toast when the new one comes
            self._live[(title, message)] = notification
        self._app.post_message(Notify(notification))
        return notification
