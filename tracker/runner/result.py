"""Provides the outcome of a snippet run: `RunStatus` and `RunResult`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.domain.packages import install_command, missing_module

__all__ = ["RunResult", "RunStatus", "WorkerStatus", "install_hint"]


class WorkerStatus(StrEnum):
    """What the runner is doing, as a snippet pane shows it."""

    WARMING = "warming"
    """The worker is importing torch (a few seconds after the app starts)."""
    READY = "ready"
    """Runs can start (the next run's process is forked and warmed ahead; see `is_spare_ready`)."""
    RUNNING = "running"
    """A run is in progress."""
    CRASHED = "crashed"
    """The worker's Python cannot start (see the runner's `problem`)."""
    STOPPED = "stopped"
    """Not started yet, or closed."""


class RunStatus(StrEnum):
    """How a run ended."""

    OK = "ok"
    """The snippet ran to the end."""
    ERROR = "error"
    """The snippet raised an exception (the worker is fine)."""
    TIMEOUT = "timeout"
    """The wall-clock limit was reached."""
    KILLED = "killed"
    """The run's process was killed or ended without a result: memory limit, crash, `os._exit`,
    the OS, a restart."""
    INTERRUPTED = "interrupted"
    """The user interrupted the run."""

    @property
    def exit_code(self) -> int:
        """The exit code `study run` uses for this status."""
        return _EXIT_CODES[self]


_EXIT_CODES = {
    RunStatus.OK: 0,
    RunStatus.ERROR: 1,
    RunStatus.TIMEOUT: 124,
    RunStatus.KILLED: 137,
    RunStatus.INTERRUPTED: 130,
}


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run printed and how it ended."""

    status: RunStatus
    stdout: str = ""
    """Everything the run wrote to fds 1 and 2 (stdout and stderr together, in the order written,
    as a terminal shows them), raw: carriage returns and escape sequences included."""
    error: str | None = None
    """The exception's type, message and traceback (the snippet's frames only), if it raised."""
    message: str = ""
    """How the run ended, in words: "the worker crashed: segmentation fault (SIGSEGV)"."""
    duration_ms: float = 0.0
    """Wall-clock time from sending the snippet to its end."""
    truncated_bytes: int = 0
    """Bytes of output cut beyond the output limit (only the head is kept)."""
    torch_version: str | None = None
    """The worker's torch version; None when its Python has no torch."""
    device: str = "cpu"
    seed: int | None = None
    """The seed given to torch, random and numpy before the run, if any."""
    figures: tuple[str, ...] = ()
    """The PNG files of the figures the run drew (matplotlib), in the order they were drawn."""

    @property
    def is_ok(self) -> bool:
        """Whether the snippet ran to the end."""
        return self.status is RunStatus.OK

    def summary(self) -> str:
        """One line for a status bar: `ok · 1.2 ms · torch 2.13.0 · cpu · seed 42`."""
        parts = [str(self.status), _duration(self.duration_ms)]
        parts.append(f"torch {self.torch_version}" if self.torch_version else "no torch")
        parts.append(self.device)
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if self.truncated_bytes:
            parts.append(f"{self.truncated_bytes:,} bytes of output cut")
        return " · ".join(parts)


def _duration(ms: float) -> str:
    return f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"


def install_hint(result: RunResult, python: str) -> str | None:
    """What to install when a run failed because the worker's Python lacks a module.

    Args:
        result: A finished run.
        python: The worker's Python (the runner's `python`).

    Returns:
        `matplotlib is not installed in /usr/bin/python3: /usr/bin/python3 -m pip install
        matplotlib`, or None when the run did not fail on a missing module.
    """
    module = missing_module(result.error or "") if result.status is RunStatus.ERROR else None
    if module is None:
        return None
    hint = f"{module} is not installed in {python}: {python} -m {install_command([module])}"
    if module in TORCH_FAMILY:  # the default wheel on Linux bundles CUDA: several GB
        hint += f" (CPU only: add --index-url {TORCH_CPU_INDEX})"
    return hint


TORCH_FAMILY = frozenset({"torch", "torchvision", "torchaudio"})
"""Modules that PyTorch's own index serves, as CPU-only builds too."""

TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
"""PyTorch's index of CPU-only wheels (a few hundred MB instead of several GB with CUDA)."""
