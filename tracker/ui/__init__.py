"""Provides the Textual app: the only package that imports textual."""
