"""The package's import boundaries: only ui/ imports textual, only the runner's child imports torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "tracker"

LAYERS = ("domain", "content", "store", "quiz", "runner", "report", "ui", "commands")
ALLOWED = {
    "domain": {"domain"},
    "content": {"domain", "content"},
    "store": {"domain", "store"},
    "runner": {"domain", "runner"},
    "quiz": {"domain", "quiz", "store", "runner", "content"},
    "report": {"domain", "report", "store", "quiz", "content"},
    "ui": set(LAYERS) - {"commands"},
    "commands": set(LAYERS),
}
"""Which layers each layer may import: ui -> report -> quiz | store | content | runner -> domain."""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_ui_imports_textual() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules()
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
        and p.name != "app.py"  # tracker/commands/app.py builds the app lazily, inside run()
        and any(name == "textual" or name.startswith("textual.") for name in _imports(p))
    ]
    assert offenders == []


def test_only_the_runner_child_imports_torch() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules()
        if p.relative_to(PACKAGE).as_posix() != "runner/child.py"
        and any(name == "torch" or name.startswith("torch.") for name in _imports(p))
    ]
    assert offenders == []


def test_layers_import_only_downwards() -> None:
    violations = []
    for path in _modules():
        parts = path.relative_to(PACKAGE).parts
        layer = parts[0] if len(parts) > 1 else None
        if layer not in ALLOWED:
            continue
        for name in _imports(path):
            pieces = name.split(".")
            is_layer = pieces[0] == "tracker" and len(pieces) > 1 and pieces[1] in LAYERS
            if is_layer and pieces[1] not in ALLOWED[layer]:
                violations.append(f"{path.relative_to(ROOT)} imports {name}")
    assert violations == []


def test_headless_core_loads_neither_textual_nor_torch() -> None:
    code = (
        "import sys, tracker.cli, tracker.domain.curriculum, tracker.domain.progress;"
        "import importlib, pkgutil, tracker;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(tracker.__path__, 'tracker.')"
        " if not m.name.startswith(('tracker.__main__', 'tracker.ui', 'tracker.runner.child', 'tracker.commands.app'))];"
        "print(sorted(m for m in ('textual', 'torch') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


_CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
}
"""`owner.attribute` calls that read the date or the wall clock (durations via `monotonic` or
`perf_counter` are not readings of the date)."""


def _clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in _CLOCK_READS:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_only_the_clock_module_reads_the_time() -> None:
    offenders = [
        line
        for path in _modules()
        if path.relative_to(PACKAGE).as_posix() != "clock.py"
        for line in _clock_reads(path)
    ]
    assert offenders == []
    assert _clock_reads(PACKAGE / "clock.py")  # the check itself sees a reading
