"""Provides the quiz benchmark: the due queue over 10,000 cards against an indexed SQL query.

Run: `.venv/bin/python benchmarks/bench_quiz.py`. A temporary store gets 10,000 cards with due
dates spread over two months around "now" (recorded through `ProgressStore.record_review`, as
the app records them) plus 500 questions never reviewed; the questions unlock by parts (half of
them done) or by meeting date. Printed as medians, in the same run:

- `QuizEngine.due(now)`: the whole queue (due cards, then the new questions, unlocked only);
- the baseline: the raw indexed query `SELECT question_id FROM cards WHERE due <= ? ORDER BY due`.

Exits 1 when the median of `due(now)` is over its budget (DESIGN: 50 ms).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _timing import median_ms  # noqa: E402

from tracker.domain.curriculum import (  # noqa: E402
    Choice,
    Curriculum,
    Location,
    Question,
    QuestionType,
    Text,
)
from tracker.domain.scheduling import next_review  # noqa: E402
from tracker.quiz.engine import QuizEngine  # noqa: E402
from tracker.store import ProgressStore  # noqa: E402

BUDGET_MS = 50.0
"""The due queue over 10,000 cards, median."""
CARDS = 10_000
NEW = 500
TOPICS = 100
NOW = datetime(2024, 4, 8, 18, 30, tzinfo=UTC)
REPEAT = 31


def _curriculum() -> Curriculum:
    here = Location("quizzes/bench.yaml", 1, 1)
    choices = (Choice(Text("yes"), True), Choice(Text("no"), False))
    questions = []
    for i in range(CARDS + NEW):
        topic = i % TOPICS
        unlock: dict[str, object] = (
            {"follows": (f"book/{topic}",)}
            if topic % 2
            else {"meeting": date(2024, 3, 1) + timedelta(days=topic)}
        )
        questions.append(
            Question(
                id=f"q{i:05d}",
                topic=f"topic-{topic}",
                type=QuestionType.SINGLE,
                prompt=Text(f"question {i}"),
                location=here,
                choices=choices,
                **unlock,  # type: ignore[arg-type]
            )
        )
    return Curriculum(root=str(ROOT), questions=tuple(questions))


def _populate(store: ProgressStore, curriculum: Curriculum) -> None:
    store.mark([f"book/{t}" for t in range(1, TOPICS, 4)], True, now=NOW - timedelta(days=60))
    for i, question in enumerate(curriculum.questions[:CARDS]):
        reviewed = NOW - timedelta(days=30) + timedelta(minutes=(i * 37) % (60 * 24 * 60))
        card, due, lapses = next_review(
            None, 1 + i % 4, reviewed, card_id=i + 1, enable_fuzzing=False
        )
        store.record_review(
            question.id,
            card=card,
            due=due,
            lapses=lapses,
            rating=1 + i % 4,
            answer="a",
            is_correct=i % 4 != 0,
            now=reviewed,
        )


def main() -> int:
    curriculum = _curriculum()
    with (
        tempfile.TemporaryDirectory(prefix="bench-quiz-") as tmp,
        ProgressStore.open(Path(tmp) / "quiz.sqlite3") as store,
    ):
        _populate(store, curriculum)
        engine = QuizEngine(curriculum, store, None, now=lambda: NOW)
        queue = engine.due(NOW)
        due_rows = store.due_cards(NOW)
        new = sum(1 for q in queue if store.card(q.id) is None)
        connection = store.connection
        sql = "SELECT question_id FROM cards WHERE due <= ? ORDER BY due"
        at = NOW.isoformat()
        plan = " ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, (at,)))

        ours = median_ms(lambda: engine.due(NOW), REPEAT)
        raw = median_ms(lambda: connection.execute(sql, (at,)).fetchall(), REPEAT)
    print(
        f"due queue over {CARDS:,} cards (+{NEW} new, {len(queue):,} unlocked and due of"
        f" {len(due_rows):,} due, {new} new): {ours:.2f} ms median"
        f" = {ours / raw:.1f} x the indexed SQL query ({raw:.2f} ms; {plan})"
        f" (budget <= {BUDGET_MS:g} ms)"
    )
    if ours > BUDGET_MS:
        print(f"over budget: due queue {ours:.2f} ms > {BUDGET_MS:g} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
