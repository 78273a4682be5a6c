"""Tests ProgressStore: progress, notes, questions, cards and reviews, undo, the log."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker.domain.curriculum import Item, ItemKind, Location, Part, position_key, section_key
from tracker.domain.progress import PartState, item_progress
from tracker.errors import StoreError, UndoConflictError
from tracker.store import ProgressStore
from tracker.store.consistency import check_consistency, replay_state

NOW = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)
"""A fixed moment: the evening of the 08/04 meeting."""
BOOK = [section_key("llm-book", f"2.{n}") for n in range(1, 8)]
"""The seven parts of "llm-book 2.1-2.7"."""


def at(minutes: int) -> datetime:
    """`NOW` plus some minutes."""
    return NOW + timedelta(minutes=minutes)


@pytest.fixture
def store() -> Iterator[ProgressStore]:
    with ProgressStore.open(":memory:") as opened:
        yield opened


def _consistent(store: ProgressStore) -> None:
    assert check_consistency(store) == []
    assert store.states() == replay_state(store)


# --- opening ----------------------------------------------------------------------------------


def test_open_without_a_path_uses_the_data_directory(study_home: Path) -> None:
    with ProgressStore.open() as store:
        store.mark(["x/1"], True, now=NOW)
    assert (study_home / "progress.sqlite3").is_file()


def test_store_is_a_context_manager_that_closes(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:
        pass
    with pytest.raises(Exception, match="closed"):
        store.states()


def test_file_database_is_in_wal_mode(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- parts ------------------------------------------------------------------------------------


def test_mark_ticks_several_keys_as_one_action(store: ProgressStore) -> None:
    action = store.mark(BOOK, True, now=NOW)
    states = store.states()
    assert set(states) == set(BOOK)
    assert all(s.is_done and s.updated == NOW for s in states.values())
    assert {e.action for e in store.events()} == {action}
    assert len(store.events()) == 7
    _consistent(store)


def test_mark_records_only_the_keys_that_change(store: ProgressStore) -> None:
    store.mark(BOOK[:3], True, now=NOW)
    store.mark(BOOK, True, now=at(1))
    assert len(store.events()) == 7
    assert store.mark(BOOK, True, now=at(2)) == 0  # nothing changed, nothing recorded
    assert len(store.events()) == 7


def test_mark_refuses_a_bare_string(store: ProgressStore) -> None:
    with pytest.raises(TypeError, match=r"llm-book/2\.6"):
        store.mark("llm-book/2.6", True, now=NOW)  # would tick "l", "l", "m", ...
    with pytest.raises(ValueError, match="empty"):
        store.mark([""], True, now=NOW)
    assert store.events() == []


def test_untick_and_state_of_an_untouched_key(store: ProgressStore) -> None:
    store.mark([BOOK[0]], True, now=NOW)
    store.mark([BOOK[0]], False, now=at(1))
    assert store.state(BOOK[0]) == PartState(BOOK[0], False, None, at(1))
    assert store.state("never/touched") == PartState("never/touched")


def test_set_position_keeps_one_position_per_video(store: ProgressStore) -> None:
    key = position_key("tokenizer-video")
    store.set_position(key, 600, now=NOW)
    store.set_position(key, 4298, now=at(5))  # 01:11:38
    assert store.state(key).position == 4298
    assert store.set_position(key, 4298, now=at(6)) == 0
    with pytest.raises(ValueError, match="seconds"):
        store.set_position(key, -1, now=NOW)
    _consistent(store)


def test_position_and_done_share_one_row_without_clobbering(store: ProgressStore) -> None:
    store.set_position("v/position", 60, now=NOW)
    store.mark(["v/position"], True, now=at(1))
    assert store.state("v/position") == PartState("v/position", True, 60, at(1))
    _consistent(store)


def test_item_reassigned_at_a_later_meeting_shares_progress(store: ProgressStore) -> None:
    part = Part(section_key("llm-book", "2.6"), "2.6")
    first = Item(
        "a", date(2024, 3, 28), 1, ItemKind.SECTIONS, Location("m1.yaml", 3, 1), "llm-book", (part,)
    )
    again = Item(
        "b", date(2024, 4, 8), 2, ItemKind.SECTIONS, Location("m2.yaml", 5, 1), "llm-book", (part,)
    )
    store.mark([part.key], True, now=NOW)
    states = store.states()
    assert item_progress(first, states).is_done
    assert item_progress(again, states).is_done
    assert len(store.events()) == 1


def test_naive_datetimes_are_rejected_everywhere(store: ProgressStore) -> None:
    naive = datetime(2024, 4, 8, 18, 30)
    calls = [
        lambda: store.mark(["k"], True, now=naive),
        lambda: store.set_position("k", 1, now=naive),
        lambda: store.add_note("k", "text", now=naive),
        lambda: store.add_question(date(2024, 4, 8), "why?", now=naive),
        lambda: store.due_cards(naive),
        lambda: store.undo(now=naive),
        lambda: store.events(since=naive),
        lambda: store.record_review(
            "q", card={}, due=naive, lapses=0, rating=3, answer=None, is_correct=True, now=NOW
        ),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="timezone-aware"):
            call()
    assert store.events() == []


def test_other_time_zones_are_stored_as_utc(store: ProgressStore) -> None:
    yerevan = timezone(timedelta(hours=4))
    store.mark(["k"], True, now=datetime(2024, 4, 8, 22, 30, tzinfo=yerevan))
    assert store.state("k").updated == NOW
    assert store.events()[0].at.tzinfo == UTC


def test_orphans_are_kept_and_reported(store: ProgressStore) -> None:
    store.mark(["old-book/1.1", "llm-book/2.1"], True, now=NOW)
    store.set_position("gone-video/position", 30, now=NOW)
    store.mark(["old-book/1.2"], True, now=NOW)
    store.mark(["old-book/1.2"], False, now=at(1))  # no progress left: not an orphan to report
    orphans = store.orphans({"llm-book/2.1"})
    assert [o.key for o in orphans] == ["gone-video/position", "old-book/1.1"]
    assert store.state("old-book/1.1").is_done  # still there, never deleted


# --- notes ------------------------------------------------------------------------------------


def test_notes_several_per_key(store: ProgressStore) -> None:
    first = store.add_note(BOOK[0], "the proof in 2.1 is hard", now=NOW)
    second = store.add_note(BOOK[0], "ask about layer norm", now=at(1))
    store.add_note(BOOK[1], "fine", now=at(2))
    notes = store.notes(BOOK[0])
    assert [(n.id, n.text, n.created) for n in notes] == [
        (first, "the proof in 2.1 is hard", NOW),
        (second, "ask about layer norm", at(1)),
    ]
    assert len(store.notes()) == 3
    with pytest.raises(ValueError, match="text"):
        store.add_note(BOOK[0], "   ", now=NOW)


def test_delete_note_and_undo_brings_it_back(store: ProgressStore) -> None:
    note = store.add_note("k", "keep me", now=NOW)
    store.delete_note(note, now=at(1))
    assert store.notes("k") == []
    result = store.undo(now=at(2))
    assert result is not None and result.description == "restored the note on k"
    assert [n.text for n in store.notes("k")] == ["keep me"]
    with pytest.raises(ValueError, match="no note"):
        store.delete_note(12345, now=NOW)
    _consistent(store)


# --- mentee questions ------------------------------------------------------------------------


def test_questions_add_edit_tick_delete(store: ProgressStore) -> None:
    meeting = date(2024, 4, 8)
    qid = store.add_question(meeting, "why divide by sqrt(d)?", now=NOW)
    other = store.add_question(date(2024, 4, 15), "what is RoPE?", now=NOW)
    store.edit_question(qid, "why divide by sqrt(d_k)?", now=at(1))
    store.tick_question(qid, True, now=at(2))
    [question] = store.questions(meeting)
    assert (question.id, question.text, question.is_done, question.created) == (
        qid,
        "why divide by sqrt(d_k)?",
        True,
        NOW,
    )
    assert [q.id for q in store.questions()] == [qid, other]
    store.delete_question(qid, now=at(3))
    assert store.questions(meeting) == []
    with pytest.raises(ValueError, match="no question"):
        store.edit_question(qid, "again", now=at(4))
    _consistent(store)


def test_undo_walks_back_through_question_changes(store: ProgressStore) -> None:
    qid = store.add_question(date(2024, 4, 8), "first", now=NOW)
    store.edit_question(qid, "second", now=at(1))
    store.tick_question(qid, True, now=at(2))
    store.delete_question(qid, now=at(3))

    assert store.undo(now=at(4)).description == "restored the question “second”"
    assert store.questions()[0].is_done
    assert "unticked" in store.undo(now=at(5)).description
    assert not store.questions()[0].is_done
    assert store.undo(now=at(6)).description == "restored the question's text “first”"
    assert store.questions()[0].text == "first"
    assert store.undo(now=at(7)).description == "removed the question “first”"
    assert store.questions() == []
    _consistent(store)


# --- cards and reviews -----------------------------------------------------------------------


def _review(
    store: ProgressStore,
    qid: str,
    due: datetime,
    *,
    stability: float,
    now: datetime,
    rating: int = 3,
) -> int:
    return store.record_review(
        qid,
        card={"card_id": 1, "state": 2, "stability": stability, "due": due.isoformat()},
        due=due,
        lapses=0 if rating > 1 else 1,
        rating=rating,
        answer="42",
        is_correct=rating > 1,
        now=now,
    )


def test_review_stores_the_card_and_the_review(store: ProgressStore) -> None:
    due = NOW + timedelta(days=3)
    event = _review(store, "contiguity-1", due, stability=3.2, now=NOW)
    card = store.card("contiguity-1")
    assert card is not None
    assert (card.due, card.lapses, card.reps, card.card["stability"]) == (due, 0, 1, 3.2)
    [review] = store.reviews("contiguity-1")
    assert (review.id, review.rating, review.answer, review.is_correct, review.is_cram) == (
        event,
        3,
        "42",
        True,
        False,
    )
    assert store.card("never-seen") is None


def test_cram_reviews_do_not_count_as_reps(store: ProgressStore) -> None:
    _review(store, "q", NOW, stability=1.0, now=NOW)
    store.record_review(
        "q",
        card={"x": 1},
        due=NOW,
        lapses=0,
        rating=3,
        answer=None,
        is_correct=True,
        is_cram=True,
        now=at(1),
    )
    assert store.card("q").reps == 1
    assert [r.is_cram for r in store.reviews("q")] == [False, True]


def test_undo_of_a_review_restores_the_previous_card(store: ProgressStore) -> None:
    first_due = NOW + timedelta(days=1)
    _review(store, "q", first_due, stability=1.0, now=NOW)
    _review(store, "q", NOW + timedelta(days=9), stability=9.0, now=at(1))

    result = store.undo(now=at(2))
    assert result is not None and result.description == "review of q"
    card = store.card("q")
    assert (card.due, card.card["stability"], card.reps) == (first_due, 1.0, 1)
    assert len(store.reviews("q")) == 1

    store.undo(now=at(3))
    assert store.card("q") is None  # it had no card before its first review
    assert store.reviews() == []
    assert store.due_cards(NOW + timedelta(days=30)) == []
    _consistent(store)


def test_due_cards_in_due_order_with_limit(store: ProgressStore) -> None:
    for qid, days in [("c", 3), ("a", 1), ("d", 10), ("b", 2)]:
        _review(store, qid, NOW + timedelta(days=days), stability=days, now=NOW)
    assert store.due_cards(NOW) == []
    assert store.due_cards(NOW + timedelta(days=3)) == ["a", "b", "c"]
    assert store.due_cards(NOW + timedelta(days=30), limit=2) == ["a", "b"]
    assert set(store.cards()) == {"a", "b", "c", "d"}


def test_reviews_since(store: ProgressStore) -> None:
    _review(store, "a", NOW, stability=1, now=NOW)
    _review(store, "b", NOW, stability=1, now=at(10))
    assert [r.question_id for r in store.reviews(since=at(5))] == ["b"]


def test_non_json_card_is_refused(store: ProgressStore) -> None:
    with pytest.raises(ValueError, match="not JSON"):
        store.record_review(
            "q",
            card={"x": object()},
            due=NOW,
            lapses=0,
            rating=3,
            answer=None,
            is_correct=True,
            now=NOW,
        )
    assert store.events() == []


# --- undo and redo ---------------------------------------------------------------------------


def test_undo_levels_tick_several_then_undo_undo(store: ProgressStore) -> None:
    store.mark(BOOK, True, now=NOW)  # one action of seven keys
    store.mark(["probability/1.4/ex6"], True, now=at(1))

    first = store.undo(now=at(2))
    assert first is not None and first.description == "unticked probability/1.4/ex6"
    assert not store.state("probability/1.4/ex6").is_done
    assert all(store.state(k).is_done for k in BOOK)

    second = store.undo(now=at(3))
    assert second is not None
    assert second.keys == tuple(BOOK)
    assert second.description == "unticked llm-book/2.1, llm-book/2.2 and 5 more"
    assert not any(s.is_done for s in store.states().values())

    assert store.undo(now=at(4)) is None
    assert len(store.events()) == 16  # 8 written, 8 appended by the undos: nothing deleted
    _consistent(store)


def test_undo_restores_partial_state_before_a_whole_item_tick(store: ProgressStore) -> None:
    store.mark(BOOK[:2], True, now=NOW)
    store.mark(BOOK, True, now=at(1))
    store.undo(now=at(2))
    assert [store.state(k).is_done for k in BOOK] == [True, True] + [False] * 5


def test_undo_of_an_untick_and_of_a_position(store: ProgressStore) -> None:
    store.mark(["k"], True, now=NOW)
    store.mark(["k"], False, now=at(1))
    store.set_position("v/position", 100, now=at(2))
    store.set_position("v/position", 4298, now=at(3))
    assert store.undo(now=at(4)).description == "moved v/position back to 00:01:40"
    assert store.undo(now=at(5)).description == "cleared the position of v/position"
    assert store.undo(now=at(6)).description == "ticked k again"
    assert store.state("k").is_done
    assert store.state("v/position").position is None


def test_undone_actions_are_marked_in_the_log(store: ProgressStore) -> None:
    kept = store.mark(["a"], True, now=NOW)
    undone = store.mark(["b"], True, now=at(1))
    result = store.undo(now=at(2))
    events = {e.action: e for e in store.events()}
    assert not events[kept].is_undone
    assert events[undone].is_undone
    assert events[result.undo_action].undoes == undone


def test_redo_reapplies_and_a_new_action_clears_redo(store: ProgressStore) -> None:
    store.mark(["a"], True, now=NOW)
    store.mark(["b"], True, now=at(1))
    store.undo(now=at(2))
    store.undo(now=at(3))
    assert store.redo(now=at(4)).description == "ticked a"
    assert store.state("a").is_done and not store.state("b").is_done
    assert store.undo(now=at(5)).description == "unticked a"  # undo after redo undoes it again
    assert store.redo(now=at(6)).description == "ticked a"
    assert store.redo(now=at(7)).description == "ticked b"
    assert store.redo(now=at(8)) is None
    store.undo(now=at(9))
    store.mark(["c"], True, now=at(10))
    assert store.redo(now=at(11)) is None  # a new action ends the redo chain
    _consistent(store)


def test_nothing_to_undo(store: ProgressStore) -> None:
    assert store.undo(now=NOW) is None
    assert store.redo(now=NOW) is None


# --- the log and activity --------------------------------------------------------------------


def test_events_since_and_their_values(store: ProgressStore) -> None:
    store.mark(["a"], True, now=NOW)
    store.set_position("v/position", 30, now=at(60))
    events = store.events(since=at(30))
    assert [(e.kind, e.key, e.value["new"], e.at) for e in events] == [
        ("position", "v/position", 30, at(60))
    ]


def _counts_from_the_log(store: ProgressStore) -> list[tuple[datetime, int]]:
    """Each UTC quarter hour's events, grouped in Python from the whole log."""
    counts: dict[datetime, int] = {}
    for (text,) in store.connection.execute("SELECT at FROM events"):
        moment = datetime.fromisoformat(text).astimezone(UTC)
        quarter = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        counts[quarter] = counts.get(quarter, 0) + 1
    return sorted(counts.items())


def test_activity_counts_are_kept_as_events_are_written_and_undone(
    store: ProgressStore,
) -> None:
    store.mark(["a", "b"], True, now=NOW)
    store.mark(["c"], True, now=NOW + timedelta(minutes=14))  # the same quarter hour
    store.set_position("v/position", 30, now=NOW + timedelta(minutes=15))  # the next one
    store.undo(now=NOW + timedelta(days=1, hours=5))

    counts = store.event_counts()

    assert counts == _counts_from_the_log(store)
    assert (
        sum(n for _, n in counts)
        == store.connection.execute("SELECT count(*) FROM events").fetchone()[0]
    )
    assert len(counts) == 3


def test_activity_counts_of_an_older_database_are_filled_in_when_it_is_opened(
    tmp_path: Path,
) -> None:
    import sqlite3

    from tracker.store.database import MIGRATIONS, connect, schema_version

    path = tmp_path / "old.sqlite3"
    older = connect(path, migrations=MIGRATIONS[:2])  # before the activity table
    older.close()
    with ProgressStore.open(path) as store:
        store.mark(["a"], True, now=NOW)
    plain = sqlite3.connect(path)  # events written by hand, as a version-2 program would
    plain.execute("DROP TRIGGER events_activity")
    plain.execute("DROP TABLE activity")
    plain.execute("PRAGMA user_version = 2")
    plain.execute(
        "INSERT INTO events (id, action, at, kind, key, value) VALUES"
        " (100, 100, '2024-04-08T17:59:00+00:00', 'mark', 'b', '{\"new\": true}')"
    )
    plain.commit()
    plain.close()

    with ProgressStore.open(path) as store:
        assert schema_version(store.connection) == len(MIGRATIONS)
        assert store.event_counts() == _counts_from_the_log(store)
        store.mark(["c"], True, now=NOW + timedelta(hours=3))
        assert store.event_counts() == _counts_from_the_log(store)


# --- consistency and several connections -----------------------------------------------------


def test_check_consistency_finds_a_tampered_state(store: ProgressStore) -> None:
    store.mark(["a"], True, now=NOW)
    store.connection.execute("UPDATE part_state SET is_done = 0 WHERE key = 'a'")
    problems = check_consistency(store)
    assert len(problems) == 1 and "parts['a']" in problems[0]


def test_two_connections_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path) as app, ProgressStore.open(path) as other:
        app.mark(["a"], True, now=NOW)
        assert other.state("a").is_done
        other.add_question(date(2024, 4, 8), "from the other one", now=at(1))
        assert [q.text for q in app.questions()] == ["from the other one"]
        # Each undoes its own actions only: the app's ctrl+z never takes back the other's.
        assert app.undo(now=at(2)).description == "unticked a"
        assert [q.text for q in other.questions()] == ["from the other one"]
        assert app.undo(now=at(3)) is None
        assert other.undo(now=at(4)).description == "removed the question “from the other one”"
        assert other.undo(now=at(5)) is None
        _consistent(app)


def test_undo_never_overwrites_another_instances_later_change(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path) as app, ProgressStore.open(path) as other:
        app.set_position("v/position", 100, now=NOW)
        app.mark(["b"], True, now=at(1))
        other.set_position("v/position", 200, now=at(2))
        assert app.undo(now=at(3)).description == "unticked b"  # nobody else touched b
        with pytest.raises(UndoConflictError, match="v/position was changed since"):
            app.undo(now=at(4))
        assert app.state("v/position").position == 200  # the other's change is kept
        assert other.undo(now=at(5)).keys == ("v/position",)
        assert app.state("v/position").position == 100
        # A redo comes back to the store that undid, and only to it.
        assert other.redo(now=at(6)) is not None and app.redo(now=at(7)) is not None
        assert app.state("b").is_done and app.state("v/position").position == 200
        _consistent(app)


def test_a_failed_write_leaves_no_trace(store: ProgressStore) -> None:
    store.mark(["a"], True, now=NOW)
    store.connection.execute("DROP TABLE notes")
    with pytest.raises(StoreError, match="no such table: notes"):
        store.add_note("a", "x", now=at(1))
    assert len(store.events()) == 1
    assert not store.connection.in_transaction


def test_store_error_when_the_database_is_locked_too_long(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path) as store, ProgressStore.open(path) as blocker:
        store.connection.execute("PRAGMA busy_timeout = 50")
        blocker.connection.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="locked"):
            store.mark(["a"], True, now=NOW)
        blocker.connection.execute("ROLLBACK")
        store.mark(["a"], True, now=NOW)
        assert blocker.state("a").is_done


def test_one_store_shared_by_threads_serialises_them(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:

        def write(tag: str) -> None:
            for i in range(200):
                store.mark([f"{tag}/{i}"], True, now=at(i))
                store.states()

        threads = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.states()) == 800
        _consistent(store)


def test_cards_can_be_filtered_by_lapses_in_sql(store: ProgressStore) -> None:
    for qid, lapses in (("steady", 0), ("wobbly", 3), ("leech", 4), ("worse", 6)):
        store.record_review(
            qid, card={"q": qid}, due=NOW, lapses=lapses, rating=1, answer=None,
            is_correct=False, now=NOW,
        )  # fmt: skip
    assert set(store.cards()) == {"steady", "wobbly", "leech", "worse"}
    assert {q: c.lapses for q, c in store.cards(min_lapses=4).items()} == {"leech": 4, "worse": 6}
