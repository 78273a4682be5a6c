"""Provides the mentee's display settings (the streak toggle), kept as JSON in the data directory.

The progress store has no settings table, and these are preferences, not progress: a small
`settings.json` beside the database holds them. A missing or unreadable file means the defaults.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

__all__ = ["SETTINGS_FILE", "Settings", "load_settings", "save_settings"]

SETTINGS_FILE = "settings.json"
"""The file's name inside `tracker.paths.data_dir()`."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the mentee chose to see."""

    show_streak: bool = False
    """Whether the Stats screen shows a streak (off unless the mentee turns it on)."""


def _path(directory: Path | None) -> Path:
    if directory is None:
        from tracker.paths import data_dir

        directory = data_dir()
    return directory / SETTINGS_FILE


def load_settings(directory: Path | None = None) -> Settings:
    """Reads the settings.

    Args:
        directory: Where the file is (default: `tracker.paths.data_dir()`).

    Returns:
        The settings; the defaults when the file is missing or unreadable, and for any value of
        the wrong type.
    """
    try:
        data = json.loads(_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    defaults = Settings()
    values = {
        f.name: data[f.name]
        for f in fields(Settings)
        if isinstance(data.get(f.name), type(getattr(defaults, f.name)))
    }
    return Settings(**values)


def save_settings(settings: Settings, directory: Path | None = None) -> None:
    """Writes the settings (through a temporary file, so a crash never leaves half a file).

    Args:
        settings: The settings.
        directory: Where to write (default: `tracker.paths.data_dir()`).
    """
    path = _path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(asdict(settings), stream, sort_keys=True, indent=2)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
