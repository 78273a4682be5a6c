"""Provides `prepare_images`: whether the app's figures are drawn by textual-image, decided (and
textual-image's terminal query made) before Textual starts; see `tracker.ui.widgets.figure_view`.

Kept apart from the figure widget, so that `study` decides this without importing it before its
first frame.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["IMAGES_ENV", "draws_images", "graphics_terminal", "prepare_images"]

IMAGES_ENV = "STUDY_IMAGES"
"""`graphics` or `halfblocks`: overrides the guess from the terminal's environment."""

_GRAPHICS_TERMS = ("xterm-kitty", "foot", "foot-extra", "mlterm", "contour", "wezterm")
_GRAPHICS_PROGRAMS = ("WezTerm", "iTerm.app", "ghostty", "contour")
_state: dict[str, bool] = {}


def graphics_terminal(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal speaks a graphics protocol, as its environment says.

    Args:
        environ: The environment (default: `os.environ`).

    Returns:
        True for `STUDY_IMAGES=graphics` and the terminals known to draw images; False for
        `STUDY_IMAGES=halfblocks` and any other terminal.
    """
    env = os.environ if environ is None else environ
    choice = env.get(IMAGES_ENV, "").strip().lower()
    if choice in ("graphics", "halfblocks"):
        return choice == "graphics"
    return (
        env.get("TERM", "") in _GRAPHICS_TERMS
        or env.get("TERM_PROGRAM", "") in _GRAPHICS_PROGRAMS
        or "KITTY_WINDOW_ID" in env
        or "KONSOLE_VERSION" in env
    )


def prepare_images() -> bool:
    """Lets textual-image ask a graphics terminal what it speaks; call before the app runs.

    Returns:
        Whether figures will be drawn by textual-image (else in half blocks).
    """
    if "graphics" not in _state:
        is_graphics = graphics_terminal()
        if is_graphics:
            try:
                import textual_image.widget  # noqa: F401  (the import queries the terminal)
            except ImportError:
                is_graphics = False
        _state["graphics"] = is_graphics
    return _state["graphics"]


def draws_images() -> bool:
    """Whether `prepare_images` found that textual-image draws the figures (False before it)."""
    return _state.get("graphics", False)
