"""Tests for the draft cache: keyed by content, reused when unchanged, rewritten when corrupt;
and for the resolved curriculum kept beside it, served whole when no file changed."""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.curriculum import Location, Problem, Severity


def _cache_file(study_home: Path) -> Path:
    files = list((study_home / "cache").glob("curriculum-*.pickle"))
    assert len(files) == 1
    return files[0]


def _resolved_file(study_home: Path) -> Path:
    files = list((study_home / "cache").glob("resolved-*.pickle"))
    assert len(files) == 1
    return files[0]


MARKER = Problem(Location("marker.yaml", 7, 7), Severity.WARNING, "served from the cache")


def test_a_warm_load_equals_the_cold_one(good: Path, study_home: Path) -> None:
    cold = load_curriculum(good)
    assert _cache_file(study_home).stat().st_size > 0
    warm = load_curriculum(good)
    assert warm == cold
    assert load_curriculum(good, use_cache=False) == cold


def test_unchanged_files_come_from_the_cache(good: Path, study_home: Path) -> None:
    load_curriculum(good)
    _resolved_file(study_home).unlink()  # the drafts, then, not the whole
    cache = _cache_file(study_home)
    magic, fingerprint, entries = pickle.loads(cache.read_bytes())
    assert len(entries) == 4
    for draft in entries.values():
        draft.problems.append(MARKER)
    cache.write_bytes(pickle.dumps((magic, fingerprint, entries)))
    assert load_curriculum(good).problems == (MARKER,)


def _mark_resolved(study_home: Path) -> None:
    """Adds `MARKER` to the problems of the resolved curriculum in the cache."""
    resolved = _resolved_file(study_home)
    magic, fingerprint, key, curriculum = pickle.loads(resolved.read_bytes())
    marked = dataclasses.replace(curriculum, problems=(*curriculum.problems, MARKER))
    resolved.write_bytes(pickle.dumps((magic, fingerprint, key, marked)))


def test_an_unchanged_curriculum_is_served_whole(good: Path, study_home: Path) -> None:
    cold = load_curriculum(good)
    _mark_resolved(study_home)
    assert load_curriculum(good).problems == (MARKER,)
    meeting = good / "assignments" / "2024-03-28.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_curriculum(good) == cold  # one file changed: resolved afresh, marker gone
    assert MARKER not in load_curriculum(good).problems


def test_a_corrupt_resolved_file_is_ignored_and_rewritten(good: Path, study_home: Path) -> None:
    cold = load_curriculum(good)
    _resolved_file(study_home).write_bytes(b"not a pickle")
    assert load_curriculum(good) == cold
    _mark_resolved(study_home)  # rewritten: readable again
    assert load_curriculum(good).problems == (MARKER,)


def test_an_unreadable_file_is_never_served_whole(good: Path, study_home: Path) -> None:
    (good / "quizzes" / "folder.yaml").mkdir()
    first = load_curriculum(good)
    assert [p.message for p in first.problems] == [
        "a directory, not a regular file: a curriculum file must be a plain YAML file"
    ]
    assert not list((study_home / "cache").glob("resolved-*.pickle"))
    assert load_curriculum(good) == first


def test_a_warm_start_imports_no_parser(good: Path, study_home: Path) -> None:
    load_curriculum(good)
    code = (
        "import sys; from pathlib import Path; from tracker.content import load_curriculum;"
        f" c = load_curriculum(Path({str(good)!r}));"
        " print(len(c.meetings), 'yaml' in sys.modules, 'tracker.content.resolve' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "STUDY_HOME": str(study_home)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [str(len(load_curriculum(good).meetings)), "False", "False"]


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
    _resolved_file(study_home).unlink()  # else the load is served whole, the drafts unread
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


def test_an_edited_loader_or_domain_source_invalidates_the_cache() -> None:
    from tracker.content import cache

    source = Path(cache.__file__).parent.parent / "domain" / "agenda.py"
    before = cache._fingerprint()
    info = source.stat()
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    try:
        assert cache._fingerprint() != before  # as a save (or an upgrade) would stamp it
    finally:
        os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cache._fingerprint() == before
