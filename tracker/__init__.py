"""study-tracker: a mentor's curriculum, a mentee's progress, quizzes and live PyTorch snippets."""

__version__ = "0.1.0"
