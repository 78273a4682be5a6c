"""Provides the per-file schema: one file's node tree to a `FileDraft`, every problem located."""

from __future__ import annotations

from yaml.nodes import Node

from tracker.content.catalogue_file import read_catalogue
from tracker.content.drafts import FileDraft, FileRole
from tracker.content.meeting_file import read_meeting
from tracker.content.nodes import NodeReader
from tracker.content.quiz_file import read_quiz
from tracker.domain.curriculum import Location, Problem, Severity

__all__ = ["draft_node"]


_NEEDS = {
    FileRole.CATALOGUE: "the catalogue needs 'resources:'",
    FileRole.MEETING: "a meeting needs 'date:' and 'items:' or 'discuss:'",
    FileRole.QUIZ: "a quiz needs 'topic:' and 'questions:'",
}
"""What an empty file of each role should hold, for the warning."""


def draft_node(path: str, role: FileRole, node: Node | None, stem: str) -> FileDraft:
    """Reads one file's node tree into a draft, recording every problem in it.

    Args:
        path: The file's path, as problems name it.
        role: What the file holds.
        node: The file's root node (None for an empty file).
        stem: The file's name without its suffix (used for default ids when the date is bad).

    Returns:
        The draft; its `problems` hold everything found in this file alone.
    """
    reader = NodeReader(path)
    draft = FileDraft(path, role)
    if node is None:
        needs = _NEEDS[role]
        draft.problems.append(
            Problem(
                Location(reader.path, 1, 1),
                Severity.WARNING,
                f"the file is empty (or only comments), so nothing is read from it; {needs}",
            )
        )
        return draft
    if role is FileRole.CATALOGUE:
        read_catalogue(reader, node, draft)
    elif role is FileRole.MEETING:
        read_meeting(reader, node, draft, stem)
    else:
        read_quiz(reader, node, draft)
    draft.problems.extend(reader.problems)
    return draft
