"""Provides `compress_labels`: done parts written as ranges, `2.1-2.5, 2.7`."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["compress_labels"]


def compress_labels(labels: Sequence[str], chosen: Sequence[str] | None = None) -> str:
    """Writes `chosen` labels as runs of consecutive labels of `labels`.

    Consecutive means adjacent in `labels` (the item's own order), so `2.6, 2.7, 2.8` of an item
    listing 2.6-2.8 becomes `2.6-2.8`, and a gap starts a new run.

    Args:
        labels: Every label, in order.
        chosen: The labels to write (default: all of them); labels not in `labels` are ignored.

    Returns:
        The runs joined with `, `: a run of one is its label, a longer run is `first-last`.
        An empty string when nothing is chosen.
    """
    wanted = set(labels if chosen is None else chosen)
    runs: list[list[str]] = []
    is_open = False
    for label in labels:
        if label in wanted:
            if is_open:
                runs[-1].append(label)
            else:
                runs.append([label])
            is_open = True
        else:
            is_open = False
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
