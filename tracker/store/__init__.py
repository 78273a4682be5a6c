"""Provides the progress store: the only package that speaks SQL."""
