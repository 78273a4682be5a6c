"""Provides automatic grading of quiz answers: choices, numbers, short text and predicted output.

Grading is pure: it takes a question, the mentee's answer and (for questions whose answer a
snippet computes) the live truth, and returns an `Outcome`. Running code is `truth.py`'s job and
`code_check.py`'s; this module only compares.

An answer that cannot be read at all (an empty one, "7" for a four-choice question, "2213x" for a
number) raises `AnswerError` instead of counting as wrong: the mentee is asked again, and nothing
is recorded.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.domain.answers import normalise_text
from tracker.domain.curriculum import Question, QuestionType
from tracker.runner.result import RunResult, RunStatus

if TYPE_CHECKING:
    from tracker.quiz.truth import Runner

__all__ = [
    "AnswerError",
    "Outcome",
    "choice_label",
    "code_program",
    "describe_failure",
    "expected_words",
    "grade",
    "grade_code",
    "grade_run",
    "is_same_output",
    "normalise_text",
    "output_diff",
    "output_lines",
    "parse_choices",
    "parse_number",
]

LETTERS = "abcdefghijklmnopqrstuvwxyz"


class AnswerError(ValueError):
    """The answer cannot be read as an answer to this question (it is not graded)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of grading one answer."""

    is_correct: bool
    expected: str
    """The right answer in words: `b) t.T.view(4)`, `2213`, `sigmoid`, or the expected output."""
    feedback: str
    """One or two sentences for the mentee: what was right or what was wrong."""
    diff: tuple[str, ...] = ()
    """PREDICT: a line diff (`difflib.ndiff`) of the expected output against the answer."""
    given: str | None = None
    """The answer as graded (None when the mentee revealed the answer without answering)."""


# --- choices ----------------------------------------------------------------------------------


def choice_label(index: int) -> str:
    """The letter of a 0-based choice index: 0 -> "a"."""
    return LETTERS[index]


def _choice_words(question: Question, indices: Sequence[int], lang: str) -> str:
    return "; ".join(
        f"{choice_label(i)}) {question.choices[i].text.get(lang)}" for i in sorted(indices)
    )


def _parse_label(token: str, count: int) -> list[int]:
    """Reads one token as choice indices: `2`, `b`, `(b)`, `b)`, or `ac` (letters run together)."""
    token = token.strip("()[]{}.:").casefold()
    if not token:
        return []
    if token.isdigit():
        number = int(token)
        if 1 <= number <= count:
            return [number - 1]
        raise AnswerError(
            f"there is no choice {number}: answer 1-{count} or a-{LETTERS[count - 1]}"
        )
    if token.isascii() and token.isalpha():
        indices = [LETTERS.index(letter) for letter in token]
        if all(i < count for i in indices):
            return indices
        raise AnswerError(
            f"there is no choice {token!r}: answer 1-{count} or a-{LETTERS[count - 1]}"
        )
    raise AnswerError(f"{token!r} is not a choice: answer 1-{count} or a-{LETTERS[count - 1]}")


def parse_choices(question: Question, answer: str) -> frozenset[int]:
    """Reads an answer to a choice question as 0-based choice indices.

    Accepts 1-based numbers or letters, separated by commas, spaces or semicolons (`1, 3`,
    `a c`, `ac`, `(b)`), or the text of one choice.

    Args:
        question: A single or multiple choice question.
        answer: What the mentee typed.

    Returns:
        The chosen indices.

    Raises:
        AnswerError: If the answer names no choice, a choice that does not exist, or (for a
            single choice question) more than one.
    """
    count = len(question.choices)
    if not answer.strip():
        raise AnswerError(f"choose an answer: 1-{count} or a-{LETTERS[max(count, 1) - 1]}")
    wanted = normalise_text(answer)
    by_text = [
        i
        for i, choice in enumerate(question.choices)
        if wanted in {normalise_text(choice.text.en or ""), normalise_text(choice.text.hy or "")}
    ]
    if by_text:
        return frozenset(by_text[:1])
    tokens = [t for t in re.split(r"[\s,;/]+", answer.strip().strip("[]")) if t]
    chosen: set[int] = set()
    for token in tokens:
        chosen.update(_parse_label(token, count))
    if not chosen:
        raise AnswerError(f"choose an answer: 1-{count} or a-{LETTERS[count - 1]}")
    if question.type is QuestionType.SINGLE and len(chosen) > 1:
        raise AnswerError("choose one answer only")
    return frozenset(chosen)


def _grade_choices(question: Question, answer: str, lang: str) -> Outcome:
    chosen = parse_choices(question, answer)
    right = frozenset(i for i, c in enumerate(question.choices) if c.is_correct)
    expected = _choice_words(question, sorted(right), lang)
    if chosen == right:
        return Outcome(True, expected, "Correct.", given=answer)
    if question.type is QuestionType.SINGLE:
        feedback = f"Not {_choice_words(question, sorted(chosen), lang)}; the answer is {expected}."
    else:
        missing = sorted(right - chosen)
        extra = sorted(chosen - right)
        parts = []
        if missing:
            parts.append("missed " + ", ".join(choice_label(i) for i in missing))
        if extra:
            parts.append("also chose " + ", ".join(choice_label(i) for i in extra))
        feedback = f"You {' and '.join(parts)}. The answer is {expected}."
    return Outcome(False, expected, feedback, given=answer)


# --- numbers ----------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:e[+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+(?:\.\d+)?)/([+-]?\d+(?:\.\d+)?)")
_NUMBER_TOKEN = re.compile(
    r"[+-]?(?:\d[\d,_]*(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf|nan)", re.IGNORECASE
)


def parse_number(text: str) -> float:
    """Reads a number the way people type one.

    Accepts `2213`, `2,213` and `2 213` (thousands), `2213.0`, `0,5` (a decimal comma),
    `1e3`, `-3`, `−3` (a Unicode minus), `1/3`, `≈ 2.197`, `inf` and `nan`.

    Args:
        text: The text.

    Returns:
        The number.

    Raises:
        AnswerError: If the text is not a number.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().casefold()
    cleaned = cleaned.replace("\u2212", "-").lstrip("≈~=").strip()
    cleaned = re.sub(r"(?<=\d)[ _](?=\d)", "", cleaned)
    if fraction := _FRACTION.fullmatch(cleaned.replace(" ", "")):
        numerator, denominator = float(fraction[1]), float(fraction[2])
        if denominator == 0:
            raise AnswerError(f"{text.strip()!r} divides by zero")
        return numerator / denominator
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise AnswerError(f"{text.strip()!r} is not a number (e.g. 2213, 0.75, 1e3, 1/3)") from None


def _number_from_output(output: str) -> float:
    """The number a snippet printed: the whole output, else its last number-like token."""
    try:
        return parse_number(output)
    except AnswerError:
        pass
    tokens = _NUMBER_TOKEN.findall(output)
    for token in reversed(tokens):
        try:
            return parse_number(token)
        except AnswerError:
            continue
    raise AnswerError(f"the code printed no number: {output.strip()[:80]!r}")


def _format_number(value: float) -> str:
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def _decimals(text: str) -> int:
    match = re.search(r"[.,](\d+)\s*$", text.strip())
    return len(match[1]) if match else 0


def _is_close(given: float, truth: float, tolerance: float, given_text: str) -> bool:
    if math.isnan(truth) or math.isnan(given):
        return math.isnan(truth) and math.isnan(given)
    if math.isinf(truth) or math.isinf(given):
        return given == truth
    slack = 1e-9 * max(1.0, abs(truth))
    if abs(given - truth) <= tolerance + slack:
        return True
    # An exact-looking tolerance on a non-integral truth: accept the truth rounded to the
    # decimals the mentee typed (at least two), so 2.1972 matches 2.1972245773.
    decimals = _decimals(given_text)
    if tolerance == 0 and not truth.is_integer() and decimals >= 2:
        return abs(round(truth, decimals) - given) <= slack
    return False


def _grade_number(question: Question, answer: str, truth: str | None) -> Outcome:
    if not answer.strip():
        raise AnswerError("type a number (e.g. 2213, 0.75, 1e3, 1/3)")
    given = parse_number(answer)
    if truth is not None:
        expected_value = _number_from_output(truth)
    elif question.number is not None:
        expected_value = float(question.number)
    else:
        raise ValueError(f"question {question.id!r} has neither an answer nor code to compute one")
    expected = _format_number(expected_value)
    if question.tolerance:
        expected += f" (± {_format_number(question.tolerance)})"
    if _is_close(given, expected_value, question.tolerance, answer):
        return Outcome(True, expected, "Correct.", given=answer)
    return Outcome(
        False, expected, f"The answer is {expected}; you gave {answer.strip()}.", given=answer
    )


# --- short text -------------------------------------------------------------------------------


def _grade_text(question: Question, answer: str, truth: str | None) -> Outcome:
    given = normalise_text(answer)
    if not given:
        raise AnswerError("type an answer")
    accepted = list(question.accepted)
    if truth is not None and truth.strip():
        accepted.insert(0, truth.strip())
    if not accepted:
        raise ValueError(f"question {question.id!r} has no accepted answers")
    expected = accepted[0]
    if given in {normalise_text(a) for a in accepted}:
        return Outcome(True, expected, "Correct.", given=answer)
    others = f" (also accepted: {', '.join(accepted[1:])})" if len(accepted) > 1 else ""
    return Outcome(False, expected, f"The answer is {expected}{others}.", given=answer)


# --- predicted output -------------------------------------------------------------------------


def output_lines(text: str) -> list[str]:
    """Splits output into lines for comparison: trailing spaces and blank lines at the ends go.

    Args:
        text: Printed output or a typed prediction.

    Returns:
        The lines, each without trailing whitespace.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def is_same_output(expected: str, given: str) -> bool:
    """Whether two outputs are the same, as a PREDICT question and `study check --run` compare them.

    Args:
        expected: The true output.
        given: A prediction, or a declared output.

    Returns:
        Whether their `output_lines` are equal.
    """
    return output_lines(expected) == output_lines(given)


def output_diff(expected: str, given: str) -> tuple[str, ...]:
    """A line diff of expected output against a prediction (`- ` expected, `+ ` given).

    Args:
        expected: The true output.
        given: The mentee's prediction.

    Returns:
        The `difflib.ndiff` lines, hints (`? `) included.
    """
    return tuple(
        line.rstrip("\n") for line in difflib.ndiff(output_lines(expected), output_lines(given))
    )


def _grade_predict(question: Question, answer: str, truth: str | None) -> Outcome:
    if truth is None:
        if not question.accepted:
            raise ValueError(f"question {question.id!r} needs its code's live output as truth")
        truth = question.accepted[0]
    if not answer.strip():
        raise AnswerError("type what the code prints")
    expected_lines = output_lines(truth)
    given_lines = output_lines(answer)
    expected = "\n".join(expected_lines)
    if is_same_output(truth, answer):
        return Outcome(True, expected, "Correct.", given=answer)
    for number, (want, got) in enumerate(zip(expected_lines, given_lines, strict=False), 1):
        if want != got:
            feedback = f"Line {number} differs (the diff shows how)."
            break
    else:
        if len(expected_lines) > len(given_lines):
            feedback = f"It prints {len(expected_lines)} lines; you wrote {len(given_lines)}."
        else:
            feedback = f"It prints only {len(expected_lines)} lines; you wrote {len(given_lines)}."
    return Outcome(False, expected, feedback, diff=output_diff(truth, answer), given=answer)


# --- entry point ------------------------------------------------------------------------------


def grade(
    question: Question, answer: str, *, truth: str | None = None, lang: str = "en"
) -> Outcome:
    """Grades an answer to a question (every type but CODE, which `grade_code` runs).

    Args:
        question: The question.
        answer: What the mentee typed.
        truth: The live output of the question's code or snippet, where it has one: the truth
            of a PREDICT question, and the answer of a NUMERIC or TEXT question with code.
        lang: The language of the words in the outcome ("en" or "hy").

    Returns:
        The outcome.

    Raises:
        AnswerError: If the answer cannot be read (it is not graded).
        ValueError: If the question is a CODE question, or has no way to know its answer.
    """
    match question.type:
        case QuestionType.SINGLE | QuestionType.MULTIPLE:
            return _grade_choices(question, answer, lang)
        case QuestionType.NUMERIC:
            return _grade_number(question, answer, truth)
        case QuestionType.TEXT:
            return _grade_text(question, answer, truth)
        case QuestionType.PREDICT:
            return _grade_predict(question, answer, truth)
        case QuestionType.CODE:
            raise ValueError(f"question {question.id!r} is a code question: use grade_code")
    raise ValueError(f"unknown question type {question.type!r}")  # pragma: no cover


def expected_words(question: Question, *, truth: str | None = None, lang: str = "en") -> str:
    """The right answer in words, without grading anything (for "reveal").

    Args:
        question: The question.
        truth: The live output of its code, where it has one.
        lang: "en" or "hy".

    Returns:
        The answer as `grade` would show it in `Outcome.expected`.
    """
    match question.type:
        case QuestionType.SINGLE | QuestionType.MULTIPLE:
            right = [i for i, c in enumerate(question.choices) if c.is_correct]
            return _choice_words(question, right, lang)
        case QuestionType.NUMERIC:
            if truth is not None:
                value = _number_from_output(truth)
            elif question.number is not None:
                value = float(question.number)
            else:
                return ""
            suffix = f" (± {_format_number(question.tolerance)})" if question.tolerance else ""
            return _format_number(value) + suffix
        case QuestionType.TEXT:
            if truth is not None and truth.strip():
                return truth.strip()
            return question.accepted[0] if question.accepted else ""
        case QuestionType.PREDICT:
            source = (
                truth if truth is not None else (question.accepted[0] if question.accepted else "")
            )
            return "\n".join(output_lines(source))
        case QuestionType.CODE:
            return "code that passes the checks"
    return ""  # pragma: no cover


# --- code -------------------------------------------------------------------------------------


def describe_failure(result: RunResult) -> str:
    """A failed run in a few words: `AssertionError: shape mismatch`, `the run timed out ...`.

    Args:
        result: The run's result.

    Returns:
        The last line of the error for an exception, else the runner's message.
    """
    if result.status is RunStatus.ERROR and result.error:
        lines = [line for line in result.error.strip().splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()
    return result.message or str(result.status)


def code_program(question: Question, code: str) -> str:
    """The program that checks the mentee's code: their code, then the mentor's checks.

    Args:
        question: The CODE question (its `checks`).
        code: The mentee's code.

    Returns:
        The source to run in the snippet worker.
    """
    return f"{code.rstrip()}\n\n# --- the checks ---\n{question.checks or ''}"


def grade_run(question: Question, code: str, result: RunResult) -> Outcome:
    """Grades a code question from the run of `code_program(question, code)` (pure).

    Args:
        question: The CODE question.
        code: The mentee's code.
        result: The run's result.

    Returns:
        Correct when the program ran to the end; wrong with the assertion's message when a check
        failed, with the error when the code raised, with words when the run timed out or died.
    """
    expected = "code that passes the checks"
    if result.status is RunStatus.OK:
        return Outcome(True, expected, "Correct: every check passed.", given=code)
    failure = describe_failure(result)
    match result.status:
        case RunStatus.ERROR if failure.startswith("AssertionError"):
            message = failure.partition(":")[2].strip()
            feedback = f"A check failed: {message}" if message else "A check failed."
        case RunStatus.ERROR:
            feedback = f"Your code raised {failure}"
        case RunStatus.TIMEOUT:
            feedback = f"It did not finish in time ({result.message or 'timed out'}): look for a loop that never ends."
        case _:
            feedback = f"The run was stopped: {failure}"
    return Outcome(False, expected, feedback, given=code)


def grade_code(question: Question, code: str, runner: Runner) -> Outcome:
    """Runs the mentee's code and then the mentor's checks in one fresh namespace in the worker.

    Blocking: call it from a worker thread.

    Args:
        question: A CODE question.
        code: The mentee's code.
        runner: The snippet runner.

    Returns:
        The outcome (see `grade_run`).

    Raises:
        AnswerError: If the code is empty.
        ValueError: If the question is not a CODE question.
    """
    if question.type is not QuestionType.CODE:
        raise ValueError(f"question {question.id!r} is not a code question")
    if not code.strip():
        raise AnswerError("write some code first")
    program = code_program(question, code)
    return grade_run(question, code, runner.run(program, filename=f"<quiz {question.id}>"))
