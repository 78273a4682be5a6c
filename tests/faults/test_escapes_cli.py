"""Escape sequences in YAML and exports never reach the terminal from a command: `study check`
errors, the report's mentor TODOs and names, `study export -o -`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import GOOD
from tests.unit.report_fixture import NOW, write_curriculum
from tracker.cli import main
from tracker.store.progress_store import ProgressStore

LIVE = ("\x1b", "\x07", "\x9b", "\x9d")
"""Bytes that would act on a terminal: ESC, BEL, 8-bit CSI and OSC."""


def _is_inert(text: str) -> bool:
    return not any(char in text for char in LIVE)


def test_a_yaml_value_quoted_in_a_check_error_is_shown_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    meeting = root / "assignments" / "2024-04-16.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace(
            "owner: mentor", 'owner: "\\e]0;pwned\\a\\e]52;c;cm0gLXJm\\a\\u009b2J"'
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert main(["check", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert _is_inert(out)
    assert "\\x1b]0;pwned\\x07\\x1b]52;c;cm0gLXJm\\x07\\x9b2J" in out
    assert main(["check", "--no-cache", "--format", "json"]) == 1
    text = capsys.readouterr().out
    assert _is_inert(text)
    assert any("\\x1b]0;pwned" in p["message"] for p in json.loads(text))


def test_a_mentor_todo_reaches_the_report_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_home: Path
) -> None:
    root = write_curriculum(tmp_path / "curriculum")
    meeting = root / "assignments" / "2024-04-08.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace(
            "mentor_todo: Look through the pushed work and merge it",
            'mentor_todo: "Merge it\\e]0;owned\\a\\e[2J"',
        ),
        encoding="utf-8",
    )
    assert main(["--curriculum", str(root), "report", "--meeting", "2024-04-16"]) == 0
    out = capsys.readouterr().out
    assert _is_inert(out)
    assert "Merge it\\x1b]0;owned\\x07\\x1b[2J" in out


def test_an_exported_note_on_stdout_is_the_same_json_without_live_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_home: Path
) -> None:
    note = "see \x1b]52;c;cm0gLXJmIH4=\x07 and \x9b2J and \u202eevil"
    with ProgressStore.open(study_home / "progress.sqlite3") as store:
        store.add_note("llm-book/2.6", note, now=NOW)
    root = write_curriculum(tmp_path / "curriculum")
    assert main(["--curriculum", str(root), "export", "--name", "vova", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert _is_inert(out) and "\u202e" not in out
    assert json.loads(out)["notes"][0]["text"] == note


@pytest.mark.slow
def test_snippet_output_in_a_check_run_diff_is_shown_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "curriculum"
    shutil.copytree(GOOD, root)
    (root / "quizzes" / "escapes.yaml").write_text(
        "topic: escapes\n"
        "title: Escapes\n"
        "questions:\n"
        "  - id: esc-predict\n"
        "    type: predict\n"
        "    prompt: What does it print?\n"
        "    answer: hi\n"
        "    code: |\n"
        '      print("\\x1b]0;pwned\\x07\\x1b]52;c;cm0=\\x07\\x9b2Jhi")\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert main(["check", "--run", "--no-cache", "quizzes/escapes.yaml"]) == 1
    out = capsys.readouterr().out
    assert "esc-predict" in out
    assert _is_inert(out)
    assert "\\x1b]0;pwned\\x07" in out
