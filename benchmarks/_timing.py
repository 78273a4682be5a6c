"""Provides the timing helper the benchmarks share (they run as scripts: `python benchmarks/x.py`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(call: Callable[[], object], repeat: int = 7, *, warm_up: bool = True) -> float:
    """The median wall time of `call`, in milliseconds.

    Args:
        call: What to time.
        repeat: How many timed calls.
        warm_up: Call it once, untimed, first.

    Returns:
        The median of `repeat` timed calls, in ms.
    """
    if warm_up:
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
