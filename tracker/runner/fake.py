"""Provides `FakeRunner`: a runner that runs nothing, for UI tests that are not about snippets."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import replace

from tracker.runner.result import RunResult, RunStatus, WorkerStatus
from tracker.runner.runner import OutputCallback, StatusListener

__all__ = ["FakeRunner"]


class FakeRunner:
    """Answers `run` with canned results (by code), streaming their output; starts no process.

    Snippet behaviour itself is tested against the real `SnippetRunner`; this is only a seam
    for screens that need *a* runner.
    """

    def __init__(
        self, results: Mapping[str, RunResult] | None = None, *, default: RunResult | None = None
    ) -> None:
        """Prepares the fake.

        Args:
            results: The result for each exact code string.
            default: The result for any other code (default: OK, nothing printed).
        """
        self.results = dict(results or {})
        self.default = default or RunResult(RunStatus.OK, torch_version="fake")
        self.calls: list[str] = []
        """The code of every run, in order."""
        self.checks: list[str | None] = []
        """The checks given with every run, in order."""
        self.interrupts = 0
        self.kills = 0
        self.restarts = 0
        self._status = WorkerStatus.STOPPED
        self._listeners: list[StatusListener] = []

    @property
    def status(self) -> WorkerStatus:
        """Stopped until `start`, then ready; stopped again after `close`."""
        return self._status

    @property
    def problem(self) -> str | None:
        """Always None: the fake has no Python to be wrong about."""
        return None

    def add_status_listener(self, listener: StatusListener) -> None:
        """Calls `listener` with every later change of `status`."""
        self._listeners.append(listener)

    def remove_status_listener(self, listener: StatusListener) -> None:
        """Stops calling `listener`."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def start(self) -> None:
        """Becomes ready at once."""
        if self._status is WorkerStatus.STOPPED:
            self._set(WorkerStatus.READY)

    def run(
        self,
        code: str,
        *,
        seed: int | None = None,
        timeout: float | None = None,
        memory_mb: int | None = None,
        scratch: bool = False,
        on_output: OutputCallback | None = None,
        filename: str = "<snippet>",
        token: object | None = None,
        checks: str | None = None,
    ) -> RunResult:
        """Records `code`, streams the canned result's output and returns it (with `seed`)."""
        self.start()
        self.calls.append(code)
        self.checks.append(checks)
        result = replace(self.results.get(code, self.default), seed=seed)
        if on_output is not None and result.stdout:
            on_output(result.stdout)
        return result

    def interrupt(self, token: object | None = None) -> None:
        """Counts the call."""
        self.interrupts += 1

    def kill(self, token: object | None = None) -> None:
        """Counts the call."""
        self.kills += 1

    def restart(self) -> None:
        """Counts the call."""
        self.restarts += 1

    def close(self) -> None:
        """Stops the fake."""
        self._set(WorkerStatus.STOPPED)

    def _set(self, status: WorkerStatus) -> None:
        self._status = status
        for listener in list(self._listeners):
            listener(status)
