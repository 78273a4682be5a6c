"""Provides `study init DIR`: starts a mentor's curriculum repository with one example of each kind."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "directory",
        metavar="DIR",
        type=Path,
        help="the new repository (created when missing; must not hold a curriculum yet)",
    )
    parser.add_argument(
        "--no-git",
        action="store_true",
        help="do not run `git init` (by default DIR becomes a git repository unless it is "
        "inside one already)",
    )


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code (0 written, 1 refused or cannot write)."""
    from tracker.clock import Clock
    from tracker.paths import bundled_curriculum
    from tracker.report.starter import first_meeting_date, starter_files

    root: Path = args.directory
    taken = [root / name for name in ("assignments", "quizzes") if (root / name).exists()]
    if taken:
        return _error(f"{taken[0]} already exists; study init starts a new curriculum")
    workflow_path = bundled_curriculum() / "examples" / "curriculum-ci.yml"
    try:
        workflow = workflow_path.read_text(encoding="utf-8")
    except OSError as error:
        return _error(f"{workflow_path}: cannot read the CI workflow: {error.strerror}")
    clock: Clock = getattr(args, "clock", None) or Clock()
    today = clock.today()  # the user's date (or --today's): the first meeting is a week later
    files = starter_files(today, workflow)
    written: list[Path] = []
    for relative, text in files.items():
        target = root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        except FileExistsError:
            print(f"study init: kept {target}: it already exists", file=sys.stderr)
            continue
        except OSError as error:
            return _error(f"{target}: cannot write: {error.strerror}")
        written.append(target)
    for target in written:
        print(f"wrote {target}", file=sys.stderr)
    if not args.no_git:
        _git_init(root)
    first = first_meeting_date(today).strftime("%d/%m/%Y")
    print(
        f"A curriculum with its first meeting on {first}. Next: edit the YAML, then "
        f"`cd {root} && {_study_command()} check`.",
        file=sys.stderr,
    )
    return 0


def _study_command() -> str:
    """How to run this `study` from a shell: its name when PATH finds it, else its full path."""
    here = Path(sys.executable).with_name("study")
    found = shutil.which("study")
    if found is not None and (not here.exists() or Path(found).resolve() == here.resolve()):
        return "study"
    return str(here) if here.exists() else f"{sys.executable} -m tracker"


def _git_init(root: Path) -> None:
    """Makes `root` a git repository, unless git is missing or `root` is inside one already."""
    git = shutil.which("git")
    if git is None:
        print("study init: git is not installed; run `git init` there once it is", file=sys.stderr)
        return
    inside = subprocess.run(
        [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        check=False,
    )
    if inside.returncode == 0:
        return  # a folder of an existing repository: the mentor commits it there
    made = subprocess.run(
        [git, "init", "--quiet", str(root)], capture_output=True, text=True, check=False
    )
    if made.returncode == 0:
        print(f"initialised a git repository in {root}", file=sys.stderr)
    else:
        reason = made.stderr.strip().splitlines()[-1:] or ["no reason given"]
        print(f"study init: git init failed ({reason[0]}); the files are written", file=sys.stderr)


def _error(message: str) -> int:
    print(f"study init: error: {message}", file=sys.stderr)
    return 1
