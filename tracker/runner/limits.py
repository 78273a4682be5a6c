"""Provides the limits every snippet run gets: wall-clock time, memory, output."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Limits"]


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one run; a snippet's own `timeout`/`memory_mb` override the defaults."""

    timeout: float = 30.0
    """Seconds of wall-clock time before the snippet is interrupted (then killed after `grace`)."""
    memory_mb: int = 2048
    """MiB the snippet may add to the warm worker's resident memory (torch itself is not counted)."""
    output_bytes: int = 1_000_000
    """Bytes of stdout and stderr together that are kept; the rest is only counted."""
    grace: float = 0.5
    """Seconds an interrupted snippet gets to stop before its process group is killed."""

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.memory_mb <= 0 or self.output_bytes < 0 or self.grace < 0:
            raise ValueError(f"limits must be positive: {self!r}")

    def override(self, *, timeout: float | None = None, memory_mb: int | None = None) -> Limits:
        """These limits with `timeout` and `memory_mb` replaced where given."""
        return replace(
            self,
            timeout=self.timeout if timeout is None else timeout,
            memory_mb=self.memory_mb if memory_mb is None else memory_mb,
        )
