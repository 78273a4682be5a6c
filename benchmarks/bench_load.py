"""Benchmarks the curriculum loader: 10,000 items in 500 files, cold and warm, against reading the bytes.

Prints each figure beside the baseline measured in the same run (reading every file's bytes) and
exits 1 when a budget is exceeded: cold load <= 1.0 s (empty cache), warm load <= 0.15 s (no file
changed since the last load).

    python benchmarks/bench_load.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale import write_catalogue  # noqa: E402 - the generated curricula share one catalogue

FILES = 500
"""Files in all: the catalogue plus 499 meetings."""
ITEMS = 10_000
COLD_BUDGET = 1.0
WARM_BUDGET = 0.15
REPEATS = 5


def _item(meeting: int, order: int) -> str:
    kind = order % 6
    if kind == 0:
        return f'  - resource: video\n    from: "00:{order % 60:02d}:00"\n    until: "01:11:38"\n'
    if kind == 1:
        return f"  - resource: course\n    units: {1 + order % 8}.1-{1 + order % 8}.7\n"
    if kind == 2:
        return f"  - resource: book\n    sections: A1-A3, {1 + order % 8}.2\n    note: Read it twice.\n"
    if kind == 3:
        return '  - resource: book\n    exercises: {section: "1.4", numbers: 6-11}\n'
    if kind == 4:
        return (
            f"  - id: m{meeting}-task-{order}\n"
            "    task: {hy: Քո արածները ավելացրու, en: Push your work}\n"
            "    mentor_todo: Review and merge\n"
        )
    return "  - resource: post\n"


def generate(root: Path) -> None:
    """Writes a catalogue and 499 meeting files holding ITEMS items between them."""
    assignments = root / "assignments"
    write_catalogue(assignments)
    meetings = FILES - 1
    per_meeting, extra = divmod(ITEMS, meetings)
    for meeting in range(meetings):
        day = 1 + meeting
        date = f"{2000 + day // 336}-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d}"
        count = per_meeting + (1 if meeting < extra else 0)
        body = "".join(_item(meeting, order) for order in range(1, count + 1))
        text = f"date: {date}\ntitle: Meeting {meeting}\nitems:\n{body}"
        (assignments / f"meeting-{meeting:03d}.yaml").write_text(text, encoding="utf-8")


def _read_bytes(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        path.read_bytes()
    return time.perf_counter() - start


def main() -> int:
    """Runs the benchmark; returns 1 when over budget."""
    with tempfile.TemporaryDirectory() as temp:
        os.environ["STUDY_HOME"] = str(Path(temp) / "home")
        from tracker.content import curriculum_files, load_curriculum

        root = Path(temp) / "curriculum"
        generate(root)
        files = curriculum_files(root)
        read = min(_read_bytes(files) for _ in range(REPEATS))
        colds, warms, cold_cpus, warm_cpus = [], [], [], []
        for _ in range(REPEATS):
            for cache in (Path(temp) / "home" / "cache").glob("*"):
                cache.unlink()
            start, cpu = time.perf_counter(), time.process_time()
            curriculum = load_curriculum(root)
            colds.append(time.perf_counter() - start)
            cold_cpus.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            warm_curriculum = load_curriculum(root)
            warms.append(time.perf_counter() - start)
            warm_cpus.append(time.process_time() - cpu)
        items = len(curriculum.items)
        assert items == ITEMS, f"generated {items} items, expected {ITEMS}"
        assert not curriculum.problems, curriculum.problems[:3]
        assert warm_curriculum == curriculum, "the warm load differs from the cold one"
    cold, warm = min(colds), min(warms)  # the best of REPEATS: other processes only add time
    print(f"read bytes {read * 1000:.1f} ms ({len(files)} files, {items:,} items)")
    # CPU time is printed beside the wall time: on a shared machine the gap is other processes
    print(
        f"cold load {cold:.3f} s = {cold / read:.1f} x read bytes (budget {COLD_BUDGET} s;"
        f" cpu {min(cold_cpus):.3f} s)"
    )
    print(
        f"warm load {warm:.3f} s = {warm / read:.1f} x read bytes (budget {WARM_BUDGET} s;"
        f" cpu {min(warm_cpus):.3f} s)"
    )
    over = [
        name
        for name, value, budget in (("cold", cold, COLD_BUDGET), ("warm", warm, WARM_BUDGET))
        if value > budget
    ]
    if over:
        print(f"over budget: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
