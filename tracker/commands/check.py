"""Provides `study check`: validates the curriculum, and with --run verifies snippets and answers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tracker.domain.curriculum import Location, Problem, Severity
from tracker.domain.terminal_text import inert, inert_json
from tracker.errors import ContentError

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="report only on these files or directories (the whole curriculum is still loaded,"
        " so references resolve); a directory holding assignments/ or quizzes/ is checked as"
        " the curriculum",
    )
    parser.add_argument(
        "--run",
        action="store_true",
        help="also run every snippet and verify every declared output and answer",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: path:line:col: severity: message (default); json: a list of objects",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every file afresh instead of reusing the drafts of unchanged files",
    )


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code (0 clean, 1 errors, 2 usage)."""
    from tracker.cli import START_YOUR_OWN, is_bundled

    root: Path = args.curriculum
    targets: list[Path] = list(args.paths)
    for target in targets:
        if not target.exists():
            return _usage(f"{target}: no such file or directory")
    roots = [t for t in targets if t.is_dir() and _is_curriculum(t)]
    if len(roots) > 1:
        return _usage("give at most one curriculum directory")
    if roots:
        root = roots[0]
        targets.remove(root)
    if not _is_curriculum(root):
        return _usage(f"no curriculum at {root} (it has no assignments/ or quizzes/ directory)")
    from tracker.content import curriculum_files, load_curriculum  # lazy: `study` starts faster

    files = curriculum_files(root)
    known = {_real(f) for f in files}
    files += [t for t in targets if t.is_file() and _real(t) not in known]
    try:
        curriculum = load_curriculum(root, files, use_cache=not args.no_cache)
    except ContentError as exc:
        return _usage(str(exc))
    problems = list(curriculum.problems)
    ran = ""
    if args.run:
        import time

        from tracker.errors import RunnerError
        from tracker.quiz.verify import VerifyTally, verify_curriculum

        tally = VerifyTally()
        started = time.perf_counter()
        try:
            problems += verify_curriculum(curriculum, tally=tally)
        except RunnerError as exc:
            return _usage(f"--run: the snippet worker could not start: {exc}")
        ran = tally.words(time.perf_counter() - started)
    reporter = _Reporter(Path.cwd(), targets, [str(f) for f in files])
    checked = [f for f in files if reporter.is_reported(str(f))]
    shown = sorted(
        (reporter.relative(p) for p in problems if reporter.is_reported(p.location.path)),
        key=lambda p: p.location,
    )
    # Problems quote YAML values and snippet output: shown with their controls made visible.
    if args.format == "json":
        print(inert_json(json.dumps([p.to_dict() for p in shown], ensure_ascii=False, indent=2)))
    else:
        for problem in shown:
            print(inert(problem.format()))
    if ran:
        print(ran, file=sys.stderr)  # what --run verified, so that "0 errors" is not all it says
    counts = summary(shown, len(checked))
    if not roots and is_bundled(args):  # else "0 errors" says nothing of which curriculum it was
        counts = f"the bundled example curriculum (read-only; {START_YOUR_OWN}): {counts}"
    print(counts, file=sys.stderr)
    return EXIT_PROBLEMS if any(p.severity is Severity.ERROR for p in shown) else EXIT_CLEAN


def summary(problems: Sequence[Problem], files: int) -> str:
    """The closing line: `3 errors, 1 warning in 12 files`."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(files, 'file')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _usage(message: str) -> int:
    print(f"study check: {inert(message)}", file=sys.stderr)
    return EXIT_USAGE


def _real(path: Path) -> Path:
    """`path` with its directories resolved but not its last part: a symlinked file (even a
    dangling one or a loop, which `study check` reports) keeps its own name."""
    return Path(os.path.realpath(path.parent)) / path.name


def _is_curriculum(path: Path) -> bool:
    return (path / "assignments").is_dir() or (path / "quizzes").is_dir()


class _Reporter:
    """Decides which problems are shown, and shows their paths relative to the working directory."""

    __slots__ = ("_cwd", "_files", "_paths", "_targets")

    def __init__(self, cwd: Path, targets: Sequence[Path], files: Sequence[str] = ()) -> None:
        self._cwd = cwd.resolve()
        self._targets = [_real(t) for t in targets]
        self._paths: dict[str, Path] = {}
        self._files = sorted(files, key=len, reverse=True)

    def _resolved(self, path: str) -> Path:
        resolved = self._paths.get(path)
        if resolved is None:
            resolved = self._paths[path] = _real(Path(path))
        return resolved

    def is_reported(self, path: str) -> bool:
        """Whether problems in `path` are shown (all are, when no PATH was given)."""
        if not self._targets:
            return True
        resolved = self._resolved(path)
        return any(resolved == t or t in resolved.parents for t in self._targets)

    def relative(self, problem: Problem) -> Problem:
        """The problem with its paths relative to the working directory, when under it.

        Paths inside the message (`first at assignments/x.yaml:4:9`) are shortened too.
        """
        message = problem.message
        for path in self._files:
            if path in message:
                message = message.replace(path, self._shown(path))
        location = Location(
            self._shown(problem.location.path), problem.location.line, problem.location.column
        )
        return Problem(location, problem.severity, message)

    def _shown(self, path: str) -> str:
        try:
            return str(self._resolved(path).relative_to(self._cwd))
        except ValueError:
            return path
