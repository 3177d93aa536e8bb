"""Every package the code imports is a declared distribution, with a range the venv meets."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from toolkit.paths import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]
# The package's own optional features (`speechtag[spark]`), imported only where they are used.
EXTRAS = [Requirement(line) for name, lines in PROJECT["optional-dependencies"].items()
          if name != "dev" for line in lines]
PROVIDERS = metadata.packages_distributions()


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def imported(folder: Path) -> dict[str, str]:
    """Top-level modules imported anywhere under ``folder`` (also inside functions), minus
    the standard library, the project's own package and modules that live in ``folder``."""
    local = {path.stem for path in folder.glob("*.py")} | {"toolkit", folder.name}
    found = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local | {"__future__"}:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def undeclared(folder: Path, declared: list[Requirement]) -> list[str]:
    names = {canonical(requirement.name) for requirement in declared}
    return sorted(
        f"{module} (imported in {where}; provided by {PROVIDERS.get(module, ['nothing'])})"
        for module, where in imported(folder).items()
        if not names & {canonical(dist) for dist in PROVIDERS.get(module, [])}
    )


def test_the_scan_finds_what_the_server_imports():
    assert {"fastapi", "uvicorn", "pydantic", "starlette", "pandas", "pyarrow"} <= set(
        imported(ROOT / "toolkit"))


def test_every_import_of_toolkit_is_a_declared_dependency():
    assert undeclared(ROOT / "toolkit", RUNTIME + EXTRAS) == []


@pytest.mark.parametrize("folder", ["tests", "benchmarks"])
def test_every_import_of_tests_and_benchmarks_is_declared(folder):
    assert undeclared(ROOT / folder, RUNTIME + DEV) == []


@pytest.mark.parametrize("requirement", RUNTIME + DEV, ids=str)
def test_each_dependency_has_a_range_the_environment_meets(requirement):
    assert str(requirement.specifier), f"{requirement.name}: give a version range"
    installed = metadata.version(requirement.name)
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is outside {requirement.specifier}")
