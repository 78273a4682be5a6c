"""Provides the `study` command: the app by default, and `check`, `run`, `report`, `export`, `new`.

Each subcommand lives in `tracker.commands.<name>` with `add_arguments(parser)` and
`run(args) -> int`. Command modules keep their imports light at the top: `study check` must not
pay for Textual, and nothing here imports torch.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tracker.clock import TODAY_ENV, Clock

COMMANDS: dict[str, str] = {
    "app": "open the app (the default when no command is given)",
    "check": "validate the curriculum; with --run, run every snippet and verify every answer",
    "run": "run one snippet (or code on stdin) with the app's limits",
    "report": "the next-meeting report for the mentor",
    "export": "write the mentee's progress as a stable, diffable JSON file",
    "new": "scaffold the next meeting's file with the unfinished items carried over",
    "init": "start a curriculum repository: one example of each kind, a quiz, CI, a README",
}
"""Subcommand names to their one-line help; the module is `tracker.commands.<name>`."""

GLOBAL_OPTIONS = ("--curriculum", "--data-dir", "--today")
"""The options `study` takes before a subcommand; each takes one value."""


def find_curriculum(start: Path) -> Path:
    """The curriculum root for `start`: the nearest directory upwards with `assignments/`.

    Args:
        start: Where to start looking (usually the working directory).

    Returns:
        That directory, or the curriculum bundled with the package when none is found.
    """
    found = find_curriculum_upwards(start)
    if found is not None:
        return found
    from tracker.paths import bundled_curriculum

    return bundled_curriculum()


def find_curriculum_upwards(start: Path) -> Path | None:
    """The nearest directory from `start` upwards with `assignments/`, or None when there is none."""
    for directory in (start, *start.parents):
        if (directory / "assignments").is_dir():
            return directory
    return None


BUNDLED_READ_ONLY = "no curriculum here: the bundled one is read-only"
"""Why a command that writes into the curriculum refuses to when the bundled one is open."""
START_YOUR_OWN = "`study init DIR` starts your own"
"""The way out of the bundled curriculum, said after `BUNDLED_READ_ONLY` and in the app."""


def is_bundled(args: argparse.Namespace) -> bool:
    """Whether the command works on the bundled example curriculum (read-only: it ships inside
    the package), set by `main` when no curriculum was found or `--curriculum` names the
    package's copy; False for arguments made without `main`."""
    return bool(getattr(args, "bundled", False))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of `study` and its subcommands.

    Args:
        only: Import and add the arguments of this subcommand alone (the others are listed by
            name and help), so that `study` does not pay for every command's imports at start.

    Returns:
        The parser; the subcommand's name lands in `command`.
    """
    parser = argparse.ArgumentParser(
        prog="study",
        description="Study deep learning with a mentor: agenda, progress, quizzes, live snippets.",
        epilog="Without a command, study opens the app; it also takes --python PATH (the Python "
        "that runs snippets) and --lang en|hy (see study app --help). study COMMAND --help "
        "describes each command.",
    )
    parser.add_argument("--version", action=_VersionAction)
    _add_global_options(parser, default=None)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        # The global options work after the subcommand too: `study check --curriculum DIR`.
        _add_global_options(sub, default=argparse.SUPPRESS)
        if only is None or name == only:
            importlib.import_module(f"tracker.commands.{name}").add_arguments(sub)
    return parser


class _VersionAction(argparse.Action):
    """`--version`: the version is looked up only when asked (`importlib.metadata` costs about
    0.1 s, which every start of the app paid)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest=argparse.SUPPRESS,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    """The installed package's version ("unknown" when run from a tree that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("study-tracker")
    except PackageNotFoundError:
        return "unknown"


def _add_global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """Adds the global options; a subparser's default must not hide the main one's."""
    parser.add_argument(
        "--curriculum",
        metavar="DIR",
        type=Path,
        default=default,
        help="the curriculum directory (default: the nearest one with assignments/ upwards, "
        "else the bundled example curriculum, read-only)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=default,
        help="where progress is kept (default: $STUDY_HOME, else the user data directory)",
    )
    parser.add_argument(
        "--today",
        metavar="DATE",
        default=default,
        help="act as of this date (2024-04-16 or 16/04/2024): the agenda, the report and "
        "study new as on that day, progress recorded after it not counted "
        f"(default: ${TODAY_ENV}, else the real date)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Runs `study`: parses the arguments and hands them to the subcommand's `run`.

    Args:
        argv: The arguments (default: `sys.argv[1:]`); no subcommand means `app`.

    Returns:
        The subcommand's exit code; 2 for a usage error, 130 after Ctrl+C.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help", "--version"} & set(args_list[:1]):
        args_list = _insert_default_command(args_list)  # `study [--curriculum DIR]` opens the app
    parser = build_parser(only=_command_name(args_list))
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.data_dir is not None:
        os.environ["STUDY_HOME"] = str(args.data_dir.resolve())
    try:
        args.clock = make_clock(args.today)
    except ValueError as error:
        where = f"study {args.command}" if args.command else "study"
        print(f"{where}: error: {error}", file=sys.stderr)
        return 2
    from tracker.paths import bundled_curriculum, is_installed_bundle

    if args.curriculum is None:
        found = find_curriculum_upwards(Path.cwd())
        args.bundled = found is None
        args.curriculum = bundled_curriculum() if found is None else found
    else:
        args.bundled = is_installed_bundle(args.curriculum)
    command = args.command or "app"
    module = importlib.import_module(f"tracker.commands.{command}")
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = failure_message(error)
        if message is None:
            raise
        print(f"study {command}: error: {message}", file=sys.stderr)
        return 1


def failure_message(error: BaseException) -> str | None:
    """The one line that `study` prints for a failure of the data or the disk, else None.

    Args:
        error: What a command raised: a `TrackerError`, an `sqlite3.Error` or an `OSError`
            (say, the data directory cannot be made under a read-only parent).

    Returns:
        What failed, where and what to do, on one line (control characters made visible); None
        for an error that is a bug, whose traceback should be seen.
    """
    import sqlite3

    from tracker.domain.terminal_text import inert
    from tracker.errors import TrackerError

    if isinstance(error, TrackerError):
        text = str(error)
    elif isinstance(error, sqlite3.Error):
        from tracker.paths import database_path
        from tracker.store.database import store_error

        text = str(store_error(error, str(database_path(create=False))))
    elif isinstance(error, OSError):
        where = error.filename if error.filename is not None else "the disk"
        advice = _OS_ADVICE.get(error.errno or 0, "check the path and try again")
        text = f"{where}: {error.strerror or error}: {advice}"
    else:
        return None
    return " ".join(inert(text).split("\n"))


_OS_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and try again",
    errno.EDQUOT: "the disk quota is used up; free some space and try again",
    errno.EROFS: "it is on a read-only file system; pass --data-dir DIR (or --output FILE)",
    errno.EACCES: "it cannot be written here; pass --data-dir DIR (or --output FILE)",
    errno.EPERM: "it cannot be written here; pass --data-dir DIR (or --output FILE)",
    errno.ENOENT: "check the path and try again",
    errno.EIO: "the disk reported an input/output error; check the disk and try again",
}
"""What to do after an `OSError`, by errno."""


def make_clock(today: str | None, environ: Mapping[str, str] | None = None) -> Clock:
    """The clock every command and the app use: the real one, or one fixed to a date.

    Args:
        today: The `--today` value, if given (it wins over the environment).
        environ: Where `STUDY_TODAY` is read (default: `os.environ`).

    Returns:
        The clock (local zone).

    Raises:
        ValueError: The date is malformed; the message names the option and the forms that work.
    """
    from_env = (os.environ if environ is None else environ).get(TODAY_ENV, "").strip()
    text, source = (today, "--today") if today is not None else (from_env, TODAY_ENV)
    if not text:
        return Clock()
    from tracker.content.ranges import ValueProblem, parse_date

    try:
        return Clock(today=parse_date(text))
    except ValueProblem as error:
        raise ValueError(f"{source}: {error}") from None


def _command_name(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (after the global options), if any."""
    rest = _split_global_options(argv)[1]
    return rest[0] if rest and rest[0] in COMMANDS else None


def _insert_default_command(argv: Sequence[str]) -> list[str]:
    """Puts `app` after the global options when no subcommand is named."""
    options, rest = _split_global_options(argv)
    if rest and rest[0] in COMMANDS:
        return [*options, *rest]
    return [*options, "app", *rest]


def _split_global_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """`argv` split after its leading global options (each with its value) and the rest."""
    end = 0
    while end < len(argv) and argv[end] in GLOBAL_OPTIONS:
        end += 2
    return list(argv[:end]), list(argv[end:])
