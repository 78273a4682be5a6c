"""Provides the quiz engine: which cards are due, review and cram sessions, leeches, accuracy.

`QuizEngine` answers questions about the whole deck (the due queue, what is unlocked, leeches,
accuracy per topic, a card's history); `QuizSession` walks one queue of questions, grades each
answer, lets the mentee override the grade, and records it in the progress store.

A session records an answer once, when the mentee moves on (`next()`), so the store's history
holds exactly one review per answer, with the rating the mentee settled on; until then
`regrade()` only changes the pending rating. `undo()` drops a pending answer, or undoes the last
recorded one through the store (which restores the card as it was) and puts the question back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from fsrs import Rating

from tracker.clock import Clock
from tracker.domain.curriculum import Curriculum, Lang, Question
from tracker.domain.leeches import leeches
from tracker.domain.progress import PartState
from tracker.domain.scheduling import (
    AGAIN,
    GOOD,
    card_id_for,
    ensure_utc,
    new_card,
    next_review,
    preview,
    to_rating,
)
from tracker.quiz.grading import Outcome, expected_words, grade, grade_code, spec_for
from tracker.quiz.truth import Truth, TruthCache, TruthError, needs_truth
from tracker.runner.runner import Runner
from tracker.store.records import CardRecord, StoredReview, UndoResult

__all__ = [
    "LEARN_AHEAD",
    "Answer",
    "CardStore",
    "QuizEngine",
    "QuizSession",
    "TopicAccuracy",
    "accuracy_by_topic",
    "is_unlocked",
    "leeches",
    "topic_accuracy",
]

LEARN_AHEAD = timedelta(minutes=20)
"""A card that comes back sooner than this (a miss, a learning step) is asked again this session."""

FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
"""Later than every due date: `due_cards(FAR_FUTURE)` lists every card that has one."""


class CardStore(Protocol):
    """What the quiz needs of `tracker.store.progress_store.ProgressStore`."""

    def card(self, question_id: str) -> CardRecord | None: ...

    def cards(self, *, min_lapses: int = 0) -> dict[str, CardRecord]: ...

    def record_review(
        self,
        question_id: str,
        *,
        card: Mapping[str, Any],
        due: datetime,
        lapses: int,
        rating: int,
        answer: str | None,
        is_correct: bool,
        is_cram: bool = False,
        now: datetime,
    ) -> int: ...

    def due_cards(self, now: datetime, *, limit: int | None = None) -> list[str]: ...

    def reviews(
        self, question_id: str | None = None, *, since: datetime | None = None
    ) -> list[StoredReview]: ...

    def undo(self, *, now: datetime) -> UndoResult | None: ...

    def redo(self, *, now: datetime) -> UndoResult | None: ...

    def states(self) -> dict[str, PartState]: ...


@dataclass(frozen=True, slots=True)
class TopicAccuracy:
    """How well the mentee answers one topic's questions."""

    topic: str
    """The topic id (`""` for reviews of questions no longer in the curriculum)."""
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        """Correct answers over attempts (0.0 without attempts)."""
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True)
class Answer:
    """One graded answer of a session."""

    question: Question
    outcome: Outcome
    rating: Rating
    """The rating that is (or will be) recorded: the automatic one unless the mentee overrode it."""
    at: datetime
    """When the mentee answered (UTC); the review is recorded at this time."""
    is_revealed: bool = False
    """Whether the mentee asked for the answer instead of answering (always Again)."""
    is_recorded: bool = False
    """Whether it is in the store yet."""
    review_id: int | None = None
    """The store's id of the review, once recorded."""
    is_requeued: bool = False
    """Whether recording it put the question back at the end of the queue (it comes back soon)."""

    @property
    def auto_rating(self) -> Rating:
        """What the automatic check said: Good when right, Again when wrong."""
        return GOOD if self.outcome.is_correct else AGAIN

    @property
    def is_overridden(self) -> bool:
        """Whether the mentee changed the automatic rating."""
        return self.rating != self.auto_rating


def is_unlocked(question: Question, states: Mapping[str, PartState], today: date) -> bool:
    """Whether a question is open for review.

    A question with neither `follows` nor `meeting` is always open; otherwise it opens when every
    part it follows is done, or when its meeting's date has arrived.

    Args:
        question: The question.
        states: The part states by progress key.
        today: The mentee's date.

    Returns:
        Whether it is unlocked.
    """
    if not question.follows and question.meeting is None:
        return True
    if question.meeting is not None and question.meeting <= today:
        return True
    if question.follows:
        return all((s := states.get(key)) is not None and s.is_done for key in question.follows)
    return False


def topic_accuracy(
    curriculum: Curriculum, attempts: Iterable[tuple[str, bool]]
) -> list[TopicAccuracy]:
    """Accuracy per topic over some attempts (cram reviews included: they are attempts too).

    Args:
        curriculum: For each question's topic.
        attempts: `(question_id, is_correct)` pairs, e.g. of `store.reviews(since=...)`.

    Returns:
        One entry per topic with attempts, in curriculum order; attempts at questions that are
        no longer in the curriculum come last, under topic `""`.
    """
    return accuracy_by_topic(curriculum, ((q, 1, int(bool(ok))) for q, ok in attempts))


def accuracy_by_topic(
    curriculum: Curriculum, counts: Iterable[tuple[str, int, int]]
) -> list[TopicAccuracy]:
    """`topic_accuracy` over attempts already counted per question (by SQL, say).

    Args:
        curriculum: For each question's topic.
        counts: `(question_id, attempts, correct ones)` triples.

    Returns:
        As `topic_accuracy`.
    """
    topics = {q.id: q.topic for q in curriculum.questions}
    order = list(dict.fromkeys(q.topic for q in curriculum.questions))
    tried: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for question_id, attempts, right in counts:
        topic = topics.get(question_id, "")
        tried[topic] += attempts
        correct[topic] += right
    return [
        TopicAccuracy(topic, tried[topic], correct[topic]) for topic in [*order, ""] if tried[topic]
    ]


class QuizEngine:
    """The quiz over a curriculum's questions: due queue, sessions, leeches, accuracy, history."""

    def __init__(
        self,
        curriculum: Curriculum,
        store: CardStore,
        runner: Runner | None,
        *,
        now: Callable[[], datetime] | None = None,
        tz: tzinfo | None = UTC,
        clock: Clock | None = None,
        enable_fuzzing: bool = True,
        truths: TruthCache | None = None,
    ) -> None:
        """Creates the engine.

        Args:
            curriculum: The questions and snippets.
            store: The progress store (cards, reviews, part states, undo).
            runner: The snippet runner (for computed answers and code questions); None when
                there is none (such questions then raise `TruthError`).
            now: A function returning the current instant (UTC-aware); default: the system
                clock. Ignored when `clock` is given.
            tz: The zone of the mentee's calendar, for "has the meeting arrived" (None: local).
                Ignored when `clock` is given.
            clock: The app's clock (its zone is the mentee's calendar); wins over `now` and `tz`.
            enable_fuzzing: Whether FSRS spreads review intervals a little (off in tests).
            truths: A cache of computed answers to share (e.g. across curriculum reloads).
        """
        self.curriculum = curriculum
        """The curriculum."""
        self.store = store
        """The progress store."""
        self.runner = runner
        """The snippet runner."""
        self.clock = clock if clock is not None else Clock(now, tz=tz)
        """The clock: the current instant, and the mentee's date."""
        self.now: Callable[[], datetime] = self.clock.now
        """The current instant (UTC-aware)."""
        self.enable_fuzzing = enable_fuzzing
        """Whether intervals are fuzzed."""
        self.truths = truths if truths is not None else TruthCache(curriculum, runner)
        """The session's computed answers."""
        self.questions: dict[str, Question] = {q.id: q for q in curriculum.questions}
        """Every question by id."""

    # --- the deck -----------------------------------------------------------------------------

    def _clock(self, now: datetime | None) -> datetime:
        return ensure_utc(now if now is not None else self.now())

    def today(self, now: datetime | None = None) -> date:
        """The mentee's date at `now` (default: the clock)."""
        if now is None:
            return self.clock.today()
        return self.clock.day_of(ensure_utc(now))

    def _states(self) -> Mapping[str, PartState]:
        if any(q.follows for q in self.curriculum.questions):
            return self.store.states()
        return {}

    def unlocked(self, now: datetime | None = None) -> list[Question]:
        """Every unlocked question, in curriculum order."""
        states, today = self._states(), self.today(now)
        return [q for q in self.curriculum.questions if is_unlocked(q, states, today)]

    def is_unlocked(self, question: Question, now: datetime | None = None) -> bool:
        """Whether one question is unlocked at `now`.

        Args:
            question: The question.
            now: The time (default: the clock).

        Returns:
            Whether the mentee may be asked it (see the module's `is_unlocked`).
        """
        return is_unlocked(question, self._states(), self.today(now))

    def due(
        self, now: datetime | None = None, *, limit: int | None = None, new_limit: int | None = None
    ) -> list[Question]:
        """The review queue: unlocked cards that are due, then unlocked questions never reviewed.

        Args:
            now: The time (default: the clock).
            limit: At most this many in all.
            new_limit: At most this many never-reviewed questions.

        Returns:
            Due cards, most overdue first, then new questions in curriculum order.
        """
        now = self._clock(now)
        states, today = self._states(), self.today(now)
        questions = self.questions
        queue: list[Question] = []
        for qid in self.store.due_cards(now):
            question = questions.get(qid)
            if question is not None and is_unlocked(question, states, today):
                queue.append(question)
                if limit is not None and len(queue) >= limit:
                    return queue
        carded = set(self.store.due_cards(FAR_FUTURE))
        new = 0
        for question in self.curriculum.questions:
            if limit is not None and len(queue) >= limit:
                break
            if new_limit is not None and new >= new_limit:
                break
            if question.id not in carded and is_unlocked(question, states, today):
                queue.append(question)
                new += 1
        return queue

    def next_due(self) -> datetime | None:
        """When the earliest card comes due (None when no card was ever reviewed)."""
        first = self.store.due_cards(FAR_FUTURE, limit=1)
        record = self.store.card(first[0]) if first else None
        return record.due if record else None

    def leeches(self) -> list[Question]:
        """Questions whose card lapsed `LEECH_LAPSES` (4) times or more, most lapses first."""
        return [question for question, _ in leeches(self.curriculum, self.store)]

    def accuracy(self, *, since: datetime | None = None) -> list[TopicAccuracy]:
        """Accuracy per topic over every review (from `since` on, when given)."""
        return topic_accuracy(
            self.curriculum,
            ((r.question_id, r.is_correct) for r in self.store.reviews(since=since)),
        )

    def history(self, question_id: str) -> list[StoredReview]:
        """A card's reviews, oldest first (undone ones left out)."""
        return self.store.reviews(question_id)

    def card(self, question_id: str) -> CardRecord | None:
        """A question's stored card, or None when it was never reviewed."""
        return self.store.card(question_id)

    def intervals(self, question: Question, at: datetime) -> dict[Rating, timedelta]:
        """How long until `question` comes back for each rating given at `at` (no fuzzing).

        A new card's Good is FSRS's learning step (10 minutes), so it comes back in the same
        session (`LEARN_AHEAD`); the grade line shows these to say why.
        """
        record = self.store.card(question.id)
        return preview(record.card if record is not None else None, at)

    # --- answers ------------------------------------------------------------------------------

    def needs_truth(self, question: Question) -> bool:
        """Whether grading `question` runs its code first (see `prepare`)."""
        return needs_truth(question, self.curriculum.snippets)

    def prepare(self, question: Question) -> Truth | None:
        """Computes the question's truth now, if it needs one (blocking: call from a worker).

        Raises:
            TruthError: The code failed and nothing was declared.
        """
        if not self.needs_truth(question):
            return None
        return self.truths.get(question)

    def grade(self, question: Question, answer: str, *, lang: Lang = "en") -> Outcome:
        """Grades an answer, running code where the question needs it (blocking).

        Args:
            question: The question.
            answer: What the mentee typed (their code, for a CODE question).
            lang: The language of the outcome's words ("en" or "hy").

        Returns:
            The outcome.

        Raises:
            AnswerError: The answer cannot be read (nothing is graded).
            TruthError: The question's code failed and nothing was declared.
        """
        if spec_for(question).runs_answer:
            if self.runner is None:
                raise TruthError(f"question {question.id!r} runs code, and there is no runner")
            return grade_code(question, answer, self.runner)
        truth = self.prepare(question)
        return grade(question, answer, truth=truth.output if truth else None, lang=lang)

    def expected(self, question: Question, *, lang: Lang = "en") -> str:
        """The right answer in words, computing it if needed (blocking).

        Args:
            question: The question.
            lang: "en" or "hy".

        Returns:
            The answer as the outcome shows it.

        Raises:
            TruthError: The question's code failed and nothing was declared.
        """
        truth = self.prepare(question)
        return expected_words(question, truth=truth.output if truth else None, lang=lang)

    # --- sessions -----------------------------------------------------------------------------

    def review(
        self,
        now: datetime | None = None,
        *,
        limit: int | None = None,
        new_limit: int | None = None,
    ) -> QuizSession:
        """A review session over every due card, then the new ones (see `due`).

        Args:
            now: The time (default: the clock).
            limit: At most this many questions in all.
            new_limit: At most this many never-reviewed questions.

        Returns:
            The session (scheduled: its answers move the cards).
        """
        return QuizSession(self, self.due(now, limit=limit, new_limit=new_limit))

    def cram(
        self,
        *,
        topic: str | None = None,
        meeting: date | None = None,
        is_scheduling: bool = False,
    ) -> QuizSession:
        """A cram session over a topic's or a meeting's questions, locked or not.

        Args:
            topic: Only this topic's questions.
            meeting: Only the questions of this meeting (`Question.meeting`, or the topics of
                the meeting's agenda).
            is_scheduling: Whether the answers move the cards' schedule (off: the attempts are
                recorded as cram reviews and the schedule is left alone).

        Returns:
            The session, in curriculum order.
        """
        return QuizSession(
            self, self.questions_for(topic=topic, meeting=meeting), is_cram=not is_scheduling
        )

    def questions_for(
        self, *, topic: str | None = None, meeting: date | None = None
    ) -> list[Question]:
        """The questions of a topic and/or a meeting, in curriculum order.

        Args:
            topic: Only this topic's questions (None: any topic).
            meeting: Only this meeting's questions: `Question.meeting`, or a topic on the
                meeting's agenda (None: any meeting).

        Returns:
            The questions, locked or not.
        """
        topics: set[str] | None = None
        if meeting is not None:
            topics = {t.id for m in self.curriculum.meetings if m.date == meeting for t in m.topics}
        return [
            q
            for q in self.curriculum.questions
            if (topic is None or q.topic == topic)
            and (
                meeting is None
                or q.meeting == meeting
                or (topics is not None and q.topic in topics)
            )
        ]

    def record(self, answer: Answer, *, is_cram: bool) -> int:
        """Records a graded answer in the store: the card's next state, or (cram) the card as is.

        Args:
            answer: The answer with the rating to record.
            is_cram: Whether to leave the schedule alone.

        Returns:
            The review's id in the store.
        """
        qid = answer.question.id
        record = self.store.card(qid)
        if is_cram:  # the store leaves the card as it is (or absent): the schedule is untouched
            card, due, lapses = new_card(card_id_for(qid), answer.at), answer.at, 0
        else:
            card, due, lapses = next_review(
                record.card if record else None,
                answer.rating,
                answer.at,
                lapses=record.lapses if record else 0,
                card_id=card_id_for(qid),
                enable_fuzzing=self.enable_fuzzing,
            )
        return self.store.record_review(
            qid,
            card=card,
            due=due,
            lapses=lapses,
            rating=answer.rating,
            answer=answer.outcome.given,
            is_correct=answer.outcome.is_correct,
            is_cram=is_cram,
            now=answer.at,
        )


@dataclass
class QuizSession:
    """One pass over a queue of questions: a review (scheduled) or a cram (schedule untouched)."""

    engine: QuizEngine
    queue: list[Question]
    """The questions still to ask, the current one first."""
    is_cram: bool = False
    """Whether answers leave the schedule alone (they are still recorded, as cram reviews)."""
    pending: Answer | None = None
    """The current question's answer, graded but not recorded yet (see `next`)."""
    answers: list[Answer] = field(default_factory=list)
    """The answers recorded so far, in order."""
    lang: Lang = "en"
    """The language of the outcome's words."""
    failed_tries: int = 0
    """Wrong answers to the current question taken back with `retry` (a code question's)."""

    def __post_init__(self) -> None:
        self.queue = list(self.queue)

    @property
    def current(self) -> Question | None:
        """The question being asked (None when the session is over)."""
        return self.queue[0] if self.queue else None

    @property
    def is_finished(self) -> bool:
        """Whether every question has been answered and recorded."""
        return not self.queue and self.pending is None

    @property
    def answered(self) -> int:
        """How many answers were recorded."""
        return len(self.answers)

    @property
    def correct(self) -> int:
        """How many of the recorded answers were right."""
        return sum(a.outcome.is_correct for a in self.answers)

    def _now(self) -> datetime:
        return ensure_utc(self.engine.now())

    def _check(self, question: Question) -> None:
        if question is not self.current and (
            self.current is None or question.id != self.current.id
        ):
            shown = self.current.id if self.current else "nothing"
            raise ValueError(f"question {question.id!r} is not the current one ({shown})")
        if self.pending is not None:
            raise ValueError(f"question {question.id!r} is already answered: call next() first")

    def answer(self, question: Question, answer: str) -> Outcome:
        """Grades the answer to the current question (blocking when code runs).

        The automatic rating is Good when right, Again when wrong; `regrade` may change it
        before `next` records it.

        Args:
            question: The current question.
            answer: What the mentee typed (or their code, for a CODE question).

        Returns:
            The outcome.

        Raises:
            AnswerError: The answer cannot be read; nothing changes, the mentee may try again.
            TruthError: The question's code failed and nothing was declared.
            ValueError: `question` is not the current one, or it was answered already.
        """
        self._check(question)
        outcome = self.engine.grade(question, answer, lang=self.lang)
        rating = (Rating.Hard if self.failed_tries else GOOD) if outcome.is_correct else AGAIN
        self.pending = Answer(question, outcome, rating, self._now())
        return outcome

    def reveal(self, question: Question) -> Outcome:
        """Shows the answer without answering: counts as a wrong answer, rated Again.

        Raises:
            TruthError: The question's code failed and nothing was declared.
            ValueError: `question` is not the current one, or it was answered already.
        """
        self._check(question)
        expected = self.engine.expected(question, lang=self.lang)
        outcome = Outcome(False, expected, "You asked for the answer.", given=None)
        self.pending = Answer(question, outcome, AGAIN, self._now(), is_revealed=True)
        return outcome

    def regrade(self, rating: int) -> Answer:
        """Overrides the rating of the pending answer (1 Again, 2 Hard, 3 Good, 4 Easy).

        Args:
            rating: An `fsrs.Rating` (or its number).

        Returns:
            The pending answer with its new rating.

        Raises:
            ValueError: There is no pending answer, or `rating` is not 1-4.
        """
        rating = to_rating(rating)
        if self.pending is None:
            raise ValueError("there is no answer to regrade: answer first")
        self.pending = replace(self.pending, rating=rating)
        return self.pending

    def retry(self) -> Question:
        """Takes back a wrong pending answer, so that the current question is answered again.

        For a code question: the mentee sees why the checks failed, fixes the code and tries
        again before choosing to see the solution (`reveal`). A right answer after a retry is
        rated Hard; nothing is recorded until `next`.

        Returns:
            The question to answer again.

        Raises:
            ValueError: There is no pending answer, or it is right, or it was a reveal.
        """
        pending = self.pending
        if pending is None or pending.outcome.is_correct or pending.is_revealed:
            raise ValueError("only a wrong answer can be tried again")
        self.pending = None
        self.failed_tries += 1
        return pending.question

    def next(self) -> Question | None:
        """Records the pending answer and moves on.

        A scheduled card that comes back within `LEARN_AHEAD` (a miss, a learning step) goes to
        the end of the queue to be asked again.

        Returns:
            The next question, or None when the session is over.
        """
        if self.pending is not None:
            answer = self.pending
            review_id = self.engine.record(answer, is_cram=self.is_cram)
            self.pending = None
            self.failed_tries = 0
            self.queue.pop(0)
            is_requeued = False
            if not self.is_cram:
                record = self.engine.store.card(answer.question.id)
                if record is not None and record.due - answer.at <= LEARN_AHEAD:
                    self.queue.append(answer.question)
                    is_requeued = True
            self.answers.append(
                replace(answer, is_recorded=True, review_id=review_id, is_requeued=is_requeued)
            )
        return self.current

    def skip(self) -> Question | None:
        """Moves the current (unanswered) question to the end of the queue, recording nothing."""
        if self.pending is not None:
            raise ValueError("the question is answered: call next() to record it")
        self.failed_tries = 0
        if self.queue:
            self.queue.append(self.queue.pop(0))
        return self.current

    def drop(self) -> Question | None:
        """Takes the current (unanswered) question out of this session, recording nothing
        (for a question that cannot be checked: its code fails).

        Returns:
            The next question, or None when the session is over.
        """
        if self.pending is not None:
            raise ValueError("the question is answered: call next() to record it")
        self.failed_tries = 0
        if self.queue:
            self.queue.pop(0)
        return self.current

    def undo(self) -> Answer | None:
        """Takes back the last grade: a pending one is dropped; a recorded one is undone in the
        store (the card is restored) and its question is asked again.

        Returns:
            The answer taken back, or None when there is nothing to undo.

        Raises:
            ValueError: The store's latest action is not this session's last review (it is
                left as it was).
        """
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer
        if not self.answers:
            return None
        answer = self.answers[-1]
        qid = answer.question.id
        result = self.engine.store.undo(now=self._now())
        if result is None or qid not in result.keys:
            if result is not None:
                self.engine.store.redo(now=self._now())
            raise ValueError(f"the last change is not the review of {qid!r}; nothing was undone")
        self.answers.pop()
        if answer.is_requeued:
            waiting = [i for i, q in enumerate(self.queue) if q.id == qid]
            if waiting:
                del self.queue[waiting[-1]]
        self.failed_tries = 0
        self.queue.insert(0, answer.question)
        return replace(answer, is_recorded=False, review_id=None, is_requeued=False)

    def results(self) -> list[TopicAccuracy]:
        """Accuracy per topic over this session's recorded answers."""
        return topic_accuracy(
            self.engine.curriculum, ((a.question.id, a.outcome.is_correct) for a in self.answers)
        )

    def questions(self) -> Sequence[Question]:
        """The questions still to ask, the current one first."""
        return tuple(self.queue)
