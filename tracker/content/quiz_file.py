"""Provides the schema of a quiz file: its topic, snippets and questions, checked per type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode

from tracker.content.drafts import FileDraft, QuestionDraft, QuizDraft, Ref
from tracker.content.fields import check_python, identifier, named, read_date, read_snippet
from tracker.content.nodes import NodeReader, suggest
from tracker.domain.curriculum import Choice, Compare, Location, Question, QuestionType, Text
from tracker.domain.question_type import (
    QUESTION_COMMON_KEYS,
    QUESTION_FORMS,
    AnswerForm,
    CodeRole,
    QuestionForm,
    form_of,
)

__all__ = ["read_quiz"]

_STR = "tag:yaml.org,2002:str"

QUIZ_KEYS = ("topic", "title", "meeting", "follows", "snippets", "questions")
ALL_QUESTION_KEYS = tuple(
    dict.fromkeys(QUESTION_COMMON_KEYS + tuple(k for f in QUESTION_FORMS.values() for k in f.keys))
)
"""Every key some question type takes (the others are unknown keys)."""


def read_quiz(reader: NodeReader, node: Node, draft: FileDraft) -> None:
    """Reads a quiz file into `draft.quiz` (and its snippets); problems go to `reader`.

    Args:
        reader: The file's reader, which collects the located problems.
        node: The file's top-level node.
        draft: The file's draft, filled in place.
    """
    fields = reader.mapping(node, "a quiz", QUIZ_KEYS, ("topic", "questions"))
    if fields is None:
        return
    topic: Ref | None = None
    if "topic" in fields:
        value = identifier(reader, fields["topic"][1], "topic")
        if value is not None:
            topic = Ref.at(value, reader.location(fields["topic"][1]))
    title = reader.text(fields["title"][1], "the quiz's title") if "title" in fields else None
    meeting, meeting_location = None, None
    if "meeting" in fields:
        meeting = read_date(reader, fields["meeting"][1], "the quiz's meeting")
        meeting_location = reader.location(fields["meeting"][1]) if meeting else None
    follows = _follows(reader, fields["follows"][1]) if "follows" in fields else ()
    for entry in (
        reader.sequence(fields["snippets"][1], "the quiz's snippets") or []
        if "snippets" in fields
        else []
    ):
        read_snippet(reader, entry, draft.snippets)
    quiz = QuizDraft(
        topic, title=title, follows=follows, meeting=meeting, meeting_location=meeting_location
    )
    if "questions" in fields:
        for order, entry in enumerate(
            reader.sequence(fields["questions"][1], "'questions'") or [], 1
        ):
            question = _question(
                reader, entry, order, topic.value if topic else "", meeting, follows
            )
            if question is not None:
                quiz.questions.append(question)
    draft.quiz = quiz


_COMPARE = re.compile(r"^(output|last|line\s*:?\s*(\d+))$", re.IGNORECASE)


def _compare(reader: NodeReader, node: Node, what: str) -> tuple[Compare, int | None]:
    """`compare: output`, `compare: last` or `compare: line 2` (also `{line: 2}`)."""
    if isinstance(node, MappingNode):
        keys = reader.mapping(node, f"the compare of {what}", ("line",), ("line",))
        line = (
            reader.integer(keys["line"][1], f"the compared line of {what}", minimum=1)
            if keys and "line" in keys
            else None
        )
        return (Compare.LINE, line) if line is not None else (Compare.OUTPUT, None)
    value = reader.string(node, f"the compare of {what}")
    if value is None:
        return Compare.OUTPUT, None
    match = _COMPARE.match(value.strip())
    if match is None or (match.group(2) is not None and int(match.group(2)) < 1):
        reader.error(
            node,
            f"compare '{value}' of {what} must be output (the whole output), last (the last"
            " value printed) or line N (e.g. line 2)",
        )
        return Compare.OUTPUT, None
    if match.group(2) is not None:
        return Compare.LINE, int(match.group(2))
    return Compare(match.group(1).lower()), None


def _follows(reader: NodeReader, node: Node) -> tuple[Ref, ...]:
    refs: list[Ref] = []
    for entry in reader.items_or_one(node):
        value = reader.string(entry, "a 'follows' key")
        if value is not None:
            refs.append(Ref.at(value.strip(), reader.location(entry)))
    return tuple(refs)


def _question(
    reader: NodeReader,
    node: Node,
    order: int,
    topic: str,
    meeting: date | None,
    follows: tuple[Ref, ...],
) -> QuestionDraft | None:
    fields = reader.mapping(
        node,
        named("question", node, f"question {order}"),
        ALL_QUESTION_KEYS,
        ("id", "type", "prompt"),
    )
    if fields is None:
        return None
    question_id = identifier(reader, fields["id"][1], "question id") if "id" in fields else None
    what = f"question '{question_id}'" if question_id else f"question {order}"
    qtype = None
    if "type" in fields:
        type_node = fields["type"][1]
        value = reader.string(type_node, f"the type of {what}")
        if value is not None:
            try:
                qtype = QuestionType(value)
            except ValueError:
                names = [t.value for t in QuestionType]
                close = _TYPE_ALIASES.get(value.strip().casefold()) or suggest(value, names)
                typo = f" (did you mean '{close}'?)" if close else ""
                reader.error(
                    type_node,
                    f"unknown question type '{value}'{typo}; expected one of: {', '.join(names)}",
                )
    form = form_of(qtype) if qtype is not None else None
    if qtype is not None and form is not None:
        allowed = set(QUESTION_COMMON_KEYS) | set(form.keys)
        for key, (key_node, _value) in fields.items():
            if key not in allowed:
                reader.error(key_node, f"'{key}' is not used by a {qtype} question ({what})")
    prompt = (
        reader.text(fields["prompt"][1], f"the prompt of {what}") if "prompt" in fields else None
    )
    hints = tuple(
        hint
        for entry in (reader.items_or_one(fields["hints"][1]) if "hints" in fields else [])
        if (hint := reader.text(entry, f"a hint of {what}")) is not None
    )
    explanation = (
        reader.text(fields["explanation"][1], f"the explanation of {what}")
        if "explanation" in fields
        else None
    )
    own_meeting_location: Location | None = None
    if "meeting" in fields:
        meeting = read_date(reader, fields["meeting"][1], f"the meeting of {what}")
        own_meeting_location = reader.location(fields["meeting"][1]) if meeting else None
    own_follows: tuple[Ref, ...] | None = None
    if "follows" in fields:
        follows = own_follows = _follows(reader, fields["follows"][1])
    code = reader.string(fields["code"][1], f"the code of {what}") if "code" in fields else None
    checks = (
        reader.string(fields["checks"][1], f"the checks of {what}") if "checks" in fields else None
    )
    if code is not None and (form is None or form.code is not CodeRole.STARTER):  # a starter
        # may be unfinished
        check_python(reader, fields["code"][0], fields["code"][1], code, what)
    if checks is not None:
        check_python(
            reader, fields["checks"][0], fields["checks"][1], checks, f"the checks of {what}"
        )
    snippet: Ref | None = None
    if "snippet" in fields:
        snippet_node = fields["snippet"][1]
        value = reader.string(snippet_node, f"the snippet of {what}")
        if value is not None:
            snippet = Ref.at(value, reader.location(snippet_node))
        if "code" in fields:
            reader.error(snippet_node, f"{what} has both 'code' and 'snippet'; give one")
    answer = (
        _answer(reader, fields, form, what, node, has_code=code is not None or snippet is not None)
        if form is not None
        else None
    )
    compare, compare_line = Compare.OUTPUT, None
    if "compare" in fields:
        compare, compare_line = _compare(reader, fields["compare"][1], what)
        if (
            "code" not in fields
            and "snippet" not in fields
            and form is not None
            and form.is_computed
        ):
            reader.error(
                fields["compare"][0],
                f"'compare' of {what} needs 'code' or 'snippet' (it picks a part of their output)",
            )
    if form is not None and form.code is CodeRole.STARTER and "checks" not in fields:
        reader.error(
            node, f"{what} is missing 'checks' (a code question runs them against the answer)"
        )
    if (
        form is not None
        and form.code is CodeRole.TRUTH
        and "code" not in fields
        and "snippet" not in fields
    ):
        reader.error(node, f"{what} is missing 'code' or 'snippet' (its live output is the truth)")
    if question_id is None or qtype is None or prompt is None or answer is None:
        return None
    question = Question(
        id=question_id,
        topic=topic,
        type=qtype,
        prompt=prompt,
        location=reader.location(node),
        choices=answer.choices,
        number=answer.number,
        tolerance=answer.tolerance,
        accepted=answer.accepted,
        code=code,
        snippet=snippet.value if snippet else None,
        checks=checks,
        hints=hints,
        explanation=explanation,
        follows=tuple(ref.value for ref in follows),
        meeting=meeting,
        compare=compare,
        compare_line=compare_line,
    )
    return QuestionDraft(
        question,
        reader.location(fields["id"][1]),
        snippet=snippet,
        follows=own_follows,
        meeting_location=own_meeting_location,
    )


@dataclass(frozen=True, slots=True)
class _Answer:
    """The type-specific fields of a question, as its form reads them."""

    choices: tuple[Choice, ...] = ()
    number: float | None = None
    tolerance: float = 0.0
    accepted: tuple[str, ...] = ()


_TYPE_ALIASES = {
    "mcq": "single",
    "choice": "single",
    "one": "single",
    "radio": "single",
    "multi": "multiple",
    "checkbox": "multiple",
    "checkboxes": "multiple",
    "many": "multiple",
    "number": "numeric",
    "int": "numeric",
    "integer": "numeric",
    "float": "numeric",
    "string": "text",
    "open": "text",
    "free": "text",
    "output": "predict",
    "print": "predict",
    "coding": "code",
    "program": "code",
}
"""Names a mentor may reach for, and the type each means (for the suggestion)."""


def _numbers(
    reader: NodeReader, entries: list[Node], what: str, texts: list[Text]
) -> list[tuple[Node, int | None]]:
    """The choice numbers of an answer; `1, 3` in one scalar is two numbers, as in a list."""
    numbers: list[tuple[Node, int | None]] = []
    for entry in entries:
        if isinstance(entry, ScalarNode) and entry.tag == _STR:
            pieces = [piece.strip() for piece in entry.value.split(",")]
            if all(piece.isascii() and piece.isdigit() for piece in pieces):
                numbers += [(entry, int(piece)) for piece in pieces]
                continue
            written = entry.value.strip().casefold()
            same = [
                n
                for n, text in enumerate(texts, 1)
                if written
                in ((text.en or "").strip().casefold(), (text.hy or "").strip().casefold())
            ]
            hint = f"did you mean {same[0]}?" if same else f"1-{len(texts)}"
            reader.error(
                entry,
                f"the answer of {what} must be the number of the right choice, found"
                f" '{entry.value}' ({hint})",
            )
            numbers.append((entry, None))
            continue
        numbers.append((entry, reader.integer(entry, f"the answer of {what}")))
    return numbers


def _answer(
    reader: NodeReader,
    fields: dict[str, tuple[ScalarNode, Node]],
    form: QuestionForm,
    what: str,
    node: Node,
    *,
    has_code: bool,
) -> _Answer | None:
    """Reads the type-specific fields as the type's form says: choices, then the answer."""
    answer_node = fields["answer"][1] if "answer" in fields else None
    texts: list[Text] = []
    if form.has_choices:
        read = _choice_texts(reader, fields, what, node)
        if read is None:
            return None
        texts = read
    match form.answer:
        case AnswerForm.CHOICE | AnswerForm.CHOICES:
            return _right_choices(reader, answer_node, form.answer, texts, what, node)
        case AnswerForm.NUMBER:
            number = (
                reader.number(answer_node, f"the answer of {what}")
                if answer_node is not None
                else None
            )
            tolerance: float | None = 0.0
            if "tolerance" in fields:
                tolerance = reader.number(
                    fields["tolerance"][1], f"the tolerance of {what}", minimum=0
                )
            if answer_node is None and not has_code:
                reader.error(node, f"{what} is missing 'answer' (or 'code' that prints it)")
                return None
            if (answer_node is not None and number is None) or tolerance is None:
                return None
            return _Answer(number=number, tolerance=tolerance)
        case AnswerForm.TEXTS:
            if answer_node is None:
                if has_code:
                    return _Answer()
                reader.error(node, f"{what} is missing 'answer' (the accepted answers)")
                return None
            accepted = [
                reader.string(entry, f"an accepted answer of {what}")
                for entry in reader.items_or_one(answer_node)
            ]
            if not accepted or any(a is None for a in accepted):
                if not accepted:
                    reader.error(answer_node, f"{what} needs at least one accepted answer")
                return None
            return _Answer(accepted=tuple(a for a in accepted if a is not None))
        case AnswerForm.OUTPUT:
            if answer_node is None:
                return _Answer()
            declared = reader.string(answer_node, f"the declared output of {what}")
            return _Answer(accepted=(declared,)) if declared is not None else None
        case AnswerForm.NONE:
            return _Answer(choices=tuple(Choice(text, False) for text in texts))


def _choice_texts(
    reader: NodeReader, fields: dict[str, tuple[ScalarNode, Node]], what: str, node: Node
) -> list[Text] | None:
    """The texts of `choices` (at least two), or None when they are missing or unreadable."""
    if "choices" not in fields:
        reader.error(node, f"{what} is missing 'choices'")
        return None
    texts: list[Text] = []
    choices_node = fields["choices"][1]
    choice_nodes = reader.sequence(choices_node, f"the choices of {what}")
    for entry in choice_nodes or []:
        choice = reader.text(entry, f"a choice of {what}")
        if choice is not None:
            texts.append(choice)
    if choice_nodes is not None and len(choice_nodes) < 2:
        reader.error(choices_node, f"{what} needs at least 2 choices, found {len(choice_nodes)}")
        return None
    if choice_nodes is None or len(texts) < len(choice_nodes):  # reported already
        return None
    return texts


def _right_choices(
    reader: NodeReader,
    answer_node: Node | None,
    answer: AnswerForm,
    texts: list[Text],
    what: str,
    node: Node,
) -> _Answer | None:
    """The choices with the right ones marked, from the numbers in `answer`."""
    is_single = answer is AnswerForm.CHOICE
    if answer_node is None:
        reader.error(node, f"{what} is missing 'answer' (the 1-based number of the right choice)")
        return None
    if is_single:
        entries = [answer_node]
        if not isinstance(answer_node, ScalarNode):
            reader.error(
                answer_node, f"the answer of single-choice {what} is one number, found a list"
            )
            return None
    else:
        entries = reader.items_or_one(answer_node)
    right: set[int] = set()
    for entry, index in _numbers(reader, entries, what, texts):
        if index is None:
            return None
        if not 1 <= index <= len(texts):
            reader.error(
                entry,
                f"answer {index} of {what} is not a choice: there are {len(texts)} (1-{len(texts)})",
            )
            return None
        if index in right:
            reader.error(entry, f"answer {index} of {what} is listed twice")
        right.add(index)
    if not right:
        reader.error(answer_node, f"{what} needs at least one right answer")
        return None
    if is_single and len(right) > 1:
        reader.error(
            answer_node,
            f"single-choice {what} has one right answer, found {len(right)}"
            " (use type: multiple for several)",
        )
        return None
    return _Answer(choices=tuple(Choice(text, n in right) for n, text in enumerate(texts, 1)))
