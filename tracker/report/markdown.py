"""Provides `render_markdown`: the report as Markdown that reads well in a GitHub issue or a chat.

One mentee: task lists (`- [x]`) grouped into done, partly done, not started and carried over.
Several mentees: tables with one column per mentee.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.domain.agenda import short_date
from tracker.domain.curriculum import format_hms
from tracker.report.model import (
    ItemLine,
    ItemStatus,
    MenteeReport,
    QuestionLine,
    Report,
    ReportSection,
    TodoLine,
)
from tracker.report.timing import format_duration

__all__ = ["format_date", "render_markdown", "window_words"]

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
    """The window, short: `08/04/2024 to 15/04/2024` (for section titles)."""
    start = format_date(report.since) if report.since else "the start"
    return f"{start} to {format_date(report.until)}" if report.until else f"since {start}"


def window_words(report: Report) -> str:
    """The report's window in words, for the header.

    `from the meeting of 08/04/2024 to today (15/04/2024)`, `from 01/11/2026 (--since) to
    16/04/2024 (--today)`, `from the start to today (28/03/2024)`.
    """
    if report.since is None:
        start = "from the start"
    elif report.is_since_given:
        start = f"from {format_date(report.since)} (--since)"
    else:
        start = f"from the meeting of {format_date(report.since)}"
    if report.until is None:
        return start
    end = format_date(report.until)
    return f"{start} to {end} (--today)" if report.is_as_of else f"{start} to today ({end})"


def _past_note(report: Report) -> list[str]:
    """A line when the meeting's day is behind the window's end: what the report then covers."""
    if report.until is None or report.meeting >= report.until:
        return []
    return [
        f"_The meeting of {format_date(report.meeting)} is past: everything done since "
        f"{'the start' if report.since is None else format_date(report.since)} is reported, "
        f"up to {format_date(report.until)}._",
        "",
    ]


def _carried(line: ItemLine) -> str:
    words = [line.carried_text] if line.carried_text else []
    first = line.first_assigned
    if line.section is ReportSection.FINISHED or (
        first is not None and first < line.meeting and not line.reassigned_from
    ):
        words.append(f"first assigned {short_date(first or line.meeting)}")
    return ", ".join(words)


def _task_line(line: ItemLine) -> str:
    box = "x" if line.status is ItemStatus.DONE else " "
    text = f"- [{box}] **{line.title}**"
    if line.kind.value != "task":
        text += f": {line.detail}"
    if carried := _carried(line):
        text += f" ({carried})"
    return text


def _todo_line(todo: TodoLine) -> str:
    text = f"- [{'x' if todo.is_done else ' '}] {todo.text} ({format_date(todo.meeting)})"
    if todo.ready is not None and not todo.is_done:
        text += f": **ready**, “{todo.task}” done on {short_date(todo.ready)}"
    return text


def _question_line(question: QuestionLine, meeting: date, who: str = "") -> str:
    text = f"- [{'x' if question.is_done else ' '}] {who}{question.text}"
    if question.meeting is not None and question.meeting < meeting:
        text += f" (asked for {short_date(question.meeting)}, still open)"
    return text


def _section(title: str, body: Sequence[str]) -> list[str]:
    return [f"## {title}", "", *(body or [NONE]), ""]


def _single(report: Report, mentee: MenteeReport) -> list[str]:
    lines = [
        f"Mentee: **{mentee.name}** · {window_words(report)} · {_time_words(mentee)}",
        "",
        *_past_note(report),
    ]
    due = [line for line in mentee.items if line.section is ReportSection.DUE]
    finished = [line for line in mentee.items if line.section is ReportSection.FINISHED]
    lines += _section(
        "Done", [_task_line(x) for x in [*due, *finished] if x.status is ItemStatus.DONE]
    )
    for title, status in (
        ("Partly done", ItemStatus.PARTIAL),
        ("Not started", ItemStatus.NOT_STARTED),
    ):
        lines += _section(title, [_task_line(x) for x in due if x.status is status])
    optional = [x for x in mentee.items if x.section is ReportSection.OPTIONAL]
    if optional:
        lines += _section(
            "If you had time (optional)",
            [_task_line(x) + _OPTIONAL_WORDS.get(x.status, "") for x in optional],
        )
    carried = [x for x in mentee.items if x.section is ReportSection.CARRIED]
    lines += _section("Carried over", [_task_line(x) for x in carried])
    lines += _section("Mentor's TODOs", [_todo_line(t) for t in mentee.todos])
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
        [_question_line(q, report.meeting) for q in mentee.questions],
    )
    if mentee.orphans:
        lines += _section("No longer in the curriculum", _orphan_lines(mentee))
    return lines


_OPTIONAL_WORDS = {ItemStatus.SKIPPED: " — skipped", ItemStatus.NOT_STARTED: " — not done yet"}
"""What an optional item's line adds: skipped once its meeting's day has come, else not yet."""


def _time_words(mentee: MenteeReport) -> str:
    time = mentee.time
    if not time.days:
        return "no activity recorded"
    days = f"{time.days} day{'s' * (time.days != 1)}"
    if time.seconds < 60:  # a few ticks in a row: no minute to speak of
        return f"under a minute over {days}"
    return f"about {format_duration(time.seconds)} over {days}"


def _status_cell(line: ItemLine) -> str:
    if line.status is ItemStatus.DONE:
        text = "done"
    elif line.status is ItemStatus.PARTIAL:
        text = line.detail
    elif line.status is ItemStatus.SKIPPED:
        text = "skipped (optional)"
    else:
        text = "not started"
    if not line.is_listed:  # finished before the window, or reported by another line
        return _cell(text)
    if carried := _carried(line):
        text += f", {carried}"
    return _cell(text)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _several(report: Report) -> list[str]:
    mentees = report.mentees
    names = [_cell(m.name) for m in mentees]
    header = [_row(["", *names]), "|" + "---|" * (len(names) + 1)]
    lines = [
        f"Mentees: {', '.join(f'**{m.name}**' for m in mentees)} · {window_words(report)}",
        "",
        *_past_note(report),
    ]

    rows = []
    for index, first in enumerate(mentees[0].items):
        if not any(m.items[index].is_listed for m in mentees):
            continue
        label = f"**{_cell(first.title)}**"
        if first.kind.value != "task":
            label += f": {_cell(first.scope)}"
        if first.section is ReportSection.OPTIONAL:
            label += " (optional)"
        elif first.section is not ReportSection.DUE:
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
            if match and not match[0].is_done and match[0].ready is not None:
                cells.append(f"ready ({short_date(match[0].ready)})")
            else:
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
        _question_line(q, report.meeting, f"**{m.name}**: ") for m in mentees for q in m.questions
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
