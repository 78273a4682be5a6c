"""Provides computed answers: a question's code runs in the worker, and what it prints is the truth.

Where a snippet can compute an answer, the answer is computed, not typed in (DESIGN, "Quizzes").
A PREDICT question's truth is its code's live output; a NUMERIC or TEXT question with code takes
the printed value as its answer, and the value the mentor declared is only a cross-check: when
the two disagree, the live value wins and `Truth.warning` says so. Each question runs at most
once per `TruthCache` (one per app session).
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from tracker.domain.curriculum import Compare, Curriculum, Question, Snippet
from tracker.domain.question_type import form_of
from tracker.errors import TrackerError
from tracker.quiz.grading import (
    AnswerError,
    CrossCheck,
    describe_failure,
    expected_words,
    grade,
    is_same_output,
    output_lines,
    spec_for,
)
from tracker.runner.result import RunResult, RunStatus
from tracker.runner.runner import Runner

__all__ = [
    "Source",
    "Truth",
    "TruthCache",
    "TruthError",
    "check_declared",
    "compare_words",
    "compared_output",
    "compute_truth",
    "declared_answer",
    "needs_truth",
    "question_source",
    "run_source",
    "truth_for",
    "unified_diff",
]

DIFF_LINES = 12
"""At most this many lines of unified diff in a disagreement's words."""


class TruthError(TrackerError):
    """A question's code could not compute its answer, and no declared answer stands in."""


@dataclass(frozen=True, slots=True)
class Truth:
    """A question's computed answer."""

    output: str
    """What the code printed (or the declared answer, when the code failed and one exists)."""
    warning: str | None = None
    """Set when the declared answer disagrees with the live one, or stood in for it."""
    is_live: bool = True
    """Whether `output` came from a run (False: the declared answer stood in)."""


@dataclass(frozen=True, slots=True)
class Source:
    """The code that computes a question's answer, with the limits of its snippet."""

    code: str
    seed: int | None = None
    timeout: float | None = None
    memory_mb: int | None = None
    filename: str = "<snippet>"
    """How tracebacks name the code: `<quiz contiguity-predict>` or `<snippet s01>`."""


def question_source(question: Question, snippets: Mapping[str, Snippet]) -> Source | None:
    """The code whose output answers a question: its inline `code`, else its snippet's.

    Args:
        question: The question.
        snippets: The curriculum's snippets by id.

    Returns:
        The code and its snippet's seed and timeout, or None when the question has none or its
        type's code does not compute its answer (a CODE question's starter).
    """
    if not form_of(question.type).is_computed:
        return None
    if question.code:
        return Source(question.code, filename=f"<quiz {question.id}>")
    if question.snippet and (snippet := snippets.get(question.snippet)) is not None:
        return Source(
            snippet.code,
            snippet.seed,
            snippet.timeout,
            snippet.memory_mb,
            f"<snippet {snippet.id}>",
        )
    return None


def needs_truth(question: Question, snippets: Mapping[str, Snippet]) -> bool:
    """Whether grading the question needs its code's live output.

    Args:
        question: The question.
        snippets: The curriculum's snippets, by id (a question may name one).

    Returns:
        True for a question whose type's code computes its answer (PREDICT, NUMERIC, TEXT) and
        that has code to run.
    """
    return question_source(question, snippets) is not None


def compared_output(question: Question, output: str) -> str:
    """The part of its code's output that a question's answer is (`compare:`).

    Args:
        question: A question with code or a snippet.
        output: Everything the code printed.

    Returns:
        The whole output, one line of it, or its last non-blank line.

    Raises:
        AnswerError: The output has no such line (or nothing at all, for `last`).
    """
    if question.compare is Compare.OUTPUT:
        return output
    lines = output_lines(output)
    if question.compare is Compare.LAST:
        filled = [line for line in lines if line.strip()]
        if not filled:
            raise AnswerError("the code printed nothing, so it has no last value")
        return filled[-1]
    number = question.compare_line or 1
    if number > len(lines):
        count = f"{len(lines)} line{'' if len(lines) == 1 else 's'}"
        raise AnswerError(f"the code printed {count}, so it has no line {number}")
    return lines[number - 1]


def compare_words(question: Question) -> str:
    """What a question with code compares, in words: `line 2 of the output of snippet 's03'`.

    Args:
        question: A question with code or a snippet.

    Returns:
        The words, naming the snippet when the question reuses one.
    """
    whose = (
        f"snippet {question.snippet!r}" if question.snippet and not question.code else "its code"
    )
    if question.compare is Compare.LINE:
        return f"line {question.compare_line} of the output of {whose}"
    if question.compare is Compare.LAST:
        return f"the last value printed by {whose}"
    return f"the whole output of {whose}"


def declared_answer(question: Question) -> str | None:
    """The answer the mentor declared, written as the mentee would type it (None: none declared).

    Args:
        question: The question.

    Returns:
        `2213`, `0.3333`, the first accepted text, or the declared output (see
        `QuestionSpec.declared`).
    """
    return spec_for(question).declared(question)


def check_declared(question: Question, live: str) -> str | None:
    """What is wrong with the declared answer, given what the question's code printed.

    This is the one rule by which `study check --run` and the quiz's cross-check (`Truth.warning`)
    judge a declared answer, and it judges through the quiz's own grading (`grade`):

    - `CrossCheck.OUTPUT` (PREDICT): the declared output is the live output, line by line.
    - `CrossCheck.DECLARED` (NUMERIC): the declared answer, graded as if the mentee typed
      it, against the live output as the truth, must be right (so `Total: 2,213` agrees with
      2213, `1/3` with 0.3333 within 0.001).
    - `CrossCheck.PRINTED` (TEXT): the live output, graded as if the mentee typed it, against the
      declared answers only, must be right (they are its accepted spellings; the quiz accepts
      them and the output).

    Args:
        question: A question whose code computes its answer.
        live: What the code printed.

    Returns:
        None when they agree (or nothing is declared); else the disagreement in words. An output
        the quiz cannot read as an answer (a NUMERIC question's code printing no number) is a
        disagreement too, declared answer or not.
    """
    try:
        expected_words(question, truth=live)  # how the quiz reads the output as its answer
    except AnswerError as error:
        return str(error)
    declared = declared_answer(question)
    if declared is None:
        return None
    cross_check = spec_for(question).cross_check
    if cross_check is CrossCheck.NONE:
        return None
    if cross_check is CrossCheck.OUTPUT:
        if is_same_output(live, declared):
            return None
        diff = unified_diff(declared, live)
        return f"the declared output differs from the live output; the live output counts:\n{diff}"
    try:
        if cross_check is CrossCheck.PRINTED:
            outcome = grade(question, live)  # graded against the declared answers alone
        else:
            outcome = grade(question, declared, truth=live)
    except AnswerError as error:
        return f"the code prints nothing the quiz can grade ({error})"
    if outcome.is_correct:
        return None
    if outcome.diff:
        diff = unified_diff(declared, live)
        return f"the declared output differs from the live output; the live output counts:\n{diff}"
    if cross_check is CrossCheck.PRINTED:
        return (
            f"the code prints {live.strip()[:80]!r}, which is not among the accepted answers"
            f" {list(question.accepted)}; the quiz accepts both"
        )
    return (
        f"the code prints {expected_words(question, truth=live)} but the declared answer is"
        f" {expected_words(question)}; the live value counts"
    )


def unified_diff(expected: str, actual: str, *, limit: int = DIFF_LINES) -> str:
    """A unified diff of two outputs as compared (`output_lines`), cut after `limit` lines.

    Args:
        expected: The declared output.
        actual: The live output.
        limit: At most this many diff lines; a last line says how many more there were.

    Returns:
        The diff, headed `--- expected` / `+++ actual`.
    """
    lines = list(
        difflib.unified_diff(
            output_lines(expected), output_lines(actual), "expected", "actual", n=1, lineterm=""
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)


def run_source(source: Source, runner: Runner) -> RunResult:
    """Runs the code that computes an answer, with its snippet's seed and limits (blocking).

    Args:
        source: The code (see `question_source`).
        runner: The snippet runner.

    Returns:
        The run's result.
    """
    return runner.run(
        source.code,
        seed=source.seed,
        timeout=source.timeout,
        memory_mb=source.memory_mb,
        filename=source.filename,
    )


def compute_truth(question: Question, curriculum: Curriculum, runner: Runner | None) -> Truth:
    """Runs a question's code in a fresh namespace and returns what it printed.

    Args:
        question: A question with code or a snippet (see `needs_truth`).
        curriculum: For the question's snippet.
        runner: The snippet runner.

    Returns:
        The live output, with a warning when the declared answer disagrees. When the code fails
        and the mentor declared an answer, the declared answer stands in (with a warning).

    Raises:
        TruthError: If the question has no code, or its code failed and nothing was declared.
    """
    source = question_source(question, curriculum.snippets)
    if source is None:
        raise TruthError(f"question {question.id!r} has no code to compute its answer")
    if runner is None:
        raise TruthError(f"question {question.id!r} needs its code run, and there is no runner")
    result = run_source(source, runner)
    if result.status is RunStatus.OK:
        try:
            output = compared_output(question, result.stdout)
            expected_words(question, truth=output)  # an output the quiz can read
        except AnswerError as error:
            failure = str(error)
        else:
            return Truth(output, check_declared(question, output))
    else:
        failure = describe_failure(result)
    declared = declared_answer(question)
    if declared is None:
        raise TruthError(f"the code of {question.id!r} failed ({failure}); cannot check answers")
    return Truth(
        declared, f"the code failed ({failure}); the declared answer counts", is_live=False
    )


class TruthCache:
    """Computed answers for one session: each question's code runs once; threads may share it."""

    def __init__(self, curriculum: Curriculum, runner: Runner | None) -> None:
        """Creates an empty cache.

        Args:
            curriculum: For the questions' snippets.
            runner: The snippet runner.
        """
        self.curriculum = curriculum
        """The curriculum the questions come from."""
        self.runner = runner
        """The runner that computes the truths."""
        self._truths: dict[str, Truth] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, question: Question) -> Truth:
        """The question's truth, computing it on first use (blocking: call it from a worker).

        Args:
            question: A question with code (see `needs_truth`).

        Returns:
            The truth.

        Raises:
            TruthError: See `compute_truth` (failures are not cached: the next call retries).
        """
        with self._guard:
            if (truth := self._truths.get(question.id)) is not None:
                return truth
            lock = self._locks.setdefault(question.id, threading.Lock())
        with lock:
            if (truth := self._truths.get(question.id)) is None:
                truth = compute_truth(question, self.curriculum, self.runner)
                self._truths[question.id] = truth
        return truth

    def peek(self, question_id: str) -> Truth | None:
        """The truth if it was already computed, else None (never runs anything)."""
        return self._truths.get(question_id)

    @property
    def warnings(self) -> dict[str, str]:
        """The warnings of the truths computed so far, by question id."""
        return {qid: t.warning for qid, t in self._truths.items() if t.warning}


def truth_for(
    question: Question, curriculum: Curriculum, runner: Runner, *, cache: TruthCache | None = None
) -> str:
    """The live answer of a question: what its code or snippet prints in a fresh namespace.

    Args:
        question: A question with code or a snippet.
        curriculum: For the question's snippet.
        runner: The snippet runner.
        cache: Where to keep (and look up) the session's truths.

    Returns:
        The printed output (see `compute_truth` for the fallback to a declared answer).

    Raises:
        TruthError: If there is no code, or it failed and nothing was declared.
    """
    if cache is not None:
        return cache.get(question).output
    return compute_truth(question, curriculum, runner).output
