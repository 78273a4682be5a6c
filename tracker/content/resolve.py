"""Provides cross-file resolution: drafts to a `Curriculum`, with ids, references and ranges checked.

This runs on every load (the cache only spares the per-file work), so it stays a few plain
passes over the drafts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from datetime import date

from tracker.content.drafts import FileDraft, FileRole, ItemDraft, QuestionDraft, Ref
from tracker.content.nodes import suggest
from tracker.content.ranges import ValueProblem, canonical_label, expand_sections, label_lookup
from tracker.domain.curriculum import (
    Curriculum,
    Item,
    ItemKind,
    Location,
    Meeting,
    Part,
    Problem,
    Question,
    Resource,
    ResourceKind,
    Severity,
    Snippet,
    Text,
    Topic,
    exercise_key,
    format_hms,
    section_key,
    task_key,
    until_key,
    whole_key,
)

__all__ = ["resolve"]

_EXERCISE = re.compile(r"^ex(\d+)$")


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


class _Catalogue:
    """One resource's labels, ready for lookups."""

    __slots__ = ("labels", "lookup", "titles")

    def __init__(self, resource: Resource) -> None:
        self.labels = list(resource.sections)
        self.lookup = label_lookup(self.labels)
        self.titles = {title: label for label, title in resource.sections.items() if title}

    def label(self, text: str) -> str | None:
        """The catalogue's spelling of a label, or None when it is not listed."""
        return self.lookup.get(canonical_label(text).casefold())


class _Resolver:
    __slots__ = (
        "_broken_catalogue",
        "_catalogues",
        "_exercise_sets",
        "_muted_files",
        "_parts",
        "_pieces",
        "drafts",
        "item_ids",
        "meetings",
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
        self._catalogues: dict[str, _Catalogue] = {}
        self._broken_catalogue: str | None = None
        self._muted_files: set[str] = set()
        self._parts: dict[str, Part] = {}
        self._pieces: dict[tuple[str, str], tuple[tuple[Part, ...], Severity | None, str]] = {}
        self._exercise_sets: dict[
            tuple[str, str, tuple[int, ...]],
            tuple[tuple[Part, ...], list[tuple[Severity, bool, str]]],
        ] = {}

    # --- problems -----------------------------------------------------------------------------

    def error(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, Severity.ERROR, message))

    def warning(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, Severity.WARNING, message))

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

    def _catalogue(self, resource: Resource) -> _Catalogue:
        catalogue = self._catalogues.get(resource.id)
        if catalogue is None:
            catalogue = self._catalogues[resource.id] = _Catalogue(resource)
        return catalogue

    def _part(self, key: str, label: str, title: str | None = None) -> Part:
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = Part(key, label, title or None)
        return part

    # --- meetings -----------------------------------------------------------------------------

    def _resolve_meetings(self) -> None:
        dates: dict[date, Location] = {}
        topic_ids: dict[str, Location] = {}
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

    def _item(self, draft: ItemDraft, meeting: date | None, is_kept: bool) -> Item:
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
        if draft.resource is not None:
            resource = self.resources.get(draft.resource.value)
            if resource is None:
                self.unknown(draft.resource, "resource", self.resources)
        start, end = draft.start, draft.end
        parts: tuple[Part, ...] = ()
        kind = draft.kind
        if kind is ItemKind.VIDEO:
            start, end = self._video(draft, resource)
        elif kind is ItemKind.SECTIONS:
            parts = self._sections(draft, resource)
        elif kind is ItemKind.EXERCISES:
            parts = self._exercises(draft, resource)
        elif kind is ItemKind.READ_UNTIL:
            parts = self._read_until(draft, resource)
        elif kind is ItemKind.WHOLE:
            if draft.resource is not None:
                parts = (self._part(whole_key(draft.resource.value), "whole"),)
        else:
            parts = (self._part(task_key(draft.id), "task"),)
        return Item(
            draft.id,
            meeting or date.min,
            draft.order,
            kind,
            draft.location,
            draft.resource.value if draft.resource is not None else None,
            parts,
            start,
            end,
            draft.owner,
            draft.text,
            draft.mentor_todo,
            draft.note,
        )

    def _video(self, draft: ItemDraft, resource: Resource | None) -> tuple[int | None, int | None]:
        start = draft.start if draft.start is not None else 0
        end = draft.end
        if resource is None:
            return start, end
        if resource.kind is not ResourceKind.VIDEO:
            assert draft.resource is not None
            self.error(
                draft.resource.location,
                f"'{resource.id}' is a {resource.kind}, not a video: 'until'/'from' need a video",
            )
            return start, end
        length = resource.length
        if length is None:
            return start, end
        for value, written, name in (
            (draft.end, draft.end_at, "until"),
            (draft.start, draft.start_at, "from"),
        ):
            if value is not None and written is not None and value > length:
                self.error(
                    written.location,
                    f"'{name}' {format_hms(value)} is past the end of '{resource.id}'"
                    f" (its length is {format_hms(length)})",
                )
        return start, end if end is not None else length

    def _sections(self, draft: ItemDraft, resource: Resource | None) -> tuple[Part, ...]:
        rid = draft.resource.value if draft.resource is not None else ""
        if resource is not None and resource.kind is ResourceKind.VIDEO and draft.resource:
            self.error(
                draft.resource.location,
                f"'{rid}' is a video: give 'until' (and 'from'), not sections",
            )
        parts: tuple[Part, ...] = ()
        for piece in draft.pieces:
            key = (rid, piece.value)
            expanded = self._pieces.get(key)
            if expanded is None:
                expanded = self._pieces[key] = self._expand_piece(rid, resource, piece.value)
            piece_parts, severity, message = expanded
            if severity is not None:
                self.problems.append(Problem(piece.location, severity, message))
            parts = piece_parts if not parts else parts + piece_parts
        return parts if len(draft.pieces) == 1 else tuple(dict.fromkeys(parts))

    def _expand_piece(
        self, rid: str, resource: Resource | None, value: str
    ) -> tuple[tuple[Part, ...], Severity | None, str]:
        """One piece of a sections list as parts, with the problem it has (memoised per load)."""
        catalogue = self._catalogue(resource) if resource is not None else None
        try:
            labels = expand_sections(
                value, catalogue.labels if catalogue else [], catalogue.lookup if catalogue else {}
            )
        except ValueProblem as exc:
            return (), Severity.ERROR, str(exc)
        titles = resource.sections if resource is not None else {}
        severity: Severity | None = None
        message = ""
        if resource is not None:
            missing = [label for label in labels if label not in titles]
            if missing:
                names = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
                verb = "section {} of '{}' is" if len(missing) == 1 else "sections {} of '{}' are"
                listed = "" if titles else " (it lists no sections for it)"
                severity = Severity.WARNING
                message = f"{verb.format(names, rid)} not in the catalogue{listed}"
        if not rid:
            return (), severity, message
        parts = tuple(
            self._part(section_key(rid, label), label, titles.get(label))
            for label in dict.fromkeys(labels)
        )
        return parts, severity, message

    def _exercises(self, draft: ItemDraft, resource: Resource | None) -> tuple[Part, ...]:
        if draft.resource is None or draft.section is None:
            return ()
        if draft.numbers_at is not None and not draft.numbers:
            return ()  # numbers were given but none could be read: already reported
        key = (draft.resource.value, draft.section.value, draft.numbers)
        expanded = self._exercise_sets.get(key)
        if expanded is None:
            expanded = self._exercise_sets[key] = self._expand_exercises(*key, resource)
        parts, problems = expanded
        for severity, is_numbers, message in problems:
            where = draft.numbers_at if is_numbers and draft.numbers_at else draft.section
            self.problems.append(Problem(where.location, severity, message))
        return parts

    def _expand_exercises(
        self, rid: str, written: str, numbers: tuple[int, ...], resource: Resource | None
    ) -> tuple[tuple[Part, ...], list[tuple[Severity, bool, str]]]:
        """An exercises item's parts, with its problems (memoised per load)."""
        problems: list[tuple[Severity, bool, str]] = []
        section = canonical_label(written)
        if resource is not None:
            known = self._catalogue(resource).label(written)
            counts = {canonical_label(k).casefold(): (k, v) for k, v in resource.exercises.items()}
            counted = counts.get(section.casefold())
            section = known or (counted[0] if counted else section)
            if known is None and counted is None:
                problems.append(
                    (
                        Severity.WARNING,
                        False,
                        f"section '{written}' of '{rid}' is not in the catalogue",
                    )
                )
            count = counted[1] if counted else None
            if not numbers:
                if count is None:
                    problems.append(
                        (
                            Severity.ERROR,
                            False,
                            f"exercises of section '{section}' of '{rid}' need 'numbers'"
                            " (the catalogue does not say how many there are)",
                        )
                    )
                else:
                    numbers = tuple(range(1, count + 1))
            elif count is not None and max(numbers) > count:
                problems.append(
                    (
                        Severity.WARNING,
                        True,
                        f"exercise {max(numbers)} is past the {count} exercises of section"
                        f" '{section}' of '{rid}'",
                    )
                )
        parts = tuple(self._part(exercise_key(rid, section, n), f"ex {n}") for n in numbers)
        return parts, problems

    def _until_label(self, resource: Resource | None, text: str) -> tuple[str, str | None, bool]:
        """The label a read_until names (by label or exact title), its title, and whether known."""
        if resource is None:
            return canonical_label(text), None, False
        catalogue = self._catalogue(resource)
        label = catalogue.label(text) or catalogue.titles.get(text)
        if label is None:
            return canonical_label(text), None, False
        return label, resource.sections.get(label) or None, True

    def _read_until(self, draft: ItemDraft, resource: Resource | None) -> tuple[Part, ...]:
        if draft.resource is None or draft.read_until is None:
            return ()
        rid = draft.resource.value
        label, title, is_known = self._until_label(resource, draft.read_until.value)
        if resource is not None and not is_known:
            catalogue = self._catalogue(resource)
            close = suggest(draft.read_until.value, [*catalogue.labels, *catalogue.titles])
            hint = f" (did you mean '{close}'?)" if close else ""
            self.warning(
                draft.read_until.location,
                f"read_until '{draft.read_until.value}' is neither a section label nor a section"
                f" title of '{rid}' in the catalogue{hint}",
            )
        return (self._part(until_key(rid, label), f"up to {label}", title),)

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
        pieces = ref.value.split("/")
        if pieces[0] == "task" and len(pieces) in (2, 3):
            if len(pieces) == 3 and pieces[2] != "mentor":
                return self._bad_follow(ref)
            if pieces[1] not in self.item_ids:
                self.unknown(ref._replace(value=pieces[1]), "item", self.item_ids)
            return ref.value
        if len(pieces) < 2 or not all(pieces):
            return self._bad_follow(ref)
        rid, rest = pieces[0], pieces[1:]
        resource = self.resources.get(rid)
        if resource is None:
            self.unknown(ref._replace(value=rid), "resource", self.resources)
            return ref.value
        catalogue = self._catalogue(resource)
        if rest == ["whole"]:
            return ref.value
        if rest == ["position"]:
            self.warning(
                ref.location,
                f"'{ref.value}' is a video position, which is never done;"
                f" follow '{rid}/whole' or set 'meeting'",
            )
            return ref.value
        if rest[0] == "until" and len(rest) == 2:
            label, _title, is_known = self._until_label(resource, rest[1])
            if not is_known:
                self.warning(
                    ref.location, f"unknown part '{ref.value}': '{rest[1]}' is not in the catalogue"
                )
            return until_key(rid, label)
        if len(rest) == 2 and (match := _EXERCISE.match(rest[1])):
            counts = {canonical_label(k).casefold(): k for k in resource.exercises}
            section = catalogue.label(rest[0]) or counts.get(canonical_label(rest[0]).casefold())
            if section is None:
                self.warning(
                    ref.location,
                    f"unknown part '{ref.value}': section '{rest[0]}' is not in the catalogue",
                )
                section = canonical_label(rest[0])
            return exercise_key(rid, section, int(match.group(1)))
        if len(rest) == 1:
            listed = catalogue.label(rest[0])
            if listed is None:
                self.warning(
                    ref.location,
                    f"unknown part '{ref.value}': section '{rest[0]}' is not in the catalogue",
                )
            label = listed or canonical_label(rest[0])
            return section_key(rid, label)
        return self._bad_follow(ref)

    def _bad_follow(self, ref: Ref) -> str:
        self.error(
            ref.location,
            f"'{ref.value}' is not a progress key (e.g. llm-book/2.6, probability/1.4/ex6,"
            " probability/until/1.4-proof, perceptron-post/whole, task/ITEM-ID)",
        )
        return ref.value
