"""Runs `study check` over each file of the malformed corpus and compares with its `# expect:` lines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD, ROOT
from tracker.cli import main

MALFORMED = ROOT / "tests" / "fixtures" / "malformed"
EXPECT = re.compile(rb"^# expect: (\d+):(\d+) (error|warning) (.+)$", re.MULTILINE)
LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.*)$"
)
CORPUS = sorted(p for p in MALFORMED.rglob("*.y*ml"))


def _placed(fixture: Path, curriculum: Path) -> Path:
    """Where the fixture goes in the copied curriculum."""
    folder = fixture.parent.name
    if folder == "catalogue":
        return curriculum / "assignments" / "resources.yaml"
    return curriculum / folder / fixture.name


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 30
    assert all(EXPECT.search(p.read_bytes()) for p in CORPUS), "every file says what to expect"


@pytest.mark.parametrize("fixture", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_study_check_locates_every_problem(
    fixture: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    curriculum = tmp_path / "curriculum"
    shutil.copytree(GOOD, curriculum)
    target = _placed(fixture, curriculum)
    shutil.copyfile(fixture, target)
    expected = [
        (int(line), int(col), severity.decode(), text.decode().strip())
        for line, col, severity, text in EXPECT.findall(fixture.read_bytes())
    ]
    monkeypatch.chdir(curriculum)

    code = main(["--curriculum", str(curriculum), "check", str(target.relative_to(curriculum))])

    out, err = capsys.readouterr()
    reported = [LINE.match(line) for line in out.splitlines()]
    assert all(reported), out
    shown = str(target.relative_to(curriculum))
    assert {m["path"] for m in reported if m} <= {shown}
    got = [(int(m["line"]), int(m["col"]), m["severity"], m["message"]) for m in reported if m]
    for line, col, severity, text in expected:
        assert any(
            (g_line, g_col, g_severity) == (line, col, severity) and text in message
            for g_line, g_col, g_severity, message in got
        ), f"expected {line}:{col} {severity} {text!r}, got:\n{out}"
    assert len(got) == len(expected), f"unexpected problems:\n{out}"
    is_error = any(severity == "error" for _l, _c, severity, _t in expected)
    assert code == (1 if is_error else 0)
    assert re.search(r"\d+ errors?, \d+ warnings? in 1 file", err)
