"""Provides computed answers: a question's code runs in the worker, and what it prints is the truth.

Where a snippet can compute an answer, the answer is computed, not typed in (DESIGN, "Quizzes").
A PREDICT question's truth is its code's live output; a NUMERIC or TEXT question with code takes
the printed value as its answer, and the value the mentor declared is only a cross-check: when
the two disagree, the live value wins and `Truth.warning` says so. Each question runs at most
once per `TruthCache` (one per app session).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from tracker.domain.curriculum import Curriculum, Question, QuestionType, Snippet
from tracker.errors import TrackerError
from tracker.quiz.grading import AnswerError, describe_failure, grade, output_lines
from tracker.runner.result import RunResult, RunStatus

__all__ = [
    "Runner",
    "Truth",
    "TruthCache",
    "TruthError",
    "compute_truth",
    "needs_truth",
    "question_source",
    "truth_for",
]


class Runner(Protocol):
    """What the quiz needs of `tracker.runner.runner.SnippetRunner` (or a test's `FakeRunner`)."""

    def run(
        self,
        code: str,
        *,
        seed: int | None = None,
        timeout: float | None = None,
        memory_mb: int | None = None,
        filename: str = "<snippet>",
    ) -> RunResult: ...


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
        question: A PREDICT, NUMERIC or TEXT question.
        snippets: The curriculum's snippets by id.

    Returns:
        The code and its snippet's seed and timeout, or None when the question has none.
    """
    if question.type is QuestionType.CODE:
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
        True for a PREDICT, NUMERIC or TEXT question with code to run.
    """
    if question.type not in (QuestionType.PREDICT, QuestionType.NUMERIC, QuestionType.TEXT):
        return False
    return question_source(question, snippets) is not None


def _declared(question: Question) -> str | None:
    if question.type is QuestionType.NUMERIC and question.number is not None:
        number = question.number
        return str(int(number)) if float(number).is_integer() else repr(number)
    if question.type in (QuestionType.PREDICT, QuestionType.TEXT) and question.accepted:
        return question.accepted[0]
    return None


def _cross_check(question: Question, live: str) -> str | None:
    declared = _declared(question)
    if declared is None:
        return None
    if question.type is QuestionType.PREDICT:
        if output_lines(declared) != output_lines(live):
            shown = " / ".join(output_lines(live)) or "(nothing)"
            return f"the declared output {declared!r} differs from the live output {shown!r}; the live output counts"
        return None
    try:
        agrees = grade(question, declared, truth=live).is_correct
    except (AnswerError, ValueError):
        agrees = False
    if not agrees:
        shown = " / ".join(output_lines(live)) or "(nothing)"
        return f"the declared answer {declared!r} differs from the live value {shown!r}; the live value counts"
    return None


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
    result = runner.run(
        source.code,
        seed=source.seed,
        timeout=source.timeout,
        memory_mb=source.memory_mb,
        filename=source.filename,
    )
    if result.status is RunStatus.OK:
        return Truth(result.stdout, _cross_check(question, result.stdout))
    failure = describe_failure(result)
    declared = _declared(question)
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
