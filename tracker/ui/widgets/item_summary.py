"""Provides `ItemSummary`: an item's title, resource, note and progress (with a video's chapter)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

from tracker.domain.item_kinds import ITEM_KINDS, colab_url, watched
from tracker.domain.progress import item_progress
from tracker.ui.labels import chapter_at, item_title, open_address, short_due, where

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tracker.domain.curriculum import Curriculum, Item, Lang
    from tracker.domain.progress import PartState

__all__ = ["ItemSummary"]


class ItemSummary(Vertical):
    """The head of the item screen."""

    DEFAULT_CSS = """
    ItemSummary { height: auto; padding: 0 1; background: $boost; }
    ItemSummary #summary-title { text-style: bold; }
    ItemSummary Horizontal { height: 1; }
    ItemSummary #summary-count { width: auto; padding-right: 1; }
    ItemSummary #summary-chapter {
        width: 1fr; color: $text-muted; padding-left: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="summary-title", markup=False)
        yield Static(id="summary-detail")
        with Horizontal():
            yield Label(id="summary-count")
            yield ProgressBar(show_eta=False, id="summary-bar")
            yield Label(id="summary-chapter", markup=False)

    def show(
        self, item: Item, curriculum: Curriculum, states: Mapping[str, PartState], lang: Lang
    ) -> None:
        """Shows `item` with its current progress."""
        resource = curriculum.resources.get(item.resource or "")
        self.query_one("#summary-title", Static).update(item_title(item, curriculum, lang))
        detail = RichText(short_due(item), style="bold")
        if resource is not None:
            by = f" by {resource.author}" if resource.author else ""
            detail.append(f"  {resource.kind}{by}  {open_address(item, resource, states) or ''}")
            if colab := colab_url(ITEM_KINDS[item.kind].url(item, resource)):
                detail.append(f"\nColab: {colab}")
        if item.note is not None:
            detail.append(f"\n{item.note.get(lang)}", style="italic")
        if item.mentor_todo is not None:
            detail.append(f"\nMentor's follow-up: {item.mentor_todo.get(lang)}", style="dim")
        for problem in item.problems:  # a misspelt key may have made it another kind of item
            located = where(problem.location, Path(curriculum.root))
            detail.append(f"\n⚠ {located}: {problem.severity}: {problem.message}", "bold yellow")
        if item.problems:
            detail.append("\n  This item may not be what the mentor meant (p: Problems).")
        self.query_one("#summary-detail", Static).update(detail)
        progress = item_progress(item, states)
        spec = ITEM_KINDS[item.kind]
        position = watched(item, states) or 0
        count = spec.count(item, progress.done, progress.total, position, short=False)
        chapter_words = ""
        if spec.has_position and resource is not None:
            chapter = chapter_at(resource.chapters, position)
            chapter_words = f"chapter: {chapter.title}" if chapter else ""
        self.query_one("#summary-count", Label).update(count)
        self.query_one("#summary-chapter", Label).update(chapter_words)
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
