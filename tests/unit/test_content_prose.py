"""Tests of the mentor's pasted discussion text made readable: math as Unicode, tab bullets as lists."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tracker.content import load_curriculum
from tracker.content.prose import first_line, latex_to_unicode, readable_markdown


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        # the seed's 2213 note (08/04, Appendix A.5), as the mentor pasted it
        (
            r"(1500 \text{ weights} + 30 \text{ biases}) + (600 \text{ weights} + 20 \text{ biases})"
            r" + (60 \text{ weights} + 3 \text{ biases}) = 1500 + 30 + 600 + 20 + 60 + 3 = 2213",
            "(1500 weights + 30 biases) + (600 weights + 20 biases) + (60 weights + 3 biases)"
            " = 1500 + 30 + 600 + 20 + 60 + 3 = 2213",
        ),
        # the seed's logits note
        (r"\text{logit}(p) = \log\left(\frac{p}{1-p}\right)", "logit(p) = log(p/(1-p))"),
        (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e⁻ˣ)"),
        (r"-\infty", "-∞"),
        (r"+\infty", "+∞"),
        (r"\sigma(x)", "σ(x)"),
        # scripts: Unicode where every character has one, else marked and grouped
        (r"x_i^2", "xᵢ²"),
        (r"W^{(l)}", "W⁽ˡ⁾"),
        (r"x^{\top}", "xᵀ"),
        (r"a_{\mathrm{max}}", "aₘₐₓ"),
        (r"h_\theta", "h_θ"),
        (r"e^{i\pi}", "e^(iπ)"),
        (r"\alpha \leq \beta", "α≤β"),
    ],
)
def test_latex_becomes_unicode(latex: str, shown: str) -> None:
    assert latex_to_unicode(latex) == shown


def test_unreadable_latex_does_not_raise() -> None:
    assert latex_to_unicode(r"\frac{a") == "a"
    assert latex_to_unicode(r"}{") == "}{"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (r"values $p$ (between 0 and 1)", "values p (between 0 and 1)"),
        (r"from $-\infty$ to $+\infty$.", "from -∞ to +∞."),
        (r"inline \(a^2\) too", "inline a² too"),
        ("$$\n\\sigma(x) = \\frac{1}{1 + e^{-x}}\n$$", "\n\nσ(x) = 1/(1 + e⁻ˣ)\n\n"),
        ("\\[ x_1 \\]", "\n\nx₁\n\n"),
        # Markdown specials in a formula's text are escaped, so `*` is not emphasis
        (r"$a * b * c$", r"a \* b \* c"),
        # money is not math; code is never touched
        ("costs $5 and $10 a month", "costs $5 and $10 a month"),
        ("run `echo $HOME$` now", "run `echo $HOME$` now"),
        ("```sh\necho $a$\n```\n$b$", "```sh\necho $a$\n```\nb"),
    ],
)
def test_math_in_notes(written: str, shown: str) -> None:
    assert readable_markdown(written) == shown


def test_tab_indented_bullets_become_a_nested_list() -> None:
    pasted = "Steps:\n\t- load the data\n\t\t- shuffle it\n\t\tevery epoch\n\t- train\n\nDone."
    assert readable_markdown(pasted) == (
        "Steps:\n- load the data\n  - shuffle it\n    every epoch\n- train\n\nDone."
    )


def test_unicode_bullets_and_numbered_tab_items() -> None:
    assert readable_markdown("• one\n\t• two\n\t1. three") == "- one\n  - two\n  1. three"


def test_tab_indented_lines_without_a_bullet_stay_as_written() -> None:
    code = "for i in range(3):\n\tprint(i)"
    assert readable_markdown(code) == code


@pytest.mark.parametrize(
    ("notes", "title"),
    [
        ("bytes([idx])", "bytes([idx])"),
        ("\n\n## **Logits** and $\\sigma(x)$:\nmore", "Logits and σ(x)"),
        ("- `view` vs `reshape`\nmore", "view vs reshape"),
        ("x" * 70, "x" * 59 + "…"),
        ("```\n\n```", ""),
    ],
)
def test_first_line_is_a_title(notes: str, title: str) -> None:
    assert first_line(notes) == title


def test_the_bundled_logits_and_2213_notes_show_no_latex() -> None:
    curriculum = load_curriculum(ROOT, use_cache=False)
    topics = {t.id: t for m in curriculum.meetings for t in m.topics}
    logits = readable_markdown(topics["a5-logits"].notes.get("en"))  # type: ignore[union-attr]
    assert "log(p/(1-p))" in logits
    assert "σ(x) = 1/(1 + e⁻ˣ)" in logits
    assert "from -∞ to" in logits
    count = readable_markdown(topics["a5-param-count"].notes.get("en"))  # type: ignore[union-attr]
    assert "(1500 weights + 30 biases)" in count
    for shown in (logits, count):
        assert "$" not in shown
        assert "\\frac" not in shown and "\\text" not in shown
