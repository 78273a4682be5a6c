"""Provides the mentor's side: the next-meeting report, progress export, and stats."""
