"""Provides `study report`: the next-meeting report."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code."""
    print("study report: not built yet", file=sys.stderr)
    return 2
