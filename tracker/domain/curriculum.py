"""Provides the curriculum as frozen dataclasses: resources, meetings, items, topics, snippets, questions.

This module is the contract between the YAML loader (`tracker.content`), the progress store, the
quiz engine, the runner and the UI. It does no I/O. `docs/curriculum.md` describes the YAML that
the mentor writes; the loader turns it into these objects.

Progress keys
-------------
Progress belongs to a *resource part*, not to a meeting, so that book section 2.6 assigned on
28/03 and again on 08/04 is one thing, done once. Every tickable part has a stable string key:

| item kind   | part key                                   | example                          |
|-------------|--------------------------------------------|----------------------------------|
| sections    | `{resource}/{label}`         | `llm-book/2.6`, `dl-course/2.1`    |
| exercises   | `{resource}/{section}/ex{n}` | `probability/1.4/ex6`              |
| uncounted   | `{resource}/{section}/exercises` | `probability/1.6/exercises`    |
| read_until  | `{resource}/until/{label}`   | `probability/until/1.4-proof`      |
| read_through| `{resource}/through/{label}` | `probability/through/1.4-proof`    |
| whole       | `{resource}/whole`           | `perceptron-post/whole`            |
| task        | `task/{item id}`             | `task/2024-04-08-push-work`        |
| mentor todo | `task/{item id}/mentor`      | `task/2024-04-08-push-work/mentor` |
| video       | `{resource}/position`        | `tokenizer-video/position`         |
| file        | `{resource}/file:{path}`     | `llms-repo/file:ch02/ch02.ipynb`   |

A video has one position per resource (seconds watched), not one per item.

Use the `*_key` functions below; never build a key by hand elsewhere. `parse_key` is their one
inverse: `parse_key(section_key("llm-book", "2.6"))` gives back the kind, resource and label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from tracker.domain.question_type import QuestionType

__all__ = [
    "Chapter",
    "Choice",
    "Compare",
    "Curriculum",
    "Item",
    "ItemKind",
    "KeyKind",
    "Lang",
    "Location",
    "Meeting",
    "Owner",
    "ParsedKey",
    "Part",
    "Problem",
    "Question",
    "QuestionType",
    "Resource",
    "ResourceKind",
    "Severity",
    "Snippet",
    "Text",
    "Topic",
    "exercise_key",
    "exercises_key",
    "file_key",
    "format_hms",
    "mentor_key",
    "parse_key",
    "position_key",
    "section_key",
    "task_key",
    "through_key",
    "until_key",
    "whole_key",
]


Day = date
"""`datetime.date` under a name that a dataclass field called `date` cannot shadow."""

# --- locations and problems -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file; `line` and `column` count from 1, as editors show them."""

    path: str
    """The file's path as given to the loader (relative where the user gave a relative path)."""
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Severity(StrEnum):
    """How bad a problem is: errors make `study check` exit 1, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in the curriculum, as `study check` prints it."""

    location: Location
    severity: Severity
    message: str
    """The message: names the offending value and, where one exists, suggests a fix. In a
    message over 400 characters, quoted values over 120 are cut to 80, and the whole message is
    kept under 4,000 (a 200 KB one-line value gives a short line)."""

    def __post_init__(self) -> None:
        if len(self.message) > _LONG_LINE:
            object.__setattr__(self, "message", _shortened(self.message))

    def format(self) -> str:
        """The text form: `path:line:col: error: message`."""
        return f"{self.location}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """The JSON form: path, line, column, severity, message."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": str(self.severity),
            "message": self.message,
        }


_LONG_LINE = 400
"""Messages longer than this have their long quoted values cut."""
_LONG_QUOTE = 80
"""A long value quoted in a message is cut to this many characters."""
_LONG_MESSAGE = 4000
_QUOTED = re.compile("'([^'\n]{120,})'")


def _shortened(message: str) -> str:
    """The message with each long quoted value cut, and at most `_LONG_MESSAGE` characters."""
    message = _QUOTED.sub(
        lambda m: f"'{m.group(1)[: _LONG_QUOTE - 1]}…' ({len(m.group(1)):,} characters)", message
    )
    if len(message) > _LONG_MESSAGE:
        message = message[: _LONG_MESSAGE - 1] + "…"
    return message


# --- text -------------------------------------------------------------------------------------

Lang = Literal["en", "hy"]
"""A language of the mentor's text: English or Armenian."""


@dataclass(frozen=True, slots=True)
class Text:
    """Text in Armenian, English or both (`{hy: ..., en: ...}` in YAML, or a plain string = en)."""

    en: str | None = None
    hy: str | None = None

    def get(self, lang: Lang = "en") -> str:
        """The text in `lang` ("en" or "hy"), falling back to the other language."""
        first, second = (self.hy, self.en) if lang == "hy" else (self.en, self.hy)
        return first if first is not None else (second or "")

    def __str__(self) -> str:
        return self.get("en")


# --- resources --------------------------------------------------------------------------------


class ResourceKind(StrEnum):
    """What a resource is."""

    BOOK = "book"
    COURSE = "course"
    VIDEO = "video"
    POST = "post"
    REPOSITORY = "repository"
    NOTEBOOK = "notebook"
    """A Jupyter notebook (a GitHub-hosted one opens in Colab too)."""
    PAGE = "page"
    """A single web page or document: a Q&A answer, an article, a PDF (a one-off link)."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of a video."""

    start: int
    """Seconds from the start of the video."""
    title: str


@dataclass(frozen=True, slots=True)
class Resource:
    """A book, course, video, post or repository from `assignments/resources.yaml`."""

    id: str
    kind: ResourceKind
    title: Text
    location: Location
    author: str | None = None
    url: str | None = None
    sections: Mapping[str, str] = field(default_factory=dict)
    """Section (book) or unit (course) labels, in catalogue order, to their titles."""
    exercises: Mapping[str, int] = field(default_factory=dict)
    """How many exercises each section has: `{"1.4": 14}`."""
    length: int | None = None
    """A video's length in seconds."""
    chapters: tuple[Chapter, ...] = ()
    """A video's chapters, in order."""
    note: Text | None = None
    is_link: bool = False
    """Whether it is an item's one-off `url:`, listed in no catalogue."""
    is_titled: bool = True
    """Whether the mentor gave the title (a one-off link without `title:` is named from its
    address, and `study new` does not write that name back as if the mentor had)."""


# --- meetings and items -----------------------------------------------------------------------


class ItemKind(StrEnum):
    """The kind of progress an item records."""

    VIDEO = "video"
    """A position in a video, between `start` and `end` seconds."""
    SECTIONS = "sections"
    """Book sections or course units, ticked one by one."""
    EXERCISES = "exercises"
    """Numbered exercises of one section, ticked one by one."""
    READ_UNTIL = "read_until"
    """Reading up to (not including) a named section: one tick."""
    WHOLE = "whole"
    """A whole post or resource: one tick."""
    TASK = "task"
    """Something to do, described in words: one tick."""
    FILE = "file"
    """One file of a repository (a notebook, a script): one tick."""


class Owner(StrEnum):
    """Who owes an item."""

    MENTEE = "mentee"
    MENTOR = "mentor"


@dataclass(frozen=True, slots=True)
class Part:
    """One tickable unit of progress."""

    key: str
    """The stable progress key (see the module docstring)."""
    label: str
    """How the part is shown: `2.6`, `ex 6`, `up to 1.4-proof`."""
    title: str | None = None
    """The catalogue title, where known."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a meeting's list, in the mentor's order."""

    id: str
    """Stable id: given in YAML, or `{meeting date}-{order}` when omitted."""
    meeting: date
    order: int
    """1-based position in the meeting's list."""
    kind: ItemKind
    location: Location
    resource: str | None = None
    """The resource id; None only for a task with no resource."""
    parts: tuple[Part, ...] = ()
    """The tickable parts; empty for a video (its progress is a position)."""
    start: int | None = None
    """Video: seconds to start from (0 when omitted)."""
    end: int | None = None
    """Video: seconds to watch up to (the video's length when omitted and known)."""
    owner: Owner = Owner.MENTEE
    text: Text | None = None
    """A task's description, or the mentor's own wording of the item."""
    mentor_todo: Text | None = None
    """The mentor's follow-up on this item (the "HB TODO" marks); tracked under `mentor_key(id)`."""
    note: Text | None = None
    """A note for the mentee ("read the book and the course on different days")."""
    scope: Text | None = None
    """How much of it, in the mentor's words where no key says it ("only the second answer")."""
    is_optional: bool = False
    """"If you have time": shown apart, never overdue or carried over, reported done or skipped."""
    problems: tuple[Problem, ...] = ()
    """What `study check` found wrong in this item's YAML (also listed in Problems): the app
    marks the item, which a misspelt key may have made into another kind of item."""


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of PyTorch (or plain Python) code that the mentee can run live."""

    id: str
    """Globally unique: `study run ID` takes it."""
    code: str
    location: Location
    """Where the snippet's mapping starts."""
    code_line: int
    """The line of the file on which the code's first line stands (so tracebacks can be located)."""
    title: Text | None = None
    expected: str | None = None
    """The declared stdout; `study check --run` compares it with a live run."""
    determinism: str | None = None
    """D (none), S (seeded), V (varies by version: shown, never compared), E (exception types)."""
    seed: int | None = None
    """When set, the runner seeds torch, random and numpy with it before the run."""
    timeout: float | None = None
    """Seconds; None means the runner's default."""
    memory_mb: int | None = None
    """MiB; None means the runner's default."""
    requires: tuple[str, ...] = ()
    """Modules the snippet needs besides torch (`torchvision`), as `import` names them."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A "to discuss" topic of a meeting: Markdown notes and snippets."""

    id: str
    meeting: date
    order: int
    title: Text
    location: Location
    notes: Text | None = None
    """Markdown."""
    snippets: tuple[str, ...] = ()
    """Ids of the snippets embedded in this topic, in order."""
    links: tuple[str, ...] = ()
    """Further-reading URLs."""
    is_titled: bool = True
    """Whether the mentor gave the title; False when it is the notes' first line (not repeated)."""


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting: the list due at it, and its agenda."""

    date: date
    location: Location
    """The start of the meeting's file."""
    title: Text | None = None
    note: Text | None = None
    """The header note ("for the next meeting, in the order listed here")."""
    is_ordered: bool = True
    """Whether the mentor asked for the items to be done in the listed order."""
    items: tuple[Item, ...] = ()
    topics: tuple[Topic, ...] = ()
    repeats: Day | None = None
    """The earlier meeting whose list this one repeats on purpose (`repeat:`); its items come
    first in `items`, as copies due at this meeting."""


# --- quizzes ----------------------------------------------------------------------------------


class Compare(StrEnum):
    """Which part of its code's output a question's answer is."""

    OUTPUT = "output"
    """The whole output (the default)."""
    LINE = "line"
    """One line of it (`Question.compare_line`, 1-based)."""
    LAST = "last"
    """The last value printed: its last non-blank line."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a single or multiple choice question."""

    text: Text
    is_correct: bool


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question (one FSRS card)."""

    id: str
    topic: str
    """The quiz file's topic id (also a meeting topic id where they match)."""
    type: QuestionType
    prompt: Text
    location: Location
    choices: tuple[Choice, ...] = ()
    number: float | None = None
    """NUMERIC: the declared answer (a cross-check when `code` computes it)."""
    tolerance: float = 0.0
    """NUMERIC: absolute tolerance."""
    accepted: tuple[str, ...] = ()
    """TEXT: accepted answers (compared after normalisation). PREDICT: the declared output."""
    code: str | None = None
    """PREDICT: the code whose output is the truth. NUMERIC/TEXT: code whose printed output
    computes the answer. CODE: the starter code shown to the mentee."""
    snippet: str | None = None
    """A snippet id to use as `code` (instead of inline code)."""
    checks: str | None = None
    """CODE: the mentor's checks (asserts), run after the mentee's code in the same namespace."""
    hints: tuple[Text, ...] = ()
    explanation: Text | None = None
    follows: tuple[str, ...] = ()
    """Progress keys of the parts this question follows; it unlocks when they are done."""
    meeting: date | None = None
    """The meeting this question follows; it unlocks when that meeting arrives."""
    compare: Compare = Compare.OUTPUT
    """PREDICT, NUMERIC, TEXT with code: which part of the output is the answer."""
    compare_line: int | None = None
    """`Compare.LINE`: the line, counted from 1."""


# --- the whole --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Curriculum:
    """Everything loaded from a curriculum directory, with the problems found on the way.

    Problems never stop loading: whatever could be read is here, in file order.
    """

    root: str
    resources: Mapping[str, Resource] = field(default_factory=dict)
    meetings: tuple[Meeting, ...] = ()
    """Sorted by date."""
    snippets: Mapping[str, Snippet] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    quiz_titles: Mapping[str, Text] = field(default_factory=dict)
    """Quiz topic ids to the quiz file's title."""
    problems: tuple[Problem, ...] = ()

    def topic_title(self, topic: str) -> Text:
        """A topic's title: the quiz file's, else the meeting topic's, else the id itself."""
        if topic in self.quiz_titles:
            return self.quiz_titles[topic]
        for meeting in self.meetings:
            for entry in meeting.topics:
                if entry.id == topic:
                    return entry.title
        return Text(en=topic)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item of every meeting, by meeting date then order."""
        return tuple(item for meeting in self.meetings for item in meeting.items)

    def progress_keys(self) -> frozenset[str]:
        """Every progress key the curriculum knows: parts, mentor follow-ups, video positions.

        Progress under any other key belongs to an id that left the YAML: it is kept and
        reported, never deleted.
        """
        from tracker.domain.item_kinds import ITEM_KINDS  # the registry imports this module

        keys: set[str] = {position_key(resource) for resource in self.resources}
        for item in self.items:
            keys.update(part.key for part in item.parts)
            keys.add(mentor_key(item.id))
            if item.resource and (key := ITEM_KINDS[item.kind].position_key(item)) is not None:
                keys.add(key)
        return frozenset(keys)

    @property
    def has_errors(self) -> bool:
        """Whether any problem is an error (not only warnings)."""
        return any(p.severity is Severity.ERROR for p in self.problems)


# --- keys -------------------------------------------------------------------------------------


def section_key(resource: str, label: str) -> str:
    """The progress key of a book section or course unit."""
    return f"{resource}/{label}"


def exercise_key(resource: str, section: str, number: int) -> str:
    """The progress key of exercise `number` of `section`."""
    return f"{resource}/{section}/ex{number}"


def exercises_key(resource: str, section: str) -> str:
    """The progress key of "the exercises of `section`" when nobody says how many: one tick."""
    return f"{resource}/{section}/exercises"


_FILE_MARK = "file:"


def file_key(resource: str, path: str) -> str:
    """The progress key of one file of a repository: `llms-repo/file:ch02/ch02.ipynb`."""
    return f"{resource}/{_FILE_MARK}{path}"


def until_key(resource: str, label: str) -> str:
    """The progress key of "read up to the section `label`"."""
    return f"{resource}/until/{label}"


def through_key(resource: str, label: str) -> str:
    """The progress key of "read through the section `label`" (it included)."""
    return f"{resource}/through/{label}"


def whole_key(resource: str) -> str:
    """The progress key of a whole resource (a post)."""
    return f"{resource}/whole"


def task_key(item_id: str) -> str:
    """The progress key of a task item."""
    return f"task/{item_id}"


def mentor_key(item_id: str) -> str:
    """The progress key of the mentor's follow-up on an item."""
    return f"task/{item_id}/mentor"


def position_key(resource: str) -> str:
    """The key under which a video's watched position (seconds) is stored."""
    return f"{resource}/position"


class KeyKind(StrEnum):
    """What a progress key stands for (see the module docstring's table)."""

    SECTION = "section"
    EXERCISE = "exercise"
    UNTIL = "until"
    WHOLE = "whole"
    TASK = "task"
    MENTOR = "mentor"
    POSITION = "position"
    FILE = "file"
    THROUGH = "through"


@dataclass(frozen=True, slots=True)
class ParsedKey:
    """A progress key taken apart by `parse_key`; `build()` puts it back together."""

    kind: KeyKind
    resource: str | None = None
    """The resource id (None for a task's and a mentor follow-up's key)."""
    label: str | None = None
    """SECTION and UNTIL: the section label; EXERCISE: the section whose exercise it is."""
    number: int | None = None
    """EXERCISE: the exercise's number; None for all the exercises of a section, uncounted."""
    item_id: str | None = None
    """TASK and MENTOR: the item's id."""

    def build(self) -> str:
        """The key again, through the `*_key` function of its kind."""
        resource, label, item_id = self.resource or "", self.label or "", self.item_id or ""
        match self.kind:
            case KeyKind.SECTION:
                return section_key(resource, label)
            case KeyKind.EXERCISE:
                if self.number is None:
                    return exercises_key(resource, label)
                return exercise_key(resource, label, self.number)
            case KeyKind.UNTIL:
                return until_key(resource, label)
            case KeyKind.WHOLE:
                return whole_key(resource)
            case KeyKind.TASK:
                return task_key(item_id)
            case KeyKind.MENTOR:
                return mentor_key(item_id)
            case KeyKind.POSITION:
                return position_key(resource)
            case KeyKind.FILE:
                return file_key(resource, label)
            case KeyKind.THROUGH:
                return through_key(resource, label)


_EXERCISE_NUMBER = re.compile(r"^ex(\d+)$")


def parse_key(key: str) -> ParsedKey | None:
    """Takes a progress key apart: the one inverse of the `*_key` functions.

    Args:
        key: A progress key, e.g. `probability/1.4/ex6` or `task/2024-04-08-push-work/mentor`.

    Returns:
        Its kind and pieces, or None when it has no key's shape (empty pieces, a `task/` key
        with a third piece other than `mentor`, more pieces than any key has).
    """
    pieces = key.split("/")
    if not all(pieces) or len(pieces) < 2:
        return None
    if pieces[0] == "task":
        if len(pieces) == 2:
            return ParsedKey(KeyKind.TASK, item_id=pieces[1])
        if len(pieces) == 3 and pieces[2] == "mentor":
            return ParsedKey(KeyKind.MENTOR, item_id=pieces[1])
        return None
    resource, rest = pieces[0], pieces[1:]
    if rest[0].startswith(_FILE_MARK) and len(rest[0]) > len(_FILE_MARK):
        return ParsedKey(KeyKind.FILE, resource, "/".join(rest)[len(_FILE_MARK) :])
    if rest == ["whole"]:
        return ParsedKey(KeyKind.WHOLE, resource)
    if rest == ["position"]:
        return ParsedKey(KeyKind.POSITION, resource)
    if len(rest) == 1:
        return ParsedKey(KeyKind.SECTION, resource, rest[0])
    if len(rest) == 2 and rest[0] == "until":
        return ParsedKey(KeyKind.UNTIL, resource, rest[1])
    if len(rest) == 2 and rest[0] == "through":
        return ParsedKey(KeyKind.THROUGH, resource, rest[1])
    if len(rest) == 2 and rest[1] == "exercises":
        return ParsedKey(KeyKind.EXERCISE, resource, rest[0])
    if len(rest) == 2 and (match := _EXERCISE_NUMBER.match(rest[1])):
        return ParsedKey(KeyKind.EXERCISE, resource, rest[0], int(match.group(1)))
    return None


def format_hms(seconds: int) -> str:
    """Seconds as `hh:mm:ss`."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"
