"""Provides how items, parts and dates are put into words on screen (pure; no Textual)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.curriculum import (
    Chapter,
    Curriculum,
    Item,
    Lang,
    Location,
    Meeting,
    mentor_key,
    position_key,
)
from tracker.domain.item_kinds import ITEM_KINDS, item_text, resume_at
from tracker.domain.terminal_text import inert

if TYPE_CHECKING:
    from tracker.domain.curriculum import Resource
    from tracker.domain.progress import PartState

__all__ = [
    "chapter_at",
    "interval_words",
    "item_title",
    "item_title_parts",
    "meeting_title",
    "name_keys",
    "notes_key",
    "open_address",
    "parse_hms",
    "parts_summary",
    "short_due",
    "where",
    "youtube_at",
]


def parts_summary(item: Item) -> str:
    """The item's parts in brief: `2.6–2.8`, `A.1, A.2`, `ex 6–11`, `up to 01:11:38`."""
    return ITEM_KINDS[item.kind].summary(item)


def item_title(item: Item, curriculum: Curriculum | None, lang: Lang = "en") -> str:
    """One line for an item: `Build a Large Language Model · 2.6–2.8`, or a task's words.

    Args:
        item: The item.
        curriculum: The curriculum, to look up the resource's title (None: use the id).
        lang: "en" or "hy".

    Returns:
        The line, without markup.
    """
    name, detail = item_title_parts(item, curriculum, lang)
    return f"{name} · {detail}" if detail else name


def item_title_parts(
    item: Item, curriculum: Curriculum | None, lang: Lang = "en"
) -> tuple[str, str]:
    """`item_title` in two: the resource's name, and what of it (parts and scope), which is
    what tells two items of one resource apart: a narrow row cuts the name, not this.

    Args:
        item: The item.
        curriculum: The curriculum, to look up the resource's title (None: use the id).
        lang: "en" or "hy".

    Returns:
        `("Build a Large Language Model", "2.6–2.8")`; a task's words and "".
    """
    if (text := item_text(item)) is not None:
        return text.get(lang), ""
    resource = curriculum.resources.get(item.resource or "") if curriculum else None
    name = resource.title.get(lang) if resource else (item.resource or item.id)
    words = [parts_summary(item), item.scope.get(lang) if item.scope else ""]
    return name, " · ".join(word for word in words if word)


def meeting_title(meeting: Meeting, lang: Lang = "en") -> str:
    """`Thu 28/03/2024 · For the next meeting`."""
    head = meeting.date.strftime("%a %d/%m/%Y")
    return f"{head} · {meeting.title.get(lang)}" if meeting.title else head


def youtube_at(url: str, seconds: int) -> str:
    """`url` with `&t=<seconds>s` when it is a YouTube watch URL (otherwise unchanged)."""
    if seconds <= 0 or not any(h in url for h in ("youtube.com/watch", "youtu.be/")):
        return url
    return f"{url}{'&' if '?' in url else '?'}t={int(seconds)}s"


def interval_words(interval: timedelta) -> str:
    """When a card comes back, in brief: `1 min`, `10 min`, `5 h`, `1 day`, `8 days`, `3 months`."""
    minutes = max(1, round(interval.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{round(minutes / 60)} h"
    days = round(minutes / (24 * 60))
    if days < 60:
        return f"{days} day{'s' * (days != 1)}"
    if days < 365 * 2:
        return f"{round(days / 30)} months"
    return f"{round(days / 365)} years"


def open_address(
    item: Item, resource: Resource | None, states: Mapping[str, PartState]
) -> str | None:
    """The address `o` opens for `item`, as the item screen shows it (to copy where no browser
    can be started): a YouTube video where it continues (`resume_at`), a file in its repository.

    Args:
        item: The item.
        resource: Its resource (None: the item has no address).
        states: The mentee's progress, for a video's saved position.

    Returns:
        The address, or None when the item has none.
    """
    address = ITEM_KINDS[item.kind].url(item, resource)
    return youtube_at(address, resume_at(item, states)) if address else None


def parse_hms(text: str) -> int:
    """Seconds from a position as typed or pasted: `hh:mm:ss`, `mm:ss`, `ss`, `2266s`, `t=2266`.

    The same reading as the curriculum's (`tracker.content.ranges.parse_timestamp`), so a
    pasted link gets the same "did you mean" in the dialog as in YAML, except that a look-alike
    colon (`30։27`, typed on an Armenian keyboard) is read as `:`: the typist's intent is clear,
    and the dialog shows the reading (`→ 00:30:27`) before it is saved.

    Args:
        text: What the user typed.

    Returns:
        The seconds.

    Raises:
        ValueError: The text is not a time; the message says what is wrong.
    """
    from tracker.content.ranges import parse_timestamp, plain_colons  # not for the agenda

    return parse_timestamp(plain_colons(text))


def chapter_at(chapters: Sequence[Chapter], seconds: int) -> Chapter | None:
    """The chapter playing at `seconds` (the last one starting at or before it)."""
    found = None
    for chapter in chapters:
        if chapter.start <= seconds:
            found = chapter
    return found


def notes_key(item: Item) -> str:
    """The key under which the mentee's notes on `item` are kept: `item/{id}`."""
    return f"item/{item.id}"


def short_due(item: Item) -> str:
    """`due 08/04 · #3` for an item."""
    return f"due {item.meeting.strftime('%d/%m')} · #{item.order}"


def name_keys(words: str, keys: Iterable[str], curriculum: Curriculum | None, lang: Lang) -> str:
    """`words` with each progress key in `keys` put as the mentee knows it.

    `cleared the position of tok-video/position` becomes `cleared the position of Let's build
    the GPT Tokenizer`; `unticked llm-book/2.6` becomes `unticked Build a Large Language Model
    2.6`; `removed the note on item/w2-book` names the item as the agenda does. Keys the
    curriculum does not know (any more) are left as they are.

    Args:
        words: What the store says it did (an undo's description).
        keys: The progress keys the words name.
        curriculum: The curriculum (None while it loads: the words are left as they are).
        lang: "en" or "hy".

    Returns:
        The words with the keys replaced.
    """
    if curriculum is None:
        return words
    names: dict[str, str] = {}
    parts: dict[str, tuple[str, str]] = {}
    """A part's key -> its resource's title and its label, for a list of parts of one resource."""
    for item in curriculum.items:
        resource = curriculum.resources.get(item.resource or "")
        title = resource.title.get(lang) if resource else ""
        if resource is not None:
            names[position_key(resource.id)] = title
        if item.mentor_todo is not None:
            names[mentor_key(item.id)] = f"the mentor's “{item.mentor_todo.get(lang)}”"
        names[notes_key(item)] = item_title(item, curriculum, lang)  # "the note on ..."
        text = item_text(item)
        for part in item.parts:
            if text is not None:
                names[part.key] = f"“{text.get(lang)}”"
            elif title:
                names[part.key] = f"{title} {part.label}".strip()
                parts[part.key] = (title, part.label)
    known = sorted((key for key in set(keys) if key in names), key=len, reverse=True)
    if not known:
        return words
    pattern = re.compile("|".join(re.escape(key) for key in known))
    named: list[str] = []
    end = 0
    last_title: str | None = None
    for match in pattern.finditer(words):
        key = match.group()
        between = words[end : match.start()]
        named.append(between)
        titled = parts.get(key)
        if titled is not None and between == ", " and titled[0] == last_title:
            named.append(titled[1])  # "Build a Large Language Model 2.6, 2.7": the title once
        else:
            named.append(names[key])
        end, last_title = match.end(), titled[0] if titled is not None else None
    named.append(words[end:])
    return "".join(named)


def where(location: Location, root: Path) -> str:
    """`file:line:col`, the file relative to the curriculum's root where it is inside it.

    Args:
        location: Where a problem is.
        root: The curriculum's root.

    Returns:
        The location as Problems and an item's screen show it (escape sequences made inert).
    """
    path = Path(location.path)
    with contextlib.suppress(ValueError):
        # The folder resolved, not the file: a symlink loop or a dangling link keeps its name.
        real = Path(os.path.realpath(path.parent)) / path.name
        path = real.relative_to(root.resolve())
    return f"{inert(path.as_posix())}:{location.line}:{location.column}"
