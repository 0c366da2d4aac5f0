"""Every module of the package imports, and so does every library the code imports (at the top of a module or
inside a function), in the environment the tests run in: on each supported Python, nox runs this in a fresh
virtual environment made from pyproject.toml alone (noxfile.py), so a dependency that only a lucky resolution
installs fails here rather than in a user's `ipfacts add-source` (#31). The libraries must also be declared in
pyproject.toml, not merely present."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
from importlib.metadata import distributions

import pytest

import ipfacts

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli: the same parser, a test dependency on 3.10 (pyproject.toml)
    import tomli as tomllib

PACKAGE = REPO / "ipfacts"
# stdlib modules of one operating system only, imported where that system is detected
PLATFORM_ONLY = {"msvcrt": "win32", "winreg": "win32", "fcntl": "linux"}


def modules() -> list[str]:
    """Every module but ipfacts.__main__, which runs the CLI when imported (`python -m ipfacts`)."""
    names = ["ipfacts"]
    for info in pkgutil.walk_packages(ipfacts.__path__, "ipfacts."):
        if not info.name.endswith(".__main__"):
            names.append(info.name)
    return sorted(names)


def imported_names() -> dict[str, str]:
    """Every absolute import in the package's source, function bodies included: top-level name → a file that
    imports it."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name, str(path.relative_to(REPO)))
    return found


def third_party() -> dict[str, str]:
    return {name: where for name, where in imported_names().items()
            if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] not in ("ipfacts", "__future__")}


def declared() -> set[str]:
    """Distribution names pyproject.toml asks for (dependencies and every extra), normalised."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    return {normalise(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0]) for line in lines}


def owners() -> dict[str, set[str]]:
    """Top-level import name → the installed distributions that provide it. (importlib.metadata's
    packages_distributions reads only top_level.txt on Python 3.10, which wheels built by flit or hatchling
    do not have: the files each distribution installed say it on every version.)"""
    found: dict[str, set[str]] = {}
    for dist in distributions():
        names = set((dist.read_text("top_level.txt") or "").split())
        for file in dist.files or []:
            parts = file.parts
            if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".data")):
                continue
            if len(parts) > 1:
                names.add(parts[0])
            elif file.suffix in (".py", ".so", ".pyd"):
                names.add(parts[0].split(".")[0])
        for name in names:
            found.setdefault(name, set()).add(normalise(dist.metadata["Name"]))
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("name", modules())
def test_every_module_of_the_package_imports(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__name__ == name


def test_the_package_has_its_modules() -> None:
    names = modules()
    # the layers the README names are all found (walk_packages would silently list fewer on a broken layout)
    for layer in ("load", "check", "findings", "review", "render", "curate", "infra", "cli", "web"):
        assert f"ipfacts.{layer}" in names
    assert len(names) > 50


@pytest.mark.parametrize("name", sorted(third_party()))
def test_every_library_the_code_imports_imports(name: str) -> None:
    # trafilatura's justext needs lxml.html.clean, a separate distribution (lxml_html_clean) since lxml 5.2:
    # importing trafilatura here is what catches it missing
    importlib.import_module(name)


@pytest.mark.parametrize("name", sorted(name for name in imported_names() if name.split(".")[0] in PLATFORM_ONLY))
def test_platform_modules_are_imported_only_on_their_platform(name: str) -> None:
    top = name.split(".")[0]
    if sys.platform.startswith(PLATFORM_ONLY[top]):
        importlib.import_module(name)
    else:
        with pytest.raises(ImportError):
            importlib.import_module(name)


def test_every_library_the_code_imports_is_declared() -> None:
    wanted = declared()
    providers = owners()
    missing = []
    for name, where in sorted(third_party().items()):
        provided_by = providers.get(name.split(".")[0], set())
        assert provided_by, f"{name} (imported by {where}) belongs to no installed distribution"
        if not provided_by & wanted:
            missing.append(f"{name} ({where}): from {sorted(provided_by)}")
    assert missing == [], "imported but not declared in pyproject.toml"


def test_lxml_html_clean_is_declared_and_importable() -> None:
    # the regression of #31: add-source of a web page crashed with "lxml.html.clean module is now a separate
    # project lxml_html_clean" wherever the resolver happened not to install it
    assert "lxml-html-clean" in declared()
    importlib.import_module("lxml.html.clean")
