"""Provides the pure domain: frozen dataclasses and enums, no I/O, no Textual, no torch."""
