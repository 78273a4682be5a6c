"""Hostile progress exports: every one is refused in one line with its JSON path, none hangs, none
reads without bound, and none gives a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.unit.report_fixture import write_curriculum
from tracker.cli import main
from tracker.report.exchange import ExportError, load_export

HEADER: dict[str, Any] = {
    "format": "study-tracker-progress",
    "version": 1,
    "name": "vova",
    "states": {},
    "notes": [],
    "questions": [],
    "reviews": [],
    "cards": {},
    "events": [],
}


def _export(**fields: Any) -> str:
    return json.dumps({**HEADER, **fields})


AT = "2024-04-10T18:00:00+00:00"
REVIEW = {"question": "q", "at": AT, "rating": 3, "correct": True, "cram": False, "due": None}

HOSTILE = [
    ('{"format": "study-tracker-progress", "version": 1' + "0" * 5000 + "}", "digits long"),
    (_export(version=10**40), "$.version: version a number of about 41 digits is newer"),
    (_export(version=0), "$.version: 0 is out of range"),
    (_export(version="1"), "$.version: expected a whole number, found '1'"),
    (_export(version=True), "$.version: expected a whole number, found true"),
    (_export(events=[1, 2]), "$.events[0]: expected an object, found 1"),
    (_export(events={"a": 1}), "$.events: expected a list, found {'a': 1}"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (_export(reviews=[{**REVIEW, "rating": 10**300}]), "$.reviews[0].rating: a number of"),
    (_export(reviews=[{**REVIEW, "rating": 5}]), "$.reviews[0].rating: 5 is out of range (1 to 4)"),
    (
        _export(states={"a/1": {"done": True, "position": -5, "updated": None}}),
        "$.states['a/1'].position: -5 is out of range",
    ),
    (
        _export(cards={"q": {"reps": -1, "lapses": 0, "state": "review", "due": None}}),
        "$.cards['q'].reps: -1 is out of range",
    ),
    (
        _export(cards={"q": {"reps": 1, "lapses": 0, "state": "\x1b[2Jx", "due": None}}),
        "$.cards['q'].state: expected one of learning, new, relearning, review, found",
    ),
    (_export(name="x" * 10_000), "$.name: a string of 10,000 characters, over 200"),
    (_export(name=""), "$.name: the mentee's name is empty"),
    (_export(notes=[{"key": "k", "text": "t", "at": "x" * 100_000}]), "$.notes[0].at: expected"),
    (
        _export(events=[{"at": AT, "kind": "done", "key": None, "value": [[[[1]]]]}]),
        "$.events[0].value: expected a whole number or null, found [[...]]",
    ),
    (_export(states=[]), "$.states: expected an object, found []"),
    (
        _export(questions=[{"text": "t", "at": AT, "meeting": "2024-02-30", "done": False}]),
        "$.questions[0].meeting: expected a date such as 2024-04-16, found '2024-02-30'",
    ),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_export_is_one_line_with_its_json_path(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "vova.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        load_export(path)
    shown = str(caught.value)
    assert message in shown
    assert shown.startswith(str(path))
    assert "\n" not in shown and "\x1b" not in shown
    assert len(shown) < 400


def test_study_report_refuses_a_fifo_a_device_and_an_oversize_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # no writer: a blocking open would hang here
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(1025 * 1024 * 1024)  # sparse: no disk is used
    cases = {
        fifo: "a FIFO (named pipe), not a regular file",
        Path("/dev/zero"): "a character device, not a regular file",
        big: "over the 1024 MiB limit",
    }
    for path, message in cases.items():
        code = main(["--curriculum", str(root), "report", str(path), "--meeting", "2024-04-16"])
        err = capsys.readouterr().err
        assert code == 1
        assert err.count("\n") == 1 and err.startswith("study report: error: "), err
        assert message in err


def test_a_hostile_name_and_question_reach_the_report_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    path = tmp_path / "vova.json"
    question = {"text": "\x1b]52;c;cm0gLXJmIH4=\x07why?", "at": AT, "meeting": None, "done": False}
    path.write_text(_export(name="vova\x1b]0;pwned\x07\x9b2J", questions=[question]), "utf-8")
    for form in ("md", "json"):
        args = ["report", str(path), "--meeting", "2024-04-16", "--format", form]
        code = main(["--curriculum", str(root), *args])
        out = capsys.readouterr().out
        assert code == 0
        assert not any(c in out for c in "\x1b\x07\x9b")
        if form == "md":
            assert "vova\\x1b]0;pwned\\x07\\x9b2J" in out
        else:
            assert json.loads(out)["mentees"][0]["name"] == "vova\x1b]0;pwned\x07\x9b2J"
