"""Provides `OutcomeView`: a graded answer's verdict, the code under it, and the explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tracker.domain.curriculum import Question
from tracker.quiz.grading import spec_for
from tracker.ui.widgets.prose import code_view, inline_code, prose_pieces

if TYPE_CHECKING:
    from tracker.quiz.engine import Answer

__all__ = ["OutcomeView"]


def _plain(text: str, style: str = "") -> Content:
    """The text as written (an answer typed or printed: its backticks are its own)."""
    return Content.styled(text, style) if style else Content(text)


class OutcomeView(Vertical):
    """The part of a question card under the answer box once the answer is graded.

    Empty (it takes no room) until `show`; `clear` empties it for the next question.
    """

    DEFAULT_CSS = """
    OutcomeView { height: auto; }
    OutcomeView > Static { height: auto; margin-bottom: 1; }
    OutcomeView #q-computed { background: $boost; padding: 0 1; }
    OutcomeView #q-explanation { height: auto; }
    OutcomeView #q-explanation > Static { height: auto; margin-bottom: 1; }
    OutcomeView #q-explanation > .label { color: $text-muted; margin-bottom: 0; }
    OutcomeView #q-explanation > .code { background: $boost; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="q-outcome")
        yield Static(id="q-computed")
        yield Vertical(id="q-explanation")

    def clear(self) -> None:
        """Hides the verdict, the code and the explanation."""
        for child in self.children:
            child.display = False

    def show(
        self,
        question: Question | None,
        answer: Answer,
        *,
        explanation: str | None,
        computed: tuple[str, str] | None = None,
    ) -> Static:
        """Shows the graded answer: verdict, right answer, feedback, diff, code, explanation.

        Args:
            question: The question answered.
            answer: The session's pending answer.
            explanation: The mentor's explanation, if any (```python blocks are highlighted).
            computed: `(code, output)` of the code that computed the answer, to show.

        Returns:
            The verdict's view (to scroll into view).
        """
        outcome = answer.outcome
        is_code = question is not None and spec_for(question).runs_answer
        # A choice question's words are its choices': their `code` is shown as the list shows it.
        words = inline_code if question is not None and question.choices else _plain
        parts: list[Content] = []
        if answer.is_revealed:
            parts.append(Content.styled("The answer", "bold"))
        elif outcome.is_correct:
            parts.append(Content.styled("✓ Correct", "bold ansi_green"))
            if outcome.feedback != "Correct.":
                parts.append(Content(": ") + words(outcome.feedback.removeprefix("Correct: ")))
        else:
            parts.append(Content.styled("✗ Not quite", "bold ansi_red"))
        if answer.is_revealed:
            parts.append(Content("\n"))
            parts.append(
                Content.styled("code that passes the checks below", "bold")
                if is_code
                else words(outcome.expected, "bold")
            )
        elif not outcome.is_correct:
            parts.append(Content("\n") + words(outcome.feedback))
            if not is_code and outcome.expected not in outcome.feedback and not outcome.diff:
                parts.append(Content("\nThe answer: ") + words(outcome.expected, "bold"))
        if outcome.diff:
            parts.append(Content.styled("\n\n- it prints   + you wrote", "dim"))
            for line in outcome.diff:
                style = {"- ": "ansi_red", "+ ": "ansi_green", "? ": "dim"}.get(line[:2], "")
                parts.append(Content.styled("\n" + line, style) if style else Content("\n" + line))
        text = Content("").join(parts)
        view = self.query_one("#q-outcome", Static)
        view.display = True
        view.update(text)
        blocks = self._computed_blocks(question, answer, computed)
        computed_view = self.query_one("#q-computed", Static)
        computed_view.display = bool(blocks)
        if blocks:
            computed_view.update(Group(*blocks))
        self._show_explanation(explanation, is_code=is_code)
        return view

    def _computed_blocks(
        self, question: Question | None, answer: Answer, computed: tuple[str, str] | None
    ) -> list[RenderableType]:
        """The code under the verdict: what computed the answer, or the mentee's code and checks."""
        blocks: list[RenderableType] = []
        if computed is not None:
            code, output = computed
            blocks += [
                RichText("Computed live by:", style="dim"),
                code_view(code),
                RichText.assemble(("→ ", "dim"), (output.strip(), "bold")),
            ]
        if question is not None and spec_for(question).runs_answer:
            given = answer.outcome.given
            if given and given.strip() and not answer.is_revealed:
                blocks += [RichText("Your code:", style="dim"), code_view(given)]
            if question.checks and not answer.outcome.is_correct:
                if blocks:
                    blocks.append(RichText(""))
                blocks += [
                    RichText("The checks it must pass:", style="dim"),
                    code_view(question.checks),
                ]
        return blocks

    def _show_explanation(self, explanation: str | None, *, is_code: bool) -> None:
        container = self.query_one("#q-explanation", Vertical)
        container.remove_children()
        pieces = prose_pieces(explanation or "")
        container.display = bool(pieces)
        widgets = [
            Static(piece, classes="code" if isinstance(piece, Syntax) else "") for piece in pieces
        ]
        if pieces and isinstance(pieces[0], Syntax):  # say what the code block is
            label = "The mentor's solution:" if is_code else "The mentor's explanation:"
            widgets.insert(0, Static(label, classes="label"))
        container.mount_all(widgets)
