"""Provides watched spans: the parts of a video watched, as sorted, disjoint (from, to) seconds.

A video's progress is the set of its seconds watched, not one position: two items on two
segments of one video are done independently, each when its own segment is covered. A position
recorded on an item says "this item's segment is watched from its start up to here"
(`with_watched`), and an item is as far as the seconds of its segment that are covered
(`seen`). A database or an export from before spans has one position per video, which is the
span from 0 to it (`spans_of`), so it reads as it always did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "Spans",
    "furthest",
    "intersect",
    "merge",
    "reach",
    "resume",
    "seen",
    "spans_of",
    "with_watched",
]

Spans = tuple[tuple[int, int], ...]
"""Watched spans: `(from, to)` seconds, `from < to`, sorted, neither overlapping nor touching."""


def merge(spans: Iterable[Sequence[int]]) -> Spans:
    """Spans as `Spans`: sorted, with overlapping or touching ones joined and empty ones dropped.

    Args:
        spans: Pairs `(from, to)` in any order (lists from JSON work too).

    Returns:
        The normal form.
    """
    ordered = sorted((int(a), int(b)) for a, b in spans if int(b) > int(a))
    out: list[tuple[int, int]] = []
    for start, end in ordered:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def spans_of(watched: Spans | None, position: int | None) -> Spans:
    """What a video's state says was watched: its spans, else its one position (from 0).

    Args:
        watched: The spans recorded per item (None: none ever were).
        position: The video's single position, as recorded before spans.

    Returns:
        The spans; `((0, position),)` for a position alone; empty when nothing was recorded.
    """
    if watched is not None:
        return watched
    return ((0, int(position)),) if position else ()


def with_watched(spans: Spans, start: int, end: int | None, upto: int) -> Spans:
    """The spans after recording that the segment `start`-`end` is watched up to `upto`.

    The segment's own seconds are replaced (a position set back is set back), the rest of the
    video is kept: a position recorded on one item never changes another item's segment.

    Args:
        spans: The spans before.
        start: The segment's start.
        end: Its end (None: to the end of the video, however long).
        upto: Where the mentee is; clamped to the segment (at or before `start`: none of it).

    Returns:
        The spans after.
    """
    kept: list[tuple[int, int]] = []
    for a, b in spans:
        if a < start:
            kept.append((a, min(b, start)))
        if end is not None and b > end:
            kept.append((max(a, end), b))
    stop = upto if end is None else min(upto, end)
    if stop > start:
        kept.append((start, stop))
    return merge(kept)


def seen(spans: Spans, start: int, end: int) -> int:
    """How many seconds of `start`-`end` are watched."""
    return sum(max(0, min(b, end) - max(a, start)) for a, b in spans)


def reach(spans: Spans, start: int) -> int | None:
    """Where the watching that covers `start` ends (None: `start` itself is not watched).

    Args:
        spans: The spans.
        start: A segment's start.

    Returns:
        The end of the span holding `start` (a span ending at `start` does not hold it).
    """
    for a, b in spans:
        if a <= start < b:
            return b
    return None


def resume(spans: Spans, start: int) -> int:
    """The first second from `start` on that is not watched: where to continue."""
    return reach(spans, start) or start


def furthest(spans: Spans) -> int | None:
    """The end of the last span (None when nothing was watched)."""
    return spans[-1][1] if spans else None


def intersect(first: Spans, second: Spans) -> Spans:
    """The seconds watched in both (several mentees' common progress)."""
    out = [(max(a, c), min(b, d)) for a, b in first for c, d in second if max(a, c) < min(b, d)]
    return merge(out)
