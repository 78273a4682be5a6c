"""Provides what the mentor's commands share: date arguments and the mentee's default name."""

from __future__ import annotations

import argparse
import getpass
import re
from datetime import date

from tracker.content.ranges import ValueProblem, parse_date

__all__ = ["NAME_PATTERN", "day_argument", "default_name", "name_argument"]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
"""A mentee's name: it names the file `progress/<name>.json`."""


def day_argument(text: str) -> date:
    """An argparse `type`: `2024-04-08` or `08/04/2024` as a date.

    Raises:
        argparse.ArgumentTypeError: The text is not a date (the message says which forms work).
    """
    try:
        return parse_date(text)
    except ValueProblem as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def name_argument(text: str) -> str:
    """An argparse `type`: a mentee's name, usable as a file name.

    Raises:
        argparse.ArgumentTypeError: The name has characters other than letters, digits, `.`,
            `_` and `-`, or does not start with a letter or digit.
    """
    if not NAME_PATTERN.match(text):
        raise argparse.ArgumentTypeError(
            f"invalid name '{text}': use letters, digits, '.', '_' and '-' (e.g. vova)"
        )
    return text


def default_name() -> str:
    """The mentee's name when none is given: the login name made file-safe, else `mentee`."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = ""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", login).strip("-._")
    return cleaned if cleaned and NAME_PATTERN.match(cleaned) else "mentee"
