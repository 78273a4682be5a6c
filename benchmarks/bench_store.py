"""Provides the progress store's benchmark: a committed event, states(), due_cards(), against baselines.

Run: `.venv/bin/python benchmarks/bench_store.py`. Every figure is a median and is printed as a
ratio against a baseline measured in the same run:

- a committed progress event (mark one key) in our database (WAL, synchronous=NORMAL) against the
  same call in a rollback-journal, synchronous=FULL database (DESIGN: 0.03 ms vs 1.3 ms);
- `states()` over 10,000 keys and `due_cards()` over 10,000 cards against `SELECT count(*)` of
  the same table.

Exits 1 when a figure is over its budget.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _timing import median_ms  # noqa: E402

from tracker.store import ProgressStore  # noqa: E402
from tracker.store.consistency import check_consistency  # noqa: E402
from tracker.store.database import connect  # noqa: E402

EVENT_BUDGET_MS = 1.0
"""A committed progress event, median."""
QUERY_BUDGET_MS = 50.0
"""states() over 10,000 keys and due_cards() over 10,000 cards, median."""
N = 10_000
NOW = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)


def _event_ms(store: ProgressStore, prefix: str, repeat: int) -> float:
    counter = iter(range(10**9))

    def mark() -> None:
        i = next(counter)
        store.mark([f"{prefix}/{i}"], True, now=NOW + timedelta(seconds=i))

    median_ms(mark, 20, warm_up=False)  # warm up
    return median_ms(mark, repeat, warm_up=False)


def _card(i: int, due: datetime) -> dict[str, object]:
    """A card shaped like `fsrs.Card.to_dict()`."""
    return {
        "card_id": 1_700_000_000_000 + i,
        "state": 2,
        "step": None,
        "stability": 3.17 + i % 50,
        "difficulty": 5.28,
        "due": due.isoformat(),
        "last_review": (due - timedelta(days=3)).isoformat(),
    }


def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        # A committed event: ours against a rollback journal with synchronous=FULL.
        with ProgressStore.open(Path(tmp) / "wal.sqlite3") as ours:
            event = _event_ms(ours, "wal", 2000)
        full = connect(Path(tmp) / "full.sqlite3")
        full.execute("PRAGMA journal_mode = DELETE")
        full.execute("PRAGMA synchronous = FULL")
        with ProgressStore(full) as baseline:
            rollback = _event_ms(baseline, "full", 200)
        print(
            f"progress event (mark one key), committed: {event:.3f} ms median"
            f" = {event / rollback:.3f} x rollback journal + synchronous=FULL ({rollback:.3f} ms)"
            f" (budget <= {EVENT_BUDGET_MS:g} ms)"
        )
        if event > EVENT_BUDGET_MS:
            failures.append("progress event")

        # Reads over 10,000 keys and 10,000 cards.
        with ProgressStore.open(Path(tmp) / "big.sqlite3") as store:
            store.mark([f"book/{i // 100}.{i % 100}" for i in range(N)], True, now=NOW)
            connection = store.connection
            for i in range(N):
                due = NOW + timedelta(hours=i - N // 2)  # half of them due at NOW
                store.record_review(
                    f"q{i}",
                    card=_card(i, due),
                    due=due,
                    lapses=i % 3,
                    rating=3,
                    answer="42",
                    is_correct=True,
                    now=NOW - timedelta(days=1),
                )
            assert len(store.states()) == N and len(store.due_cards(NOW)) == N // 2 + 1
            assert check_consistency(store) == []

            def query(sql: str) -> Callable[[], object]:
                return lambda: connection.execute(sql).fetchall()

            for name, call, table, columns in (
                (f"states() over {N:,} keys", store.states, "part_state", "*"),
                (f"due_cards() over {N:,} cards", lambda: store.due_cards(NOW), "cards", "due"),
            ):
                took = median_ms(call, 21, warm_up=False)
                count = median_ms(query(f"SELECT count(*) FROM {table}"), 21, warm_up=False)
                rows = median_ms(query(f"SELECT {columns} FROM {table}"), 21, warm_up=False)
                print(
                    f"{name}: {took:.2f} ms median = {took / count:.0f} x SELECT count(*)"
                    f" ({count:.3f} ms) = {took / rows:.1f} x fetching every row's"
                    f" {columns} ({rows:.2f} ms) (budget <= {QUERY_BUDGET_MS:g} ms)"
                )
                if took > QUERY_BUDGET_MS:
                    failures.append(name)
    if failures:
        print(f"over budget: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
