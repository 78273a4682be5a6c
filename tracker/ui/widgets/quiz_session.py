"""Provides `QuizSessionView`: one quiz session on a question card, graded in thread workers.

The review and the quiz screens both compose it. It asks the session's questions one at a time,
grades each answer in a thread worker (code runs in the snippet worker), shows the outcome, lets
the mentee change the grade, and records it on enter; ctrl+z takes a grade back. It tells its
screen what changed with `Changed` (the screen redraws its title and footer).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, cast

from fsrs import Rating
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var

from tracker.domain.curriculum import Question
from tracker.domain.question_type import CodeRole, form_of
from tracker.domain.scheduling import RATING_NAMES
from tracker.errors import TrackerError
from tracker.quiz.grading import AnswerError, Outcome, spec_for
from tracker.quiz.truth import question_source
from tracker.runner.result import WorkerStatus
from tracker.ui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from datetime import timedelta

    from tracker.quiz.engine import Answer, QuizEngine, QuizSession
    from tracker.ui.app import TrackerApp

__all__ = ["WARMING", "Phase", "QuizSessionView"]

WARMING = "The snippet worker is starting (torch loads once per app); the answer waits for it ..."
"""Said under the answer box while a question's code waits for the worker's warm-up."""
RETRY = "Not yet: {failure} Fix your code and ctrl+s to try again, or ctrl+o to see the solution."
"""Said under a code answer that failed its checks (the mentee may try again)."""


class Phase(StrEnum):
    """Where a quiz session stands."""

    IDLE = "idle"
    """No session."""
    ASKING = "asking"
    """A question waits for its answer."""
    CHECKING = "checking"
    """A worker grades the answer (or works out the revealed one)."""
    ANSWERED = "answered"
    """The outcome is shown; 1-4 change the grade, enter records it."""
    BROKEN = "broken"
    """The question cannot be graded (its code fails); enter skips it."""
    FINISHED = "finished"
    """Every question is answered and recorded."""


class QuizSessionView(Vertical):
    """A quiz session: the question card, the grading workers, and the keys that grade."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next", tooltip="Record the grade and go on"),
        Binding("1", f"grade({Rating.Again.value})", "Again", show=False),
        Binding("2", f"grade({Rating.Hard.value})", "Hard", show=False),
        Binding("3", f"grade({Rating.Good.value})", "Good", show=False),
        Binding("4", f"grade({Rating.Easy.value})", "Easy", show=False),
        Binding("ctrl+g", "hint", "Hint", tooltip="Show the next hint"),
        Binding("ctrl+o", "reveal", "Reveal", tooltip="Show the answer (counts as Again)"),
        Binding("ctrl+z", "undo_grade", "Undo", tooltip="Take back the last grade"),
        Binding("c", "history", "Card", tooltip="This card's history"),
        Binding("v", "results", "Results", tooltip="Accuracy per topic"),
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
    """

    DEFAULT_CSS = """
    QuizSessionView { height: 1fr; }
    """

    phase: var[Phase] = var(Phase.IDLE)
    """Where the session stands."""

    @dataclass
    class Changed(Message):
        """The phase or the session's counts changed (the screen redraws its title)."""

        view: QuizSessionView

        @property
        def control(self) -> QuizSessionView:
            return self.view

    @dataclass
    class Graded(Message):
        """A grading worker finished (with an outcome, or an error to show)."""

        generation: int
        """Which question showing it belongs to (stale results are dropped)."""
        outcome: Outcome | None
        error: str | None = None
        is_answer_error: bool = False
        """Whether the answer could not be read (the mentee may try again)."""

    @dataclass
    class Prepared(Message):
        """A question's answer was worked out in the background (the worker is warm)."""

        generation: int
        """Which question showing it belongs to."""

    NEW_PER_SESSION = 20
    """At most this many never-reviewed questions join a review (every due card does)."""

    def __init__(self, words: str, *, starts_reviews: bool, id: str | None = None) -> None:
        """Creates the view.

        Args:
            words: What the card's messages are headed with ("Review", "Quiz").
            starts_reviews: Whether the view starts a review of the due cards by itself (the
                review), or waits for `begin` (the quiz, whose mentee picks first).
            id: The widget's id.
        """
        super().__init__(id=id)
        self.words = words
        """The card's header over messages."""
        self.starts_reviews = starts_reviews
        """Whether a review starts by itself when there is no session."""
        self.session: QuizSession | None = None
        """The session in progress (None before the first one starts)."""
        self.generation = 0
        """Bumped each time a question is shown; grading results carry it."""
        self._lang_shown = ""
        self._is_warming_shown = False

    def compose(self) -> ComposeResult:
        yield QuestionCard(id="card")

    def watch_phase(self) -> None:
        self.post_message(self.Changed(self))
        self.screen.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action == "next":
            return phase in (Phase.ANSWERED, Phase.BROKEN, Phase.FINISHED)
        if action == "grade":
            return phase is Phase.ANSWERED
        if action == "hint":
            question = self.card.question
            if phase is not Phase.ASKING or question is None or not question.hints:
                return False
            return True if self.card.hints_left else None
        if action == "reveal":
            return phase is Phase.ASKING
        if action == "history":
            return phase in (Phase.ANSWERED, Phase.BROKEN)
        if action == "undo_grade":
            return self.session is not None
        return True

    # --- the session --------------------------------------------------------------------------

    @property
    def tracker(self) -> TrackerApp:
        """The app, typed."""
        return cast("TrackerApp", self.app)

    @property
    def card(self) -> QuestionCard:
        """The question card."""
        return self.query_one("#card", QuestionCard)

    @property
    def engine(self) -> QuizEngine | None:
        """The app's quiz engine (None while the curriculum loads)."""
        return self.tracker.quiz

    def refresh_view(self) -> None:
        """Redraws after the app's data or language changed; starts a review when there is none."""
        engine = self.engine
        if engine is None:
            self.card.show_message(self.words, "Loading the curriculum ...")
            return
        if self.phase in (Phase.IDLE, Phase.FINISHED):
            self.resume()
        elif self.phase is Phase.ASKING and self._lang_shown != self.tracker.lang:
            self.show_current()
        self.post_message(self.Changed(self))

    def resume(self) -> None:
        """Starts a new review when the view starts them and no session is in progress."""
        engine = self.engine
        if self.phase in (Phase.IDLE, Phase.FINISHED) and engine is not None:
            if self.starts_reviews:
                self.begin(engine.review(new_limit=self.NEW_PER_SESSION))
            elif self.phase is Phase.FINISHED:
                self.begin(None)

    def begin(self, session: QuizSession | None) -> None:
        """Starts a session (None: none, the view is idle) and shows its first question."""
        self.session = session
        if session is not None:
            session.lang = self.tracker.lang
        self.show_current()

    def stop(self) -> None:
        """Ends the session, recording a graded answer first; the view goes idle."""
        session = self.session
        if session is not None and session.pending is not None:
            try:
                session.next()
            except (TrackerError, ValueError) as error:
                self.notify(str(error), title="Not recorded", severity="error")
        self.session = None
        self.generation += 1
        self.phase = Phase.IDLE
        self.card.show_message(self.words, "Nothing to review.")

    def show_current(self) -> None:
        """Shows the session's current question, or says that the session is over."""
        self.generation += 1
        self._is_warming_shown = False
        self._lang_shown = self.tracker.lang
        session = self.session
        if session is None:
            self.phase = Phase.IDLE
            self.card.show_message(self.words, "Nothing to review.")
            return
        question = session.current
        if question is None:
            self.phase = Phase.FINISHED
            self._show_finished(session)
            return
        self.phase = Phase.ASKING
        engine = session.engine
        code = None
        if form_of(question.type).code is CodeRole.TRUTH:  # the code is part of the question
            source = question_source(question, engine.curriculum.snippets)
            code = source.code if source else None
        self.card.ask(
            question, header=self.topic_title(question.topic), lang=self._lang_shown, code=code
        )
        if engine.needs_truth(question) and engine.truths.peek(question.id) is None:
            if self._is_warming():
                self.card.show_status(WARMING)
                self._is_warming_shown = True
            self._prefetch(engine, question, self.generation)
        self.post_message(self.Changed(self))
        self.screen.refresh_bindings()

    def progress_words(self) -> str:
        """The session's counts for a title: ` · 2 answered, 1 right · 3 to go` ("" without one)."""
        session = self.session
        if session is None:
            return ""
        seen = {a.question.id for a in session.answers}
        again = sum(q.id in seen for q in session.queue)
        words = (
            f" · {session.answered} answered, {session.correct} right"
            f" · {len(session.queue) - again} to go"
        )
        if again:  # a miss or a learning step: asked once more before the end
            words += f" + {again} coming back"
        if session.is_cram:
            words += " · schedule left alone"
        return words

    def topic_title(self, topic_id: str) -> str:
        """The topic's title as the results table shows it (the quiz file's, else the meeting's)."""
        curriculum = self.tracker.curriculum
        if curriculum is None:
            return topic_id
        return curriculum.topic_title(topic_id).get(self.tracker.lang)

    def _is_warming(self) -> bool:
        """Whether the snippet worker is still starting (its first run waits for torch)."""
        return self.tracker.runner.status in (WorkerStatus.WARMING, WorkerStatus.STOPPED)

    def _show_finished(self, session: QuizSession) -> None:
        """Says the session is over; the results open on top."""
        engine = self.engine
        if engine is None:
            return
        if not session.answered:
            self.card.show_message(self.words, self._nothing_due(engine))
            return
        left = len(engine.due())
        more = f"{left} more due now: press enter." if left else self._nothing_due(engine)
        self.card.show_message(
            self.words, f"Done: {session.answered} answered, {session.correct} right. {more}"
        )
        self.action_results(session)

    def _nothing_due(self, engine: QuizEngine) -> str:
        due = engine.next_due()
        if due is None:
            return "Nothing is due now."
        return f"Nothing is due now; the next card comes back {due.astimezone():%d/%m %H:%M}."

    # --- answering (workers) ------------------------------------------------------------------

    @work(thread=True, group="truth")
    def _prefetch(self, engine: QuizEngine, question: Question, generation: int) -> None:
        """Computes a question's truth while the mentee reads it (errors surface on grading)."""
        with contextlib.suppress(TrackerError):
            engine.prepare(question)
        self.post_message(self.Prepared(generation))

    @work(thread=True, exclusive=True, group="grade")
    def _grade(self, generation: int, question: Question, value: str | None) -> None:
        """Grades (or, with `value` None, reveals) in a thread: code may run in the worker."""
        session = self.session
        if session is None:
            return
        try:
            outcome = session.reveal(question) if value is None else session.answer(question, value)
        except AnswerError as error:
            self.post_message(self.Graded(generation, None, str(error), is_answer_error=True))
        except (TrackerError, ValueError, OSError) as error:
            self.post_message(self.Graded(generation, None, str(error)))
        else:
            self.post_message(self.Graded(generation, outcome))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        if message.generation == self.generation and self._is_warming_shown:
            self._is_warming_shown = False
            if self.phase is Phase.ASKING:
                self.card.show_status("")

    @on(QuestionCard.Answered)
    def _answered(self, event: QuestionCard.Answered) -> None:
        event.stop()
        session = self.session
        question = session.current if session else None
        if self.phase is not Phase.ASKING or session is None or question is None:
            return
        self.phase = Phase.CHECKING
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

    @on(Graded)
    def _graded(self, message: Graded) -> None:
        if message.generation != self.generation or self.session is None:
            return
        if message.outcome is None:
            if message.is_answer_error:
                self.phase = Phase.ASKING
                self.card.set_busy(False)
                self.card.show_status(message.error or "", is_error=True)
            else:
                self.phase = Phase.BROKEN
                self.card.show_status(
                    f"Cannot check this question: {message.error}. Press enter to skip it.",
                    is_error=True,
                )
                self.card.focus()
            return
        pending = self.session.pending
        if pending is None:
            return
        if (
            spec_for(pending.question).runs_answer
            and not pending.outcome.is_correct
            and not pending.is_revealed
        ):  # a code answer: the mentee may try again before choosing to see the solution
            self.session.retry()
            self.phase = Phase.ASKING
            self.card.set_busy(False)
            self.card.show_status(RETRY.format(failure=pending.outcome.feedback), is_error=True)
            return
        self.phase = Phase.ANSWERED
        question = pending.question
        self.card.show_outcome(
            pending,
            explanation=question.explanation.get(self.tracker.lang)
            if question.explanation
            else None,
            computed=self._computed(self.session.engine, question),
            is_cram=self.session.is_cram,
            intervals=self._intervals(pending),
        )

    def _intervals(self, answer: Answer) -> dict[Rating, timedelta] | None:
        """When the card comes back for each rating (None in a cram: the schedule stays)."""
        session = self.session
        if session is None or session.is_cram:
            return None
        return session.engine.intervals(answer.question, answer.at)

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
        if self.phase is Phase.FINISHED:
            if self.starts_reviews and (engine := self.engine) is not None:
                self.begin(engine.review(new_limit=self.NEW_PER_SESSION))
            else:
                self.begin(None)
            return
        if session is None:
            return
        if self.phase is Phase.BROKEN:
            session.drop()
        elif self.phase is Phase.ANSWERED:
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
        answer = self.session.regrade(Rating(rating))
        self.card.show_rating(
            answer, is_cram=self.session.is_cram, intervals=self._intervals(answer)
        )

    def action_hint(self) -> None:
        """Shows the next hint."""
        if not self.card.show_hint():
            self.notify("No more hints for this question.", title="Hint")
        self.screen.refresh_bindings()

    def action_reveal(self) -> None:
        """Shows the answer without answering: the card is graded Again."""
        question = self.session.current if self.session else None
        if self.phase is not Phase.ASKING or question is None:
            return
        self.phase = Phase.CHECKING
        self.card.set_busy(True)
        self.card.show_status("Working out the answer ...")
        self._grade(self.generation, question, None)

    def action_undo_grade(self) -> None:
        """Takes back the last grade: the card is restored and its question asked again."""
        session = self.session
        if session is None or self.phase is Phase.CHECKING:
            return
        try:
            taken = session.undo()
        except (TrackerError, ValueError) as error:
            self.notify(str(error), title="Undo", severity="warning")
            return
        if taken is None:
            self.notify("No grade to take back in this session.", title="Undo")
            return
        if taken.is_recorded or self.phase in (Phase.ANSWERED, Phase.FINISHED):
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
