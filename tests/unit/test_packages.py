"""Tests of what a snippet needs installed: declared, imported, missing, and how to install it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.content import load_curriculum
from tracker.domain.curriculum import Location, Snippet
from tracker.domain.packages import (
    imported_modules,
    install_command,
    missing_module,
    module_name,
    needed_modules,
)


def test_imported_modules_are_top_level_and_not_the_standard_library() -> None:
    code = (
        "import os, json\nimport torch\nimport torchvision.datasets as ds\n"
        "from sklearn.metrics import f1_score\nfrom . import sibling\nimport numpy\nimport numpy\n"
        "def f():\n    import PIL.Image\n"
    )
    assert imported_modules(code) == ("torchvision", "sklearn", "numpy", "PIL")


def test_code_that_does_not_parse_imports_nothing() -> None:
    assert imported_modules("import (") == ()


def test_needed_modules_are_declared_then_imported_once_each() -> None:
    snippet = Snippet(
        "s1",
        "import torchvision\nimport matplotlib.pyplot as plt\n",
        Location("a.yaml", 1, 1),
        2,
        requires=("torchvision", "tqdm"),
    )
    assert needed_modules(snippet) == ("torchvision", "tqdm", "matplotlib")


@pytest.mark.parametrize(
    ("error", "module"),
    [
        (
            "Traceback (most recent call last):\n  File x\nModuleNotFoundError: No module named"
            " 'torchvision'",
            "torchvision",
        ),
        ("ModuleNotFoundError: No module named 'torchvision.datasets'", "torchvision"),
        ("ImportError: No module named 'yaml'", "yaml"),
        ("ZeroDivisionError: division by zero", None),
    ],
)
def test_missing_module_reads_the_traceback(error: str, module: str | None) -> None:
    assert missing_module(error) == module


@pytest.mark.parametrize(
    ("written", "module"),
    [
        ("scikit-learn>=1.4", "sklearn"),
        ("Pillow", "PIL"),
        ("numpy==2.0", "numpy"),
        ("my-pkg", "my_pkg"),
    ],
)
def test_module_name_of_a_requirement(written: str, module: str) -> None:
    assert module_name(written) == module


def test_install_command_uses_the_package_index_name() -> None:
    assert install_command(["torchvision", "sklearn", "PIL"]) == (
        "pip install torchvision scikit-learn pillow"
    )


def _snippet_file(good: Path, requires: str) -> Path:
    path = good / "quizzes" / "vision.yaml"
    path.write_text(
        "topic: vision\nsnippets:\n  - id: mnist\n"
        f"    requires: {requires}\n"
        "    code: print(1)\nquestions:\n  - {id: q1, type: text, prompt: Why?, answer: because}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("[torchvision]", ("torchvision",)),
        ("torchvision", ("torchvision",)),
        ("[a, b, a]", ("a", "b")),
    ],
)
def test_requires_is_read_as_a_list_or_one_name(
    good: Path, written: str, names: tuple[str, ...]
) -> None:
    _snippet_file(good, written)
    curriculum = load_curriculum(good, use_cache=False)
    assert curriculum.problems == ()
    assert curriculum.snippets["mnist"].requires == names


def test_a_requirement_that_is_not_a_module_name_is_located(good: Path) -> None:
    _snippet_file(good, "[torchvision, scikit-learn, 'numpy>=1.24']")
    curriculum = load_curriculum(good, use_cache=False)
    assert [(p.location.line, p.location.column, p.message) for p in curriculum.problems] == [
        (
            4,
            29,
            "'scikit-learn' in the requires of snippet 'mnist' is not a module name"
            " (did you mean 'sklearn'? name the module as `import` does)",
        ),
        (
            4,
            43,
            "'numpy>=1.24' in the requires of snippet 'mnist' is not a module name"
            " (did you mean 'numpy'? name the module as `import` does)",
        ),
    ]
    assert curriculum.snippets["mnist"].requires == ("torchvision",)
