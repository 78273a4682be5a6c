"""Provides `TopicView`: a discussion topic's notes (math in Unicode), links and live snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.widgets import Label, Markdown

from tracker.content.prose import readable_markdown
from tracker.ui.widgets.snippet_pane import SnippetPane

if TYPE_CHECKING:
    from tracker.domain.curriculum import Curriculum, Lang, Topic

__all__ = ["TopicView"]


class TopicView(VerticalScroll):
    """Shows one topic; its snippets run in the app's runner (`SnippetPane`)."""

    DEFAULT_CSS = """
    TopicView { height: 1fr; padding: 0 1; }
    TopicView .topic-title { text-style: bold; color: $accent; }
    TopicView .topic-links { color: $text-muted; }
    """

    def __init__(self, runner: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._runner = runner
        self._shown: tuple[object, ...] | None = None
        self._last_pane: SnippetPane | None = None
        """The snippet pane that last had the focus (within this topic)."""

    @property
    def current_pane(self) -> SnippetPane | None:
        """The snippet that ctrl+r and `o` act on from outside it (the topic list, the notes):
        the one last focused in this topic, else the first; None when the topic has none."""
        panes = list(self.query(SnippetPane))
        if self._last_pane in panes:
            return self._last_pane
        return panes[0] if panes else None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = next(
            (n for n in event.widget.ancestors_with_self if isinstance(n, SnippetPane)), None
        )
        if pane is not None:
            self._last_pane = pane

    def show(self, topic: Topic | None, curriculum: Curriculum, lang: Lang) -> AwaitComplete | None:
        """Shows `topic` (None: a hint); rebuilt only when it, its snippets or the language change.

        Removal and mounting are scheduled, not awaited: Textual applies them in order, and
        nothing in the app waits on a half-built view (an awaited rebuild, cancelled by the next
        topic's, could leave the screen's messages pending under load).

        Returns:
            The old view's removal and the new one's mounting, for a caller that wants the view
            built (a test); None when unchanged.
        """
        snippets = tuple(curriculum.snippets.get(s) for s in topic.snippets) if topic else ()
        shown = (topic, snippets, lang)
        if shown == self._shown:
            return None
        self._shown = shown
        removal = self.remove_children()
        if topic is None:
            hint = Label("No topics to discuss yet.", classes="muted")
            return AwaitComplete(removal, self.mount(hint))
        notes = readable_markdown(topic.notes.get(lang)) if topic.notes else "*No notes.*"
        widgets: list[Any] = [Markdown(notes)]
        if topic.is_titled:  # else the notes' first line is the title: not said twice
            widgets.insert(0, Label(topic.title.get(lang), classes="topic-title", markup=False))
        if topic.links:
            widgets.append(Label("\n".join(topic.links), classes="topic-links", markup=False))
        widgets += [SnippetPane(snippet, self._runner) for snippet in snippets if snippet]
        return AwaitComplete(removal, self.mount_all(widgets))
