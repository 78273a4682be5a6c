"""Provides the curriculum loader: the mentor's YAML to `tracker.domain` objects, every problem located."""
