"""Provides the quiz engine: grading and FSRS scheduling."""
