"""Tests FSRS scheduling (tracker.domain.scheduling) with fixed datetimes and no fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tracker.domain.scheduling import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    card_id_for,
    ensure_utc,
    next_review,
    preview,
    retrievability,
)

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=UTC)


def review_all(ratings: list[int], *, start: datetime = NOW) -> list[tuple[dict, datetime, int]]:
    """Reviews one card with each rating in turn, each review at the moment the card is due."""
    card, lapses, now, out = None, 0, start, []
    for rating in ratings:
        card, due, lapses = next_review(card, rating, now, lapses=lapses, enable_fuzzing=False)
        out.append((card, due, lapses))
        now = due
    return out


def test_a_new_card_rated_again_comes_back_in_a_minute_then_good_in_ten() -> None:
    (_card1, due1, _), (card2, due2, _) = review_all([AGAIN, GOOD])
    assert due1 - NOW == timedelta(minutes=1)
    assert due2 - due1 == timedelta(minutes=10)
    assert card2["state"] == 1  # still Learning: step 1 of (1 min, 10 min)
    assert card2["step"] == 1


def test_good_after_the_learning_steps_graduates_with_growing_intervals() -> None:
    reviews = review_all([GOOD, GOOD, GOOD, GOOD])
    intervals = [
        due - prev
        for (_, due, _), prev in zip(reviews, [NOW] + [r[1] for r in reviews], strict=False)
    ]
    # FSRS-6 default parameters, retention 0.9, learning steps (1 min, 10 min), no fuzzing
    assert intervals == [
        timedelta(minutes=10),
        timedelta(days=2),
        timedelta(days=11),
        timedelta(days=46),
    ]
    assert reviews[-1][0]["state"] == 2  # Review


def test_ratings_order_the_next_due_date() -> None:
    intervals = preview(None, NOW)
    assert intervals[AGAIN] < intervals[HARD] < intervals[GOOD] < intervals[EASY]
    assert intervals[EASY] >= timedelta(days=1)


def test_the_card_round_trips_through_json_and_keeps_the_given_card_id() -> None:
    card, due, _ = next_review(
        None, GOOD, NOW, card_id=card_id_for("s01-predict"), enable_fuzzing=False
    )
    again = json.loads(json.dumps(card))
    assert again["card_id"] == card_id_for("s01-predict")
    card2, due2, _ = next_review(again, GOOD, due, enable_fuzzing=False)
    assert card2["card_id"] == card["card_id"]
    assert due2 > due


def test_card_ids_are_stable_and_distinct() -> None:
    assert card_id_for("a") == card_id_for("a")
    assert len({card_id_for(f"q{i}") for i in range(1000)}) == 1000
    assert all(0 < card_id_for(f"q{i}") < 2**53 for i in range(100))


def test_a_lapse_is_again_on_a_graduated_card_only() -> None:
    reviews = review_all([AGAIN, AGAIN, GOOD, GOOD, AGAIN, GOOD, AGAIN])
    assert [lapses for _, _, lapses in reviews] == [0, 0, 0, 0, 1, 1, 2]


def test_naive_datetimes_are_rejected_and_other_zones_converted() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        next_review(None, GOOD, datetime(2024, 4, 8, 9, 0))
    yerevan = timezone(timedelta(hours=4))
    _, due, _ = next_review(
        None, AGAIN, datetime(2024, 4, 8, 13, 0, tzinfo=yerevan), enable_fuzzing=False
    )
    assert due == NOW + timedelta(minutes=1)
    assert due.tzinfo is UTC
    assert ensure_utc(datetime(2024, 4, 8, 13, 0, tzinfo=yerevan)) == NOW


@pytest.mark.parametrize("rating", [0, 5, -1])
def test_ratings_outside_one_to_four_are_rejected(rating: int) -> None:
    with pytest.raises(ValueError, match="not one of 1"):
        next_review(None, rating, NOW)


def test_fuzzing_keeps_review_intervals_near_the_unfuzzed_one() -> None:
    card, due, _ = review_all([GOOD, GOOD, GOOD])[-1]
    plain = next_review(card, GOOD, due, enable_fuzzing=False).due - due
    fuzzed = {next_review(card, GOOD, due, enable_fuzzing=True).due - due for _ in range(30)}
    assert all(abs(f - plain) <= plain * 0.2 + timedelta(days=1) for f in fuzzed)


def test_retrievability_falls_with_time() -> None:
    card, due, _ = review_all([GOOD, GOOD, GOOD])[-1]
    assert retrievability(None, NOW) == 0.0
    soon = retrievability(card, due - timedelta(days=1))
    later = retrievability(card, due + timedelta(days=30))
    assert 0.0 < later < soon <= 1.0
