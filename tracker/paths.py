"""Provides the user's data and cache directories (platformdirs; `STUDY_HOME` overrides both).

Also where the bundled curriculum is: inside the installed package, or in the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "study-tracker"


def data_dir(*, create: bool = True) -> Path:
    """The directory that holds the progress database, created when first asked for.

    Args:
        create: Make the directory when it is missing (readers pass False).

    Returns:
        `$STUDY_HOME` when set, else the platform's user data directory.
    """
    home = os.environ.get("STUDY_HOME")
    if home:
        path = Path(home)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """The directory for caches that may be deleted at any time, created when first asked for.

    Returns:
        `$STUDY_HOME/cache` when `STUDY_HOME` is set, else the platform's user cache directory.
    """
    home = os.environ.get("STUDY_HOME")
    if home:
        path = Path(home) / "cache"
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(*, create: bool = True) -> Path:
    """The progress database's path inside `data_dir()`.

    Args:
        create: Make the data directory when it is missing (readers pass False).
    """
    return data_dir(create=create) / "progress.sqlite3"


def bundled_curriculum() -> Path:
    """The curriculum that ships with study-tracker (`assignments/`, `quizzes/`, `examples/`).

    Returns:
        `tracker/bundled/` inside an installed wheel (setup.py copies it there), else the
        checkout the package sits in (an editable install, or the source tree itself).
    """
    installed = _installed_bundle()
    if (installed / "assignments").is_dir():
        return installed
    return installed.parent.parent


def is_installed_bundle(root: Path) -> bool:
    """Whether `root` is the curriculum copied into the installed package (`tracker/bundled/`),
    which no command may write into (a checkout's own curriculum is the mentor's to edit)."""
    try:
        return root.resolve() == _installed_bundle()
    except OSError:
        return False


def _installed_bundle() -> Path:
    """Where an installed wheel keeps the bundled curriculum (absent in a checkout)."""
    return Path(__file__).resolve().parent / "bundled"
