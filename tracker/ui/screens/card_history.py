"""Provides `CardHistoryScreen`: one quiz card's schedule and every review of it."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from fsrs import State
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from tracker.domain.scheduling import (
    RATING_NAMES,
    STATE_NAMES,
    card_state,
    retrievability,
    to_rating,
)
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.question_card import inline_code

__all__ = ["CardHistoryScreen"]


def _rating_name(rating: int) -> str:
    try:
        return RATING_NAMES[to_rating(rating)]
    except ValueError:
        return "?"


def _when(moment: datetime) -> str:
    """A moment in the mentee's local time."""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


class CardHistoryScreen(TrackerScreen):
    """The card's state (due, stability, lapses, recall now) and its reviews, oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Back. |
    """

    DEFAULT_CSS = """
    CardHistoryScreen #history-card { margin: 0 1 1 1; height: auto; }
    CardHistoryScreen #history { height: 1fr; margin: 0 1; }
    """

    AUTO_FOCUS = "#history"

    def __init__(self, question_id: str, *, pending: str | None = None) -> None:
        """Creates the screen.

        Args:
            question_id: The question whose card is shown.
            pending: The grade on the review screen that is not recorded yet ("Good"), if any.
        """
        super().__init__()
        self.question_id = question_id
        """The question whose card is shown."""
        self.pending = pending
        """The grade waiting on the review screen, said under the card's state."""

    def compose(self) -> ComposeResult:
        yield Label(f"Card {self.question_id}", id="history-title", classes="section-title")
        yield Static(id="history-card")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def update_view(self) -> None:
        engine = self.tracker.quiz
        if engine is None:
            return
        question = engine.questions.get(self.question_id)
        record = engine.card(self.question_id)
        lines = [
            inline_code(question.prompt.get(self.tracker.lang), "bold")
            if question
            else Content("(no longer in the quiz)")
        ]
        if record is None:
            lines.append(Content("New: never reviewed on the schedule."))
        else:
            card = record.card
            stability = card.get("stability")
            lines.append(
                Content(
                    f"{STATE_NAMES.get(card_state(card) or State.Learning, '?')} · due {_when(record.due)}"
                    f" · {record.reps} review{'s' * (record.reps != 1)} · {record.lapses} lapse"
                    f"{'s' * (record.lapses != 1)}"
                    + (f" · stability {stability:.1f} d" if stability else "")
                    + (
                        f" · recall now {retrievability(card, engine.now()):.0%}"
                        if stability
                        else ""
                    )
                )
            )
        if self.pending:
            lines.append(
                Content.styled(
                    f"The grade on the review screen, {self.pending}, is recorded when you go on.",
                    "$text-muted",
                )
            )
        self.query_one("#history-card", Static).update(Content("\n").join(lines))
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        table.add_columns("When", "Grade", "Result", "Kind", "Answer")
        for review in engine.history(self.question_id):
            answer = (review.answer or "(shown)").replace("\n", " / ")
            table.add_row(
                _when(review.at),
                f"{review.rating} {_rating_name(review.rating)}",
                "right" if review.is_correct else "wrong",
                "cram" if review.is_cram else "review",
                answer if len(answer) <= 50 else answer[:49] + "…",
            )
