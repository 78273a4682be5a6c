"""Provides cross-file resolution: drafts to a `Curriculum`, with ids, references and ranges checked.

This runs on every load (the cache only spares the per-file work), so it stays a few plain
passes over the drafts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.content.drafts import (
    FileDraft,
    FileRole,
    ItemDraft,
    MeetingDraft,
    QuestionDraft,
    Ref,
)
from tracker.content.item_forms import ITEM_FORMS, CatalogueIndex, until_label
from tracker.content.links import canonical_url
from tracker.content.nodes import suggest
from tracker.content.ranges import canonical_label
from tracker.domain.curriculum import (
    Curriculum,
    Item,
    KeyKind,
    Location,
    Meeting,
    Part,
    Problem,
    Question,
    Resource,
    Severity,
    Snippet,
    Text,
    Topic,
    exercise_key,
    exercises_key,
    parse_key,
    section_key,
    through_key,
    until_key,
)

__all__ = ["resolve"]


def resolve(root: str, drafts: Sequence[FileDraft]) -> Curriculum:
    """Builds the curriculum from every file's draft, checking what crosses files.

    Args:
        root: The curriculum root, as given to the loader.
        drafts: One draft per file, in file order.

    Returns:
        The curriculum, with every problem (the drafts' own and the cross-file ones) sorted by
        location.
    """
    return _Resolver(drafts).curriculum(root)


_DATED_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
"""An item id that starts with its meeting's date, as `2024-04-08-push-work`."""


def _where(location: Location) -> str:
    return f"{location.path}:{location.line}:{location.column}"


def _id_location(draft: ItemDraft) -> Location:
    return draft.id_at.location if draft.id_at is not None else draft.location


class _Resolver:
    __slots__ = (
        "_broken_catalogue",
        "_by_url",
        "_catalogues",
        "_muted_files",
        "_parts",
        "drafts",
        "item_ids",
        "meetings",
        "memo",
        "problems",
        "questions",
        "quiz_titles",
        "resources",
        "snippets",
    )

    def __init__(self, drafts: Sequence[FileDraft]) -> None:
        self.drafts = drafts
        self.problems: list[Problem] = [p for d in drafts for p in d.problems]
        self.resources: dict[str, Resource] = {}
        self.snippets: dict[str, tuple[Snippet, Location]] = {}
        self.item_ids: dict[str, ItemDraft] = {}
        self.meetings: list[Meeting] = []
        self.questions: list[Question] = []
        self.quiz_titles: dict[str, Text] = {}
        self._catalogues: dict[str, CatalogueIndex] = {}
        self._broken_catalogue: str | None = None
        self._muted_files: set[str] = set()
        self._parts: dict[str, Part] = {}
        self._by_url: dict[str, Resource] | None = None
        self.memo: dict[tuple[object, ...], Any] = {}
        """What the item forms keep for the rest of the load (expanded pieces, exercise sets)."""

    # --- problems -----------------------------------------------------------------------------

    def error(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, Severity.ERROR, message))

    def warning(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, Severity.WARNING, message))

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)

    def unknown(self, ref: Ref, what: str, known: Iterable[str]) -> None:
        if what == "resource" and self._broken_catalogue is not None:
            if ref.path not in self._muted_files:  # one line per file, not one per reference
                self._muted_files.add(ref.path)
                self.error(
                    ref.location,
                    f"resource '{ref.value}' cannot be checked: the catalogue"
                    f" {self._broken_catalogue} could not be read (fix its errors first)",
                )
            return
        close = suggest(ref.value, known)
        hint = f" (did you mean '{close}'?)" if close else ""
        self.error(ref.location, f"unknown {what} '{ref.value}'{hint}")

    # --- the whole ----------------------------------------------------------------------------

    def curriculum(self, root: str) -> Curriculum:
        self._collect_resources()
        self._collect_snippets()
        self._resolve_meetings()
        self._resolve_quizzes()
        unique = dict.fromkeys(self.problems)
        problems = sorted(unique, key=lambda p: p.location)
        return Curriculum(
            root=root,
            resources=self.resources,
            meetings=tuple(sorted(self.meetings, key=lambda m: m.date)),
            snippets={sid: snippet for sid, (snippet, _) in self.snippets.items()},
            questions=tuple(self.questions),
            quiz_titles=self.quiz_titles,
            problems=tuple(problems),
        )

    def _collect_resources(self) -> None:
        for draft in self.drafts:
            if (
                draft.role is FileRole.CATALOGUE
                and not draft.resources
                and any(p.severity is Severity.ERROR for p in draft.problems)
            ):
                self._broken_catalogue = draft.path
            for resource in draft.resources:
                other = self.resources.get(resource.id)
                if other is not None:
                    self.error(
                        resource.location,
                        f"duplicate resource id '{resource.id}' (first at {_where(other.location)})",
                    )
                    continue
                self.resources[resource.id] = resource

    def _collect_snippets(self) -> None:
        for draft in self.drafts:
            for snippet, id_location in draft.snippets:
                other = self.snippets.get(snippet.id)
                if other is not None:
                    self.error(
                        id_location,
                        f"duplicate snippet id '{snippet.id}' (first at {_where(other[1])})",
                    )
                    continue
                self.snippets[snippet.id] = (snippet, id_location)

    def catalogue(self, resource: Resource) -> CatalogueIndex:
        catalogue = self._catalogues.get(resource.id)
        if catalogue is None:
            catalogue = self._catalogues[resource.id] = CatalogueIndex(resource)
        return catalogue

    def part(self, key: str, label: str, title: str | None = None) -> Part:
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = Part(key, label, title or None)
        return part

    # --- meetings -----------------------------------------------------------------------------

    def _resolve_meetings(self) -> None:
        dates: dict[date, Location] = {}
        topic_ids: dict[str, Location] = {}
        repeats: list[MeetingDraft] = []
        for draft in self.drafts:
            meeting = draft.meeting
            if meeting is None:
                continue
            is_kept = meeting.date is None or meeting.date not in dates
            if not is_kept:
                assert meeting.date is not None
                self.error(
                    meeting.date_at or meeting.location,
                    f"a second meeting on {meeting.date.isoformat()}"
                    f" (first at {_where(dates[meeting.date])}); one file per meeting",
                )
            # a second file for a date is still checked, but its ids are not taken
            items = tuple(self._item(item, meeting.date, is_kept) for item in meeting.items)
            topics: list[Topic] = []
            for topic_draft in meeting.topics:
                topic = topic_draft.topic
                other = topic_ids.get(topic.id) if is_kept else None
                if other is not None:
                    self.error(
                        topic_draft.id_location,
                        f"duplicate topic id '{topic.id}' (first at {_where(other)})",
                    )
                elif is_kept:
                    topic_ids[topic.id] = topic_draft.id_location
                for ref in topic_draft.snippet_refs:
                    if ref.value not in self.snippets:
                        self.unknown(ref, "snippet", self.snippets)
                topics.append(topic)
            if not is_kept or meeting.date is None:
                continue
            if meeting.repeat is not None:
                repeats.append(meeting)
            dates[meeting.date] = meeting.date_at or meeting.location
            self.meetings.append(
                Meeting(
                    date=meeting.date,
                    location=meeting.location,
                    title=meeting.title,
                    note=meeting.note,
                    is_ordered=meeting.is_ordered,
                    items=items,
                    topics=tuple(topics),
                )
            )
        self._repeat_meetings(repeats)

    def _repeat_meetings(self, repeats: list[MeetingDraft]) -> None:
        """Puts an earlier meeting's items, as copies due again, first in each repeating meeting.

        The copies keep their parts, so their progress is the earlier items' (a task's too);
        they take the repeating meeting's date in their ids, and leave the mentor's follow-ups
        with the items they were written on. Earlier meetings are done first, so a repeat of a
        repeat copies the whole list.
        """
        where = {m.date: n for n, m in enumerate(self.meetings)}
        taken = set(self.item_ids)
        for draft in sorted(repeats, key=lambda d: d.date or date.min):
            assert draft.date is not None and draft.repeat is not None
            at = draft.repeat_at or draft.location
            index = where[draft.date]
            if draft.repeat >= draft.date:
                self.error(
                    at,
                    f"'repeat' names {draft.repeat.isoformat()}, which is not before this meeting"
                    f" ({draft.date.isoformat()}); a meeting repeats an earlier list",
                )
                continue
            repeat = draft.repeat
            target_index = where.get(repeat)
            if target_index is None:
                earlier = [d for d in where if d < draft.date]
                nearest = min(earlier, key=lambda d: abs((d - repeat).days), default=None)
                hint = f" (the nearest is {nearest.isoformat()})" if nearest else ""
                self.error(at, f"no meeting on {draft.repeat.isoformat()} to repeat{hint}")
                continue
            target, meeting = self.meetings[target_index], self.meetings[index]
            copies: list[Item] = []
            for order, item in enumerate(target.items, 1):
                dated = _DATED_ID.match(item.id)
                base = f"{draft.date.isoformat()}-{dated.group(2) if dated else item.id}"
                new_id, n = base, 1
                while new_id in taken:
                    n += 1
                    new_id = f"{base}-{n}"
                taken.add(new_id)
                copies.append(
                    dataclasses.replace(
                        item, id=new_id, meeting=draft.date, order=order, mentor_todo=None
                    )
                )
            self._warn_repeated_work(copies, meeting.items, target.date)
            own = tuple(dataclasses.replace(i, order=i.order + len(copies)) for i in meeting.items)
            self.meetings[index] = dataclasses.replace(
                meeting, items=(*copies, *own), repeats=target.date
            )

    def _warn_repeated_work(
        self, copies: Sequence[Item], own: Sequence[Item], repeated: date
    ) -> None:
        """Warns at each of a meeting's own items that the list it repeats already assigns."""

        def work(item: Item) -> set[object]:
            if item.parts:
                return {part.key for part in item.parts}
            return {(item.kind, item.resource, item.start, item.end)}

        assigned = {key: copy for copy in copies for key in work(copy)}
        for item in own:
            same = next((assigned[key] for key in work(item) if key in assigned), None)
            if same is not None:
                self.warning(
                    item.location,
                    f"item {item.order} assigns work that the repeated list of "
                    f"{repeated.strftime('%d/%m/%Y')} already has (its item {same.order}); "
                    "it would show twice: drop it here",
                )

    def _item(self, draft: ItemDraft, meeting: date | None, is_kept: bool) -> Item:
        before = len(self.problems)
        other = self.item_ids.get(draft.id) if is_kept else None
        if other is not None:
            hint = ""
            if meeting is not None and (dated := _DATED_ID.match(draft.id)) is not None:
                renamed = f"{meeting.isoformat()}-{dated.group(2)}"
                if dated.group(1) != meeting.isoformat() and renamed not in self.item_ids:
                    hint = f"; copied from another meeting? (did you mean '{renamed}'?)"
            self.error(
                _id_location(draft),
                f"duplicate item id '{draft.id}' (first at {_where(_id_location(other))}){hint}",
            )
        elif is_kept:
            self.item_ids[draft.id] = draft
        resource: Resource | None = None
        if draft.link is not None:
            resource = self._link(draft.link)
            if draft.resource is not None and resource.id != draft.resource.value:
                # the catalogue lists this address: its entry (and its progress) it is
                draft = dataclasses.replace(
                    draft, resource=draft.resource._replace(value=resource.id)
                )
        elif draft.resource is not None:
            resource = self.resources.get(draft.resource.value)
            if resource is None:
                self.unknown(draft.resource, "resource", self.resources)
        parts, start, end = ITEM_FORMS[draft.kind].resolve(self, draft, resource)
        return Item(
            draft.id,
            meeting or date.min,
            draft.order,
            draft.kind,
            draft.location,
            draft.resource.value if draft.resource is not None else None,
            parts,
            start,
            end,
            draft.owner,
            draft.text,
            draft.mentor_todo,
            draft.note,
            draft.scope,
            draft.is_optional,
            draft.problems + tuple(self.problems[before:]),
        )

    def _link(self, link: Resource) -> Resource:
        """The resource a one-off link stands for: the catalogue's entry with that address if
        there is one (so progress is shared), else the link's own, one per address."""
        if self._by_url is None:
            self._by_url = {
                canonical_url(r.url): r for r in self.resources.values() if r.url is not None
            }
        known = self._by_url.get(link.url or "")
        if known is None:
            known = self._by_url[link.url or ""] = self.resources.setdefault(link.id, link)
        return known

    # --- quizzes ------------------------------------------------------------------------------

    def _resolve_quizzes(self) -> None:
        meetings = {m.date: m for m in self.meetings}
        quiz_topics: dict[str, Location] = {}
        question_ids: dict[str, Location] = {}
        for draft in self.drafts:
            quiz = draft.quiz
            if quiz is None:
                continue
            if quiz.topic is not None:
                other = quiz_topics.get(quiz.topic.value)
                if other is not None:
                    self.error(
                        quiz.topic.location,
                        f"topic '{quiz.topic.value}' already has a quiz file (at {_where(other)})",
                    )
                else:
                    quiz_topics[quiz.topic.value] = quiz.topic.location
                    if quiz.title is not None:
                        self.quiz_titles[quiz.topic.value] = quiz.title
            quiz_follows = tuple(self._follow(ref) for ref in quiz.follows)
            if quiz.meeting is not None and quiz.meeting_location is not None:
                self._check_meeting(quiz.meeting, quiz.meeting_location, quiz.topic, meetings)
            for question_draft in quiz.questions:
                question = self._question(question_draft, quiz.topic, quiz_follows, meetings)
                other = question_ids.get(question.id)
                if other is not None:
                    self.error(
                        question_draft.id_location,
                        f"duplicate question id '{question.id}' (first at {_where(other)})",
                    )
                    continue
                question_ids[question.id] = question_draft.id_location
                self.questions.append(question)

    def _question(
        self,
        draft: QuestionDraft,
        topic: Ref | None,
        quiz_follows: tuple[str, ...],
        meetings: dict[date, Meeting],
    ) -> Question:
        question = draft.question
        if draft.snippet is not None and draft.snippet.value not in self.snippets:
            self.unknown(draft.snippet, "snippet", self.snippets)
        if question.meeting is not None and draft.meeting_location is not None:
            self._check_meeting(question.meeting, draft.meeting_location, topic, meetings)
        if draft.follows is None:
            follows = quiz_follows
        else:
            follows = tuple(self._follow(ref) for ref in draft.follows)
        if follows != question.follows:
            question = dataclasses.replace(question, follows=follows)
        return question

    def _check_meeting(
        self, day: date, location: Location, topic: Ref | None, meetings: dict[date, Meeting]
    ) -> None:
        """Warns when no meeting falls on `day`, or when that meeting does not discuss `topic`."""
        meeting = meetings.get(day)
        if meeting is None:
            nearest = min(meetings, key=lambda d: abs((d - day).days)) if meetings else None
            hint = f" (the nearest is {nearest.isoformat()})" if nearest else ""
            self.warning(location, f"no meeting on {day.isoformat()}{hint}")
        elif (
            topic is not None
            and meeting.topics
            and topic.value not in {t.id for t in meeting.topics}
        ):
            names = ", ".join(t.id for t in meeting.topics)
            self.warning(
                topic.location,
                f"topic '{topic.value}' is not discussed at the meeting of {day.isoformat()}"
                f" (its topics: {names})",
            )

    def _follow(self, ref: Ref) -> str:
        """Checks one `follows` key and returns it in the catalogue's spelling."""
        parsed = parse_key(ref.value)
        if parsed is None:
            return self._bad_follow(ref)
        if parsed.item_id is not None:  # a task's key or a mentor follow-up's
            if parsed.item_id not in self.item_ids:
                self.unknown(ref._replace(value=parsed.item_id), "item", self.item_ids)
            return ref.value
        rid = parsed.resource or ""
        resource = self.resources.get(rid)
        if resource is None:
            self.unknown(ref._replace(value=rid), "resource", self.resources)
            return ref.value
        label = parsed.label or ""
        match parsed.kind:
            case KeyKind.POSITION:
                self.warning(
                    ref.location,
                    f"'{ref.value}' is a video position, which is never done;"
                    f" follow '{rid}/whole' or set 'meeting'",
                )
            case KeyKind.UNTIL:
                label, _title, is_known = until_label(self.catalogue(resource), label)
                if not is_known:
                    self.warning(
                        ref.location,
                        f"unknown part '{ref.value}': '{parsed.label}' is not in the catalogue",
                    )
                return until_key(rid, label)
            case KeyKind.THROUGH:
                label, _title, is_known = until_label(self.catalogue(resource), label)
                if not is_known:
                    self.warning(
                        ref.location,
                        f"unknown part '{ref.value}': '{parsed.label}' is not in the catalogue",
                    )
                return through_key(rid, label)
            case KeyKind.EXERCISE:
                counts = {canonical_label(k).casefold(): k for k in resource.exercises}
                section = self.catalogue(resource).label(label) or counts.get(
                    canonical_label(label).casefold()
                )
                if section is None:
                    self.warning(
                        ref.location,
                        f"unknown part '{ref.value}': section '{label}' is not in the catalogue",
                    )
                    section = canonical_label(label)
                if parsed.number is None:
                    return exercises_key(rid, section)
                return exercise_key(rid, section, parsed.number)
            case KeyKind.SECTION:
                listed = self.catalogue(resource).label(label)
                if listed is None:
                    self.warning(
                        ref.location,
                        f"unknown part '{ref.value}': section '{label}' is not in the catalogue",
                    )
                return section_key(rid, listed or canonical_label(label))
        return ref.value

    def _bad_follow(self, ref: Ref) -> str:
        self.error(
            ref.location,
            f"'{ref.value}' is not a progress key (e.g. llm-book/2.6, probability/1.4/ex6,"
            " probability/until/1.4-proof, perceptron-post/whole, task/ITEM-ID)",
        )
        return ref.value
