"""Tests the progress store against real faults: writers killed with SIGKILL, writers racing."""

from __future__ import annotations

import itertools
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.store import ProgressStore
from tracker.store.consistency import check_consistency, replay_state
from tracker.store.database import MIGRATIONS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from tracker.store import ProgressStore

path, tag, count, mix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "mix"
start = datetime(2024, 4, 8, tzinfo=UTC)
with ProgressStore.open(path) as store:
    print("ready", flush=True)
    for i in range(count):
        now = start + timedelta(seconds=i)
        step = i % 5 if mix else 0
        if step == 0:
            keys = [f"{tag}/{i}", f"{tag}/{i}b"] if mix else [f"{tag}/{i}"]
            acked = store.mark(keys, True, now=now)
        elif step == 1:
            acked = store.set_position(f"{tag}/position", i, now=now)
        elif step == 2:
            acked = store.add_note(f"{tag}/{i}", f"note {i}", now=now)
        elif step == 3:
            acked = store.record_review(
                f"{tag}-q{i % 7}", card={"i": i}, due=now + timedelta(days=i % 3), lapses=0,
                rating=3, answer=str(i), is_correct=True, now=now,
            )
        else:
            acked = store.undo(now=now).undo_action
        print(acked, flush=True)
"""
"""A writer: prints each acknowledged event id only after its transaction committed."""


def _start(path: Path, tag: str, count: int, *, mix: bool) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count), "mix" if mix else "plain"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acknowledged(output: str) -> list[int]:
    """The event ids in complete lines (a line cut by the kill was never acknowledged)."""
    lines = output.split("\n")[:-1]  # whatever follows the last newline is incomplete
    return [int(line) for line in lines if line and line != "ready"]


def _assert_sound(path: Path, acknowledged: list[int]) -> None:
    with ProgressStore.open(path) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in store.connection.execute("SELECT id FROM events")}
        missing = set(acknowledged) - stored
        assert not missing, f"acknowledged but lost: {sorted(missing)[:10]}"
        assert check_consistency(store) == []
        assert store.states() == replay_state(store)


def test_sigkill_at_random_moments_loses_no_acknowledged_event(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    rng = random.Random(20240408)
    acknowledged: list[int] = []
    kills = 0
    for round_number in range(10):
        writer = _start(path, f"r{round_number}", 1000, mix=True)
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.stderr else ""
        # Kill after a random number of acknowledgements plus a random sub-millisecond delay, so
        # the kill lands mid-run whatever the machine's speed: inside transactions, commits,
        # WAL checkpoints.
        seen = [int(writer.stdout.readline()) for _ in range(rng.randrange(1, 950))]
        time.sleep(rng.uniform(0.0, 0.002))
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        if writer.returncode == -signal.SIGKILL:
            kills += 1
        else:
            assert writer.returncode == 0, err
        acknowledged += seen + _acknowledged(out)
        _assert_sound(path, acknowledged)
    assert kills >= 8  # the writers really were killed mid-run, not left to finish
    assert len(acknowledged) > 100


def test_sigkill_while_a_new_database_is_created_leaves_it_openable(tmp_path: Path) -> None:
    rng = random.Random(16042024)
    for round_number in range(6):
        path = tmp_path / f"fresh-{round_number}.sqlite3"
        writer = _start(path, "x", 50, mix=False)
        time.sleep(rng.uniform(0.0, 0.08))  # around interpreter start, import, migration
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        acknowledged = _acknowledged(out)
        _assert_sound(path, acknowledged)  # opens (migrating if the kill came first) and checks
        with ProgressStore.open(path) as store:
            assert store.connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            store.mark(["after"], True, now=datetime(2024, 4, 8, tzinfo=UTC))
            assert store.state("after").is_done


def test_two_writers_at_once_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    ProgressStore.open(path).close()  # created and migrated before the race
    writers = [_start(path, tag, 5000, mix=False) for tag in ("left", "right")]
    outputs = [w.communicate(timeout=60) for w in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    acknowledged = [i for out, _ in outputs for i in _acknowledged(out)]
    assert len(acknowledged) == len(set(acknowledged)) == 10_000  # each mark is one action

    with ProgressStore.open(path) as store:
        assert store.connection.execute("SELECT count(*) FROM events").fetchone()[0] == 10_000
        assert {e.action for e in store.events()} == set(acknowledged)
        assert len(store.states()) == 10_000
        writers_in_log_order = [e.key.split("/")[0] for e in store.events()]
        switches = sum(a != b for a, b in itertools.pairwise(writers_in_log_order))
        assert switches >= 2  # the two really wrote at the same time, interleaved
        assert check_consistency(store) == []
        assert store.states() == replay_state(store)
