"""Tests automatic grading (tracker.quiz.grading): choices, numbers, Armenian text, output diffs."""

from __future__ import annotations

import pytest

from tracker.domain.curriculum import Choice, Location, Question, QuestionType, Text
from tracker.quiz.grading import (
    AnswerError,
    expected_words,
    grade,
    normalise_text,
    output_diff,
    parse_choices,
    parse_number,
)
from tracker.quiz.truth import check_declared

HERE = Location("quizzes/test.yaml", 1, 1)


def question(type_: QuestionType, **fields: object) -> Question:
    return Question(id="q", topic="t", type=type_, prompt=Text("?"), location=HERE, **fields)  # type: ignore[arg-type]


def choices(*texts: str, right: tuple[int, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(Text(t), i + 1 in right) for i, t in enumerate(texts))


VIEW = question(
    QuestionType.SINGLE,
    choices=choices(
        "t.T.reshape(4)", "t.T.view(4)", "t.T.contiguous().view(4)", "t[:, 1].view(2)", right=(2,)
    ),
)
MULTI = question(
    QuestionType.MULTIPLE, choices=choices("one", "two", "three", "four", right=(1, 3))
)


# --- choices ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["2", "b", "B", "(b)", "b)", " 2 ", "t.T.view(4)", "T.T.VIEW(4)"]
)
def test_single_choice_accepts_numbers_letters_and_the_choice_text(answer: str) -> None:
    outcome = grade(VIEW, answer)
    assert outcome.is_correct
    assert outcome.expected == "b) t.T.view(4)"


@pytest.mark.parametrize("answer", ["1", "a", "c", "4"])
def test_single_choice_wrong_names_the_right_one(answer: str) -> None:
    outcome = grade(VIEW, answer)
    assert not outcome.is_correct
    assert "the answer is b) t.T.view(4)" in outcome.feedback


@pytest.mark.parametrize("answer", ["", "5", "e", "1, 2", "xyz", "2213"])
def test_unreadable_choice_answers_are_not_graded(answer: str) -> None:
    with pytest.raises(AnswerError):
        grade(VIEW, answer)


@pytest.mark.parametrize("answer", ["1,3", "1 3", "3, 1", "a c", "ac", "[1, 3]", "a;c", "C A"])
def test_multiple_choice_needs_the_exact_set(answer: str) -> None:
    assert parse_choices(MULTI, answer) == {0, 2}
    assert grade(MULTI, answer).is_correct


@pytest.mark.parametrize(
    ("answer", "words"), [("1", "missed c"), ("1,2,3", "also chose b"), ("2,4", "missed a, c")]
)
def test_multiple_choice_subsets_and_supersets_are_wrong(answer: str, words: str) -> None:
    outcome = grade(MULTI, answer)
    assert not outcome.is_correct
    assert words in outcome.feedback
    assert outcome.expected == "a) one; c) three"


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2213", 2213.0),
        ("2,213", 2213.0),
        ("2 213", 2213.0),
        ("2_213", 2213.0),
        ("2213.0", 2213.0),
        ("1e3", 1000.0),
        ("1E3", 1000.0),
        ("0,75", 0.75),
        ("-3", -3.0),
        ("\u22123", -3.0),
        ("1/4", 0.25),
        ("≈ 2.1972", 2.1972),
        ("1,234,567.5", 1234567.5),
        ("inf", float("inf")),
    ],
)
def test_numbers_are_read_as_people_type_them(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "2213x", "1/0", "1,2,3", "twelve"])
def test_non_numbers_are_not_graded(text: str) -> None:
    with pytest.raises(AnswerError):
        parse_number(text)


def test_numeric_exact_and_with_tolerance() -> None:
    exact = question(QuestionType.NUMERIC, number=2213.0)
    assert grade(exact, "2,213").is_correct
    assert grade(exact, "2213.0").is_correct
    wrong = grade(exact, "2212")
    assert not wrong.is_correct
    assert wrong.expected == "2213"
    assert "2213" in wrong.feedback and "2212" in wrong.feedback
    loose = question(QuestionType.NUMERIC, number=3.2958, tolerance=0.001)
    assert grade(loose, "3.296").is_correct
    assert grade(loose, "3.2968").is_correct
    assert not grade(loose, "3.30").is_correct
    assert grade(loose, "3.30").expected == "3.2958 (± 0.001)"


def test_numeric_truth_from_output_wins_over_the_declared_number() -> None:
    q = question(QuestionType.NUMERIC, number=2000.0)
    assert grade(q, "2213", truth="2213\n").is_correct
    assert not grade(q, "2000", truth="2213\n").is_correct
    assert grade(q, "2213", truth="Total number of trainable model parameters: 2213\n").is_correct


def test_numeric_with_zero_tolerance_accepts_the_truth_rounded_as_typed() -> None:
    q = question(QuestionType.NUMERIC)
    truth = "2.1972243785858154\n"
    assert grade(q, "2.1972", truth=truth).is_correct
    assert grade(q, "2.20", truth=truth).is_correct
    assert not grade(q, "2.2", truth=truth).is_correct  # one decimal is not enough
    assert not grade(q, "2.1973", truth=truth).is_correct


def test_numeric_inf_and_nan() -> None:
    assert grade(question(QuestionType.NUMERIC), "inf", truth="inf").is_correct
    assert not grade(question(QuestionType.NUMERIC), "inf", truth="nan").is_correct
    assert grade(question(QuestionType.NUMERIC), "nan", truth="tensor(nan)").is_correct


# --- short text -------------------------------------------------------------------------------


def test_text_ignores_case_spacing_and_punctuation_at_the_ends() -> None:
    q = question(QuestionType.TEXT, accepted=("sigmoid", "logistic", "the sigmoid"))
    for answer in [
        "Sigmoid",
        "  SIGMOID. ",
        "the   sigmoid",
        "`sigmoid`",
        "«logistic»",
        "sigmoid?!",
    ]:
        assert grade(q, answer).is_correct, answer
    wrong = grade(q, "softmax")
    assert not wrong.is_correct
    assert wrong.expected == "sigmoid"
    assert "also accepted: logistic, the sigmoid" in wrong.feedback
    assert not grade(q, "sig moid").is_correct


def test_armenian_answers_ignore_in_word_marks_and_the_full_stop() -> None:
    q = question(QuestionType.TEXT, accepted=("սիգմոիդ", "Երևան"))
    assert grade(q, "Սիգմոիդ").is_correct
    assert grade(q, "սիգմո՞իդ։").is_correct  # question mark over a vowel, Armenian full stop
    assert grade(q, "Սի՜գմոիդ").is_correct  # exclamation mark
    assert grade(q, "սիգմո՛իդ").is_correct  # emphasis mark
    assert grade(q, "Երեւան").is_correct  # the classical spelling of the ligature
    assert grade(q, "Երեվան").is_correct
    assert not grade(q, "սիգմա").is_correct


def test_normalisation_applies_nfkc() -> None:
    assert normalise_text("ﬁne") == "fine"  # a ligature
    assert normalise_text("Ｓｉｇｍｏｉｄ") == "sigmoid"  # full-width letters
    assert normalise_text("e\u0301") == normalise_text("\u00e9")  # combining accent
    assert normalise_text(" ...! ") == ""


def test_an_empty_text_answer_is_not_graded() -> None:
    with pytest.raises(AnswerError):
        grade(question(QuestionType.TEXT, accepted=("sigmoid",)), " . ")


def test_text_truth_from_output_is_accepted() -> None:
    q = question(QuestionType.TEXT, accepted=("int64",))
    assert grade(q, "torch.int64", truth="torch.int64\n").is_correct
    assert grade(q, "int64", truth="torch.int64\n").is_correct


# --- predicted output -------------------------------------------------------------------------


def test_predict_ignores_trailing_whitespace_and_the_final_newline() -> None:
    q = question(QuestionType.PREDICT)
    assert grade(q, "False True", truth="False True\n").is_correct
    assert grade(q, "a  \nb\n\n", truth="a\nb\n").is_correct
    assert grade(q, "a\r\nb", truth="a\nb\n").is_correct


def test_a_prediction_right_apart_from_its_spacing_is_right_and_says_so() -> None:
    q = question(QuestionType.PREDICT)
    truth = "torch.Size([3, 1]) torch.Size([3])\n"
    outcome = grade(q, "torch.Size([3,1]) torch.Size([3])", truth=truth)
    assert outcome.is_correct
    assert outcome.feedback == (
        "Correct, apart from spacing; it prints:\ntorch.Size([3, 1]) torch.Size([3])"
    )
    assert grade(q, " a\nb", truth="a\nb\n").is_correct  # indentation is spacing too
    assert not grade(q, "torch.Size([3, 2])", truth=truth).is_correct  # a character is not
    assert not grade(q, "a b\nc", truth="a\nb c\n").is_correct  # nor is where a line breaks


def test_predict_shows_a_line_diff() -> None:
    q = question(QuestionType.PREDICT)
    truth = "t contiguous: True\nt strides: (2, 1)\n"
    outcome = grade(q, "t contiguous: True\nt strides: (1, 2)", truth=truth)
    assert not outcome.is_correct
    assert outcome.expected == "t contiguous: True\nt strides: (2, 1)"
    assert "Line 2 differs" in outcome.feedback
    assert "  t contiguous: True" in outcome.diff
    assert "- t strides: (2, 1)" in outcome.diff
    assert "+ t strides: (1, 2)" in outcome.diff
    assert not [line for line in outcome.diff if line.startswith("? ")]  # ndiff's column marks


def test_predict_counts_missing_and_extra_lines() -> None:
    q = question(QuestionType.PREDICT)
    assert "prints 2 lines; you wrote 1" in grade(q, "a", truth="a\nb").feedback
    assert "prints only 1 lines; you wrote 2" in grade(q, "a\nb", truth="a").feedback
    assert output_diff("a\nb", "a") == ("  a", "- b")


def test_predict_falls_back_to_the_declared_output() -> None:
    q = question(QuestionType.PREDICT, accepted=("False True",))
    assert grade(q, "False True").is_correct
    with pytest.raises(ValueError, match="live output"):
        grade(question(QuestionType.PREDICT), "x")


def test_code_questions_are_not_graded_here() -> None:
    with pytest.raises(ValueError, match="grade_code"):
        grade(question(QuestionType.CODE, checks="assert True"), "x = 1")


def test_expected_words_for_reveal() -> None:
    assert expected_words(VIEW) == "b) t.T.view(4)"
    assert expected_words(question(QuestionType.NUMERIC, number=24.0)) == "24"
    assert expected_words(question(QuestionType.NUMERIC, number=2.0), truth="2213\n") == "2213"
    assert expected_words(question(QuestionType.PREDICT), truth="x  \ny\n\n") == "x\ny"
    assert expected_words(question(QuestionType.TEXT, accepted=("sigmoid",))) == "sigmoid"


def test_armenian_choice_words() -> None:
    q = question(
        QuestionType.SINGLE,
        choices=(Choice(Text("sigmoid", "սիգմոիդ"), True), Choice(Text("tanh"), False)),
    )
    assert grade(q, "a", lang="hy").expected == "a) սիգմոիդ"
    assert grade(q, "սիգմոիդ").is_correct


def test_a_declared_output_must_be_the_live_output_to_the_space() -> None:
    # the quiz forgives a mentee's spacing; `study check --run` does not forgive the mentor's copy
    live = "torch.Size([3, 1])\n"
    spaced = check_declared(question(QuestionType.PREDICT, accepted=("torch.Size([3,1])",)), live)
    assert spaced is not None and "live output counts" in spaced
    assert check_declared(question(QuestionType.PREDICT, accepted=(live.strip(),)), live) is None
