"""Provides the curriculum loader: the mentor's YAML to `tracker.domain` objects, every problem located."""

from __future__ import annotations

from tracker.content.loader import curriculum_files, file_role, load_curriculum

__all__ = ["curriculum_files", "file_role", "load_curriculum"]
