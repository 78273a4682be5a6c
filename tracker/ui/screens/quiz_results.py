"""Provides `QuizResultsScreen`: accuracy per topic (this session and all time), due cards, leeches."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from tracker.domain.scheduling import LEECH_LAPSES
from tracker.quiz.engine import leeches
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual import events

    from tracker.quiz.engine import QuizSession, TopicAccuracy

__all__ = ["QuizResultsScreen"]


TOPIC_MIN_WIDTH = 16
"""The topic column is never narrower than this (the table scrolls sideways instead)."""


def _ratio(result: TopicAccuracy | None) -> str:
    if result is None or not result.attempts:
        return "-"
    return f"{result.correct}/{result.attempts}"


class QuizResultsScreen(TrackerScreen):
    """A table of topics: right/attempts this session and all time, accuracy, cards due now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "app.pop_screen", "Back"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape, enter | Back to the quiz. |
    """

    DEFAULT_CSS = """
    QuizResultsScreen #results { height: auto; max-height: 1fr; margin: 0 1; }
    QuizResultsScreen #leeches { margin: 1 1 0 1; height: auto; }
    """

    AUTO_FOCUS = "#results"

    def __init__(self, session: QuizSession | None = None) -> None:
        """Creates the screen.

        Args:
            session: A finished session, whose own results get a column.
        """
        super().__init__()
        self.session = session
        """The session just finished, if any."""
        self._table: tuple[list[str], list[tuple[str, str, list[str]]]] | None = None
        """The columns after "Topic", and each row's key, topic title and cells (read from the
        store by `update_view`; a resize only lays them out again)."""

    def compose(self) -> ComposeResult:
        yield Label("Quiz results", classes="section-title", id="results-title")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Static(id="leeches", markup=False)
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        """Fits the topic column to the new width (the footer is packed by the base class)."""
        self._draw_table()

    def update_view(self) -> None:
        engine = self.tracker.quiz
        if engine is None:
            self._table = None
            self._draw_table()
            return
        lang = self.tracker.lang
        overall = {r.topic: r for r in engine.accuracy()}
        mine = {r.topic: r for r in self.session.results()} if self.session else {}
        due = Counter(q.topic for q in engine.due())
        questions = Counter(q.topic for q in engine.curriculum.questions)
        columns = ["Questions", "All time", "Accuracy", "Due now"]
        if self.session is not None:
            columns.insert(1, "This session")
        topics = list(questions)
        if "" in overall:
            topics.append("")
        rows: list[tuple[str, str, list[str]]] = []
        for topic in topics:
            result = overall.get(topic)
            title = (
                engine.curriculum.topic_title(topic).get(lang)
                if topic
                else "(questions no longer in the quiz)"
            )
            cells = [
                str(questions.get(topic, 0)),
                _ratio(result),
                f"{result.accuracy:.0%}" if result and result.attempts else "-",
                str(due.get(topic, 0)),
            ]
            if self.session is not None:
                cells.insert(1, _ratio(mine.get(topic)))
            rows.append((topic or "(removed)", title, cells))
        self._table = (columns, rows)
        self._draw_table()
        if self.session is not None:
            session = self.session
            self.query_one("#results-title", Label).update(
                f"Quiz results · this session {session.correct}/{session.answered} right"
            )
        found = leeches(engine.curriculum, engine.store)
        if found:
            lines = [f"To discuss at the next meeting (forgotten {LEECH_LAPSES} times or more):"]
            lines += [f"  {q.id} (lapsed {n}x): {q.prompt.get(lang)}" for q, n in found]
            self.query_one("#leeches", Static).update("\n".join(lines))
        else:
            self.query_one("#leeches", Static).update("No card keeps slipping: nothing to discuss.")

    def _draw_table(self) -> None:
        """Lays out the table worked out by `update_view` in the screen's width."""
        table = self.query_one("#results", DataTable)
        table.clear(columns=True)
        if self._table is None:
            return
        columns, rows = self._table
        # The numbers always fit; the topic gets the rest of the width (cut with an ellipsis).
        room = self.size.width - 4 - sum(len(c) + 2 for c in columns) - 2
        longest = max((len(title) for _, title, _ in rows), default=0)
        topic_width = max(TOPIC_MIN_WIDTH, min(room, max(longest, len("Topic"))))
        table.add_column("Topic", width=topic_width)
        table.add_columns(*columns)
        for key, title, cells in rows:
            if len(title) > topic_width:
                title = title[: topic_width - 1] + "…"
            # not markup: `bytes([idx])` keeps its brackets
            table.add_row(Content(title), *cells, key=key)
