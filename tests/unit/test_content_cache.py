"""Tests for the draft cache: keyed by content, reused when unchanged, rewritten when corrupt."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.curriculum import Location, Problem, Severity


def _cache_file(study_home: Path) -> Path:
    files = list((study_home / "cache").glob("curriculum-*.pickle"))
    assert len(files) == 1
    return files[0]


def test_a_warm_load_equals_the_cold_one(good: Path, study_home: Path) -> None:
    cold = load_curriculum(good)
    assert _cache_file(study_home).stat().st_size > 0
    warm = load_curriculum(good)
    assert warm == cold
    assert load_curriculum(good, use_cache=False) == cold


def test_unchanged_files_come_from_the_cache(good: Path, study_home: Path) -> None:
    load_curriculum(good)
    cache = _cache_file(study_home)
    magic, fingerprint, entries = pickle.loads(cache.read_bytes())
    assert len(entries) == 4
    marker = Problem(Location("marker.yaml", 7, 7), Severity.WARNING, "served from the cache")
    for draft in entries.values():
        draft.problems.append(marker)
    cache.write_bytes(pickle.dumps((magic, fingerprint, entries)))
    assert load_curriculum(good).problems == (marker,)


def test_a_changed_file_is_read_again(good: Path) -> None:
    meeting = good / "assignments" / "2024-03-28.yaml"
    original = meeting.read_text(encoding="utf-8")
    load_curriculum(good)
    meeting.write_text(
        original.replace('until: "01:11:38"', 'until: "01:11:382"'), encoding="utf-8"
    )
    problems = load_curriculum(good).problems
    assert [(p.location.line, p.location.column) for p in problems] == [(5, 12)]
    meeting.write_text(original, encoding="utf-8")
    assert load_curriculum(good).problems == ()


def test_cross_file_checks_run_on_a_warm_load(good: Path) -> None:
    load_curriculum(good)
    catalogue = good / "assignments" / "resources.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("perceptron-post:", "perceptron:"),
        encoding="utf-8",
    )
    problems = load_curriculum(good).problems
    assert [p.message for p in problems] == [
        "unknown resource 'perceptron-post' (did you mean 'perceptron'?)"
    ]


@pytest.mark.parametrize(
    "garbage", [b"", b"not a pickle", pickle.dumps(("x", "y")), pickle.dumps([1])]
)
def test_a_corrupt_cache_is_ignored_and_rewritten(
    good: Path, study_home: Path, garbage: bytes
) -> None:
    expected = load_curriculum(good, use_cache=False)
    load_curriculum(good)
    cache = _cache_file(study_home)
    cache.write_bytes(garbage)
    assert load_curriculum(good) == expected
    magic, _fingerprint, entries = pickle.loads(cache.read_bytes())
    assert magic == "study-tracker-drafts" and len(entries) == 4


def test_drafts_of_removed_files_are_dropped(good: Path, study_home: Path) -> None:
    load_curriculum(good)
    (good / "quizzes" / "contiguity.yaml").unlink()
    load_curriculum(good)
    _magic, _fingerprint, entries = pickle.loads(_cache_file(study_home).read_bytes())
    assert len(entries) == 3


def test_no_cache_file_without_the_cache(good: Path, study_home: Path) -> None:
    load_curriculum(good, use_cache=False)
    assert list(study_home.glob("cache/*.pickle")) == []


def test_the_garbage_collector_is_restored(good: Path) -> None:
    assert gc.isenabled()
    load_curriculum(good)
    assert gc.isenabled()
    gc.disable()
    try:
        load_curriculum(good)
        assert not gc.isenabled()
    finally:
        gc.enable()
