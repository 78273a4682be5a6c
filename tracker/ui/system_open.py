"""Provides `open_in_system`: hands a URL or a file to the system's browser or viewer."""

from __future__ import annotations

import webbrowser
from pathlib import Path

from textual.app import App

__all__ = ["open_in_system"]


def open_in_system(app: App[object], target: str | Path) -> bool:
    """Opens a URL in the browser, or a file in the system's viewer for its type.

    Args:
        app: The running app: served in a web browser, the URL goes to that browser.
        target: A URL, or the path of a local file.

    Returns:
        Whether a browser or viewer was started. False on a machine with none (a server over
        ssh, a container): the caller then shows the target so that the user can copy it.
    """
    if isinstance(target, Path):
        target = target.resolve().as_uri()
    if app.is_web:
        if target.startswith("file:"):
            return False  # the browser at the other end cannot reach this machine's files
        app.open_url(target)
        return True
    try:
        return webbrowser.open(target)
    except webbrowser.Error:
        return False
