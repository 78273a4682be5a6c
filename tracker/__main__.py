"""Provides `python -m tracker`, the same as the `study` command."""

from tracker.cli import main

raise SystemExit(main())
