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

from tracker.domain.agenda import AgendaEntry, build_agenda, next_meeting
from tracker.domain.curriculum import Curriculum, Item, ItemKind, Lang
from tracker.domain.item_kinds import ITEM_KINDS, watched
from tracker.domain.progress import PartState, item_progress
from tracker.domain.scheduling import LEECH_LAPSES
from tracker.quiz.engine import topic_accuracy
from tracker.report.snapshot import ProgressSnapshot
from tracker.report.timing import TimeSpent, estimate_time
from tracker.store.records import ReviewRecord as StoredReview

__all__ = [
    "ItemLine",
    "ItemStatus",
    "Lapsing",
    "MenteeReport",
    "MentorTodo",
    "Orphan",
    "QuestionLine",
    "Report",
    "Section",
    "TopicAccuracy",
    "build_report",
    "default_meeting",
]


class ItemStatus(StrEnum):
    """How far an item is."""

    DONE = "done"
    PARTIAL = "partial"
    NOT_STARTED = "not_started"


class Section(StrEnum):
    """Why an item is in the report."""

    DUE = "due"
    """An item of the meeting's own list."""
    CARRIED = "carried"
    """An unfinished item of an earlier meeting."""
    EARLIER = "earlier"
    """An item of an earlier meeting that this mentee has finished, shown only because another
    mentee in the same report carries it over."""


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
    section: Section
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


@dataclass(frozen=True, slots=True)
class MentorTodo:
    """Something the mentor owes."""

    item_id: str
    meeting: date
    text: str
    is_done: bool


@dataclass(frozen=True, slots=True)
class TopicAccuracy:
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
    todos: tuple[MentorTodo, ...]
    accuracy: tuple[TopicAccuracy, ...]
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
    """Quiz accuracy, time spent and undated questions count from this day (None: all time)."""
    mentees: tuple[MenteeReport, ...]


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


def build_report(
    curriculum: Curriculum,
    snapshot: ProgressSnapshot | Sequence[ProgressSnapshot],
    meeting: date,
    since: date | None = None,
    *,
    lang: Lang = "en",
) -> Report:
    """Builds the report for `meeting` from one or more mentees' progress.

    Args:
        curriculum: The loaded curriculum.
        snapshot: One mentee's snapshot, or several (one column each when rendered).
        meeting: The date of one of the curriculum's meetings.
        since: Where quiz accuracy, time spent and undated questions start; default: the
            previous meeting's day (all time when there is none).
        lang: "en" or "hy", for titles and texts.

    Returns:
        The report.

    Raises:
        ValueError: No meeting of the curriculum is on `meeting`.
    """
    snapshots = [snapshot] if isinstance(snapshot, ProgressSnapshot) else list(snapshot)
    if meeting not in {m.date for m in curriculum.meetings}:
        raise ValueError(f"the curriculum has no meeting on {meeting.isoformat()}")
    previous = max((m.date for m in curriculum.meetings if m.date < meeting), default=None)
    start = since if since is not None else previous
    agendas = [build_agenda(curriculum, s.states, meeting) for s in snapshots]
    listed = [{e.item.id: e for e in (*a.entries, *a.carried)} for a in agendas]
    union = sorted(
        {e.item.id: e.item for entries in listed for e in entries.values()}.values(),
        key=lambda it: (it.meeting != meeting, it.meeting, it.order),
    )
    mentees = []
    for snap, agenda, own in zip(snapshots, agendas, listed, strict=True):
        lines = tuple(
            _line(
                curriculum,
                own.get(item.id) or AgendaEntry(item_progress(item, snap.states)),
                snap.states,
                meeting,
                item.id in own,
                lang,
            )
            for item in union
        )
        todos = tuple(
            MentorTodo(t.item.id, t.item.meeting, t.text.get(lang), t.is_done)
            for t in agenda.mentor_todos
        )
        mentees.append(
            MenteeReport(
                name=snap.name,
                items=lines,
                todos=todos,
                accuracy=_accuracy(curriculum, snap, start, meeting, lang),
                lapsing=_lapsing(curriculum, snap, lang),
                questions=_questions(snap, start, meeting),
                time=estimate_time(e.at for e in snap.events if _within(e.at, start, meeting)),
                orphans=_orphans(curriculum, snap.states),
            )
        )
    return Report(meeting=meeting, previous=previous, since=start, mentees=tuple(mentees))


def _title(curriculum: Curriculum, item: Item, lang: Lang) -> str:
    resource = curriculum.resources.get(item.resource or "")
    if ITEM_KINDS[item.kind].is_titled_by_text:
        return item.text.get(lang) if item.text else item.id
    if resource is not None:
        return resource.title.get(lang)
    return item.resource or item.id


def _line(
    curriculum: Curriculum,
    entry: AgendaEntry,
    states: Mapping[str, PartState],
    meeting: date,
    is_listed: bool,
    lang: Lang,
) -> ItemLine:
    item, progress = entry.item, entry.progress
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
    elif progress.is_started:
        status = ItemStatus.PARTIAL
    else:
        status = ItemStatus.NOT_STARTED
    scope = spec.scope(item, resource)
    if status is ItemStatus.PARTIAL:
        detail = spec.partial(item, resource, position or 0, done_labels)
    else:
        detail = scope
    if item.meeting == meeting:
        section = Section.DUE
    else:
        section = Section.CARRIED if is_listed else Section.EARLIER
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
    )


def _within(moment: datetime, start: date | None, meeting: date) -> bool:
    day = moment.date()
    return (start is None or day >= start) and day <= meeting


def _accuracy(
    curriculum: Curriculum, snap: ProgressSnapshot, start: date | None, meeting: date, lang: Lang
) -> tuple[TopicAccuracy, ...]:
    reviews = [
        StoredReview(0, r.question, r.at, r.rating, None, r.is_correct, r.is_cram)
        for r in snap.reviews
        if _within(r.at, start, meeting)
    ]
    return tuple(
        TopicAccuracy(
            topic=found.topic,
            title=curriculum.topic_title(found.topic).get(lang)
            if found.topic
            else "(no longer in the curriculum)",
            reviews=found.attempts,
            correct=found.correct,
        )
        for found in topic_accuracy(curriculum, reviews)
    )


def _lapsing(curriculum: Curriculum, snap: ProgressSnapshot, lang: Lang) -> tuple[Lapsing, ...]:
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


def _questions(
    snap: ProgressSnapshot, start: date | None, meeting: date
) -> tuple[QuestionLine, ...]:
    return tuple(
        QuestionLine(q.text, q.at, q.is_done)
        for q in sorted(snap.questions, key=lambda q: q.at)
        if q.meeting == meeting or (q.meeting is None and _within(q.at, start, meeting))
    )


def _orphans(curriculum: Curriculum, states: Mapping[str, PartState]) -> tuple[Orphan, ...]:
    known = curriculum.progress_keys()
    return tuple(
        Orphan(key, s.is_done, s.position, s.updated)
        for key, s in sorted(states.items())
        if key not in known and (s.is_done or s.position is not None)
    )
