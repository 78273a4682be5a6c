"""Provides the report's benchmark: a report and an export over 10,000 events, against reading them.

Run: `.venv/bin/python benchmarks/bench_report.py`. Each figure is a median, printed as a ratio
against a baseline measured in the same run: `store.events()` + `store.states()` over the same
database (what any report must read at least). The history is one year of a busy mentee on the
bundled curriculum: 10,000 events (ticks, untick/retick, video positions, notes, reviews).

- `study report` from the database: snapshot + build + Markdown, budget 4 x the baseline;
- `study export`: snapshot + dump, budget 4 x the baseline;
- reading an export back and building the report from it: budget 4 x the baseline.

Exits 1 when a figure is over its budget.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _timing import median_ms  # noqa: E402

from tracker.content import load_curriculum  # noqa: E402
from tracker.domain.curriculum import ItemKind, position_key  # noqa: E402
from tracker.report.exchange import dump_snapshot, parse_snapshot  # noqa: E402
from tracker.report.markdown import render_markdown  # noqa: E402
from tracker.report.model import build_report  # noqa: E402
from tracker.report.source import snapshot_from_store  # noqa: E402
from tracker.store.progress_store import ProgressStore  # noqa: E402

BUDGET = 4.0
"""Each figure's budget, as a multiple of the baseline."""
N = 10_000
START = datetime(2023, 4, 1, 8, 0, tzinfo=UTC)


def _seed(store: ProgressStore, keys: list[str], videos: list[str], questions: list[str]) -> None:
    moment = START
    count = 0
    i = 0
    while count < N:
        moment += timedelta(minutes=7 + (i * 13) % 50)
        kind = i % 10
        if kind < 6:
            count += store.mark([keys[i % len(keys)]], i % 7 != 0, now=moment) and 1
        elif kind < 7 and videos:
            count += bool(store.set_position(videos[i % len(videos)], (i * 37) % 5000, now=moment))
        elif kind < 8:
            store.add_note(keys[i % len(keys)], f"note {i}", now=moment)
            count += 1
        else:
            qid = questions[i % len(questions)]
            due = moment + timedelta(days=1 + i % 9)
            card = {
                "card_id": 1,
                "state": 2,
                "step": None,
                "stability": 3.0,
                "difficulty": 5.0,
                "due": due.isoformat(),
                "last_review": moment.isoformat(),
            }
            store.record_review(
                qid,
                card=card,
                due=due,
                lapses=i % 5,
                rating=1 + i % 4,
                answer="x",
                is_correct=i % 4 != 0,
                now=moment,
            )
            count += 1
        i += 1


def main() -> int:
    curriculum = load_curriculum(ROOT, use_cache=False)
    keys = [p.key for item in curriculum.items for p in item.parts]
    videos = [position_key(i.resource or "") for i in curriculum.items if i.kind is ItemKind.VIDEO]
    questions = [q.id for q in curriculum.questions]
    meeting = max(m.date for m in curriculum.meetings)
    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore.open(Path(tmp) / "progress.sqlite3")
        _seed(store, keys, videos, questions)
        events = len(store.events())

        baseline = median_ms(lambda: (store.events(), store.states()))
        report = median_ms(
            lambda: render_markdown(
                build_report(curriculum, snapshot_from_store(store, name="b"), meeting)
            )
        )
        export = median_ms(lambda: dump_snapshot(snapshot_from_store(store, name="b")))
        text = dump_snapshot(snapshot_from_store(store, name="b"))
        read_back = median_ms(
            lambda: build_report(curriculum, parse_snapshot(json.loads(text)), meeting)
        )
        store.close()
    print(f"history: {events} events, export {len(text) / 1024:.0f} KiB, meeting {meeting}")
    print(f"baseline: store.events() + store.states() {baseline:.1f} ms")
    failed = False
    for name, value in (
        ("report from the database", report),
        ("export", export),
        ("report from the export", read_back),
    ):
        ratio = value / baseline
        verdict = "ok" if ratio <= BUDGET else "OVER BUDGET"
        failed |= ratio > BUDGET
        print(f"{name} {value:.1f} ms = {ratio:.2f} x baseline (budget {BUDGET:.1f} x): {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
