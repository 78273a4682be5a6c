"""Provides `TopicView`: a discussion topic's Markdown notes, links and live snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import VerticalScroll
from textual.widgets import Label, Markdown, Static

if TYPE_CHECKING:
    from tracker.domain.curriculum import Curriculum, Topic

__all__ = ["TopicView"]


class TopicView(VerticalScroll):
    """Shows one topic; its snippets run in the app's runner (`SnippetPane`)."""

    DEFAULT_CSS = """
    TopicView { height: 1fr; padding: 0 1; }
    TopicView .topic-title { text-style: bold; color: $accent; }
    TopicView .topic-links { color: $text-muted; }
    TopicView .snippet-code { background: $boost; padding: 0 1; margin-bottom: 1; }
    """

    def __init__(self, runner: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._runner = runner
        self._shown: tuple[str, str] | None = None

    async def show(self, topic: Topic | None, curriculum: Curriculum, lang: str) -> None:
        """Shows `topic` (None: a hint); rebuilt only when the topic or the language changes."""
        shown = (topic.id if topic else "", lang)
        if shown == self._shown and topic is not None:
            return
        self._shown = shown
        await self.remove_children()
        if topic is None:
            await self.mount(Label("No topics to discuss yet.", classes="muted"))
            return
        widgets: list[Any] = [
            Label(topic.title.get(lang), classes="topic-title", markup=False),
            Markdown(topic.notes.get(lang) if topic.notes else "*No notes.*"),
        ]
        if topic.links:
            widgets.append(Label("\n".join(topic.links), classes="topic-links", markup=False))
        for snippet_id in topic.snippets:
            snippet = curriculum.snippets.get(snippet_id)
            if snippet is not None:
                widgets.append(self._snippet_widget(snippet))
        await self.mount_all(widgets)

    def _snippet_widget(self, snippet: Any) -> Any:
        try:
            from tracker.ui.widgets.snippet_pane import SnippetPane
        except ImportError:  # the runner's pane is not installed: show the code alone
            return Static(snippet.code.rstrip(), classes="snippet-code", markup=False)
        return SnippetPane(snippet, self._runner)
