"""Provides the snippet runner: a fresh process per run, forked from a warm zygote (the only place
torch is imported)."""

from __future__ import annotations

from tracker.runner.fake import FakeRunner
from tracker.runner.limits import Limits
from tracker.runner.result import RunResult, RunStatus, WorkerStatus
from tracker.runner.runner import OutputCallback, Runner, SnippetRunner, StatusListener

__all__ = [
    "FakeRunner",
    "Limits",
    "OutputCallback",
    "RunResult",
    "RunStatus",
    "Runner",
    "SnippetRunner",
    "StatusListener",
    "WorkerStatus",
]
