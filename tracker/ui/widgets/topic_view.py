"""Provides `TopicView`: a discussion topic's Markdown notes, links and live snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import VerticalScroll
from textual.widgets import Label, Markdown

from tracker.ui.widgets.snippet_pane import SnippetPane

if TYPE_CHECKING:
    from tracker.domain.curriculum import Curriculum, Topic

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

    async def show(self, topic: Topic | None, curriculum: Curriculum, lang: str) -> None:
        """Shows `topic` (None: a hint); rebuilt only when it, its snippets or the language change."""
        snippets = tuple(curriculum.snippets.get(s) for s in topic.snippets) if topic else ()
        shown = (topic, snippets, lang)
        if shown == self._shown:
            return
        self._shown = None
        await self.remove_children()
        if topic is None:
            await self.mount(Label("No topics to discuss yet.", classes="muted"))
            self._shown = shown
            return
        widgets: list[Any] = [
            Label(topic.title.get(lang), classes="topic-title", markup=False),
            Markdown(topic.notes.get(lang) if topic.notes else "*No notes.*"),
        ]
        if topic.links:
            widgets.append(Label("\n".join(topic.links), classes="topic-links", markup=False))
        widgets += [SnippetPane(snippet, self._runner) for snippet in snippets if snippet]
        await self.mount_all(widgets)
        self._shown = shown
