"""Build step: put the data that `speechtag init` ships into the package, at build time only.

The repository's ``datasets/`` (the whole tree, whatever subfolders it has) and
``experiments/default.toml`` stay the one source of truth; ``build_py`` copies them
into ``toolkit/template/`` of the build directory, so a wheel carries them and no
copy is ever committed. Editable installs skip the copy: there ``toolkit.paths.shipped``
reads the repository's folders directly. Wired in by ``[tool.setuptools.cmdclass]``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("datasets", "experiments/default.toml")
TEMPLATE = Path("toolkit") / "template"


class BuildPy(build_py):
    """``build_py`` that also copies the shipped workspace data into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for relative in SHIPPED:
            source = ROOT / relative
            if not source.exists():
                raise FileNotFoundError(f"{source}: expected shipped data, found nothing")
            target = Path(self.build_lib) / TEMPLATE / relative
            # A build directory left by an earlier build may hold files since removed.
            if target.is_dir():
                shutil.rmtree(target)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".*", "__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
