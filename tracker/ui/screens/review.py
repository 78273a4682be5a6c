"""Provides `ReviewScreen`: every due quiz card, one at a time, graded and scheduled by FSRS.

Keyboard only. Type the answer (for a choice question, its numbers or letters: `2`, `b`, `1 3`)
and press enter; the answer is graded in a thread worker (predict questions run their code in
the snippet worker first), then the outcome, the right answer and the mentor's explanation
appear. 1-4 change the grade before enter moves on and records it; ctrl+z takes it back.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Footer, Label

from tracker.domain.curriculum import Question
from tracker.domain.question_type import CodeRole, form_of
from tracker.domain.scheduling import RATING_NAMES
from tracker.errors import TrackerError
from tracker.quiz.engine import QuizEngine, QuizSession
from tracker.quiz.grading import spec_for
from tracker.quiz.truth import question_source
from tracker.ui.screens.grading import GradingScreen, quiz_engine
from tracker.ui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from textual.events import ScreenResume

__all__ = ["ReviewScreen", "quiz_engine"]

WARMING = "The snippet worker is starting (torch loads once per app); the answer waits for it ..."
"""Said under the answer box while a question's code waits for the worker's warm-up."""


class ReviewScreen(GradingScreen):
    """The review: due cards first, then new ones, each graded automatically."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next", tooltip="Record the grade and go on"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("ctrl+g", "hint", "Hint", tooltip="Show the next hint"),
        Binding("ctrl+o", "reveal", "Reveal", tooltip="Show the answer (counts as Again)"),
        Binding("ctrl+z", "undo_grade", "Undo", tooltip="Take back the last grade"),
        Binding("c", "history", "Card", tooltip="This card's history"),
        Binding("v", "results", "Results", tooltip="Accuracy per topic"),
        Binding(
            "escape",
            "app.section('agenda')",
            "Leave",
            tooltip="Back to the agenda; r picks up where you left off",
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Submit the answer; once graded, record the grade and go on. |
    | 1, 2, 3, 4 | After answering: grade Again, Hard, Good or Easy instead. |
    | ctrl+g | Show the next hint. |
    | ctrl+o | Show the answer without answering (graded Again). |
    | ctrl+z | Take back the last grade (the card is restored and asked again). |
    | c | After answering: the card's history. |
    | v | Accuracy per topic (this session's too), leeches. |
    | escape | Leave for the agenda (the session waits: r comes back to it). |
    """

    DEFAULT_CSS = """
    ReviewScreen #review-title { padding: 0 1; text-style: bold; color: $accent; }
    """

    TITLE_WORDS = "Review"
    """The first words of the title line."""

    NEW_PER_SESSION = 20
    """At most this many never-reviewed questions join a review (every due card does)."""

    phase: var[str] = var("idle")
    """idle (no session), asking, checking (a worker grades), answered, broken (cannot grade),
    finished."""

    def __init__(self) -> None:
        super().__init__()
        self._lang_shown = ""
        self._is_warming_shown = False

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE_WORDS, id="review-title")
        yield QuestionCard(id="card")
        yield Footer()

    def watch_phase(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action == "next":
            return phase in ("answered", "broken", "finished")
        if action == "grade":
            return phase == "answered"
        if action == "hint":
            question = self.card.question
            if phase != "asking" or question is None or not question.hints:
                return False
            return True if self.card.hints_left else None
        if action == "reveal":
            return phase == "asking"
        if action == "history":
            return phase in ("answered", "broken")
        if action == "undo_grade":
            return self.session is not None
        return True

    # --- sessions -----------------------------------------------------------------------------

    @property
    def card(self) -> QuestionCard:
        """The question card."""
        return self.query_one("#card", QuestionCard)

    @property
    def engine(self) -> QuizEngine | None:
        """The app's quiz engine (None while the curriculum loads)."""
        return quiz_engine(self.tracker)

    def new_session(self, engine: QuizEngine) -> QuizSession | None:
        """The session to start when none is in progress (override: the quiz asks first)."""
        return engine.review(new_limit=self.NEW_PER_SESSION)

    def update_view(self) -> None:
        engine = self.engine
        if engine is None:
            self.card.show_message(self.TITLE_WORDS, "Loading the curriculum ...")
            return
        if self.phase in ("idle", "finished"):
            self.start(engine)
        elif self.phase == "asking" and self._lang_shown != self.tracker.lang:
            self.show_current()
        self._update_title()

    def on_screen_resume(self, event: ScreenResume) -> None:
        if self.phase in ("idle", "finished") and (engine := self.engine) is not None:
            self.start(engine)

    def start(self, engine: QuizEngine) -> None:
        """Starts a new session (if `new_session` gives one) and shows its first question."""
        self.session = self.new_session(engine)
        if self.session is not None:
            self.session.lang = self.tracker.lang
        self.show_current()

    def show_current(self) -> None:
        """Shows the session's current question, or says that the session is over."""
        self.generation += 1
        self._is_warming_shown = False
        self._lang_shown = self.tracker.lang
        session = self.session
        if session is None:
            self.phase = "idle"
            self.show_idle()
            return
        question = session.current
        if question is None:
            self.phase = "finished"
            self.show_finished()
            return
        self.phase = "asking"
        lang = self.tracker.lang
        engine = session.engine
        code = None
        if form_of(question.type).code is CodeRole.TRUTH:  # the code is part of the question
            source = question_source(question, engine.curriculum.snippets)
            code = source.code if source else None
        self.card.ask(question, header=self._header(question), lang=lang, code=code)
        if engine.needs_truth(question) and engine.truths.peek(question.id) is None:
            if self._is_warming():
                self.card.show_status(WARMING)
                self._is_warming_shown = True
            self._prefetch(engine, question, self.generation)
        self._update_title()
        self.refresh_bindings()

    def _is_warming(self) -> bool:
        """Whether the snippet worker is still starting (its first run waits for torch)."""
        return getattr(self.tracker.runner, "status", None) in ("warming", "stopped")

    def _header(self, question: Question) -> str:
        return self._topic_title(question.topic)

    def _topic_title(self, topic_id: str) -> str:
        """The topic's title as the results table shows it (the quiz file's, else the meeting's)."""
        curriculum = self.tracker.curriculum
        if curriculum is None:
            return topic_id
        return curriculum.topic_title(topic_id).get(self.tracker.lang)

    def _update_title(self) -> None:
        words = self.TITLE_WORDS
        if self.session is not None:
            session = self.session
            words += (
                f" · {session.answered} answered, {session.correct} right"
                f" · {len(session.queue)} to go"
            )
            seen = {a.question.id for a in session.answers}
            if again := sum(q.id in seen for q in session.queue):
                words += f" ({again} of them again)"
            if session.is_cram:
                words += " · schedule left alone"
        self.query_one("#review-title", Label).update(words)

    def show_idle(self) -> None:
        """What the card says when there is no session."""
        self.card.show_message(self.TITLE_WORDS, "Nothing to review.")

    def show_finished(self) -> None:
        """What the card says when the session is over; the results open on top."""
        engine = self.engine
        session = self.session
        if engine is None or session is None:
            return
        if not session.answered:
            self.card.show_message(self.TITLE_WORDS, self._nothing_due(engine))
            return
        left = len(engine.due())
        more = f"{left} more due now: press enter." if left else self._nothing_due(engine)
        self.card.show_message(
            self.TITLE_WORDS, f"Done: {session.answered} answered, {session.correct} right. {more}"
        )
        self.action_results(session)

    def _nothing_due(self, engine: QuizEngine) -> str:
        due = engine.next_due()
        if due is None:
            return "Nothing is due now."
        return f"Nothing is due now; the next card comes back {due.astimezone():%d/%m %H:%M}."

    # --- answering (workers) ------------------------------------------------------------------

    @on(GradingScreen.Prepared)
    def _prepared(self, message: GradingScreen.Prepared) -> None:
        if message.generation == self.generation and self._is_warming_shown:
            self._is_warming_shown = False
            if self.phase == "asking":
                self.card.show_status("")

    @on(QuestionCard.Answered)
    def _answered(self, event: QuestionCard.Answered) -> None:
        event.stop()
        session = self.session
        question = session.current if session else None
        if self.phase != "asking" or session is None or question is None:
            return
        self.phase = "checking"
        self.card.set_busy(True)
        engine = session.engine  # the one that grades (the app's may be newer after a reload)
        needs_run = spec_for(question).runs_answer or (
            engine.needs_truth(question) and engine.truths.peek(question.id) is None
        )
        if needs_run and self._is_warming():
            status = WARMING
        else:
            status = "Running the code ..." if needs_run else "Checking ..."
        self.card.show_status(status)
        self._grade(self.generation, question, event.value)

    @on(GradingScreen.Graded)
    def _graded(self, message: GradingScreen.Graded) -> None:
        if message.generation != self.generation or self.session is None:
            return
        if message.outcome is None:
            if message.is_answer_error:
                self.phase = "asking"
                self.card.set_busy(False)
                self.card.show_status(message.error or "", is_error=True)
            else:
                self.phase = "broken"
                self.card.show_status(
                    f"Cannot check this question: {message.error}. Press enter to skip it.",
                    is_error=True,
                )
                self.card.focus()
            return
        pending = self.session.pending
        if pending is None:
            return
        self.phase = "answered"
        question = pending.question
        self.card.show_outcome(
            pending,
            explanation=question.explanation.get(self.tracker.lang)
            if question.explanation
            else None,
            computed=self._computed(self.session.engine, question),
            is_cram=self.session.is_cram,
        )

    def _computed(self, engine: QuizEngine, question: Question) -> tuple[str, str] | None:
        """The code that computed a NUMERIC or TEXT answer, and what it printed."""
        if form_of(question.type).code is not CodeRole.COMPUTES:
            return None
        truth = engine.truths.peek(question.id)
        source = question_source(question, engine.curriculum.snippets)
        if truth is None or source is None or not truth.is_live:
            return None
        return source.code, truth.output

    # --- actions ------------------------------------------------------------------------------

    def action_next(self) -> None:
        """Records the grade (or skips a question that cannot be checked) and goes on."""
        session = self.session
        if self.phase == "finished" and (engine := self.engine) is not None:
            self.start(engine)
            return
        if session is None:
            return
        if self.phase == "broken":
            session.drop()
        elif self.phase == "answered":
            try:
                session.next()
            except (TrackerError, ValueError) as error:
                self.notify(str(error), title="Not recorded", severity="error")
                return
            self.tracker.refresh_states()
        self.show_current()

    def action_grade(self, rating: int) -> None:
        """Overrides the automatic grade of the answer on screen."""
        if self.session is None or self.session.pending is None:
            return
        self.card.show_rating(self.session.regrade(rating), is_cram=self.session.is_cram)

    def action_hint(self) -> None:
        """Shows the next hint."""
        if not self.card.show_hint():
            self.notify("No more hints for this question.", title="Hint")
        self.refresh_bindings()

    def action_reveal(self) -> None:
        """Shows the answer without answering: the card is graded Again."""
        question = self.session.current if self.session else None
        if self.phase != "asking" or question is None:
            return
        self.phase = "checking"
        self.card.set_busy(True)
        self.card.show_status("Working out the answer ...")
        self._grade(self.generation, question, None)

    def action_undo_grade(self) -> None:
        """Takes back the last grade: the card is restored and its question asked again."""
        session = self.session
        if session is None or self.phase == "checking":
            return
        try:
            taken = session.undo()
        except (TrackerError, ValueError) as error:
            self.notify(str(error), title="Undo", severity="warning")
            return
        if taken is None:
            self.notify("No grade to take back in this session.", title="Undo")
            return
        if taken.is_recorded or self.phase in ("answered", "finished"):
            self.notify(f"Took back the grade of {taken.question.id}.", title="Undo")
        self.tracker.refresh_states()
        self.show_current()

    def action_history(self) -> None:
        """Opens the current card's history."""
        session = self.session
        question = session.current if session else None
        if session is not None and question is not None:
            from tracker.ui.screens.card_history import CardHistoryScreen

            pending = session.pending
            grade = (
                RATING_NAMES.get(pending.rating)
                if pending is not None and pending.question.id == question.id
                else None
            )
            self.app.push_screen(CardHistoryScreen(question.id, pending=grade))

    def action_results(self, session: QuizSession | None = None) -> None:
        """Opens the accuracy per topic (with this session's so far, once it has answers)."""
        from tracker.ui.screens.quiz_results import QuizResultsScreen

        if session is None and self.session is not None and self.session.answered:
            session = self.session
        self.app.push_screen(QuizResultsScreen(session))

    def on_unmount(self) -> None:
        session = self.session
        if session is not None and session.pending is not None:
            with contextlib.suppress(TrackerError, ValueError):
                session.next()  # a graded answer is never lost when the app closes
