"""Provides `study export`: the mentee's progress as a stable JSON file."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code."""
    print("study export: not built yet", file=sys.stderr)
    return 2
