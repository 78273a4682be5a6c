"""Provides `QuizScreen`: cram a meeting's or a topic's questions, locked or not, off the schedule.

The mentee picks a meeting or a topic; its questions are asked in curriculum order and graded
as in the review, and every attempt is recorded as a cram review. The cards' schedule is left
alone unless `t` turned scheduling on before starting.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import var
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tracker.domain.agenda import short_date
from tracker.ui.screens.session import SessionScreen
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.quiz_session import Phase, QuizSessionView

if TYPE_CHECKING:
    from tracker.quiz.engine import QuizEngine

__all__ = ["QuizScreen"]


class QuizScreen(SessionScreen):
    """Pick a meeting or topic, then answer its questions (a cram: the schedule stays)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_scheduling", "Schedule", tooltip="Let the answers move the schedule"),
        Binding("escape", "pick", "Topics", tooltip="Stop and pick another meeting or topic"),
        Binding("escape", "leave", "Leave", tooltip="Back to the agenda"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Start the highlighted meeting or topic; then as in the review. |
    | t | While picking: whether the answers also move the cards' schedule (off by default). |
    | escape | Stop and go back to the list; from the list, leave for the agenda. |

    The session's own keys (enter, 1-4, ctrl+g, ctrl+o, ctrl+z, c, v) are `QuizSessionView`'s.
    """

    DEFAULT_CSS = """
    QuizScreen #review-title { padding: 0 1; text-style: bold; color: $accent; }
    QuizScreen #picker { height: 1fr; margin: 0 1; border: none; }
    """

    TITLE_WORDS = "Quiz"
    """The first words of the title line."""

    is_scheduling: var[bool] = var(False)
    """Whether the next session's answers move the schedule (a normal review) or not (cram)."""

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE_WORDS, id="review-title")
        yield OptionList(id="picker")
        yield QuizSessionView(self.TITLE_WORDS, starts_reviews=False, id="session")
        yield KeyFooter()

    def watch_is_scheduling(self) -> None:
        if self.is_mounted:
            self._update_title()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scheduling":
            return self.phase is Phase.IDLE
        if action == "pick":
            return self.phase is not Phase.IDLE
        if action == "leave":
            return self.phase is Phase.IDLE
        return True

    def update_view(self) -> None:
        self.view.refresh_view()
        if self.phase is Phase.IDLE:
            self.show_idle()

    def show_idle(self) -> None:
        """Shows the list of meetings and topics instead of the card."""
        engine = self.engine
        picker = self.query_one("#picker", OptionList)
        self.view.display = False
        picker.display = True
        if engine is None:
            return
        highlighted = picker.highlighted
        picker.clear_options()
        picker.add_options(self._options(engine))
        if picker.option_count:
            picker.highlighted = min(highlighted or 0, picker.option_count - 1)
        picker.focus()
        self._update_title()

    def _options(self, engine: QuizEngine) -> list[Option]:
        counts = Counter(q.topic for q in engine.curriculum.questions)
        options: list[Option] = []
        listed: set[str] = set()
        for meeting in reversed(engine.curriculum.meetings):
            questions = engine.questions_for(meeting=meeting.date)
            if not questions:
                continue
            options.append(
                Option(
                    f"{short_date(meeting.date)} meeting: all {len(questions)} questions",
                    id=f"meeting:{meeting.date.isoformat()}",
                )
            )
            for topic in dict.fromkeys(q.topic for q in questions):
                listed.add(topic)
                title = self.view.topic_title(topic)
                options.append(
                    Option(Content(f"    {title} ({counts[topic]})"), id=f"topic:{topic}")
                )
        others = [(topic, count) for topic, count in counts.items() if topic not in listed]
        if others and options:
            options.append(Option("Other topics, not tied to a meeting:", disabled=True))
        indent = "    " if options else ""
        for topic, count in others:
            options.append(
                Option(
                    Content(f"{indent}{self.view.topic_title(topic)} ({count})"),
                    id=f"topic:{topic}",
                )
            )
        if not options:
            options.append(Option("No quiz questions yet.", id="none", disabled=True))
        return options

    def _update_title(self) -> None:
        title = self.query_one("#review-title", Label)
        if self.phase is Phase.IDLE:
            schedule = "on: answers move the schedule" if self.is_scheduling else "off"
            title.update(f"{self.TITLE_WORDS} · pick a meeting or topic · schedule {schedule} (t)")
        else:
            title.update(self.TITLE_WORDS + self.view.progress_words())

    @on(QuizSessionView.Changed)
    def _session_changed(self, event: QuizSessionView.Changed) -> None:
        if self.phase is Phase.IDLE and self.view.display:
            self.show_idle()
        self._update_title()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#picker")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        engine = self.engine
        option_id = event.option.id or ""
        if engine is None or ":" not in option_id:
            return
        kind, _, value = option_id.partition(":")
        if kind == "meeting":
            session = engine.cram(
                meeting=date.fromisoformat(value), is_scheduling=self.is_scheduling
            )
        else:
            session = engine.cram(topic=value, is_scheduling=self.is_scheduling)
        self.query_one("#picker").display = False
        self.view.display = True
        self.view.begin(session)

    async def action_leave(self) -> None:
        """Leaves the list of meetings and topics for the agenda."""
        await self.tracker.action_section("agenda")

    def action_toggle_scheduling(self) -> None:
        """Turns scheduling of the next session's answers on or off."""
        self.is_scheduling = not self.is_scheduling

    def action_pick(self) -> None:
        """Stops the session (recording a graded answer first) and shows the list again."""
        self.view.stop()
        self.show_idle()
