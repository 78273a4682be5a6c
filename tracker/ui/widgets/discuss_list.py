"""Provides `DiscussList`: what to talk about at a meeting: its topics, then the lapsing cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Label, ListItem, ListView

if TYPE_CHECKING:
    from tracker.domain.curriculum import Lang, Question, Topic

__all__ = ["DiscussList", "GroupRow", "TalkRow", "prompt_line", "replace_rows"]


def prompt_line(question: Question, lang: Lang) -> str:
    """The first line of a question's prompt, which is enough to recognise it."""
    text = question.prompt.get(lang).strip()
    return text.splitlines()[0] if text else question.id


class GroupRow(ListItem):
    """A small heading inside the list (`from 28/03 · carried x3`); the cursor skips it."""

    DEFAULT_CSS = """
    GroupRow { height: 1; padding: 0 0 0 1; color: $text-muted; text-style: italic; }
    GroupRow:disabled { color: $text-muted; }
    """

    def __init__(self, heading: str) -> None:
        super().__init__(disabled=True)
        self.heading = heading
        """The words shown."""

    def render(self) -> Content:
        return Content(self.heading)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1  # one line, whatever the width (ListView gives its items `height: auto`)


def replace_rows(view: ListView, rows: Sequence[ListItem]) -> None:
    """Replaces a list's rows, keeping the cursor at its place or the next row that is no heading.

    Args:
        view: The list.
        rows: Its new rows (`GroupRow` headings are disabled: the cursor skips them).
    """
    index = view.index
    view.clear()
    if view.children:  # the old rows leave after this call: the new ones go before them, so
        view.mount(*rows, before=0)  # that `index` counts the new rows from the first
    else:
        view.extend(rows)
    if any(not row.disabled for row in rows):
        index = min(index or 0, len(rows) - 1)
        while rows[index].disabled and index + 1 < len(rows):
            index += 1
        view.index = index


class TalkRow(ListItem):
    """One thing to talk about: a topic's title, or a lapsing card's prompt and lapse count."""

    DEFAULT_CSS = """
    TalkRow { height: 1; }
    TalkRow Horizontal { height: 1; }
    TalkRow .talk { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    TalkRow .lapses { width: auto; color: $warning; padding: 0 1; }
    TalkRow.-card { padding-left: 2; }
    """

    def __init__(self, key: str, words: str, lapses: int = 0, *, topic_id: str | None) -> None:
        super().__init__(classes="-card" if topic_id is None else "")
        self.key = key
        """`topic/{id}` or `card/{question id}`: what the row stands for."""
        self.topic_id = topic_id
        """The topic to open in Discuss (None for a card)."""
        self.words = words
        """The topic's title or the card's prompt (its first line)."""
        self.lapses = lapses
        """How often the card lapsed (0 for a topic)."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.words, classes="talk", markup=False)
            yield Label(f"lapsed {self.lapses}x" if self.lapses else "", classes="lapses")


def _signature(rows: Sequence[object]) -> list[tuple[str, str, int]]:
    """What the rows show, to tell whether the list must be rebuilt."""
    found: list[tuple[str, str, int]] = []
    for row in rows:
        if isinstance(row, TalkRow):
            found.append((row.key, row.words, row.lapses))
        elif isinstance(row, GroupRow):
            found.append(("", row.heading, 0))
    return found


class DiscussList(ListView):
    """The next meeting's topics, then cards that keep lapsing; enter opens Discuss."""

    DEFAULT_CSS = """
    DiscussList { height: auto; max-height: 100%; }
    DiscussList.-cards-only TalkRow.-card { padding-left: 0; }
    """

    @dataclass
    class Opened(Message):
        """The user chose a row: show the Discuss screen (at the topic, if it is one)."""

        discuss_list: DiscussList
        topic_id: str | None

        @property
        def control(self) -> DiscussList:
            return self.discuss_list

    def show(
        self,
        topics: Sequence[Topic],
        leeches: Sequence[tuple[Question, int]],
        lang: Lang,
        *,
        card_heading: str = "cards from reviews that keep lapsing",
    ) -> None:
        """Shows `topics` (in the mentor's order) and, under a heading, `leeches`.

        Args:
            topics: The meeting's topics.
            leeches: `(question, lapses)` pairs, most lapses first.
            lang: "en" or "hy".
            card_heading: The small heading above the cards ("" for none).
        """
        rows: list[ListItem] = [
            TalkRow(f"topic/{t.id}", t.title.get(lang), topic_id=t.id) for t in topics
        ]
        if leeches and card_heading:
            rows.append(GroupRow(card_heading))
        rows += [
            TalkRow(f"card/{q.id}", prompt_line(q, lang), lapses, topic_id=None)
            for q, lapses in leeches
        ]
        if _signature(self.children) != _signature(rows):
            replace_rows(self, rows)

    @property
    def keys(self) -> list[str]:
        """The keys of the rows shown (`topic/{id}`, `card/{id}`), in order."""
        return [row.key for row in self.query_children(TalkRow)]

    @on(ListView.Selected)
    def _opened(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, TalkRow):
            self.post_message(self.Opened(self, event.item.topic_id))
