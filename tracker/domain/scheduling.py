"""Provides FSRS scheduling as one pure function over serialisable card state (py-fsrs, FSRS-6).

The store persists what this module computes (the card as `fsrs.Card.to_dict()`, its due date and
its lapse count); it never imports `fsrs` itself. Every datetime is timezone-aware UTC: a naive
one is rejected, an aware one in another zone is converted.

A *lapse* is what Anki and FSRS call one: the mentee forgot a card that had graduated to the
Review state (rated Again while in Review). Misses while a card is still being learned are not
lapses; they already bring it back within minutes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from fsrs import Card, Rating, Scheduler, State

from tracker.domain.leeches import LEECH_LAPSES

__all__ = [
    "AGAIN",
    "DESIRED_RETENTION",
    "EASY",
    "GOOD",
    "HARD",
    "LEECH_LAPSES",
    "RATING_NAMES",
    "STATE_NAMES",
    "ReviewState",
    "card_id_for",
    "card_state",
    "ensure_utc",
    "new_card",
    "next_review",
    "preview",
    "retrievability",
    "to_rating",
]

AGAIN, HARD, GOOD, EASY = Rating.Again, Rating.Hard, Rating.Good, Rating.Easy
"""The four ratings (`fsrs.Rating`, an `IntEnum`: the store records their values, 1-4)."""

RATING_NAMES: dict[Rating, str] = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
"""How each rating is shown."""

STATE_NAMES: dict[State, str] = {
    State.Learning: "learning",
    State.Review: "review",
    State.Relearning: "relearning",
}
"""How each card state (`fsrs.State`) is shown and exported."""

DESIRED_RETENTION = 0.9
"""The probability of recall at which a card comes due (FSRS's default)."""


class ReviewState(NamedTuple):
    """A card's state after a review: what the store persists."""

    card: dict[str, Any]
    """The card as `fsrs.Card.to_dict()` (JSON-serialisable)."""
    due: datetime
    """When the card is next due (UTC)."""
    lapses: int
    """How many times the card has lapsed, this review included."""


def ensure_utc(moment: datetime) -> datetime:
    """Returns `moment` in UTC.

    Args:
        moment: A timezone-aware datetime.

    Returns:
        The same instant with `tzinfo=UTC`.

    Raises:
        ValueError: If `moment` is naive (has no timezone).
    """
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} has no timezone; pass a UTC-aware one, "
            "e.g. the clock's now()"
        )
    return moment.astimezone(UTC)


def card_id_for(question_id: str) -> int:
    """A stable fsrs card id for a question (fsrs would otherwise sleep 1 ms to make one).

    Args:
        question_id: The question's id.

    Returns:
        A positive integer below 2**53, the same for the same id in every process.
    """
    digest = hashlib.blake2b(question_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 11 or 1


@lru_cache(maxsize=4)
def _scheduler(*, enable_fuzzing: bool) -> Scheduler:
    return Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=enable_fuzzing)


def to_rating(rating: int) -> Rating:
    """A rating given as a number (a key pressed, a stored value) as an `fsrs.Rating`.

    Args:
        rating: 1 Again, 2 Hard, 3 Good, 4 Easy (a `Rating` is returned as it is).

    Returns:
        The rating.

    Raises:
        ValueError: If it is not 1-4.
    """
    try:
        return Rating(int(rating))
    except ValueError:
        raise ValueError(
            f"rating {rating!r} is not one of 1 (Again), 2 (Hard), 3 (Good), 4 (Easy)"
        ) from None


def card_state(card: Mapping[str, Any]) -> State | None:
    """The state of a stored card (`fsrs.Card.to_dict()`), or None when it has none it knows.

    Args:
        card: The card as the store keeps it.

    Returns:
        Learning, Review or Relearning.
    """
    try:
        return State(int(card.get("state") or 0))
    except (TypeError, ValueError):
        return None


def _card(card: Mapping[str, Any] | None, *, card_id: int, now: datetime) -> Card:
    if card is None:
        return Card(card_id=card_id, due=now)
    return Card.from_dict(dict(card))  # type: ignore[arg-type]


def new_card(card_id: int, now: datetime) -> dict[str, Any]:
    """A card never reviewed, due at `now` (what a new question's first review starts from).

    Args:
        card_id: Its fsrs card id (see `card_id_for`).
        now: When it is due (timezone-aware).

    Returns:
        The card as `fsrs.Card.to_dict()`.
    """
    return dict(Card(card_id=card_id, due=ensure_utc(now)).to_dict())


def next_review(
    card: Mapping[str, Any] | None,
    rating: int,
    now: datetime,
    *,
    lapses: int = 0,
    card_id: int = 1,
    enable_fuzzing: bool = True,
) -> ReviewState:
    """Reviews a card with a rating at `now` (FSRS-6, default parameters, retention 0.9).

    Args:
        card: The card as `fsrs.Card.to_dict()`, or None for a card never reviewed.
        rating: 1 Again, 2 Hard, 3 Good, 4 Easy.
        now: When the review happened (timezone-aware).
        lapses: The card's lapses before this review.
        card_id: The fsrs card id of a new card (see `card_id_for`); ignored when `card` is given.
        enable_fuzzing: Whether to spread review intervals a little at random (off in tests).

    Returns:
        The reviewed card, when it is due next, and its lapses after this review.

    Raises:
        ValueError: If `now` is naive or `rating` is not 1-4.
    """
    now = ensure_utc(now)
    fsrs_rating = to_rating(rating)
    before = _card(card, card_id=card_id, now=now)
    after, _log = _scheduler(enable_fuzzing=enable_fuzzing).review_card(before, fsrs_rating, now)
    is_lapse = before.state is State.Review and fsrs_rating is Rating.Again
    return ReviewState(after.to_dict(), after.due, lapses + int(is_lapse))  # type: ignore[arg-type]


def preview(card: Mapping[str, Any] | None, now: datetime) -> dict[Rating, timedelta]:
    """How long until the card comes back for each rating (no fuzzing), e.g. for key hints.

    Args:
        card: The card as `fsrs.Card.to_dict()`, or None for a new card.
        now: The time of the review (timezone-aware).

    Returns:
        The interval for each rating 1-4.
    """
    now = ensure_utc(now)
    return {
        rating: next_review(card, rating, now, enable_fuzzing=False).due - now
        for rating in (AGAIN, HARD, GOOD, EASY)
    }


def retrievability(card: Mapping[str, Any] | None, now: datetime) -> float:
    """The predicted probability that the mentee recalls the card at `now`.

    Args:
        card: The card as `fsrs.Card.to_dict()`, or None for a new card (0.0).
        now: The time (timezone-aware).

    Returns:
        A probability between 0.0 and 1.0.
    """
    if card is None:
        return 0.0
    fsrs_card = Card.from_dict(dict(card))  # type: ignore[arg-type]
    return float(
        _scheduler(enable_fuzzing=False).get_card_retrievability(fsrs_card, ensure_utc(now))
    )
