"""Property tests: whatever the bytes, `load_curriculum` returns located problems and never raises."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GOOD, ROOT
from tracker.content import load_curriculum
from tracker.content.reader import read_yaml
from tracker.domain.curriculum import Curriculum, Severity

MALFORMED = ROOT / "tests" / "fixtures" / "malformed"
PLACES = ("assignments/resources.yaml", "assignments/2024-05-06.yaml", "quizzes/fuzz.yaml")
SOURCES = sorted(GOOD.rglob("*.yaml")) + sorted(MALFORMED.rglob("*.yaml"))
TOKENS = [
    "date:",
    "items:",
    "discuss:",
    "resources:",
    "questions:",
    "topic:",
    "snippets:",
    "resource:",
    "sections:",
    "units:",
    "exercises:",
    "until:",
    "from:",
    "read_until:",
    "task:",
    "id:",
    "kind:",
    "title:",
    "type:",
    "choices:",
    "answer:",
    "code:",
    "follows:",
    "section:",
    "numbers:",
    "llm-book",
    "tokenizer-video",
    "probability",
    "2.1-2.7",
    "A1-A3",
    "6-11",
    "6-x",
    "01:11:382",
    "01:11:38",
    "31/02/2024",
    "2024-04-08",
    "single",
    "predict",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "-",
    "- ",
    "? ",
    "|",
    ">",
    "&a",
    "*a",
    "&b",
    "*b",
    "<<",
    "!!python/object:os.system",
    "!foo",
    "!!str",
    "'",
    '"',
    "#",
    "---",
    "...",
    "%YAML 1.1",
    "\n",
    "\n  ",
    "\n    ",
    "\n  - ",
    " ",
    "\t",
    "Հայ",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "~",
    "null",
    "true",
    "1",
    "-1",
    "1.5",
    "1e9",
    ".inf",
    "0x1F",
    "2:13:75",
]
"""Pieces of YAML and of the curriculum's vocabulary, so random text gets past the parser often."""

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _load_with(place: str, data: bytes) -> Curriculum:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "curriculum"
        shutil.copytree(GOOD, root)
        (root / place).write_bytes(data)
        return load_curriculum(root)


def _assert_located(curriculum: Curriculum) -> None:
    for problem in curriculum.problems:
        assert problem.location.line >= 1 and problem.location.column >= 1, problem
        assert problem.location.path.endswith(".yaml"), problem
        assert problem.severity in (Severity.ERROR, Severity.WARNING)
        assert problem.message.strip()
        assert problem.format().count(":") >= 4


@FUZZ
@given(place=st.sampled_from(PLACES), text=st.text(max_size=400))
def test_random_text_gives_located_problems(place: str, text: str) -> None:
    _assert_located(_load_with(place, text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(place=st.sampled_from(PLACES), pieces=st.lists(st.sampled_from(TOKENS), max_size=80))
def test_random_yaml_like_text_gives_located_problems(place: str, pieces: list[str]) -> None:
    _assert_located(_load_with(place, "".join(pieces).encode("utf-8")))


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    source = draw(st.sampled_from(SOURCES))
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        lines = bytes(data).split(b"\n")
        action = draw(st.sampled_from(["flip", "delete", "duplicate", "insert"]))
        if action == "flip" and data:
            index = draw(st.integers(0, len(data) - 1))
            data[index] ^= 1 << draw(st.integers(0, 7))
        elif action == "delete" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = bytearray(b"\n".join(lines))
        elif action == "duplicate" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        elif action == "insert":
            index = draw(st.integers(0, len(lines)))
            lines.insert(index, draw(st.sampled_from(TOKENS)).encode("utf-8"))
            data = bytearray(b"\n".join(lines))
    relative = source.relative_to(source.parents[1]).as_posix()
    folder = relative.split("/")[0]
    place = {
        "catalogue": "assignments/resources.yaml",
        "assignments": f"assignments/{source.name}",
        "quizzes": f"quizzes/{source.name}",
    }[folder]
    return place, bytes(data)


@FUZZ
@given(mutation=_mutated())
def test_mutated_fixtures_give_located_problems(mutation: tuple[str, bytes]) -> None:
    place, data = mutation
    _assert_located(_load_with(place, data))


SLIPS = [
    "\t",
    "\u00a0",
    " ",
    "  ",
    ": ",
    ":",
    "-",
    "- ",
    "\n",
    "\r\n",
    '"',
    "'",
    "#",
    "{",
    "}",
    ",",
    "resource",
    "note",
    "Կարդա",
    "2.6",
    "items:\n",
    "  - ",
    "    ",
]
"""What the mentor's slips are made of: indentation, colons, dashes, quotes, Armenian text."""


@FUZZ
@given(pieces=st.lists(st.sampled_from(SLIPS), max_size=60))
def test_syntax_explanations_stay_inside_the_file(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = read_yaml("f.yaml", text.encode("utf-8"))
    lines = text.splitlines() or [""]
    for problem in result.problems:
        assert 1 <= problem.location.line <= len(lines) + 1, problem
        assert problem.location.column >= 1, problem
