"""Provides `QuestionCard`: one quiz question, its answer box, hints, and the graded outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from tracker.domain.curriculum import Lang, Question
from tracker.domain.scheduling import RATING_NAMES
from tracker.quiz.grading import AnswerBox, choice_label, spec_for
from tracker.ui.labels import interval_words
from tracker.ui.widgets.outcome_view import OutcomeView
from tracker.ui.widgets.prose import CODE_STYLE, code_view, inline_code, prose_pieces

if TYPE_CHECKING:
    from fsrs import Rating

    from tracker.quiz.engine import Answer

__all__ = ["CODE_STYLE", "AnswerArea", "QuestionCard", "code_view", "inline_code", "prose_pieces"]

_HIDDEN_UNTIL_USED = ("#q-code", "#q-choices", "#q-hints")
"""The parts of the card that a new question starts without (and its `OutcomeView`)."""


class AnswerArea(TextArea):
    """A multi-line answer box: enter submits, ctrl+j (or shift+enter) starts a new line.

    For a code answer (`is_code=True`), enter starts a new line and ctrl+s submits.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Check", tooltip="Check the answer"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Submit (a new line in a code answer). |
    | ctrl+j, shift+enter | A new line. |
    | ctrl+s | Submit. |
    """

    @dataclass
    class Submitted(Message):
        """The mentee submitted the text."""

        area: AnswerArea
        value: str

        @property
        def control(self) -> AnswerArea:
            return self.area

    def __init__(self, *, is_code: bool = False, **kwargs: Any) -> None:
        super().__init__(
            language="python" if is_code else None,
            tab_behavior="indent" if is_code else "focus",
            show_line_numbers=is_code,
            soft_wrap=not is_code,
            placeholder=(
                "Your code; ctrl+s runs the checks"
                if is_code
                else "What it prints; enter checks, ctrl+j starts a new line"
            ),
            **kwargs,
        )
        self.is_code = is_code
        """Whether enter starts a new line (code) instead of submitting."""
        self.border_subtitle = (
            "ctrl+s runs the checks" if is_code else "enter checks · ctrl+j new line"
        )

    async def _on_key(self, event: events.Key) -> None:
        if not self.read_only and event.key in ("ctrl+j", "shift+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if not self.read_only and event.key == "enter" and not self.is_code:
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        await super()._on_key(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With no typing to take back, ctrl+z goes on to the screen (the review's "undo grade").
        if action == "undo" and not self.history.undo_stack:
            return False
        return super().check_action(action, parameters)

    def on_text_area_changed(self) -> None:
        self.refresh_bindings()  # whether ctrl+z undoes typing or the last grade

    def action_submit(self) -> None:
        """Posts `Submitted` with the text."""
        self.post_message(self.Submitted(self, self.text))


class QuestionCard(VerticalScroll, can_focus=True):
    """One question: header, prompt, code, choices, hints, the answer box, then the outcome."""

    DEFAULT_CSS = """
    QuestionCard { height: 1fr; padding: 0 1; }
    QuestionCard:focus { background-tint: $foreground 3%; }
    QuestionCard > Static { height: auto; margin-bottom: 1; }
    QuestionCard #q-header { color: $text-muted; margin-bottom: 0; }
    QuestionCard #q-prompt { text-style: bold; }
    QuestionCard #q-code { background: $boost; padding: 0 1; }
    QuestionCard #q-hints { color: $warning; }
    QuestionCard #q-status { color: $text-muted; }
    QuestionCard #q-status.error { color: $error; }
    QuestionCard Input, QuestionCard AnswerArea { margin-bottom: 1; }
    QuestionCard AnswerArea { height: 5; }
    QuestionCard AnswerArea.code { height: 12; }
    QuestionCard #q-rating {
        dock: bottom; color: $text-muted; background: $panel; padding: 0 1; margin: 0;
    }
    """

    @dataclass
    class Answered(Message):
        """The mentee submitted an answer (their text, choice labels, or code)."""

        card: QuestionCard
        value: str

        @property
        def control(self) -> QuestionCard:
            return self.card

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question: Question | None = None
        """The question shown (None: a message instead)."""
        self.lang: Lang = "en"
        """The language of the mentor's text."""
        self.hints_shown = 0
        """How many hints are on screen."""

    def compose(self) -> ComposeResult:
        yield Static(id="q-header", markup=False)
        yield Static(id="q-prompt")
        yield Static(id="q-code")
        yield Static(id="q-choices")
        yield Static(id="q-hints")
        yield Input(id="answer-line", placeholder="Your answer, then enter")
        yield AnswerArea(id="answer-lines")
        yield AnswerArea(id="answer-code", is_code=True, classes="code")
        yield Static(id="q-status", markup=False)
        yield OutcomeView(id="q-result")
        yield Static(id="q-rating")

    def on_mount(self) -> None:
        self._hide_answer_parts()
        self._show_box(None)

    # --- showing a question -------------------------------------------------------------------

    def _static(self, selector: str) -> Static:
        return self.query_one(selector, Static)

    def _box(self) -> Input | AnswerArea | None:
        if self.question is None:
            return None
        match spec_for(self.question).box:
            case AnswerBox.CODE:
                return self.query_one("#answer-code", AnswerArea)
            case AnswerBox.LINES:
                return self.query_one("#answer-lines", AnswerArea)
            case AnswerBox.LINE:
                return self.query_one("#answer-line", Input)

    def _show_box(self, box: Input | AnswerArea | None) -> None:
        for widget in (
            self.query_one("#answer-line", Input),
            self.query_one("#answer-lines", AnswerArea),
            self.query_one("#answer-code", AnswerArea),
        ):
            widget.display = widget is box
            widget.disabled = widget is not box

    def _hide_answer_parts(self) -> None:
        """Hides what a new question starts without, the status line and the rating."""
        for selector in _HIDDEN_UNTIL_USED:
            self.query_one(selector).display = False
        self.query_one(OutcomeView).clear()
        self.show_status("")
        self._static("#q-rating").display = False

    def show_message(self, header: str, text: str) -> None:
        """Shows a message instead of a question ("Nothing is due", "Loading ...")."""
        self.question = None
        self._static("#q-header").update(header)
        self._static("#q-prompt").update(text)
        self._hide_answer_parts()
        self._show_box(None)

    def ask(self, question: Question, *, header: str, lang: Lang, code: str | None = None) -> None:
        """Shows a question with an empty answer box, and focuses the box.

        Args:
            question: The question.
            header: The line above the prompt (topic, kind, position in the session).
            lang: "en" or "hy".
            code: The code to show read-only (a PREDICT question's), if any.
        """
        self.question = question
        self.lang = lang
        self.hints_shown = 0
        spec = spec_for(question)
        self._static("#q-header").update(f"{header} · {spec.words}")
        self._static("#q-prompt").update(inline_code(question.prompt.get(lang)))
        self._hide_answer_parts()
        shown_code = self._static("#q-code")
        shown_code.display = bool(code)
        if code:
            shown_code.update(code_view(code))
        self._static("#q-choices").display = bool(question.choices)
        self._show_choices(frozenset())
        self._static("#q-hints").update("")
        box = self._box()
        self._show_box(box)
        if isinstance(box, Input):
            box.value = ""
            box.placeholder = spec.placeholder(question)
        elif box is not None:
            box.load_text((question.code or "") if spec.box is AnswerBox.CODE else "")
        if box is not None:
            box.focus()
        self.scroll_home(animate=False)

    def _chosen(self, text: str) -> frozenset[int]:
        """The choices `text` picks (none while it is empty or cannot be read)."""
        if self.question is None:
            return frozenset()
        return spec_for(self.question).chosen(self.question, text)

    def _show_choices(self, chosen: frozenset[int], right: frozenset[int] | None = None) -> None:
        if self.question is None:
            return
        lines: list[Content] = []
        for i, choice in enumerate(spec_for(self.question).shown_choices(self.question)):
            mark = "●" if i in chosen else "○"
            style = "bold" if i in chosen else ""
            note = ""
            if right is not None:
                mark = "✓" if i in right else ("✗" if i in chosen else " ")
                style = (
                    "bold $text-success"
                    if i in right
                    else ("$text-error" if i in chosen else "$text-muted")
                )
                if i in right and i not in chosen and len(right) > 1:
                    note = "  (missed)"
            label = f"{mark} {i + 1} {choice_label(i)}) "
            lines.append(
                Content.assemble((label, style) if style else label)
                + inline_code(choice.text.get(self.lang), style)
                + Content.styled(note, "$text-warning")
            )
        self._static("#q-choices").update(Content("\n").join(lines))

    # --- during and after answering -----------------------------------------------------------

    def show_hint(self) -> bool:
        """Shows the next hint, if one is left.

        Returns:
            Whether a hint was added.
        """
        if self.question is None or self.hints_shown >= len(self.question.hints):
            return False
        self.hints_shown += 1
        hints = self.question.hints[: self.hints_shown]
        view = self._static("#q-hints")
        view.display = True
        view.update(
            Content("\n").join(
                Content(f"Hint {i}: ") + inline_code(h.get(self.lang))
                for i, h in enumerate(hints, 1)
            )
        )
        return True

    @property
    def hints_left(self) -> int:
        """How many hints of the question are not shown yet."""
        return len(self.question.hints) - self.hints_shown if self.question else 0

    def show_status(self, text: str, *, is_error: bool = False) -> None:
        """Shows a line under the answer box ("Checking ...", "there is no choice 7").

        An empty text hides the line (it takes no room).
        """
        status = self._static("#q-status")
        status.set_class(is_error, "error")
        status.update(text)
        status.display = bool(text)

    def set_busy(self, is_busy: bool) -> None:
        """Locks the answer box while a worker grades the answer."""
        box = self._box()
        if box is not None:
            box.disabled = is_busy
            if not is_busy:
                box.focus()

    def show_outcome(
        self,
        answer: Answer,
        *,
        explanation: str | None,
        computed: tuple[str, str] | None = None,
        is_cram: bool = False,
        intervals: Mapping[Rating, timedelta] | None = None,
    ) -> None:
        """Shows the graded answer: verdict, right answer, feedback, diff, explanation, rating.

        Args:
            answer: The session's pending answer.
            explanation: The mentor's explanation, if any (```python blocks are highlighted).
            computed: `(code, output)` of the code that computed the answer, to show.
            is_cram: Whether the answer leaves the schedule alone (said on the rating line).
            intervals: When the card comes back for each rating (see `show_rating`).
        """
        question = self.question
        if question is not None and question.choices:
            shown = spec_for(question).shown_choices(question)
            right = frozenset(i for i, c in enumerate(shown) if c.is_correct)
            self._show_choices(self._chosen(answer.outcome.given or ""), right)
        view = self.query_one(OutcomeView).show(
            question, answer, explanation=explanation, computed=computed
        )
        self.show_rating(answer, is_cram=is_cram, intervals=intervals)
        self._show_box(None)
        self.show_status("")
        self.focus()
        # The verdict in view (the grade keys are docked below it, always in view).
        self.call_after_refresh(self.scroll_to_widget, view, animate=False)

    def show_rating(
        self,
        answer: Answer,
        *,
        is_cram: bool = False,
        intervals: Mapping[Rating, timedelta] | None = None,
    ) -> None:
        """Shows the rating that will be recorded, and the keys that change it.

        Args:
            answer: The session's pending answer.
            is_cram: Whether the answer leaves the schedule alone (said on the line).
            intervals: When the card comes back for each rating (shown beside it); the one
                chosen, when it is within the session (`LEARN_AHEAD`: a miss or a learning
                step), is said in words, since the card then comes up again before the end.
        """
        from tracker.quiz.engine import LEARN_AHEAD  # loaded by then: the session runs on it

        words = RichText("Grade: ")
        for rating, name in RATING_NAMES.items():
            style = "bold reverse" if rating == answer.rating else ""
            when = f" {interval_words(intervals[rating])}" if intervals else ""
            words.append(f" {rating} {name}{when} ", style=style)
        chosen = intervals.get(answer.rating) if intervals else None
        if chosen is not None and chosen <= LEARN_AHEAD:
            words.append(
                f"\n{RATING_NAMES[answer.rating]}: back in {interval_words(chosen)}, so once more"
                " in this session (a learning step)",
                style="dim",
            )
        note = " (schedule left alone)" if is_cram else ""
        words.append(f"\n1-4 change the grade{note} · enter: next · ctrl+z: undo", style="dim")
        rating_view = self._static("#q-rating")
        rating_view.update(words)
        rating_view.display = True

    @on(Input.Changed, "#answer-line")
    def _typed(self, event: Input.Changed) -> None:
        if self.question is not None and self.question.choices:
            self._show_choices(self._chosen(event.value))

    @on(Input.Submitted, "#answer-line")
    def _line_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(self, event.value))

    @on(AnswerArea.Submitted)
    def _area_submitted(self, event: AnswerArea.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(self, event.value))
