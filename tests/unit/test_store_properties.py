"""Tests ProgressStore's invariants over random sequences of changes (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.store import ProgressStore
from tracker.store.consistency import check_consistency, replay_state, stored_state

START = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)
KEYS = ["llm-book/2.1", "llm-book/2.2", "llm-book/2.3", "probability/1.4/ex6", "task/push"]
VIDEOS = ["tokenizer-video/position", "makemore-video/position"]
QUIZ = ["contiguity-1", "broadcast-2", "softmax-3"]
MEETINGS = [date(2024, 4, 8), date(2024, 4, 16)]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("mark"), st.lists(st.sampled_from(KEYS), min_size=1, max_size=4), st.booleans()
        ),
        st.tuples(st.just("position"), st.sampled_from(VIDEOS), st.none() | st.integers(0, 5000)),
        st.tuples(
            st.just("watch"),
            st.sampled_from(VIDEOS),
            st.sampled_from([(0, 1800), (1800, 4200), (600, None)]),
            st.integers(0, 5000),
        ),
        st.tuples(st.just("note"), st.sampled_from(KEYS), st.sampled_from(["hard", "ask", "ok"])),
        st.tuples(st.just("delete_note"), st.integers(0, 5)),
        st.tuples(
            st.just("question"), st.sampled_from(MEETINGS), st.sampled_from(["why?", "how?"])
        ),
        st.tuples(st.just("edit_question"), st.integers(0, 5), st.sampled_from(["why?", "what?"])),
        st.tuples(st.just("tick_question"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("delete_question"), st.integers(0, 5)),
        st.tuples(st.just("review"), st.sampled_from(QUIZ), st.integers(-3, 10), st.booleans()),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
    ),
    max_size=25,
)


def _view(store: ProgressStore) -> dict[str, Any]:
    """What the mentee can see: `updated` times and rows with no progress left out."""
    stored = stored_state(store)
    return {
        "parts": {
            k: (d, p, w) for k, (d, p, _, w) in stored.parts.items() if d or p is not None or w
        },
        "notes": dict(stored.notes),
        "questions": dict(stored.questions),
        "cards": dict(stored.cards),
    }


def _apply(store: ProgressStore, operation: tuple[Any, ...], now: datetime) -> int:
    """Runs one operation; returns the action id it recorded (0 when none)."""
    name, *args = operation
    notes = [n.id for n in store.notes()]
    questions = [q.id for q in store.questions()]
    if name == "mark":
        return store.mark(args[0], args[1], now=now)
    if name == "position":
        return store.set_position(args[0], args[1], now=now)
    if name == "watch":
        (start, end), upto = args[1], args[2]
        return store.watch(args[0], start, end, upto, now=now)
    if name == "note":
        return store.add_note(args[0], args[1], now=now)
    if name == "delete_note":
        return store.delete_note(notes[args[0] % len(notes)], now=now) if notes else 0
    if name == "question":
        return store.add_question(args[0], args[1], now=now)
    if name in ("edit_question", "tick_question", "delete_question"):
        if not questions:
            return 0
        qid = questions[args[0] % len(questions)]
        if name == "delete_question":
            return store.delete_question(qid, now=now)
        change = store.edit_question if name == "edit_question" else store.tick_question
        return change(qid, args[1], now=now)
    if name == "review":
        qid, days, is_cram = args
        old = store.card(qid)
        return store.record_review(
            qid,
            card={
                "card_id": 1,
                "step": days,
                "stability": (old.card["stability"] + 1) if old else 1,
            },
            due=now + timedelta(days=days),
            lapses=(old.lapses if old else 0) + (days < 0),
            rating=1 if days < 0 else 3,
            answer=str(days),
            is_correct=days >= 0,
            is_cram=is_cram,
            now=now,
        )
    result = store.undo(now=now) if name == "undo" else store.redo(now=now)
    return 0 if result is None else result.undo_action


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_state_always_equals_the_replay_and_undo_redo_round_trip(
    ops: list[tuple[Any, ...]],
) -> None:
    with ProgressStore.open(":memory:") as store:
        now = START
        for operation in ops:
            before = _view(store)
            now += timedelta(minutes=1)
            action = _apply(store, operation, now)
            after = _view(store)
            if action and operation[0] not in ("undo", "redo"):
                # Undo right after an action shows exactly what was there before; redo, after.
                now += timedelta(minutes=1)
                assert store.undo(now=now) is not None
                assert _view(store) == before
                now += timedelta(minutes=1)
                assert store.redo(now=now) is not None
                assert _view(store) == after
            assert check_consistency(store) == []

        # Undoing everything walks back to an empty store; the log only grew.
        logged = len(store.events())
        while store.undo(now=now) is not None:
            now += timedelta(minutes=1)
        assert _view(store) == {"parts": {}, "notes": {}, "questions": {}, "cards": {}}
        assert store.reviews() == []
        assert len(store.events()) >= logged
        assert store.states() == replay_state(store)
        assert check_consistency(store) == []
