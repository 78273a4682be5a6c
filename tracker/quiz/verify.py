"""Provides `verify_curriculum`: re-runs every snippet and checks every computable answer.

`study check --run` calls it. It judges with the quiz's own rules, so the mentor's check and the
mentee's quiz never disagree: a snippet's `expected` output is compared as a PREDICT answer is
(`is_same_output`), and a question's declared answer is judged by `check_declared`, which grades
through `grade`. All runs go through one warm worker (a fresh namespace each), so the whole
check costs one torch import plus a few milliseconds per snippet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.domain.curriculum import (
    Curriculum,
    Location,
    Problem,
    QuestionType,
    Severity,
    Snippet,
)
from tracker.errors import RunnerError
from tracker.quiz.grading import is_same_output
from tracker.quiz.truth import (
    check_declared,
    needs_truth,
    question_source,
    run_source,
    unified_diff,
)
from tracker.runner.result import RunResult, RunStatus
from tracker.runner.runner import Runner, SnippetRunner

__all__ = ["verify_curriculum"]


def verify_curriculum(curriculum: Curriculum, *, runner: Runner | None = None) -> list[Problem]:
    """Runs the curriculum's snippets and answer code, and compares them with what is declared.

    - A snippet with `expected` (unless its determinism includes V) must print that, compared
      as a PREDICT answer is (trailing spaces and blank lines at the ends aside).
    - A PREDICT, NUMERIC or TEXT question with code: its code must run, and its declared answer
      must agree with what it prints, as the quiz judges it (`check_declared`).
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
        result = runner.run(
            snippet.code,
            seed=snippet.seed,
            timeout=snippet.timeout,
            memory_mb=snippet.memory_mb,
            filename=f"<snippet {snippet.id}>",
        )
        if not result.is_ok:
            yield _problem(snippet.location, f"snippet {snippet.id!r} {_failure(result)}")
        elif not is_same_output(snippet.expected, result.stdout):
            diff = unified_diff(snippet.expected, result.stdout)
            yield _problem(
                snippet.location,
                f"snippet {snippet.id!r} printed something other than its `expected`:\n{diff}",
            )


def _verify_questions(curriculum: Curriculum, runner: Runner) -> Iterable[Problem]:
    for question in curriculum.questions:
        label = f"question {question.id!r}"
        if question.type is QuestionType.CODE:
            yield from _compile_checks(question.location, label, question.checks, question.code)
            continue
        source = question_source(question, curriculum.snippets)
        if source is None or not needs_truth(question, curriculum.snippets):
            continue
        result = run_source(source, runner)
        if not result.is_ok:
            yield _problem(question.location, f"{label}: its code {_failure(result)}")
            continue
        problem = check_declared(question, result.stdout)
        if problem:
            yield _problem(question.location, f"{label}: {problem}")


def _compile_checks(
    location: Location, label: str, checks: str | None, starter: str | None
) -> Iterable[Problem]:
    for part, source in (("checks", checks), ("starter code", starter)):
        if not source:
            continue
        try:
            compile(source, f"<{label} {part}>", "exec")
        except SyntaxError as exc:
            yield _problem(
                location,
                f"{label}: its {part} do not compile: {exc.msg} (line {exc.lineno} of the {part})",
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
