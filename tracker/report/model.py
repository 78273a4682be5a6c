"""Provides the next-meeting report as a pure data model: `build_report(...) -> Report`.

The Markdown and JSON renderers (`tracker.report.markdown`, `tracker.report.json_form`) only
format what is here, so the report's content is tested on these values.

What a report holds, for one meeting and one or more mentees:

- the meeting's own items (the mentee's), each done, partly done (with exact positions) or
  not started;
- items of earlier meetings that are still unfinished: carried over, `carried xN since DATE`,
  `re-assigned from DATE`, exactly as the agenda (`tracker.domain.agenda`) words and merges them;
- the mentor's TODOs (the "HB TODO" marks and items owned by the mentor) still open;
- quiz accuracy per topic and the cards that keep lapsing (reviews from `since` on);
- the mentee's questions for the meeting; the time spent (`tracker.report.timing`);
- progress recorded under keys that are no longer in the curriculum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from tracker.clock import Clock
from tracker.domain.agenda import Agenda, AgendaEntry, build_agenda, finished_at, next_meeting
from tracker.domain.curriculum import Curriculum, Item, ItemKind, Lang, Owner
from tracker.domain.item_kinds import ITEM_KINDS, watched
from tracker.domain.progress import PartState, is_question_for, item_progress
from tracker.domain.scheduling import LEECH_LAPSES
from tracker.domain.spans import furthest, spans_of
from tracker.quiz.engine import accuracy_by_topic
from tracker.report.snapshot import ProgressSnapshot
from tracker.report.summary import ProgressSummary, Window, summarize
from tracker.report.timing import TimeSpent

__all__ = [
    "AccuracyLine",
    "ItemLine",
    "ItemStatus",
    "Lapsing",
    "MenteeReport",
    "Orphan",
    "QuestionLine",
    "Report",
    "ReportSection",
    "TodoLine",
    "build_report",
    "default_meeting",
    "report_window",
]


class ItemStatus(StrEnum):
    """How far an item is."""

    DONE = "done"
    PARTIAL = "partial"
    NOT_STARTED = "not_started"
    SKIPPED = "skipped"
    """An optional item ("if you have time") not started by its meeting's day; before that day
    it is `NOT_STARTED`, and one begun is `PARTIAL`."""


class ReportSection(StrEnum):
    """Why an item is in the report."""

    DUE = "due"
    """An item of the meeting's own list."""
    CARRIED = "carried"
    """An unfinished item of an earlier meeting."""
    FINISHED = "finished"
    """An item of an earlier meeting finished within the report's window: listed under Done,
    with the meeting that first assigned it."""
    MERGED = "merged"
    """An item of an earlier meeting whose work another line of the report covers (a later item
    assigns its rest again, or reports the same parts done): counted there, not listed twice."""
    OPTIONAL = "optional"
    """An optional item of the meeting's own list ("if you have time"): done or skipped."""
    EARLIER = "earlier"
    """An item of an earlier meeting finished before the window (an earlier report had it)."""


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item, as far as one mentee has got with it."""

    item_id: str
    meeting: date
    """The meeting whose list the item is on."""
    order: int
    kind: ItemKind
    resource: str | None
    title: str
    """The resource's title, or a task's text."""
    scope: str
    """What was assigned, in words: `units 2.1-2.7`, `video up to 01:11:38`."""
    status: ItemStatus
    detail: str
    """The scope when done or not started; the exact point reached when partly done:
    `units 2.1-2.5 of 2.1-2.7`, `video at 00:52:10 of 01:11:38`."""
    done: int
    """Parts done (a video: seconds watched past its start)."""
    total: int
    section: ReportSection
    done_parts: tuple[str, ...] = ()
    """Labels of the parts done, in order."""
    position: int | None = None
    """A video: the saved position in seconds."""
    carried: int = 0
    """How many meetings after its own, up to this one, the item stayed unfinished."""
    carried_since: date | None = None
    """The item's own meeting, when carried."""
    reassigned_from: tuple[date, ...] = ()
    """Earlier meetings whose unfinished parts this item assigns again (merged into it)."""
    carried_text: str = ""
    """`carried x2 since 28/03, re-assigned from 28/03`, as the agenda words it; "" when on time."""
    first_assigned: date | None = None
    """The first meeting that assigned this work (its own, or an earlier one merged into it)."""
    finished: datetime | None = None
    """When the item was finished (its last part done; a video's segment: when it became
    watched whole), if it is."""
    merged_into: str | None = None
    """For a `merged` item: the item whose line reports its work."""

    @property
    def is_listed(self) -> bool:
        """Whether the Markdown lists the line (the JSON holds every line)."""
        return self.section in (
            ReportSection.DUE,
            ReportSection.CARRIED,
            ReportSection.FINISHED,
            ReportSection.OPTIONAL,
        )


@dataclass(frozen=True, slots=True)
class TodoLine:
    """Something the mentor owes."""

    item_id: str
    meeting: date
    text: str
    is_done: bool
    ready: date | None = None
    """When the mentee finished the task this TODO waits on (the TODO is ready to do)."""
    task: str = ""
    """That task's text (or its resource's title), when the TODO waits on one."""


@dataclass(frozen=True, slots=True)
class AccuracyLine:
    """Quiz answers on one topic over the report's period."""

    topic: str
    title: str
    reviews: int
    correct: int

    @property
    def accuracy(self) -> float:
        """The share answered right, between 0.0 and 1.0."""
        return self.correct / self.reviews if self.reviews else 0.0


@dataclass(frozen=True, slots=True)
class Lapsing:
    """A card that keeps lapsing."""

    question: str
    topic: str
    prompt: str
    lapses: int


@dataclass(frozen=True, slots=True)
class QuestionLine:
    """A question the mentee brings."""

    text: str
    asked: datetime
    is_done: bool = False
    """Whether the mentee ticked it as answered."""
    meeting: date | None = None
    """The meeting it was asked for (an earlier one when it carried over unanswered)."""


@dataclass(frozen=True, slots=True)
class Orphan:
    """Progress recorded under a key that is no longer in the curriculum."""

    key: str
    is_done: bool
    position: int | None
    updated: datetime | None


@dataclass(frozen=True, slots=True)
class MenteeReport:
    """The report's content for one mentee."""

    name: str
    items: tuple[ItemLine, ...]
    """Due items in the mentor's order, then carried (and `earlier`) items by meeting and order."""
    todos: tuple[TodoLine, ...]
    accuracy: tuple[AccuracyLine, ...]
    """In curriculum order (`tracker.quiz.engine.topic_accuracy`); removed questions last."""
    lapsing: tuple[Lapsing, ...]
    """Most lapses first."""
    questions: tuple[QuestionLine, ...]
    time: TimeSpent
    orphans: tuple[Orphan, ...]
    """By key."""


@dataclass(frozen=True, slots=True)
class Report:
    """The next-meeting report."""

    meeting: date
    previous: date | None
    """The meeting before, if any."""
    since: date | None
    """The window's first day: what was done from this day on is reported (None: all time)."""
    mentees: tuple[MenteeReport, ...]
    until: date | None = None
    """The window's last day: today, or the `--today` date (None: no end)."""
    is_since_given: bool = False
    """Whether `since` came from `--since` (else it is the previous meeting's day)."""
    is_as_of: bool = False
    """Whether `until` is a fixed date (`--today`) rather than the real today."""


# --- building ---------------------------------------------------------------------------------


def default_meeting(curriculum: Curriculum, today: date) -> date | None:
    """The meeting a report is for when none is named: the agenda's next meeting from `today`.

    Args:
        curriculum: The curriculum.
        today: The user's date (`Clock.today()`: local, or `--today`).

    Returns:
        The first meeting on or after today; the last meeting when all are past; None when
        the curriculum has no meetings.
    """
    found = next_meeting(curriculum.meetings, today)
    return found.date if found is not None else None


def report_window(
    curriculum: Curriculum, meeting: date, since: date | None = None, *, clock: Clock | None = None
) -> Window:
    """The window a report for `meeting` covers: what a progress summary must be read for.

    It runs from the previous meeting's day (or `since`) up to now (the clock's: the end of the
    `--today` day when the date is fixed), whatever the meeting's own date: a meeting in the
    past with none after it still reports everything done since.

    Args:
        curriculum: The loaded curriculum.
        meeting: The date of one of the curriculum's meetings.
        since: The window's first day; default: the previous meeting's day (all time when
            there is none).
        clock: Today and now, in the user's zone (default: the real clock).

    Returns:
        The window, in UTC instants.

    Raises:
        ValueError: No meeting of the curriculum is on `meeting`, or `since` is after today
            (the message says why).
    """
    clock = clock if clock is not None else Clock()
    if meeting not in {m.date for m in curriculum.meetings}:
        raise ValueError(f"the curriculum has no meeting on {meeting.isoformat()}")
    today = clock.today()
    if since is not None and since > today:
        raise ValueError(
            f"--since {since.strftime('%d/%m/%Y')} is after today ({today.strftime('%d/%m/%Y')}):"
            " nothing could have been done in that window"
        )
    start = since if since is not None else _previous(curriculum, meeting)
    return Window(clock.start_of(start) if start is not None else None, clock.now())


def _previous(curriculum: Curriculum, meeting: date) -> date | None:
    return max((m.date for m in curriculum.meetings if m.date < meeting), default=None)


def build_report(
    curriculum: Curriculum,
    snapshot: ProgressSnapshot | ProgressSummary | Sequence[ProgressSnapshot | ProgressSummary],
    meeting: date,
    since: date | None = None,
    *,
    lang: Lang = "en",
    clock: Clock | None = None,
) -> Report:
    """Builds the report for `meeting` from one or more mentees' progress.

    The report's window is `report_window(curriculum, meeting, since, clock=clock)`. A mentee's
    progress is a whole `ProgressSnapshot`, or a `ProgressSummary` read for that window (from
    the database or an export, without loading the event log); both give the same report.

    Args:
        curriculum: The loaded curriculum.
        snapshot: One mentee's snapshot or summary, or several (one column each when rendered).
        meeting: The date of one of the curriculum's meetings.
        since: The window's first day; default: the previous meeting's day (all time when
            there is none).
        lang: "en" or "hy", for titles and texts.
        clock: Today and now, in the user's zone (default: the real clock).

    Returns:
        The report.

    Raises:
        ValueError: No meeting of the curriculum is on `meeting`, `since` is after today (the
            message says why), or a summary was read for another window.
    """
    clock = clock if clock is not None else Clock()
    window = report_window(curriculum, meeting, since, clock=clock)
    given = [snapshot] if isinstance(snapshot, ProgressSnapshot | ProgressSummary) else snapshot
    read = {one.window for one in given if isinstance(one, ProgressSummary)}
    if read:  # summaries were read up to an instant of their own: the window ends there
        window = read.pop()
        if read or window.start != report_window(curriculum, meeting, since, clock=clock).start:
            raise ValueError("the progress summaries were read for another window")
    summaries = [
        summarize(one, window, day=clock.day_of) if isinstance(one, ProgressSnapshot) else one
        for one in given
    ]
    previous = _previous(curriculum, meeting)
    plans = [_plan(curriculum, s, meeting, window) for s in summaries]
    shown = {item.id for plan in plans for item in plan.items if plan.is_shown(item.id)}
    union = sorted(
        {item.id: item for plan in plans for item in plan.items}.values(),
        key=lambda it: (it.id not in shown, it.meeting != meeting, it.meeting, it.order),
    )
    mentees = []
    for summary, plan in zip(summaries, plans, strict=True):
        is_ahead = meeting > clock.today()  # optional work left is "not done yet", not skipped
        lines = tuple(
            _line(curriculum, plan, item, summary.states, lang, is_ahead=is_ahead) for item in union
        )
        mentees.append(
            MenteeReport(
                name=summary.name,
                items=lines,
                todos=_todos(curriculum, plan.agenda, summary.states, clock, lang),
                accuracy=_accuracy(curriculum, summary, lang),
                lapsing=_lapsing(curriculum, summary, lang),
                questions=_questions(summary, window, meeting),
                time=summary.time,
                orphans=_orphans(curriculum, summary.states),
            )
        )
    return Report(
        meeting=meeting,
        previous=previous,
        since=since if since is not None else previous,
        mentees=tuple(mentees),
        until=clock.today(),
        is_since_given=since is not None,
        is_as_of=clock.is_fixed,
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where each item of one mentee goes in the report, and why."""

    agenda: Agenda
    items: tuple[Item, ...]
    """Every mentee item of the meetings up to the report's, in curriculum order."""
    sections: Mapping[str, tuple[ReportSection, AgendaEntry]]
    """Item id -> its section and agenda entry."""
    finished: Mapping[str, datetime]
    """Item id -> when it was finished, for the finished items."""
    first: Mapping[str, date]
    """Item id -> the first meeting that assigned its work (merged items included)."""
    merged_into: Mapping[str, str]
    """A merged item's id -> the id of the line that reports its work."""

    def is_shown(self, item_id: str) -> bool:
        """Whether the item has a line of its own in the Markdown."""
        found = self.sections.get(item_id)
        return found is not None and found[0] in (
            ReportSection.DUE,
            ReportSection.CARRIED,
            ReportSection.FINISHED,
            ReportSection.OPTIONAL,
        )


def _plan(curriculum: Curriculum, summary: ProgressSummary, meeting: date, window: Window) -> _Plan:
    states, watching = summary.states, summary.watching
    agenda = build_agenda(curriculum, states, meeting, watching=watching)
    listed = {e.item.id: e for e in (*agenda.entries, *agenda.carried)}
    items = tuple(
        item
        for m in sorted(curriculum.meetings, key=lambda m: m.date)
        if m.date <= meeting
        for item in m.items
        if item.owner is Owner.MENTEE
    )
    finished = {
        item.id: at for item in items if (at := finished_at(item, states, watching)) is not None
    }
    first = {
        item.id: min((item.meeting, *listed[item.id].reassigned_from))
        if item.id in listed
        else item.meeting
        for item in items
    }
    merged_into: dict[str, str] = {}
    sections: dict[str, tuple[ReportSection, AgendaEntry]] = {}
    reported = _Lines()
    for entry in agenda.entries:
        reported.add(entry.item)
    # Latest first, so that an earlier item folds into the latest line that reports its work.
    for item in sorted(items, key=lambda it: (it.meeting, it.order), reverse=True):
        entry = listed.get(item.id) or AgendaEntry(item_progress(item, states))
        if item.meeting == meeting:
            sections[item.id] = (
                ReportSection.OPTIONAL if item.is_optional else ReportSection.DUE,
                entry,
            )
            continue
        if item.id in listed:
            sections[item.id] = (ReportSection.CARRIED, entry)
            reported.add(item)
            continue
        if item.id in finished:
            cover = reported.covering(item)
        else:  # unfinished and not carried: the agenda merged it into a later item
            cover = next(
                (
                    e.item
                    for e in listed.values()
                    if item.meeting in e.reassigned_from and e.item.resource == item.resource
                ),
                None,
            )
        if cover is not None:
            merged_into[item.id] = cover.id
            first[cover.id] = min(first[cover.id], first[item.id])
            sections[item.id] = (ReportSection.MERGED, entry)
        elif window.holds(finished.get(item.id)):
            sections[item.id] = (ReportSection.FINISHED, entry)
            reported.add(item)
        else:
            sections[item.id] = (ReportSection.EARLIER, entry)
    return _Plan(agenda, items, sections, finished, first, merged_into)


class _Lines:
    """The items that have a line of their own so far, indexed by the keys their work touches."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Item]] = {}

    def add(self, item: Item) -> None:
        for key in _work_keys(item):
            self._by_key.setdefault(key, []).append(item)

    def covering(self, earlier: Item) -> Item | None:
        """The first line (in the order added) whose item assigns all of `earlier`'s work."""
        keys = _work_keys(earlier)
        candidates = self._by_key.get(keys[0], []) if keys else []
        return next((line for line in candidates if _same_work(line, earlier)), None)


def _work_keys(item: Item) -> list[str]:
    """The progress keys an item's work is recorded under (its position, or its parts)."""
    position = ITEM_KINDS[item.kind].position_key(item)
    return [position] if position is not None else [part.key for part in item.parts]


def _same_work(later: Item, earlier: Item) -> bool:
    """Whether `later` assigns all of `earlier`'s work (the same parts, or a wider span)."""
    return later is not earlier and ITEM_KINDS[earlier.kind].covers(later, earlier, {})


def _todos(
    curriculum: Curriculum,
    agenda: Agenda,
    states: Mapping[str, PartState],
    clock: Clock,
    lang: Lang,
) -> tuple[TodoLine, ...]:
    todos = []
    for todo in agenda.mentor_todos:
        ready, task = None, ""
        if todo.waits_on is not None:
            task = _title(curriculum, todo.waits_on, lang)
            if (at := todo.ready_at) is not None:
                ready = clock.day_of(at)
        todos.append(
            TodoLine(
                todo.item.id, todo.item.meeting, todo.text.get(lang), todo.is_done, ready, task
            )
        )
    return tuple(todos)


def _title(curriculum: Curriculum, item: Item, lang: Lang) -> str:
    resource = curriculum.resources.get(item.resource or "")
    if ITEM_KINDS[item.kind].is_titled_by_text:
        return item.text.get(lang) if item.text else item.id
    if resource is not None:
        return resource.title.get(lang)
    return item.resource or item.id


def _line(
    curriculum: Curriculum,
    plan: _Plan,
    item: Item,
    states: Mapping[str, PartState],
    lang: Lang,
    *,
    is_ahead: bool = False,
) -> ItemLine:
    found = plan.sections.get(item.id)
    if found is None:  # on another mentee's list only (a meeting this one has no items of)
        section, entry = ReportSection.EARLIER, AgendaEntry(item_progress(item, states))
    else:
        section, entry = found
    progress = entry.progress
    spec = ITEM_KINDS[item.kind]
    resource = curriculum.resources.get(item.resource or "")
    labels = spec.labels(item)
    done_labels = tuple(
        label
        for label, part in zip(labels, item.parts, strict=True)
        if (s := states.get(part.key)) is not None and s.is_done
    )
    position = watched(item, states)
    if progress.is_done:
        status = ItemStatus.DONE
    elif item.is_optional and not progress.is_started and not is_ahead:
        status = ItemStatus.SKIPPED
    elif progress.is_started:
        status = ItemStatus.PARTIAL
    else:
        status = ItemStatus.NOT_STARTED
    scope = spec.scope(item, resource)
    if item.scope is not None:  # the mentor's words on how much: never lost in a note
        scope += f" ({item.scope.get(lang)})"
    if status is ItemStatus.PARTIAL:
        detail = spec.partial(item, resource, position or 0, done_labels)
        if item.scope is not None:
            detail += f" ({item.scope.get(lang)})"
    else:
        detail = scope
    return ItemLine(
        item_id=item.id,
        meeting=item.meeting,
        order=item.order,
        kind=item.kind,
        resource=item.resource,
        title=_title(curriculum, item, lang),
        scope=scope,
        status=status,
        detail=detail,
        done=progress.done,
        total=progress.total,
        section=section,
        done_parts=done_labels,
        position=position,
        carried=entry.carried,
        carried_since=item.meeting if entry.carried else None,
        reassigned_from=entry.reassigned_from,
        carried_text=entry.carried_text,
        first_assigned=plan.first.get(item.id, item.meeting),
        finished=plan.finished.get(item.id),
        merged_into=plan.merged_into.get(item.id),
    )


def _accuracy(
    curriculum: Curriculum, summary: ProgressSummary, lang: Lang
) -> tuple[AccuracyLine, ...]:
    return tuple(
        AccuracyLine(
            topic=found.topic,
            title=curriculum.topic_title(found.topic).get(lang)
            if found.topic
            else "(no longer in the curriculum)",
            reviews=found.attempts,
            correct=found.correct,
        )
        for found in accuracy_by_topic(curriculum, summary.attempts)
    )


def _lapsing(curriculum: Curriculum, snap: ProgressSummary, lang: Lang) -> tuple[Lapsing, ...]:
    questions = {q.id: q for q in curriculum.questions}
    lines = []
    for card in snap.cards.values():
        if card.lapses < LEECH_LAPSES:
            continue
        question = questions.get(card.question)
        lines.append(
            Lapsing(
                question=card.question,
                topic=question.topic if question else "",
                prompt=_first_line(question.prompt.get(lang)) if question else "",
                lapses=card.lapses,
            )
        )
    return tuple(sorted(lines, key=lambda line: (-line.lapses, line.question)))


def _first_line(text: str, width: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _questions(snap: ProgressSummary, window: Window, meeting: date) -> tuple[QuestionLine, ...]:
    return tuple(
        QuestionLine(q.text, q.at, q.is_done, q.meeting)
        for q in sorted(snap.questions, key=lambda q: (q.meeting or meeting, q.at))
        if (q.meeting is None and window.holds(q.at))
        or (q.meeting is not None and is_question_for(q.meeting, q.is_done, meeting))
    )


def _orphans(curriculum: Curriculum, states: Mapping[str, PartState]) -> tuple[Orphan, ...]:
    known = curriculum.progress_keys()
    return tuple(
        Orphan(key, s.is_done, furthest(spans_of(s.watched, s.position)), s.updated)
        for key, s in sorted(states.items())
        if key not in known and (s.is_done or s.position is not None or s.watched)
    )
