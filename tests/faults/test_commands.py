"""Every command against every bad store, as real processes: one line and exit 1, or it works.

A command that needs the database fails in one line, `study <command>: error: <what, where, what
to do>`, with no traceback; `study check` never needs the data directory; a read-only database is
still reported and exported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.faults.conftest import (
    corrupt,
    fill,
    held_lock,
    needs_mount,
    remount_read_only,
    seed,
)

FIXTURE = ROOT / "tests" / "fixtures" / "app_curriculum"

COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "report": ["report", "--meeting", "2024-04-16", "--name", "vova"],
    "export": ["export", "--name", "vova", "-o", "-"],
    "new": ["new", "2024-06-03"],
}
"""Each command with the arguments it needs; `new` writes into the test's curriculum copy."""
NEEDS_DATA = ("report", "export", "new")


def _run_all(home: Path, curriculum: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Runs every command at once (each may wait out a lock) and collects them."""
    env = {**os.environ, "STUDY_HOME": str(home), "PYTHONPATH": str(ROOT)}
    running = {}
    for name, args in COMMANDS.items():
        copy = curriculum.parent / f"curriculum-{name}"
        shutil.copytree(curriculum, copy)
        running[name] = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--curriculum", str(copy), *args],
            cwd=curriculum.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def _assert_one_line_or_success(results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    for name, result in results.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode in (0, 1), (name, result.returncode, result.stderr)
        if result.returncode == 1:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1, (name, result.stderr)
            assert lines[0].startswith(f"study {name}: error: "), (name, lines[0])
            assert "\x1b" not in lines[0]


def _failed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    return result.stderr.strip()


@pytest.fixture
def curriculum(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    yield home


def test_every_command_with_the_database_locked_past_the_timeout(
    home: Path, curriculum: Path
) -> None:
    path = home / "progress.sqlite3"
    seed(path)
    with held_lock(path, exclusive=True):
        results = _run_all(home, curriculum)
    _assert_one_line_or_success(results)
    assert results["check"].returncode == 0
    for name in NEEDS_DATA:
        message = _failed(results[name])
        assert str(path) in message and "close it and try again" in message


def test_every_command_with_corrupt_pages_behind_a_valid_header(
    home: Path, curriculum: Path
) -> None:
    path = home / "progress.sqlite3"
    seed(path)
    corrupt(path)
    results = _run_all(home, curriculum)
    _assert_one_line_or_success(results)
    assert results["check"].returncode == 0
    for name in NEEDS_DATA:
        assert "damaged" in _failed(results[name])


@needs_mount
def test_every_command_with_the_disk_full(mount, curriculum: Path) -> None:
    disk = mount("disk", size="256k")
    seed(disk / "progress.sqlite3")
    fill(disk)
    results = _run_all(disk, curriculum)
    _assert_one_line_or_success(results)
    assert results["check"].returncode == 0
    for name in NEEDS_DATA:
        if results[name].returncode:
            assert "free some space" in _failed(results[name])


@needs_mount
def test_every_command_with_a_read_only_data_directory(mount, curriculum: Path) -> None:
    where = mount("backup")
    seed(where / "progress.sqlite3")
    remount_read_only(where)
    results = _run_all(where, curriculum)
    _assert_one_line_or_success(results)
    assert all(r.returncode == 0 for r in results.values()), {
        n: r.stderr for n, r in results.items()
    }
    exported = json.loads(results["export"].stdout)
    assert exported["states"]["llm-book/2.6"]["done"] is True
    assert exported["notes"][0]["text"] == "Why is the mask upper-triangular?"


@needs_mount
def test_every_command_with_the_data_directory_missing_under_a_read_only_parent(
    mount, curriculum: Path
) -> None:
    where = mount("ro")
    remount_read_only(where)
    results = _run_all(where / "missing", curriculum)
    _assert_one_line_or_success(results)
    assert results["check"].returncode == 0  # check never needs the data directory
    for name in NEEDS_DATA:
        assert str(where / "missing") in _failed(results[name])
