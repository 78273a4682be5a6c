"""The `study` entry point: global options before or after the subcommand, the default command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.cli import (
    _command_name,
    _insert_default_command,
    build_parser,
    find_curriculum,
    main,
)


@pytest.mark.parametrize(
    "argv",
    [
        ["--curriculum", "x", "check"],
        ["check", "--curriculum", "x"],
    ],
)
def test_global_options_work_before_and_after_the_subcommand(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.command == "check"
    assert args.curriculum == Path("x")


def test_no_subcommand_opens_the_app() -> None:
    assert _insert_default_command([]) == ["app"]
    assert _insert_default_command(["--curriculum", "d"]) == ["--curriculum", "d", "app"]
    assert _insert_default_command(["--data-dir", "d", "check"]) == ["--data-dir", "d", "check"]
    both = ["--curriculum", "c", "--data-dir", "d"]
    assert _insert_default_command([*both, "--lang", "hy"]) == [*both, "app", "--lang", "hy"]


def test_the_command_is_found_after_the_global_options() -> None:
    assert _command_name(["--curriculum", "c", "--data-dir", "d", "run", "s03"]) == "run"
    assert _command_name(["check", "--curriculum", "c"]) == "check"
    assert _command_name(["--curriculum", "c"]) is None
    assert _command_name(["--curriculum", "run"]) is None  # `run` is the option's value here
    assert _command_name(["frobnicate"]) is None


def test_find_curriculum_walks_up_to_assignments(tmp_path: Path) -> None:
    (tmp_path / "assignments").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_curriculum(deep) == tmp_path


def test_find_curriculum_falls_back_to_the_bundled_one(tmp_path: Path) -> None:
    assert find_curriculum(tmp_path) == ROOT


def test_unknown_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "frobnicate" in capsys.readouterr().err


def test_version_and_help_name_what_a_newcomer_looks_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"study {version('study-tracker')}"
    assert main(["--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--python PATH" in help_text and "--lang" in help_text and "--version" in help_text


def _tree(root: Path) -> set[Path]:
    return {p for folder in ("assignments", "progress") for p in (root / folder).rglob("*")}


@pytest.mark.parametrize(
    ("argv", "advice"),
    [
        (["new"], "`study init DIR` starts your own"),
        (["new", "2030-01-01"], "`study init DIR` starts your own"),
        (["export"], "pass --output FILE, or `study init DIR` starts your own"),
    ],
)
def test_outside_a_curriculum_writing_commands_refuse_the_bundled_one(
    argv: list[str],
    advice: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))
    before = _tree(ROOT)

    assert main(argv) == 1

    err = capsys.readouterr().err
    assert err == (
        f"study {argv[0]}: error: no curriculum here: the bundled one is read-only; {advice}\n"
    )
    assert _tree(ROOT) == before, "nothing written into the bundled curriculum"
    assert list(empty.iterdir()) == []


def test_export_outside_a_curriculum_still_writes_where_it_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))

    assert main(["export", "--output", "mine.json", "--name", "ani"]) == 0

    assert '"name": "ani"' in (tmp_path / "mine.json").read_text(encoding="utf-8")


def test_outside_a_curriculum_check_and_help_name_the_bundled_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))

    assert main(["check"]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(
        "the bundled example curriculum (read-only; `study init DIR` starts your own): 0 errors,"
    )
    assert main(["--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "assignments/ upwards, else the bundled example curriculum, read-only" in help_text


def test_inside_a_curriculum_check_says_only_the_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "assignments").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))

    assert main(["check"]) == 0
    assert capsys.readouterr().err == "0 errors, 0 warnings in 0 files\n"
