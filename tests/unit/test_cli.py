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
