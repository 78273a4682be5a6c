"""Figures: the real worker saves each matplotlib figure of a run as a PNG, `study run` lists them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.runner import RunStatus, SnippetRunner
from tracker.runner.result import install_hint
from tracker.runner.runner import prune_figures

PNG = b"\x89PNG\r\n\x1a\n"

TWO_FIGURES = """\
import matplotlib.pyplot as plt
plt.plot([1, 2, 3], [1, 4, 9])
plt.show()
print("after the first")
plt.figure()
plt.imshow([[1, 2], [3, 4]])
print("drawn, never shown")
"""


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(scope="module")
def runner(figures: Path) -> Iterator[SnippetRunner]:
    with SnippetRunner(spare=False, figures=figures) as shared:
        yield shared


def test_a_figure_is_saved_on_show_and_another_at_the_end(
    runner: SnippetRunner, figures: Path
) -> None:
    result = runner.run(TWO_FIGURES)

    assert result.status is RunStatus.OK, result.error
    assert result.stdout == "after the first\ndrawn, never shown\n"
    paths = [Path(p) for p in result.figures]
    assert [p.name for p in paths] == ["figure-1.png", "figure-2.png"]
    assert all(p.parent.parent == figures for p in paths)
    assert all(p.read_bytes().startswith(PNG) for p in paths)
    assert "non-interactive" not in result.stdout  # no Agg warning: show() saves instead


def test_every_run_gets_its_own_directory(runner: SnippetRunner) -> None:
    first = runner.run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n")
    second = runner.run("import matplotlib.pyplot as plt\nplt.plot([2, 1])\n")

    assert len(first.figures) == len(second.figures) == 1
    assert Path(first.figures[0]).parent != Path(second.figures[0]).parent
    assert Path(first.figures[0]).read_bytes() != Path(second.figures[0]).read_bytes()


def test_a_run_that_draws_nothing_leaves_nothing(runner: SnippetRunner, figures: Path) -> None:
    before = set(figures.iterdir())

    result = runner.run("print(2213)\n")

    assert result.figures == ()
    assert set(figures.iterdir()) == before


def test_a_missing_module_says_what_to_install(runner: SnippetRunner) -> None:
    result = runner.run("import matplotlib_that_is_not_here.pyplot\n")

    assert result.status is RunStatus.ERROR
    assert install_hint(result, runner.python) == (
        f"matplotlib_that_is_not_here is not installed in {runner.python}: "
        f"{runner.python} -m pip install matplotlib_that_is_not_here"
    )
    assert install_hint(runner.run("1 / 0\n"), runner.python) is None


def test_study_run_prints_each_figure_on_its_own_line(
    capsys: pytest.CaptureFixture[str], study_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _stdin(TWO_FIGURES))

    assert main(["run", "-"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["after the first", "drawn, never shown"]
    shown = [line.removeprefix("figure: ") for line in out[2:]]
    assert [Path(p).name for p in shown] == ["figure-1.png", "figure-2.png"]
    assert all(Path(p).is_relative_to(study_home / "figures") for p in shown)
    assert all(Path(p).is_file() for p in shown)


def test_pruning_keeps_the_newest_runs(tmp_path: Path) -> None:
    for age, name in enumerate(["newest", "middle", "oldest"]):
        run = tmp_path / name
        run.mkdir()
        (run / "figure-1.png").write_bytes(PNG)
        os.utime(run, (1_000_000 - age, 1_000_000 - age))

    prune_figures(tmp_path, keep=2)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["middle", "newest"]
    prune_figures(tmp_path / "absent", keep=2)  # nothing to prune: no error


def _stdin(text: str) -> object:
    import io

    return io.StringIO(text)
