"""Tests the quiz engine: due queue, unlocking, sessions, undo, cram, leeches, computed answers.

Everything runs against a real SQLite progress store; the computed answers and code questions
run in the real snippet worker (one per module).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker.domain.curriculum import (
    Choice,
    Curriculum,
    Location,
    Meeting,
    Question,
    QuestionType,
    Snippet,
    Text,
    Topic,
)
from tracker.domain.scheduling import AGAIN, EASY, GOOD, HARD, LEECH_LAPSES
from tracker.quiz.engine import QuizEngine, is_unlocked
from tracker.quiz.grading import AnswerError
from tracker.quiz.truth import TruthCache, TruthError, truth_for
from tracker.runner.limits import Limits
from tracker.runner.runner import SnippetRunner
from tracker.store.progress_store import ProgressStore

HERE = Location("quizzes/test.yaml", 1, 1)
START = datetime(2024, 4, 8, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def single(qid: str, topic: str = "t", **fields: object) -> Question:
    return Question(
        id=qid,
        topic=topic,
        type=QuestionType.SINGLE,
        prompt=Text(f"{qid}?"),
        location=HERE,
        choices=(Choice(Text("yes"), True), Choice(Text("no"), False)),
        **fields,  # type: ignore[arg-type]
    )


def curriculum(*questions: Question, **fields: object) -> Curriculum:
    return Curriculum(root=".", questions=questions, **fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open(tmp_path / "progress.sqlite3") as opened:
        yield opened


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def runner() -> Iterator[SnippetRunner]:
    with SnippetRunner(limits=Limits(timeout=3.0)) as started:
        yield started


def engine_for(
    cur: Curriculum, store: ProgressStore, clock: Clock, runner: object = None
) -> QuizEngine:
    return QuizEngine(cur, store, runner, now=clock, enable_fuzzing=False)  # type: ignore[arg-type]


def answer_all(engine: QuizEngine, answers: dict[str, str]) -> None:
    """One pass of a review session: each question in `answers` answered once, others skipped."""
    session = engine.review()
    seen: set[str] = set()
    while (question := session.current) is not None and question.id not in seen:
        seen.add(question.id)
        if question.id in answers:
            session.answer(question, answers[question.id])
            session.next()
        else:
            session.skip()


# --- the due queue ----------------------------------------------------------------------------


def test_new_questions_come_after_due_ones_in_curriculum_order(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(
        curriculum(single("q1"), single("q2"), single("q3"), single("q4")), store, clock
    )
    assert [q.id for q in engine.due()] == ["q1", "q2", "q3", "q4"]
    answer_all(engine, {"q3": "a", "q4": "a"})  # q3, q4 right: learning step 10 minutes
    assert [q.id for q in engine.due()] == ["q1", "q2"]
    clock.advance(minutes=10)
    assert [q.id for q in engine.due()] == ["q3", "q4", "q1", "q2"]
    assert [q.id for q in engine.due(limit=3)] == ["q3", "q4", "q1"]
    assert [q.id for q in engine.due(new_limit=1)] == ["q3", "q4", "q1"]
    assert [q.id for q in engine.due(limit=1)] == ["q3"]


def test_due_cards_come_most_overdue_first(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)
    session = engine.review()
    session.answer(session.current, "a")  # q1 right: back in 10 minutes
    session.next()
    session.answer(session.current, "b")  # q2 wrong: back in 1 minute
    session.next()
    clock.advance(hours=1)
    assert [q.id for q in engine.due()] == ["q2", "q1"]


def test_questions_no_longer_in_the_curriculum_are_left_out(
    store: ProgressStore, clock: Clock
) -> None:
    answer_all(
        engine_for(curriculum(single("gone"), single("kept")), store, clock),
        {"gone": "a", "kept": "a"},
    )
    clock.advance(days=30)
    assert [q.id for q in engine_for(curriculum(single("kept")), store, clock).due()] == ["kept"]


# --- unlocking --------------------------------------------------------------------------------


def test_unlocking_by_parts_by_meeting_date_or_neither(store: ProgressStore, clock: Clock) -> None:
    by_parts = single("by-parts", follows=("llm-book/2.6", "llm-book/2.7"))
    by_date = single("by-date", meeting=date(2024, 4, 16))
    either = single("either", follows=("llm-book/2.6",), meeting=date(2024, 4, 16))
    free = single("free")
    engine = engine_for(curriculum(by_parts, by_date, either, free), store, clock)
    assert [q.id for q in engine.due()] == ["free"]

    store.mark(["llm-book/2.6"], True, now=clock())
    assert [q.id for q in engine.due()] == ["either", "free"]  # one part of two is not enough
    store.mark(["llm-book/2.7"], True, now=clock())
    assert [q.id for q in engine.due()] == ["by-parts", "either", "free"]
    store.mark(["llm-book/2.6"], False, now=clock())

    clock.now = datetime(2024, 4, 16, 0, 0, tzinfo=UTC)  # the meeting's day has arrived
    assert [q.id for q in engine.due()] == ["by-date", "either", "free"]
    assert engine.is_unlocked(by_date)
    assert not engine.is_unlocked(by_parts)


def test_the_meeting_date_counts_in_the_mentees_zone(store: ProgressStore) -> None:
    cur = curriculum(single("q", meeting=date(2024, 4, 16)))
    late_on_the_15th_utc = Clock(datetime(2024, 4, 15, 21, 0, tzinfo=UTC))
    in_utc = QuizEngine(cur, store, None, now=late_on_the_15th_utc)
    in_yerevan = QuizEngine(
        cur, store, None, now=late_on_the_15th_utc, tz=timezone(timedelta(hours=4))
    )
    assert in_utc.due() == []
    assert [q.id for q in in_yerevan.due()] == ["q"]  # 01:00 on the 16th there
    assert not is_unlocked(cur.questions[0], {}, date(2024, 4, 15))


# --- answering, overriding, undoing -----------------------------------------------------------


def test_a_right_answer_is_good_and_a_wrong_one_again(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)
    answer_all(engine, {"q1": "1", "q2": "2"})
    reviews = store.reviews()
    assert [(r.question_id, r.rating, r.is_correct, r.answer) for r in reviews[:2]] == [
        ("q1", GOOD, True, "1"),
        ("q2", AGAIN, False, "2"),
    ]


def test_a_wrong_answer_is_asked_again_in_the_same_session(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)
    session = engine.review()
    session.answer(session.current, "b")
    assert session.next().id == "q2"
    session.answer(session.current, "a")
    assert session.next().id == "q1"  # back: Again means 1 minute
    session.answer(session.current, "a")
    assert session.next().id == "q2"  # and Good on a new card means 10 minutes: still this session
    session.answer(session.current, "a")
    assert session.next().id == "q1"
    session.answer(session.current, "a")
    assert session.next() is None  # both graduated: due in days
    assert session.is_finished
    assert [r.question_id for r in store.reviews()] == ["q1", "q2", "q1", "q2", "q1"]
    assert (session.answered, session.correct) == (5, 4)


def test_regrade_replaces_the_pending_rating_and_records_once(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.review()
    outcome = session.answer(session.current, "b")
    assert not outcome.is_correct
    assert session.pending.rating == AGAIN
    session.regrade(HARD)
    session.regrade(EASY)
    assert session.pending.is_overridden
    assert store.reviews() == []  # nothing recorded before moving on
    session.next()
    [review] = store.reviews()
    assert (review.rating, review.is_correct) == (EASY, False)
    assert store.card("q1").card["state"] == 2  # Easy graduates at once
    with pytest.raises(ValueError, match="no answer to regrade"):
        session.regrade(GOOD)
    with pytest.raises(ValueError, match="not one of 1"):
        session.regrade(5)


def test_undo_of_a_grade_restores_the_card(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)
    answer_all(engine, {"q1": "a", "q2": "a"})
    clock.advance(minutes=10)
    before = store.card("q1")
    session = engine.review()
    assert session.current.id == "q1"
    clock.advance(minutes=1)
    session.answer(session.current, "a")
    session.next()
    assert store.card("q1").card != before.card
    assert store.card("q1").due > before.due
    taken = session.undo()
    assert taken.question.id == "q1"
    assert store.card("q1") == before
    assert session.current.id == "q1"  # asked again
    assert len(store.reviews("q1")) == 1  # the undone review no longer counts
    assert session.undo() is None


def test_undo_drops_a_pending_answer_without_touching_the_store(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.review()
    session.answer(session.current, "b")
    assert session.undo().outcome.is_correct is False
    assert session.pending is None
    assert store.events() == []
    session.answer(session.current, "a")  # answer again
    session.next()
    assert [r.rating for r in store.reviews()] == [GOOD]


def test_undo_of_a_requeued_answer_takes_the_re_ask_out_of_the_queue(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)
    session = engine.review()
    session.answer(session.current, "b")
    session.next()
    assert [q.id for q in session.questions()] == ["q2", "q1"]
    session.undo()
    assert [q.id for q in session.questions()] == ["q1", "q2"]
    assert store.card("q1") is None  # it was new: the undo removed its card


def test_undo_refuses_when_the_last_change_is_not_the_review(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.review()
    session.answer(session.current, "a")
    session.next()
    store.mark(["llm-book/2.6"], True, now=clock())  # something else happened since
    with pytest.raises(ValueError, match="not the review of 'q1'"):
        session.undo()
    assert store.state("llm-book/2.6").is_done  # left as it was
    assert len(store.reviews()) == 1


def test_reveal_counts_as_again_without_an_answer(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.review()
    outcome = session.reveal(session.current)
    assert outcome.expected == "a) yes"
    assert not outcome.is_correct
    session.next()
    [review] = store.reviews()
    assert (review.rating, review.answer, review.is_correct) == (AGAIN, None, False)


def test_an_unreadable_answer_records_nothing(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.review()
    with pytest.raises(AnswerError):
        session.answer(session.current, "7")
    assert session.pending is None
    with pytest.raises(ValueError, match="not the current one"):
        session.answer(single("other"), "a")
    session.answer(session.current, "a")
    with pytest.raises(ValueError, match="already answered"):
        session.answer(session.current, "a")


# --- cram -------------------------------------------------------------------------------------


def test_cram_records_attempts_and_leaves_the_schedule_alone(
    store: ProgressStore, clock: Clock
) -> None:
    engine = engine_for(
        curriculum(single("q1", topic="a"), single("q2", topic="a"), single("q3", topic="b")),
        store,
        clock,
    )
    answer_all(engine, {"q1": "a", "q2": "a", "q3": "a"})
    clock.advance(minutes=10)
    answer_all(engine, {"q1": "a", "q2": "a", "q3": "a"})  # graduated: due in days
    before = store.cards()
    due_before = [q.id for q in engine.due(clock.advance(days=1))]

    session = engine.cram(topic="a")
    assert [q.id for q in session.questions()] == ["q1", "q2"]
    session.answer(session.current, "b")
    session.next()
    session.answer(session.current, "b")
    assert session.next() is None  # a miss in a cram is not asked again
    assert store.cards() == before
    assert [q.id for q in engine.due()] == due_before
    assert [(r.question_id, r.is_cram, r.is_correct) for r in store.reviews()[-2:]] == [
        ("q1", True, False),
        ("q2", True, False),
    ]


def test_cram_of_a_new_question_keeps_it_new(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1", meeting=date(2030, 1, 1))), store, clock)
    assert engine.due() == []  # locked: its meeting is far ahead
    session = engine.cram(meeting=date(2030, 1, 1))
    session.answer(session.current, "a")
    session.next()
    assert store.card("q1") is None  # no card: the question stays new, outside the schedule
    assert [(r.question_id, r.is_cram) for r in store.reviews()] == [("q1", True)]
    assert engine.due() == []  # still locked


def test_cram_with_scheduling_moves_the_cards(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    session = engine.cram(topic="t", is_scheduling=True)
    session.answer(session.current, "a")
    session.next()
    assert store.card("q1").reps == 1
    assert store.card("q1").due == START + timedelta(minutes=10)
    assert store.reviews()[0].is_cram is False


def test_cram_by_meeting_takes_the_meetings_topics(store: ProgressStore, clock: Clock) -> None:
    topic = Topic("contiguity", date(2024, 4, 8), 1, Text("On contiguity"), HERE)
    cur = curriculum(
        single("q1", topic="contiguity"),
        single("q2", topic="other", meeting=date(2024, 4, 8)),
        single("q3", topic="other"),
        meetings=(Meeting(date(2024, 4, 8), HERE, topics=(topic,)),),
    )
    engine = engine_for(cur, store, clock)
    assert [q.id for q in engine.questions_for(meeting=date(2024, 4, 8))] == ["q1", "q2"]


# --- leeches, accuracy, history ---------------------------------------------------------------


def test_a_card_that_lapses_four_times_becomes_a_leech(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1"), single("q2")), store, clock)

    def review(qid: str, answer: str) -> None:
        session = engine.cram(is_scheduling=True)
        while session.current.id != qid:
            session.skip()
        session.answer(session.current, answer)
        session.next()
        clock.now = store.card(qid).due

    review("q1", "a")
    review("q1", "a")  # graduated to Review
    for lapse in range(1, LEECH_LAPSES + 1):
        assert engine.leeches() == []
        review("q1", "b")  # forgotten: a lapse
        assert store.card("q1").lapses == lapse
        review("q1", "a")  # relearned
    assert [q.id for q in engine.leeches()] == ["q1"]
    assert store.card("q2") is None


def test_accuracy_per_topic_and_history(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(
        curriculum(single("q1", topic="a"), single("q2", topic="a"), single("q3", topic="b")),
        store,
        clock,
    )
    session = engine.review()
    for answer in ["a", "b", "b"]:
        session.answer(session.current, answer)
        session.next()
    assert [(t.topic, t.attempts, t.correct) for t in session.results()] == [
        ("a", 2, 1),
        ("b", 1, 0),
    ]
    assert [(t.topic, t.accuracy) for t in engine.accuracy()] == [("a", 0.5), ("b", 0.0)]
    assert engine.accuracy(since=clock.advance(days=1)) == []
    assert [(r.rating, r.answer) for r in engine.history("q2")] == [(AGAIN, "b")]


# --- computed answers and code, in the real worker --------------------------------------------


def predict(qid: str, code: str, answer: str | None = None) -> Question:
    return Question(
        id=qid,
        topic="contiguity",
        type=QuestionType.PREDICT,
        prompt=Text("What does this print?"),
        location=HERE,
        code=code,
        accepted=(answer,) if answer else (),
    )


CONTIGUITY = "import torch\nt = torch.tensor([[1, 2], [3, 4]])\nprint(t[:, 1].is_contiguous(), t[0].is_contiguous())\n"


def test_a_predict_question_is_graded_against_the_real_worker(
    store: ProgressStore, clock: Clock, runner: SnippetRunner
) -> None:
    question = predict(
        "contiguity-column-row", CONTIGUITY, "True True"
    )  # the declared one is wrong
    engine = engine_for(curriculum(question), store, clock, runner)
    session = engine.review()
    outcome = session.answer(session.current, "False True")
    assert outcome.is_correct
    assert outcome.expected == "False True"
    assert "live output counts" in engine.truths.warnings["contiguity-column-row"]
    session.next()
    session.answer(session.current, "True True")  # asked again in 10 minutes: wrong this time
    outcome = session.pending.outcome
    assert not outcome.is_correct
    assert "- False True" in outcome.diff and "+ True True" in outcome.diff
    session.next()
    assert [(r.rating, r.is_correct) for r in store.reviews()] == [(GOOD, True), (AGAIN, False)]


def test_numeric_truth_comes_from_the_snippet_and_is_run_once(
    store: ProgressStore, clock: Clock, runner: SnippetRunner
) -> None:
    snippet = Snippet("s03", "print((50 * 30 + 30) + (30 * 20 + 20) + (20 * 3 + 3))\n", HERE, 2)
    question = Question(
        id="params",
        topic="t",
        type=QuestionType.NUMERIC,
        prompt=Text("?"),
        location=HERE,
        number=2213.0,
        snippet="s03",
    )
    cur = curriculum(question, snippets={"s03": snippet})
    cache = TruthCache(cur, runner)
    assert truth_for(question, cur, runner, cache=cache) == "2213\n"
    assert cache.warnings == {}
    engine = QuizEngine(cur, store, runner, now=clock, enable_fuzzing=False, truths=cache)
    assert engine.grade(question, "2,213").is_correct
    assert engine.expected(question) == "2213"


def test_a_failing_question_code_falls_back_to_the_declared_answer(
    clock: Clock, runner: SnippetRunner
) -> None:
    cur = curriculum()
    declared = predict("p1", "raise ValueError('boom')\n", "42")
    truth = TruthCache(cur, runner).get(declared)
    assert (truth.output, truth.is_live) == ("42", False)
    assert "ValueError: boom" in truth.warning
    with pytest.raises(TruthError, match="ValueError: boom"):
        truth_for(predict("p2", "raise ValueError('boom')\n"), cur, runner)


def code_question(checks: str) -> Question:
    return Question(
        id="count-code",
        topic="t",
        type=QuestionType.CODE,
        prompt=Text("Write count(model)."),
        location=HERE,
        code="def count(model):\n    ...\n",
        checks=checks,
    )


CHECKS = "import torch\nassert count(torch.nn.Linear(50, 30)) == 1530, 'Linear(50, 30) has 1530'\n"


@pytest.mark.parametrize(
    ("code", "is_correct", "words"),
    [
        (
            "def count(model):\n    return sum(p.numel() for p in model.parameters())\n",
            True,
            "every check passed",
        ),
        ("def count(model):\n    return 1500\n", False, "A check failed: Linear(50, 30) has 1530"),
        ("def count(model):\n    return model.nope\n", False, "raised AttributeError"),
        ("def count(model):\n    while True:\n        pass\n", False, "did not finish in time"),
    ],
)
def test_code_questions_run_the_checks_in_the_worker(
    store: ProgressStore,
    clock: Clock,
    runner: SnippetRunner,
    code: str,
    is_correct: bool,
    words: str,
) -> None:
    question = code_question(CHECKS)
    engine = engine_for(curriculum(question), store, clock, runner)
    session = engine.review()
    outcome = session.answer(question, code)
    assert outcome.is_correct is is_correct
    assert words in outcome.feedback
    session.next()
    assert store.reviews()[0].answer == code


def test_a_wrong_code_answer_can_be_tried_again_and_a_late_right_one_is_hard(
    store: ProgressStore, clock: Clock, runner: SnippetRunner
) -> None:
    question = code_question(CHECKS)
    session = engine_for(curriculum(question), store, clock, runner).review()
    first = session.answer(question, "def count(model):\n    return 1500\n")
    assert not first.is_correct
    assert session.retry() is question
    assert session.pending is None and session.current is question and session.failed_tries == 1
    right = "def count(model):\n    return sum(p.numel() for p in model.parameters())\n"
    assert session.answer(question, right).is_correct
    assert session.pending is not None and session.pending.rating == 2  # Hard: not at once
    with pytest.raises(ValueError, match="only a wrong answer"):
        session.retry()
    session.next()
    assert [review.answer for review in store.reviews()] == [right]  # one review, the last try
    assert session.failed_tries == 0


def test_questions_that_run_code_need_a_runner(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(predict("p", CONTIGUITY)), store, clock)
    with pytest.raises(TruthError, match="no runner"):
        engine.grade(engine.questions["p"], "False True")


def test_cram_leaves_a_scheduled_card_exactly_as_it_was(store: ProgressStore, clock: Clock) -> None:
    engine = engine_for(curriculum(single("q1")), store, clock)
    review = engine.review()
    review.answer(review.current, "a")
    review.next()
    before = store.card("q1")
    cram = engine.cram(topic="t")
    cram.answer(cram.current, "b")  # wrong: a scheduled review would lapse it
    cram.next()
    assert store.card("q1") == before
    assert [r.is_cram for r in store.reviews()] == [False, True]
