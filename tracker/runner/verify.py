"""Provides `verify_curriculum`: re-runs every snippet and checks every computable answer.

`study check --run` calls it. All runs go through one warm worker (a fresh namespace each), so
the whole check costs one torch import plus a few milliseconds per snippet.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable

from tracker.domain.answers import normalise_text
from tracker.domain.curriculum import (
    Curriculum,
    Location,
    Problem,
    Question,
    QuestionType,
    Severity,
    Snippet,
)
from tracker.errors import RunnerError
from tracker.runner.result import RunResult, RunStatus
from tracker.runner.runner import Runner, SnippetRunner

__all__ = ["verify_curriculum"]

DIFF_LINES = 12
"""At most this many lines of unified diff in a problem's message."""

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def verify_curriculum(curriculum: Curriculum, *, runner: Runner | None = None) -> list[Problem]:
    """Runs the curriculum's snippets and answer code, and compares them with what is declared.

    - A snippet with `expected` (unless its determinism includes V) must print exactly that
      (trailing spaces and trailing blank lines aside).
    - PREDICT: the code's output must match the declared answer, if one is given.
    - NUMERIC with code: the last number printed must equal `number` within `tolerance`.
    - TEXT with code: the output must equal one of the accepted answers once normalised.
    - CODE: the checks (and the starter code) must compile.

    Args:
        curriculum: The loaded curriculum.
        runner: A runner to reuse; by default one is started here and closed at the end.

    Returns:
        One problem per failure, located at the snippet or question, in curriculum order.

    Raises:
        RunnerError: No worker can start, or its Python cannot import torch.
    """
    own = runner is None
    active: Runner = SnippetRunner(spare=False) if runner is None else runner
    try:
        active.start()
        active.run("pass")  # waits for a warm worker: a Python without torch is said once, here
        if active.problem:
            raise RunnerError(active.problem)
        problems = list(_verify_snippets(curriculum.snippets.values(), active))
        problems += _verify_questions(curriculum, active)
    finally:
        if own:
            active.close()
    return problems


def _verify_snippets(snippets: Iterable[Snippet], runner: Runner) -> Iterable[Problem]:
    for snippet in snippets:
        if snippet.expected is None or "V" in _letters(snippet.determinism):
            continue
        result = _run(runner, snippet.code, snippet, f"<snippet {snippet.id}>")
        if not result.is_ok:
            yield _problem(snippet.location, f"snippet {snippet.id!r} {_failure(result)}")
        elif _lines(result.stdout) != _lines(snippet.expected):
            diff = _diff(snippet.expected, result.stdout)
            yield _problem(
                snippet.location,
                f"snippet {snippet.id!r} printed something other than its `expected`:\n{diff}",
            )


def _verify_questions(curriculum: Curriculum, runner: Runner) -> Iterable[Problem]:
    for question in curriculum.questions:
        if question.type is QuestionType.CODE:
            yield from _compile_checks(question)
            continue
        if question.type not in (QuestionType.PREDICT, QuestionType.NUMERIC, QuestionType.TEXT):
            continue
        snippet = curriculum.snippets.get(question.snippet) if question.snippet else None
        code = question.code if question.code is not None else (snippet and snippet.code)
        if not code:
            continue
        result = _run(runner, code, snippet, f"<question {question.id}>")
        label = f"question {question.id!r}"
        if not result.is_ok:
            yield _problem(question.location, f"{label}: its code {_failure(result)}")
            continue
        problem = _compare(question, result.stdout)
        if problem:
            yield _problem(question.location, f"{label}: {problem}")


def _compare(question: Question, output: str) -> str | None:
    """What is wrong with `output` as the answer to `question`, or None."""
    if question.type is QuestionType.PREDICT:
        if question.accepted and _lines(output) != _lines(question.accepted[0]):
            diff = _diff(question.accepted[0], output)
            return f"the declared answer differs from the code's output:\n{diff}"
        return None
    if question.type is QuestionType.NUMERIC:
        numbers = _NUMBER.findall(output)
        if not numbers:
            return f"its code printed no number: {output.strip()[:80]!r}"
        value = float(numbers[-1])
        if question.number is not None and not math.isclose(
            value, question.number, rel_tol=0.0, abs_tol=question.tolerance
        ):
            return (
                f"the code prints {numbers[-1]} but the declared answer is {question.number:g}"
                f" (tolerance {question.tolerance:g})"
            )
        return None
    accepted = {normalise_text(answer) for answer in question.accepted}
    if accepted and normalise_text(output) not in accepted:
        return (
            f"the code prints {output.strip()[:80]!r}, which is not among the accepted answers"
            f" {sorted(question.accepted)}"
        )
    return None


def _compile_checks(question: Question) -> Iterable[Problem]:
    for label, source in (("checks", question.checks), ("starter code", question.code)):
        if not source:
            continue
        try:
            compile(source, f"<question {question.id} {label}>", "exec")
        except SyntaxError as exc:
            yield _problem(
                question.location,
                f"question {question.id!r}: its {label} do not compile: {exc.msg}"
                f" (line {exc.lineno} of the {label})",
            )


def _run(runner: Runner, code: str, snippet: Snippet | None, filename: str) -> RunResult:
    return runner.run(
        code,
        seed=snippet.seed if snippet else None,
        timeout=snippet.timeout if snippet else None,
        memory_mb=snippet.memory_mb if snippet else None,
        filename=filename,
    )


def _failure(result: RunResult) -> str:
    """A failed run in words, for a problem's message."""
    if result.error:
        last = result.error.strip().splitlines()[-1]
        return f"raised {last}" if result.status is RunStatus.ERROR else f"{result.message}: {last}"
    return f"did not finish: {result.message}"


def _problem(location: Location, message: str) -> Problem:
    return Problem(location, Severity.ERROR, message)


def _letters(determinism: str | None) -> set[str]:
    return set(re.findall(r"[A-Z]", (determinism or "").upper()))


def _lines(text: str) -> list[str]:
    """Text as compared: lines without trailing spaces, without trailing blank lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _diff(expected: str, actual: str) -> str:
    lines = list(
        difflib.unified_diff(
            _lines(expected), _lines(actual), "expected", "actual", n=1, lineterm=""
        )
    )
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... ({len(lines) - DIFF_LINES} more diff lines)"]
    return "\n".join(lines)
