"""Provides `render_markdown`: the report as Markdown that reads well in a GitHub issue or a chat.

One mentee: task lists (`- [x]`) grouped into done, partly done, not started and carried over.
Several mentees: tables with one column per mentee.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.domain.curriculum import format_hms
from tracker.report.model import (
    ItemLine,
    ItemStatus,
    MenteeReport,
    Report,
    Section,
)
from tracker.report.timing import format_duration

__all__ = ["format_date", "render_markdown"]

NONE = "_None._"
"""What an empty section says."""


def format_date(day: date) -> str:
    """A date as the mentor writes it: `16/04/2024`."""
    return day.strftime("%d/%m/%Y")


def render_markdown(report: Report) -> str:
    """Renders the report as Markdown.

    Args:
        report: The report.

    Returns:
        The Markdown text, ending with a newline.
    """
    lines = [f"# Report for the meeting of {format_date(report.meeting)}", ""]
    if len(report.mentees) == 1:
        lines += _single(report, report.mentees[0])
    else:
        lines += _several(report)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _period(report: Report) -> str:
    return f"since {format_date(report.since)}" if report.since else "all time"


def _carried(line: ItemLine) -> str:
    return line.carried_text


def _task_line(line: ItemLine) -> str:
    box = "x" if line.status is ItemStatus.DONE else " "
    text = f"- [{box}] **{line.title}**"
    if line.kind.value != "task":
        text += f": {line.detail}"
    if carried := _carried(line):
        text += f" ({carried})"
    return text


def _section(title: str, body: Sequence[str]) -> list[str]:
    return [f"## {title}", "", *(body or [NONE]), ""]


def _single(report: Report, mentee: MenteeReport) -> list[str]:
    lines = [f"Mentee: **{mentee.name}** · {_period(report)} · {_time_words(mentee)}", ""]
    due = [line for line in mentee.items if line.section is Section.DUE]
    for title, status in (
        ("Done", ItemStatus.DONE),
        ("Partly done", ItemStatus.PARTIAL),
        ("Not started", ItemStatus.NOT_STARTED),
    ):
        lines += _section(title, [_task_line(x) for x in due if x.status is status])
    carried = [x for x in mentee.items if x.section is Section.CARRIED]
    lines += _section("Carried over", [_task_line(x) for x in carried])
    lines += _section(
        "Mentor's TODOs",
        [
            f"- [{'x' if t.is_done else ' '}] {t.text} ({format_date(t.meeting)})"
            for t in mentee.todos
        ],
    )
    accuracy = [
        f"| {_cell(a.title)} | {a.reviews} | {a.correct} | {a.accuracy:.0%} |"
        for a in mentee.accuracy
    ]
    if accuracy:
        accuracy = ["| topic | answers | right | accuracy |", "|---|--:|--:|--:|", *accuracy]
    lines += _section(f"Quiz accuracy ({_period(report)})", accuracy)
    lines += _section("Cards that keep lapsing", _lapsing_table([mentee]))
    lines += _section(
        "Questions from the mentee",
        [f"- [{'x' if q.is_done else ' '}] {q.text}" for q in mentee.questions],
    )
    if mentee.orphans:
        lines += _section("No longer in the curriculum", _orphan_lines(mentee))
    return lines


def _time_words(mentee: MenteeReport) -> str:
    time = mentee.time
    if not time.days:
        return "no activity recorded"
    return f"about {format_duration(time.seconds)} over {time.days} day{'s' * (time.days != 1)}"


def _status_cell(line: ItemLine) -> str:
    if line.status is ItemStatus.DONE:
        text = "done"
    elif line.status is ItemStatus.PARTIAL:
        text = line.detail
    else:
        text = "not started"
    if carried := _carried(line):
        text += f", {carried}"
    return _cell(text)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _several(report: Report) -> list[str]:
    mentees = report.mentees
    names = [_cell(m.name) for m in mentees]
    header = [_row(["", *names]), "|" + "---|" * (len(names) + 1)]
    lines = [f"Mentees: {', '.join(f'**{m.name}**' for m in mentees)} · {_period(report)}", ""]

    rows = []
    for index, first in enumerate(mentees[0].items):
        label = f"**{_cell(first.title)}**"
        if first.kind.value != "task":
            label += f": {_cell(first.scope)}"
        if first.section is not Section.DUE:
            label += f" ({format_date(first.meeting)})"
        rows.append(_row([label, *(_status_cell(m.items[index]) for m in mentees)]))
    lines += _section("Progress", [*header, *rows] if rows else [])

    time_row = _row(
        [
            "about",
            *(
                f"{format_duration(m.time.seconds)} over {m.time.days} d" if m.time.days else "–"
                for m in mentees
            ),
        ]
    )
    lines += _section(f"Time spent ({_period(report)})", [*header, time_row])

    todo_keys: dict[tuple[str, str], None] = {}
    for mentee in mentees:
        for todo in mentee.todos:
            todo_keys.setdefault((todo.item_id, todo.text), None)
    todo_rows = []
    for item_id, text in todo_keys:
        cells = []
        for mentee in mentees:
            match = [t for t in mentee.todos if (t.item_id, t.text) == (item_id, text)]
            cells.append("done" if match and match[0].is_done else "open" if match else "done")
        todo_rows.append(_row([_cell(text), *cells]))
    lines += _section("Mentor's TODOs", [*header, *todo_rows] if todo_rows else [])

    topics: dict[str, str] = {}
    for mentee in mentees:
        for acc in mentee.accuracy:
            topics.setdefault(acc.topic, acc.title)
    acc_rows = []
    for topic, title in sorted(topics.items()):
        cells = []
        for mentee in mentees:
            found = [a for a in mentee.accuracy if a.topic == topic]
            cells.append(
                f"{found[0].correct}/{found[0].reviews} ({found[0].accuracy:.0%})" if found else "–"
            )
        acc_rows.append(_row([_cell(title), *cells]))
    lines += _section(
        f"Quiz accuracy ({_period(report)})", [*header, *acc_rows] if acc_rows else []
    )

    lines += _section("Cards that keep lapsing", _lapsing_table(mentees, with_name=True))

    questions = [
        f"- [{'x' if q.is_done else ' '}] **{m.name}**: {q.text}"
        for m in mentees
        for q in m.questions
    ]
    lines += _section("Questions from the mentees", questions)

    orphans = [line for m in mentees for line in _orphan_lines(m, with_name=True)]
    if orphans:
        lines += _section("No longer in the curriculum", orphans)
    return lines


def _lapsing_table(mentees: Sequence[MenteeReport], *, with_name: bool = False) -> list[str]:
    rows = []
    for mentee in mentees:
        for card in mentee.lapsing:
            cells = [f"`{card.question}`", _cell(card.topic), _cell(card.prompt), str(card.lapses)]
            rows.append(_row([_cell(mentee.name), *cells] if with_name else cells))
    if not rows:
        return []
    head = ["question", "topic", "prompt", "lapses"]
    if with_name:
        head = ["mentee", *head]
    return [_row(head), "|" + "---|" * (len(head) - 1) + "--:|", *rows]


def _orphan_lines(mentee: MenteeReport, *, with_name: bool = False) -> list[str]:
    lines = []
    for orphan in mentee.orphans:
        what = "done" if orphan.is_done else "in progress"
        if orphan.position is not None:
            what = f"at {format_hms(orphan.position)}"
        when = f" (last changed {format_date(orphan.updated.date())})" if orphan.updated else ""
        who = f"**{mentee.name}**: " if with_name else ""
        lines.append(f"- {who}`{orphan.key}`: {what}{when}")
    return lines


def _cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
