"""Provides the question types' specs and automatic grading: choices, numbers, text, output, code.

Each question type has one `QuestionSpec` in `QUESTION_SPECS` (how it is graded, its right answer
in words, its declared answer, the words and answer box the card shows); its YAML form is in
`tracker.domain.question_type`. A new type is a spec here and a form there.

Grading is pure: it takes a question, the mentee's answer and (for questions whose answer a
snippet computes) the live truth, and returns an `Outcome`. Running code is `truth.py`'s job (and
`grade_code`'s, which runs the mentee's code with the mentor's checks); the rest only compares.

An answer that cannot be read at all (an empty one, "7" for a four-choice question, "2213x" for a
number) raises `AnswerError` instead of counting as wrong: the mentee is asked again, and nothing
is recorded.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from tracker.domain.answers import normalise_text
from tracker.domain.curriculum import Choice, Lang, Question
from tracker.domain.question_type import (
    AnswerForm,
    CodeRole,
    QuestionForm,
    QuestionType,
    form_of,
)
from tracker.runner.result import RunResult, RunStatus

if TYPE_CHECKING:
    from tracker.runner.runner import Runner

__all__ = [
    "QUESTION_SPECS",
    "AnswerBox",
    "AnswerError",
    "CrossCheck",
    "Outcome",
    "QuestionSpec",
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
    "spec_for",
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
    """PREDICT: a line diff of the expected output against the answer (see `output_diff`)."""
    given: str | None = None
    """The answer as graded (None when the mentee revealed the answer without answering)."""


# --- choices ----------------------------------------------------------------------------------


def choice_label(index: int) -> str:
    """The letter of a 0-based choice index: 0 -> "a"."""
    return LETTERS[index]


def _choice_words(question: Question, indices: Sequence[int], lang: Lang) -> str:
    return "; ".join(
        f"{choice_label(i)}) {question.choices[i].text.get(lang)}" for i in sorted(indices)
    )


def _is_single(question: Question) -> bool:
    return form_of(question.type).answer is AnswerForm.CHOICE


def _parse_label(token: str, count: int) -> list[int]:
    """Reads one token as choice indices: `2`, `b`, `(b)`, `b)`, or `ac` (letters run together)."""
    token = token.strip("()[]{}.:").casefold()
    if not token:
        return []
    if token.isascii() and token.isdigit():
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
    if _is_single(question) and len(chosen) > 1:
        raise AnswerError("choose one answer only")
    return frozenset(chosen)


def _grade_choices(question: Question, answer: str, truth: str | None, lang: Lang) -> Outcome:
    chosen = parse_choices(question, answer)
    right = frozenset(i for i, c in enumerate(question.choices) if c.is_correct)
    expected = _choice_words(question, sorted(right), lang)
    if chosen == right:
        return Outcome(True, expected, "Correct.", given=answer)
    if _is_single(question):
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
        raise AnswerError(f"{text.strip()!r} is not a number") from None


NUMBER_FORMS: tuple[tuple[str, ...], ...] = (
    ("42", "7", "365"),
    ("0.75", "0.5", "3.25"),
    ("1e3", "2e-4", "5e6"),
    ("1/3", "2/7", "5/8"),
)
"""The ways to type a number that a hint shows, one example of each form; each form has spares,
for the question whose answer is the first (a hint never shows an accepted answer). Not 2213:
the bundled curriculum's best-known answer would read as a hint to the questions after it."""


def number_examples(question: Question) -> tuple[str, ...]:
    """One example of each form of number, none of them an answer `question` accepts.

    Args:
        question: A NUMERIC question (its declared `answer` and `tolerance` decide what it
            accepts; a question with only code has no answer known before it runs).

    Returns:
        The examples, e.g. `("42", "0.75", "1e3", "1/3")`.
    """
    truth = None if question.number is None else float(question.number)

    def is_accepted(example: str) -> bool:
        return truth is not None and _is_close(
            parse_number(example), truth, question.tolerance, example
        )

    return tuple(next((e for e in form if not is_accepted(e)), form[-1]) for form in NUMBER_FORMS)


def _number_hint(question: Question) -> str:
    return ", ".join(number_examples(question))


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


def _grade_number(question: Question, answer: str, truth: str | None, lang: Lang) -> Outcome:
    if not answer.strip():
        raise AnswerError(f"type a number (e.g. {_number_hint(question)})")
    try:
        given = parse_number(answer)
    except AnswerError as error:
        raise AnswerError(f"{error} (e.g. {_number_hint(question)})") from None
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


def _grade_text(question: Question, answer: str, truth: str | None, lang: Lang) -> Outcome:
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
        The `difflib.ndiff` lines that name a line: `  ` the same, `- ` only printed, `+ ` only
        written (ndiff's `? ` lines, which mark columns with `^`, `-` and `+`, are left out: they
        read as noise beside the two lines they mark).
    """
    return tuple(
        line.rstrip("\n")
        for line in difflib.ndiff(output_lines(expected), output_lines(given))
        if not line.startswith("? ")
    )


def _unspaced(lines: Sequence[str]) -> list[str]:
    """`lines` without any whitespace: what is left of an output once spacing is not counted."""
    return ["".join(line.split()) for line in lines]


def _grade_predict(question: Question, answer: str, truth: str | None, lang: Lang) -> Outcome:
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
    if _unspaced(expected_lines) == _unspaced(given_lines):
        # `torch.Size([3,1])` for `torch.Size([3, 1])`: the prediction is right; its spacing is
        # a typing matter, not what the question asks about. The output is shown as it prints.
        feedback = f"Correct, apart from spacing; it prints:\n{expected}"
        return Outcome(True, expected, feedback, given=answer)
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


# --- expected answers in words ----------------------------------------------------------------


def _expected_choices(question: Question, truth: str | None, lang: Lang) -> str:
    right = [i for i, c in enumerate(question.choices) if c.is_correct]
    return _choice_words(question, right, lang)


def _expected_number(question: Question, truth: str | None, lang: Lang) -> str:
    if truth is not None:
        value = _number_from_output(truth)
    elif question.number is not None:
        value = float(question.number)
    else:
        return ""
    suffix = f" (± {_format_number(question.tolerance)})" if question.tolerance else ""
    return _format_number(value) + suffix


def _expected_text(question: Question, truth: str | None, lang: Lang) -> str:
    if truth is not None and truth.strip():
        return truth.strip()
    return question.accepted[0] if question.accepted else ""


def _expected_output(question: Question, truth: str | None, lang: Lang) -> str:
    source = truth if truth is not None else (question.accepted[0] if question.accepted else "")
    return "\n".join(output_lines(source))


CODE_EXPECTED = "code that passes the checks"
"""A CODE question's right answer in words."""


def _expected_code(question: Question, truth: str | None, lang: Lang) -> str:
    return CODE_EXPECTED


# --- declared answers -------------------------------------------------------------------------


def _no_declared(question: Question) -> str | None:
    return None


def _declared_number(question: Question) -> str | None:
    if question.number is None:
        return None
    number = question.number
    return str(int(number)) if float(number).is_integer() else repr(number)


def _declared_accepted(question: Question) -> str | None:
    return question.accepted[0] if question.accepted else None


# --- the question types -----------------------------------------------------------------------


class AnswerBox(StrEnum):
    """Where the mentee types an answer."""

    LINE = "line"
    """One line; enter checks it."""
    LINES = "lines"
    """Several lines (an output); enter checks, ctrl+j starts a new line."""
    CODE = "code"
    """A code editor with the starter code; ctrl+s runs the checks."""


class CrossCheck(StrEnum):
    """How a declared answer is judged against what the question's code prints."""

    NONE = "none"
    """The type's answer is never computed."""
    DECLARED = "declared"
    """The declared answer is graded as if typed, against the printed output as the truth."""
    PRINTED = "printed"
    """The printed answer is graded as if typed, against the declared answers (its spellings)."""
    OUTPUT = "output"
    """The declared output is the printed one, line by line (`is_same_output`): the quiz forgives
    a mentee's prediction its spacing, not the mentor's copy of the output."""


Grader = Callable[[Question, str, str | None, Lang], Outcome]
"""Grades `(question, answer, truth, lang)`: the truth is the live output, where there is one."""

Expected = Callable[[Question, str | None, Lang], str]
"""The right answer of `(question, truth, lang)` in words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionSpec:
    """Everything the quiz and the UI know of one question type (its YAML form is `form`).

    `grade` and `expected_words` dispatch through these specs; the question card takes its words,
    its placeholder and its answer box from them; `study check --run` judges declared answers by
    `declared` and `cross_check`. tests/unit/test_question_types.py checks every type has one.
    """

    type: QuestionType
    """The type it describes."""
    words: str
    """How the card's header introduces the question ("one answer", "predict the output")."""
    placeholder: Callable[[Question], str]
    """What the empty one-line answer box says (`AnswerBox.LINE` types)."""
    box: AnswerBox
    """Where the answer is typed."""
    grade: Grader
    """Grades a typed answer (raises `AnswerError` when it cannot be read)."""
    expected: Expected
    """The right answer in words, as `Outcome.expected` shows it."""
    declared: Callable[[Question], str | None]
    """The mentor's declared answer, written as the mentee would type it (None: none)."""
    cross_check: CrossCheck
    """How `declared` is judged against the code's output (`NONE` when nothing is computed)."""
    chosen: Callable[[Question, str], frozenset[int]]
    """The choices an answer picks while it is typed (empty for types without choices)."""
    shown_choices: Callable[[Question], tuple[Choice, ...]]
    """The choices in the order the card shows (and letters) them; `chosen` counts in it."""

    @property
    def form(self) -> QuestionForm:
        """The type's YAML form (keys, how `answer` is read, what `code` is)."""
        return form_of(self.type)

    @property
    def runs_answer(self) -> bool:
        """Whether the answer is code that the mentor's checks run against (`grade_code`)."""
        return self.form.code is CodeRole.STARTER


def _run_instead(question: Question, answer: str, truth: str | None, lang: Lang) -> Outcome:
    raise ValueError(f"question {question.id!r} is a code question: use grade_code")


def _chosen(question: Question, text: str) -> frozenset[int]:
    if not text.strip():
        return frozenset()
    try:
        return parse_choices(question, text)
    except AnswerError:
        return frozenset()


def _none_chosen(question: Question, text: str) -> frozenset[int]:
    return frozenset()


def _as_written(question: Question) -> tuple[Choice, ...]:
    return question.choices


def _placeholder(words: str) -> Callable[[Question], str]:
    return lambda question: words


def _one_choice_placeholder(question: Question) -> str:
    count = len(question.choices)
    return f"1-{count} or a-{choice_label(count - 1)}, then enter"


def choices_example(question: Question) -> tuple[str, str]:
    """An example answer to a MULTIPLE question, as numbers and as letters (`"1 3"`, `"ac"`):
    two choices that are not the right set (a hint never shows the answer).

    Args:
        question: The question.

    Returns:
        The same choices written both ways.
    """
    count = len(question.choices)
    right = frozenset(i for i, c in enumerate(question.choices) if c.is_correct)
    pairs: list[tuple[int, ...]] = [(i, j) for i in range(count) for j in range(i + 1, count)]
    pair = next((p for p in pairs if frozenset(p) != right), (0,))
    return " ".join(str(i + 1) for i in pair), "".join(choice_label(i) for i in pair)


def _choices_placeholder(question: Question) -> str:
    numbers, letters = choices_example(question)
    return f"every right one, e.g. {numbers} or {letters}, then enter (1-{len(question.choices)})"


_TYPED = "your answer, then enter"

QUESTION_SPECS: MappingProxyType[QuestionType, QuestionSpec] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            QuestionSpec(
                type=QuestionType.SINGLE,
                words="one answer",
                placeholder=_one_choice_placeholder,
                box=AnswerBox.LINE,
                grade=_grade_choices,
                expected=_expected_choices,
                declared=_no_declared,
                cross_check=CrossCheck.NONE,
                chosen=_chosen,
                shown_choices=_as_written,
            ),
            QuestionSpec(
                type=QuestionType.MULTIPLE,
                words="all that apply",
                placeholder=_choices_placeholder,
                box=AnswerBox.LINE,
                grade=_grade_choices,
                expected=_expected_choices,
                declared=_no_declared,
                cross_check=CrossCheck.NONE,
                chosen=_chosen,
                shown_choices=_as_written,
            ),
            QuestionSpec(
                type=QuestionType.NUMERIC,
                words="a number",
                placeholder=lambda question: f"a number ({_number_hint(question)}), then enter",
                box=AnswerBox.LINE,
                grade=_grade_number,
                expected=_expected_number,
                declared=_declared_number,
                cross_check=CrossCheck.DECLARED,
                chosen=_none_chosen,
                shown_choices=_as_written,
            ),
            QuestionSpec(
                type=QuestionType.TEXT,
                words="a word or two",
                placeholder=_placeholder(_TYPED),
                box=AnswerBox.LINE,
                grade=_grade_text,
                expected=_expected_text,
                declared=_declared_accepted,
                cross_check=CrossCheck.PRINTED,
                chosen=_none_chosen,
                shown_choices=_as_written,
            ),
            QuestionSpec(
                type=QuestionType.PREDICT,
                words="predict the output",
                placeholder=_placeholder(_TYPED),
                box=AnswerBox.LINES,
                grade=_grade_predict,
                expected=_expected_output,
                declared=_declared_accepted,
                cross_check=CrossCheck.OUTPUT,
                chosen=_none_chosen,
                shown_choices=_as_written,
            ),
            QuestionSpec(
                type=QuestionType.CODE,
                words="write code",
                placeholder=_placeholder(_TYPED),
                box=AnswerBox.CODE,
                grade=_run_instead,
                expected=_expected_code,
                declared=_no_declared,
                cross_check=CrossCheck.NONE,
                chosen=_none_chosen,
                shown_choices=_as_written,
            ),
        )
    }
)
"""Every question type's spec."""


def spec_for(question: Question) -> QuestionSpec:
    """The spec of a question's type.

    Args:
        question: The question.

    Returns:
        Its type's spec.
    """
    return QUESTION_SPECS[question.type]


# --- entry points -----------------------------------------------------------------------------


def grade(
    question: Question, answer: str, *, truth: str | None = None, lang: Lang = "en"
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
    return spec_for(question).grade(question, answer, truth, lang)


def expected_words(question: Question, *, truth: str | None = None, lang: Lang = "en") -> str:
    """The right answer in words, without grading anything (for "reveal").

    Args:
        question: The question.
        truth: The live output of its code, where it has one.
        lang: "en" or "hy".

    Returns:
        The answer as `grade` would show it in `Outcome.expected`.

    Raises:
        AnswerError: If `truth` cannot be read as the answer (no number in it).
    """
    return spec_for(question).expected(question, truth, lang)


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
    expected = CODE_EXPECTED
    if result.status is RunStatus.OK:
        return Outcome(True, expected, "Correct: every check passed.", given=code)
    failure = describe_failure(result)
    match result.status:
        case RunStatus.ERROR if result.message.startswith("the code left the process"):
            feedback = f"Your code must not end the program: {result.message}."
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
    """Runs the mentee's code, then the mentor's checks, in a fresh process in the worker.

    The checks see the code's namespace but pristine builtins, and the answer is right only if
    they run to their end: code that leaves the process (`SystemExit`, `os._exit`, closing the
    worker's descriptors) is wrong, with words saying so.

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
    if not spec_for(question).runs_answer:
        raise ValueError(f"question {question.id!r} is not a code question")
    if not code.strip():
        raise AnswerError("write some code first")
    result = runner.run(code, checks=question.checks or "", filename=f"<quiz {question.id}>")
    return grade_run(question, code, result)
