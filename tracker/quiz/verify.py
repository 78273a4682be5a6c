"""Provides `verify_curriculum`: re-runs every snippet and checks every computable answer.

`study check --run` calls it. It judges with the quiz's own rules, so the mentor's check and the
mentee's quiz never disagree: a snippet's `expected` output is compared as a PREDICT answer is
(`is_same_output`), and a question's declared answer is judged by `check_declared`, which grades
through `grade`. All runs go through one warm worker (a fresh namespace each), so the whole
check costs one torch import plus a few milliseconds per snippet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.curriculum import (
    Compare,
    Curriculum,
    Location,
    Problem,
    Severity,
    Snippet,
)
from tracker.domain.packages import (
    imported_modules,
    install_command,
    missing_module,
    needed_modules,
)
from tracker.errors import RunnerError
from tracker.quiz.grading import AnswerError, is_same_output, spec_for
from tracker.quiz.truth import (
    check_declared,
    compare_words,
    compared_output,
    needs_truth,
    question_source,
    run_source,
    unified_diff,
)
from tracker.runner.result import RunResult, RunStatus
from tracker.runner.runner import Runner, SnippetRunner

__all__ = ["VerifyTally", "verify_curriculum"]


@dataclass
class VerifyTally:
    """What `verify_curriculum` did, counted as it goes (for `study check --run`'s last line)."""

    snippets_run: int = 0
    """Snippets run and compared with their `expected` output."""
    answers_verified: int = 0
    """Questions whose answer was checked: computed by running code, or code checks compiled."""
    skipped: int = 0
    """Snippets and questions not run, or not judged, because the worker's Python lacks a module."""

    def words(self, seconds: float) -> str:
        """`31 snippets run, 75 answers verified, 0 skipped in 2.1 s`."""
        snippets = f"{self.snippets_run} snippet{'' if self.snippets_run == 1 else 's'} run"
        answers = (
            f"{self.answers_verified} answer{'' if self.answers_verified == 1 else 's'} verified"
        )
        return f"{snippets}, {answers}, {self.skipped} skipped in {seconds:.1f} s"


def verify_curriculum(
    curriculum: Curriculum, *, runner: Runner | None = None, tally: VerifyTally | None = None
) -> list[Problem]:
    """Runs the curriculum's snippets and answer code, and compares them with what is declared.

    - A snippet with `expected` (unless its determinism includes V) must print that, compared
      as a PREDICT answer is (trailing spaces and blank lines at the ends aside).
    - A PREDICT, NUMERIC or TEXT question with code: its code must run, and its declared answer
      must agree with what it prints, as the quiz judges it (`check_declared`).
    - CODE: the checks (and the starter code) must compile.
    - A snippet or question whose code needs a module the worker's Python lacks (declared in
      `requires` or imported) is not run: a warning names the module and how to install it.

    Args:
        curriculum: The loaded curriculum.
        runner: A runner to reuse; by default one is started here and closed at the end.
        tally: Counts what was run, verified and skipped, when given.

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
        counts = VerifyTally() if tally is None else tally
        missing = _missing_modules(curriculum, active)
        problems = list(_missing_warnings(curriculum, missing))
        problems += _verify_snippets(curriculum.snippets.values(), active, missing, counts)
        problems += _verify_questions(curriculum, active, missing, counts)
    finally:
        if own:
            active.close()
    return problems


def _missing_modules(curriculum: Curriculum, runner: Runner) -> frozenset[str]:
    """The modules that some snippet or question needs and the worker's Python lacks (one run)."""
    wanted = {name for snippet in curriculum.snippets.values() for name in needed_modules(snippet)}
    for question in curriculum.questions:
        wanted.update(imported_modules(question.code or ""))
    if not wanted:
        return frozenset()
    probe = (
        "import importlib.util, json\n"
        "def _lacks(name):\n"
        "    try:\n"
        "        return importlib.util.find_spec(name) is None\n"
        "    except (ImportError, ValueError):\n"
        "        return True\n"
        f"print(json.dumps([n for n in {sorted(wanted)!r} if _lacks(n)]))\n"
    )
    result = runner.run(probe, filename="<requires>")
    if not result.is_ok:
        return frozenset()  # the runs themselves will say what is wrong
    try:
        return frozenset(json.loads(result.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return frozenset()


def _missing_warnings(curriculum: Curriculum, missing: frozenset[str]) -> Iterable[Problem]:
    """One warning per snippet that needs a module the worker's Python lacks."""
    if not missing:
        return
    for snippet in curriculum.snippets.values():
        lacking = [name for name in needed_modules(snippet) if name in missing]
        if lacking:
            yield _lacks_warning(snippet.location, f"snippet {snippet.id!r}", lacking)


def _lacks_warning(location: Location, label: str, lacking: Iterable[str]) -> Problem:
    names = list(lacking)
    listed = ", ".join(names)
    return Problem(
        location,
        Severity.WARNING,
        f"{label} needs {listed}, which the snippet worker's Python does not have, so it was"
        f" not run; install it there: {install_command(names)}",
    )


def _verify_snippets(
    snippets: Iterable[Snippet], runner: Runner, missing: frozenset[str], tally: VerifyTally
) -> Iterable[Problem]:
    for snippet in snippets:
        if snippet.expected is None or "V" in _letters(snippet.determinism):
            continue
        if any(name in missing for name in needed_modules(snippet)):
            tally.skipped += 1
            continue  # warned about already
        result = runner.run(
            snippet.code,
            seed=snippet.seed,
            timeout=snippet.timeout,
            memory_mb=snippet.memory_mb,
            filename=f"<snippet {snippet.id}>",
        )
        if lacking := _lacking_in(result):
            tally.skipped += 1
            yield _lacks_warning(snippet.location, f"snippet {snippet.id!r}", [lacking])
            continue
        tally.snippets_run += 1
        if not result.is_ok:
            yield _problem(snippet.location, f"snippet {snippet.id!r} {_failure(result)}")
        elif not is_same_output(snippet.expected, result.stdout):
            diff = unified_diff(snippet.expected, result.stdout)
            yield _problem(
                snippet.location,
                f"snippet {snippet.id!r} printed something other than its `expected`:\n{diff}",
            )


def _verify_questions(
    curriculum: Curriculum, runner: Runner, missing: frozenset[str], tally: VerifyTally
) -> Iterable[Problem]:
    for question in curriculum.questions:
        label = f"question {question.id!r}"
        if spec_for(question).runs_answer:
            tally.answers_verified += 1
            yield from _compile_checks(question.location, label, question.checks, question.code)
            continue
        source = question_source(question, curriculum.snippets)
        if source is None or not needs_truth(question, curriculum.snippets):
            continue
        snippet = curriculum.snippets.get(question.snippet or "") if not question.code else None
        needs = needed_modules(snippet) if snippet else imported_modules(source.code)
        if lacking := [name for name in needs if name in missing]:
            tally.skipped += 1
            yield _lacks_warning(question.location, label, lacking)
            continue
        result = run_source(source, runner)
        if lacking_one := _lacking_in(result):
            tally.skipped += 1
            yield _lacks_warning(question.location, label, [lacking_one])
            continue
        tally.answers_verified += 1
        if not result.is_ok:
            yield _problem(question.location, f"{label}: its code {_failure(result)}")
            continue
        try:
            problem = check_declared(question, compared_output(question, result.stdout))
        except AnswerError as error:
            problem = str(error)
        if problem:
            if (question.snippet and not question.code) or question.compare is not Compare.OUTPUT:
                label += f" (comparing {compare_words(question)})"  # which part was compared
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


def _lacking_in(result: RunResult) -> str | None:
    """The module a failed run could not import, when that is why it failed."""
    if result.status is RunStatus.ERROR and result.error:
        return missing_module(result.error)
    return None


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
