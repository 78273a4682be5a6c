"""Provides `study run`: runs one snippet or code on stdin with the app's limits."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tracker.domain.terminal_output import TerminalFilter
from tracker.domain.terminal_text import inert

if TYPE_CHECKING:
    from tracker.domain.curriculum import Snippet
    from tracker.runner import SnippetRunner

EXIT_USAGE = 2
GRACE = 3.0
"""Seconds an interrupted snippet gets to stop before it is killed (a second Ctrl+C: at once)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds this command's arguments to `parser`."""
    parser.add_argument(
        "snippet",
        metavar="ID|-",
        help="a snippet id from the curriculum, or - to read code on stdin",
    )
    parser.add_argument(
        "--timeout", metavar="S", type=_positive(float), help="wall-clock limit in seconds"
    )
    parser.add_argument(
        "--memory", metavar="MB", type=_positive(int), help="memory the snippet may add, in MiB"
    )
    parser.add_argument(
        "--python",
        metavar="PY",
        help="the Python that runs the snippet (default: $STUDY_PYTHON, else this one)",
    )
    parser.add_argument("--seed", type=int, help="seed torch, random and numpy first")


def run(args: argparse.Namespace) -> int:
    """Runs the command; returns the exit code.

    0 ok, 1 the snippet raised, 124 timeout, 130 interrupted (Ctrl+C), 137 killed (memory, a
    crash, a second Ctrl+C), 2 usage or no worker. The snippet's output (stdout and stderr
    together, in the order written) goes to stdout with only colours, newlines and carriage
    returns live; its traceback and the words on how it ended go to stderr.
    """
    from tracker.errors import RunnerError
    from tracker.runner import Limits, SnippetRunner

    if args.snippet == "-":
        code, filename, seed = sys.stdin.read(), "<stdin>", args.seed
        timeout, memory = args.timeout, args.memory
    else:
        snippet = _find_snippet(args)
        if snippet is None:
            return EXIT_USAGE
        code, filename = snippet.code, f"<snippet {snippet.id}>"
        seed = args.seed if args.seed is not None else snippet.seed
        timeout = args.timeout if args.timeout is not None else snippet.timeout
        memory = args.memory if args.memory is not None else snippet.memory_mb

    runner = SnippetRunner(python=args.python, spare=False, limits=Limits(grace=GRACE))
    shown = TerminalFilter()
    outcome: dict[str, object] = {}

    def write(text: str) -> None:
        sys.stdout.write(shown.feed(text))
        sys.stdout.flush()

    def target() -> None:
        try:
            outcome["result"] = runner.run(
                code,
                seed=seed,
                timeout=timeout,
                memory_mb=memory,
                on_output=write,
                filename=filename,
            )
        except RunnerError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="study-run", daemon=True)
    try:
        runner.start()
        with _ctrl_c(runner) as act_on_ctrl_c:
            thread.start()
            while thread.is_alive():
                thread.join(0.05)
                act_on_ctrl_c()
    finally:
        runner.close()
    if "error" in outcome:
        print(f"study run: {outcome['error']}", file=sys.stderr)
        return EXIT_USAGE
    result = outcome["result"]
    from tracker.runner import RunResult
    from tracker.runner.result import install_hint

    assert isinstance(result, RunResult)
    sys.stdout.write(shown.feed("", final=True))
    for path in result.figures:
        print(f"figure: {inert(path)}")
    sys.stdout.flush()
    if result.error:
        sys.stderr.write(inert(result.error))
    hint = install_hint(result, runner.python)
    if hint:
        print(f"study run: {inert(hint)}", file=sys.stderr)
    if result.message:
        print(f"study run: {inert(result.message)}", file=sys.stderr)
    return result.status.exit_code


@contextlib.contextmanager
def _ctrl_c(runner: SnippetRunner) -> Iterator[Callable[[], None]]:
    """Ctrl+C interrupts the snippet (exit 130); a second one kills it at once (exit 137).

    The handler only counts the presses; the main loop calls the function yielded here, which
    stops the run. (A handler that called the runner itself could run in the middle of the
    first press's call, holding a lock the second one needs: `study run` then hung.)
    """
    presses = 0
    acted = 0

    def on_sigint(signum: int, frame: object) -> None:
        nonlocal presses
        presses += 1
        if presses == 1:
            print("study run: interrupting (Ctrl+C again kills it)", file=sys.stderr, flush=True)

    def act() -> None:
        nonlocal acted
        if presses > acted:
            acted = presses
            if acted == 1:
                runner.interrupt()
            else:
                runner.kill()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield act
    finally:
        signal.signal(signal.SIGINT, previous)


def _find_snippet(args: argparse.Namespace) -> Snippet | None:
    """The snippet named on the command line, or None after saying why (with close ids)."""
    from tracker.content import load_curriculum
    from tracker.errors import ContentError

    try:
        curriculum = load_curriculum(args.curriculum)
    except ContentError as exc:
        print(f"study run: {exc}", file=sys.stderr)
        return None
    snippet = curriculum.snippets.get(args.snippet)
    if snippet is None:  # `S17` for `s17`: ids are case-sensitive, but only one can be meant
        same = [
            s for key, s in curriculum.snippets.items() if key.casefold() == args.snippet.casefold()
        ]
        snippet = same[0] if len(same) == 1 else None
    if snippet is None:
        close = difflib.get_close_matches(args.snippet, list(curriculum.snippets), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        print(
            f"study run: unknown snippet {args.snippet!r} in {args.curriculum}{hint}",
            file=sys.stderr,
        )
        return None
    return snippet


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse
