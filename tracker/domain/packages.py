"""Provides what a snippet needs installed: its declared and imported packages, and how to install one.

A snippet may declare `requires: [torchvision]`; it also needs whatever it imports. When the
worker's Python lacks one, `study check --run` warns (the curriculum is not wrong: the machine
lacks a package) and the app's snippet pane says what to install. Both ask these functions, so
they name the package the same way.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable

from tracker.domain.curriculum import Snippet

__all__ = [
    "PACKAGE_NAME",
    "imported_modules",
    "install_command",
    "missing_module",
    "module_name",
    "needed_modules",
]

PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""A name in `requires`: a module name as `import` takes it (`torchvision`, `sklearn`)."""

PIP_NAMES = {
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "PIL": "pillow",
    "cv2": "opencv-python",
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
}
"""Modules whose package on PyPI has another name."""

_NOT_FOUND = re.compile(r"(?:ModuleNotFoundError|ImportError): No module named '([^']+)'")
_ALWAYS_THERE = frozenset({"torch", "__future__", "__main__"})
"""The worker imports torch before any snippet runs: a Python without it is reported apart."""


def imported_modules(code: str) -> tuple[str, ...]:
    """The top-level modules the code imports that are not in the standard library.

    Args:
        code: A snippet's code (it is parsed, never run).

    Returns:
        The modules in the order first imported (`import torchvision.datasets` gives
        `torchvision`); empty when the code does not parse.
    """
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return ()
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module.split(".")[0])
    return tuple(
        name
        for name in dict.fromkeys(names)
        if name not in sys.stdlib_module_names and name not in _ALWAYS_THERE
    )


def needed_modules(snippet: Snippet) -> tuple[str, ...]:
    """What a snippet needs installed: its `requires`, then what it imports.

    Args:
        snippet: The snippet.

    Returns:
        Module names, each once.
    """
    return tuple(dict.fromkeys((*snippet.requires, *imported_modules(snippet.code))))


def module_name(requirement: str) -> str:
    """The module a pip requirement most likely installs: `scikit-learn>=1.4` -> `sklearn`.

    Args:
        requirement: What was written, perhaps a PyPI name with a version.

    Returns:
        The module name to suggest.
    """
    name = re.split(r"[<>=!~\[;\s]", requirement.strip(), maxsplit=1)[0]
    modules = {pip.casefold(): module for module, pip in PIP_NAMES.items()}
    return modules.get(name.casefold(), name.replace("-", "_"))


def missing_module(error: str) -> str | None:
    """The top-level module a run's traceback says is missing, if that is why it failed.

    Args:
        error: The run's traceback text.

    Returns:
        `torchvision` for `ModuleNotFoundError: No module named 'torchvision.datasets'`, else None.
    """
    found = _NOT_FOUND.findall(error)
    return found[-1].split(".")[0] if found else None


def install_command(modules: Iterable[str]) -> str:
    """The pip command that installs the modules: `pip install torchvision scikit-learn`.

    Args:
        modules: Module names as imported.

    Returns:
        The command, with PyPI's name where it differs from the module's.
    """
    return "pip install " + " ".join(PIP_NAMES.get(name, name) for name in modules)
