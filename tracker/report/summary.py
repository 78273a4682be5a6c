"""Provides `ProgressSummary`: what the report reads of one mentee, for one window.

The report needs the part states, the questions and the cards as they are, and, of the event log,
only figures of its window: the time spent (from the distinct moments of the window's events) and
the reviews per question, besides each video's watched spans after each change (its few
`position` and `watched` events), which say when each item on a segment of it was finished. A summary holds exactly that, so it can be read from the database with
SQL aggregates (`tracker.report.source.summary_from_store`) or from an export as it streams
(`tracker.report.exchange.summarize_export`), in memory that grows with the window and the keys,
not with the log. `summarize` computes the same from a whole `ProgressSnapshot`: the reference
the other two are tested against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.domain.progress import PartState, WatchHistory
from tracker.report.snapshot import CardSummary, ProgressSnapshot, QuestionRecord, watch_history
from tracker.report.timing import TimeSpent, estimate_time

__all__ = ["ProgressSummary", "Window", "count_attempts", "summarize"]


@dataclass(frozen=True, slots=True)
class Window:
    """A report's window: from `start` (None: the beginning) up to `end`, both UTC instants."""

    start: datetime | None
    end: datetime

    def holds(self, moment: datetime | None) -> bool:
        """Whether `moment` lies in the window (both ends included)."""
        return (
            moment is not None
            and (self.start is None or moment >= self.start)
            and (moment <= self.end)
        )


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """One mentee's progress as a report over `window` reads it."""

    name: str
    window: Window
    """The window the figures are of; it ends at the instant the states are taken at."""
    states: Mapping[str, PartState] = field(default_factory=dict)
    """Part states by progress key (from the database or an export: at `window.end`)."""
    questions: tuple[QuestionRecord, ...] = ()
    """The mentee's questions, by time (from the database or an export: up to `window.end`)."""
    cards: Mapping[str, CardSummary] = field(default_factory=dict)
    """Quiz cards by question id (as they are now)."""
    time: TimeSpent = field(default_factory=lambda: TimeSpent(0, 0))
    """The time spent in the window (`tracker.report.timing`)."""
    attempts: tuple[tuple[str, int, int], ...] = ()
    """`(question id, reviews, correct ones)` of the window's reviews, by question id."""
    watching: Mapping[str, WatchHistory] = field(default_factory=dict)
    """Each video's watched spans after each change up to `window.end`, by position key: when
    each item on a segment of it was finished (`tracker.domain.agenda.finished_at`)."""


def count_attempts(attempts: Iterable[tuple[str, bool]]) -> tuple[tuple[str, int, int], ...]:
    """`(question, is_correct)` pairs counted per question, by question id."""
    tried: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for question, is_correct in attempts:
        tried[question] += 1
        correct[question] += bool(is_correct)
    return tuple((question, tried[question], correct[question]) for question in sorted(tried))


def summarize(
    snapshot: ProgressSnapshot, window: Window, *, day: Callable[[datetime], date]
) -> ProgressSummary:
    """The summary of a whole snapshot, with the window's figures.

    The snapshot is taken as it is: pass `as_of(snapshot, window.end)` for what a report from
    the database or an export reads (nothing recorded after the window's end).

    Args:
        snapshot: The mentee's whole progress (the entire log in memory).
        window: The report's window.
        day: The day an instant falls on (`Clock.day_of`), for the time estimate.

    Returns:
        The summary.
    """
    return ProgressSummary(
        name=snapshot.name,
        window=window,
        states=snapshot.states,
        questions=snapshot.questions,
        cards=snapshot.cards,
        time=estimate_time((e.at for e in snapshot.events if window.holds(e.at)), day=day),
        attempts=count_attempts(
            (r.question, r.is_correct) for r in snapshot.reviews if window.holds(r.at)
        ),
        watching=watch_history(snapshot.events),
    )
