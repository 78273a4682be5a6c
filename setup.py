"""Copies the bundled curriculum into the wheel, so that an installed `study` has it.

The repository keeps one copy of the curriculum, at the top: `assignments/`, `quizzes/` and the
example CI workflow in `examples/`. A wheel carries them as package data under
`tracker/bundled/`, where `tracker.paths.bundled_curriculum()` finds them. An editable install
(`make setup`) copies nothing: the package there sits beside the checkout and reads it in place.
Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = {"assignments": "*.yaml", "quizzes": "*.yaml", "examples": "*.yml"}
"""The top-level folders that ship in the wheel, each with the files it ships."""


class BuildWithCurriculum(build_py):
    """Builds the package, then copies the curriculum into `tracker/bundled/`."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout is read in place
            return
        target = Path(self.build_lib, "tracker", "bundled")
        shutil.rmtree(target, ignore_errors=True)  # no stale file from an earlier build
        for folder, pattern in BUNDLED.items():
            for source in sorted(Path(folder).glob(pattern)):
                self.mkpath(str(target / folder))
                self.copy_file(str(source), str(target / folder / source.name))


setup(cmdclass={"build_py": BuildWithCurriculum})
