"""Provides `DiscussScreen`: each meeting's topics with notes and snippets; the mentee's questions
and the quiz cards that keep lapsing."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ListItem, ListView

from tracker.domain.agenda import next_meeting, short_date
from tracker.domain.curriculum import Curriculum, Snippet, Text, Topic
from tracker.domain.progress import is_question_for
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.discuss_list import DiscussList
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.paged_list import PagedListView
from tracker.ui.widgets.part_checklist import PartChecklist
from tracker.ui.widgets.snippet_pane import SnippetPane
from tracker.ui.widgets.topic_view import TopicView

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete

    from tracker.store.records import MenteeQuestion

__all__ = ["DiscussScreen"]


QUIZ_NOTE = Text(
    en="Snippets of this topic's quiz that no meeting discussed: run them here (ctrl+r)."
)
"""The notes shown with a quiz's snippets (the makemore notes, say)."""


def quiz_snippet_topics(curriculum: Curriculum) -> list[Topic]:
    """The snippets of each quiz that no meeting's topic embeds, as topics to show in Discuss.

    Args:
        curriculum: The curriculum.

    Returns:
        One undated topic per quiz topic (id `quiz:<topic>`), in the order the snippets load.
    """
    embedded = {s for m in curriculum.meetings for t in m.topics for s in t.snippets}
    topic_of_file = {q.location.path: q.topic for q in curriculum.questions}
    grouped: dict[str, list[Snippet]] = {}
    for snippet in curriculum.snippets.values():
        topic = topic_of_file.get(snippet.location.path)
        if topic is not None and snippet.id not in embedded:
            grouped.setdefault(topic, []).append(snippet)
    return [
        Topic(
            id=f"quiz:{topic}",
            meeting=date.min,  # undated: shown as "quiz" in the list, never as a date
            order=0,
            title=curriculum.topic_title(topic),
            location=snippets[0].location,
            notes=QUIZ_NOTE,
            snippets=tuple(s.id for s in snippets),
        )
        for topic, snippets in grouped.items()
    ]


class TopicRow(ListItem):
    """One topic in the list: its meeting's date and title."""

    DEFAULT_CSS = """
    TopicRow Label { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, topic_id: str, words: str) -> None:
        super().__init__(Label(words, markup=False))
        self.topic_id = topic_id
        """The topic's id."""
        self.words = words
        """The line shown: the meeting's date and the topic's title."""


class DiscussScreen(TrackerScreen):
    """Topics on the left, the chosen one on the right; the mentee's questions and the cards
    that keep lapsing (to talk about at the next meeting) below the topics."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run_snippet", "Run", tooltip="Run the topic's snippet"),
        Binding("ctrl+down", "enter_snippet(0)", "Next snippet", tooltip="The first snippet"),
        Binding("ctrl+up", "enter_snippet(-1)", "Previous snippet", show=False),
        Binding("n", "add_question", "Ask", tooltip="Add a question for the next meeting"),
        Binding("e", "edit_question", "Edit", tooltip="Edit the highlighted question"),
        Binding("x", "delete_question", "Delete", tooltip="Delete the highlighted question"),
        Binding("o", "open_figure", "Open figure", tooltip="Open the snippet's last figure"),
        Binding("escape", "to_topics", "Topics", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Show the highlighted topic. |
    | ctrl+r | Run the topic's snippet (the one last focused, else the first), its editor focused. |
    | ctrl+down, ctrl+up | Outside the snippets: into the first (last) snippet's editor, when the topic has several (in a snippet, its own keys go to the next and previous). |
    | o | Open the last figure of that snippet's last run. |
    | escape | In the topic (a snippet's editor, its output): back to the topics. |
    | n | Add a question for the next meeting. |
    | space | Tick (or untick) the highlighted question: it was answered. |
    | e | Edit the highlighted question. |
    | x | Delete the highlighted question (asks first). |
    """

    AUTO_FOCUS = "#topics"

    DEFAULT_CSS = """
    DiscussScreen > Horizontal { height: 1fr; }
    DiscussScreen #discuss-side { width: 36%; max-width: 50; border-right: vkey $foreground 20%; }
    DiscussScreen #topics { height: 1fr; margin: 0 1; }
    DiscussScreen #questions { height: auto; max-height: 12; }
    DiscussScreen #lapsing { height: auto; max-height: 8; margin: 0 1; }
    DiscussScreen #questions-empty { margin: 0 2; }
    /* Narrow (under 100 cells): the topics above the topic, so that the code has the width. */
    DiscussScreen.-narrow > Horizontal { layout: vertical; }
    DiscussScreen.-narrow #discuss-side {
        width: 1fr; max-width: 100%; height: auto; border-right: none;
        border-bottom: hkey $foreground 20%;
    }
    DiscussScreen.-narrow #topics { height: auto; max-height: 5; }
    DiscussScreen.-narrow #questions { max-height: 3; }
    DiscussScreen.-narrow #lapsing { max-height: 3; }
    /* ... and while working in the topic (a snippet), the topic has the whole screen. */
    DiscussScreen.-narrow.-in-topic #discuss-side { display: none; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="discuss-side"):
                yield Label("Topics", classes="section-title")
                yield PagedListView(id="topics")
                yield Label("My questions", id="questions-title", classes="section-title")
                yield PartChecklist(id="questions")
                yield Label("None yet: press n to ask one.", id="questions-empty", classes="muted")
                yield Label(  # under "My questions for <the next meeting>": for it too
                    "Cards that keep lapsing", id="lapsing-title", classes="section-title"
                )
                yield DiscussList(id="lapsing", classes="-cards-only")
            yield TopicView(self.tracker.runner, id="topic")
        yield KeyFooter()

    def __init__(self) -> None:
        super().__init__()
        self._topic_rows: list[tuple[str, str]] = []
        """Every topic's `(id, words)`, in the list's order (its rows are mounted as needed)."""
        self._quiz_topics: list[Topic] = []
        """The quizzes' snippets that no meeting discussed, listed after the meetings' topics."""

    @property
    def meeting_date(self) -> date:
        """The date of the meeting the mentee's new questions are for (the next one)."""
        app = self.tracker
        meetings = app.curriculum.meetings if app.curriculum else ()
        meeting = next_meeting(meetings, app.today)
        return meeting.date if meeting else app.today

    def update_view(self) -> None:
        app = self.tracker
        if app.curriculum is None:
            return
        topics = [t for m in reversed(app.curriculum.meetings) for t in m.topics]
        rows = [(t.id, f"{short_date(t.meeting)}  {t.title.get(app.lang)}") for t in topics]
        self._quiz_topics = quiz_snippet_topics(app.curriculum)
        rows += [(t.id, f"quiz   {t.title.get(app.lang)}") for t in self._quiz_topics]
        listing = self.query_one("#topics", PagedListView)
        if self._topic_rows != rows:  # new words too
            self._topic_rows = rows
            listing.show_rows(len(rows), lambda i: TopicRow(*rows[i]), index=0 if rows else None)
        self._show_topic()
        day = self.meeting_date
        self.query_one("#questions-title", Label).update(
            f"My questions for {short_date(day)} (n: ask)"
        )
        asked: list[MenteeQuestion] = app.read_store(app.store.questions, [])
        questions = [
            (
                str(q.id),
                q.text if q.meeting == day else f"{q.text}  (from {short_date(q.meeting)})",
                q.is_done,
            )
            for q in asked
            if is_question_for(q.meeting, q.is_done, day)  # open ones carry over
        ]
        checklist = self.query_one("#questions", PartChecklist)
        checklist.show(questions)
        checklist.display = bool(questions)
        self.query_one("#questions-empty").display = not questions
        from tracker.domain.leeches import leeches

        lapsing = leeches(app.curriculum, app.store)
        self.query_one("#lapsing", DiscussList).show((), lapsing, app.lang, card_heading="")
        self.query_one("#lapsing-title").display = bool(lapsing)
        self.query_one("#lapsing").display = bool(lapsing)

    def select_topic(self, topic_id: str) -> AwaitComplete | None:
        """Highlights and shows a topic, e.g. one chosen on the agenda.

        Returns:
            The topic view's rebuilding (await it to have the topic's widgets); None when the
            topic is not listed or already shown.
        """
        listing = self.query_one("#topics", PagedListView)
        ids = [topic for topic, _ in self._topic_rows]
        if topic_id not in ids:
            return None
        listing.mount_through(ids.index(topic_id))
        listing.index = ids.index(topic_id)
        listing.focus()
        return self._show_topic(topic_id)  # the highlight's message finds it shown already

    def _show_topic(self, topic_id: str | None = None) -> AwaitComplete | None:
        """Shows `topic_id`, by default the highlighted row's topic."""
        app = self.tracker
        if app.curriculum is None:
            return None
        if topic_id is None:
            row = self.query_one("#topics", PagedListView).highlighted_child
            topic_id = row.topic_id if isinstance(row, TopicRow) else None
        shown = [t for m in app.curriculum.meetings for t in m.topics] + self._quiz_topics
        topic = next((t for t in shown if t.id == topic_id), None)
        self.call_after_refresh(self.refresh_bindings)  # another topic's snippet: `o` or not
        return self.query_one(TopicView).show(topic, app.curriculum, app.lang)

    @on(ListView.Highlighted, "#topics")
    def _topic_highlighted(self) -> None:
        self._show_topic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`o` only when the topic's snippet drew a figure (ctrl+r is always Discuss's own: on a
        topic without a snippet it says so, rather than reloading the curriculum)."""
        if action == "open_figure":
            pane = self.query_one(TopicView).current_pane
            return pane is not None and bool(pane.figures)
        if action == "enter_snippet":  # shown while the focus is outside a topic of snippets
            focused = self.focused
            inside = focused is not None and any(
                isinstance(node, SnippetPane) for node in focused.ancestors_with_self
            )
            return not inside and len(self.query_one(TopicView).query(SnippetPane)) > 1
        return super().check_action(action, parameters)

    def action_enter_snippet(self, index: int) -> None:
        """Focuses the editor of the topic's snippet at `index` (0: the first, -1: the last)."""
        panes = list(self.query_one(TopicView).query(SnippetPane))
        if panes:
            panes[index].enter()

    def action_run_snippet(self) -> None:
        """Runs the topic's snippet (the one last focused, else the first), its editor focused:
        ctrl+r is "run" all over Discuss (the app's ctrl+r, reload, is for the other screens;
        the curriculum reloads on its own anyway)."""
        pane = self.query_one(TopicView).current_pane
        if pane is None:
            self.notify("This topic has no snippet to run.", severity="warning")
            return
        # Not scrolled to the editor: the focus's own (animated) scroll would end after the
        # run's, with the status and output below the screen again.
        pane.query_one("#code").focus(scroll_visible=False)
        pane.action_run()

    def action_open_figure(self) -> None:
        """Opens the last figure of the topic's snippet."""
        pane = self.query_one(TopicView).current_pane
        if pane is not None:
            pane.action_open_figure()

    @on(SnippetPane.Left)
    def _snippet_left(self) -> None:
        self.query_one("#topics").focus()  # escape in a snippet: back to the topics

    def action_to_topics(self) -> None:
        """Back to the topic list (on a narrow terminal, the list shows again)."""
        self.query_one("#topics").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Narrow terminals: the topic list folds away while the focus is in the topic."""
        self.set_class(self.query_one(TopicView) in event.widget.ancestors_with_self, "-in-topic")

    @on(DiscussList.Opened, "#lapsing")
    def _card_chosen(self, event: DiscussList.Opened) -> None:
        event.stop()  # a card: it is listed here to talk about; the review asks it again

    @on(PartChecklist.Ticked, "#questions")
    def _question_ticked(self, event: PartChecklist.Ticked) -> None:
        self.tracker.record(self.tracker.store.tick_question, int(event.key), event.is_done)

    @work
    async def action_add_question(self) -> None:
        """Asks for a question and keeps it for the next meeting."""
        from tracker.ui.screens.prompt import TextPrompt

        day = self.meeting_date
        text = await self.app.push_screen_wait(TextPrompt(f"A question for {short_date(day)}:"))
        if text:
            self.tracker.record(self.tracker.store.add_question, day, text)

    @work
    async def action_edit_question(self) -> None:
        """Edits the highlighted question."""
        from tracker.ui.screens.prompt import TextPrompt

        question = self._highlighted_question()
        if question is None:
            return
        text = await self.app.push_screen_wait(TextPrompt("Edit the question:", question.text))
        if text and text != question.text:
            self.tracker.record(self.tracker.store.edit_question, question.id, text)

    @work
    async def action_delete_question(self) -> None:
        """Deletes the highlighted question, once confirmed."""
        from tracker.ui.screens.confirm import ConfirmDialog

        question = self._highlighted_question()
        if question is None:
            return
        if await self.app.push_screen_wait(ConfirmDialog(f"Delete “{question.text}”?")):
            self.tracker.record(self.tracker.store.delete_question, question.id)

    def _highlighted_question(self) -> MenteeQuestion | None:
        key = self.query_one("#questions", PartChecklist).highlighted_key
        if key is None:
            return None
        questions: list[MenteeQuestion] = self.tracker.read_store(self.tracker.store.questions, [])
        return next((q for q in questions if str(q.id) == key), None)
