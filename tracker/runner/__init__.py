"""Provides the snippet runner: a pre-warmed worker process, the only place torch is imported."""

from __future__ import annotations

from tracker.runner.fake import FakeRunner
from tracker.runner.limits import Limits
from tracker.runner.result import RunResult, RunStatus
from tracker.runner.runner import OutputCallback, Runner, SnippetRunner

__all__ = [
    "FakeRunner",
    "Limits",
    "OutputCallback",
    "RunResult",
    "RunStatus",
    "Runner",
    "SnippetRunner",
]
