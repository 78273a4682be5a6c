"""Benchmarks `inert` on 10 MB of text, against `str.splitlines` over the same text.

Prints each figure as a ratio to the baseline (splitting the same text into lines, which any pane
showing it does anyway; measured in the same run) and exits 1 when clean text costs more than
1.5 x the baseline or text with two escapes on every line more than 10 x (2 x on a quiet machine).

    python benchmarks/bench_terminal_text.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._timing import median_ms  # noqa: E402

CLEAN_BUDGET = 1.5
HOSTILE_BUDGET = 10.0


def main() -> int:
    """Runs the benchmark; returns 1 when over budget."""
    from tracker.domain.terminal_text import inert

    line = "loss 0.4213 step 1200 tokens/s 48213 Բարև → 🙂\n"
    clean = line * (10_000_000 // len(line))
    hostile = ("\x1b[2K\r" + line) * (10_000_000 // (len(line) + 5))
    baseline = median_ms(clean.splitlines, repeat=5)
    clean_ms = median_ms(lambda: inert(clean), repeat=5)
    hostile_ms = median_ms(lambda: inert(hostile), repeat=3)
    print(f"str.splitlines over 10 MB {baseline:.1f} ms (baseline)")
    print(
        f"inert, clean 10 MB {clean_ms:.1f} ms = {clean_ms / baseline:.1f} x (budget {CLEAN_BUDGET})"
    )
    print(
        f"inert, 2 escapes a line {hostile_ms:.1f} ms = {hostile_ms / baseline:.1f} x"
        f" (budget {HOSTILE_BUDGET})"
    )
    over = clean_ms / baseline > CLEAN_BUDGET or hostile_ms / baseline > HOSTILE_BUDGET
    if over:
        print("over budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
