"""The Pythons ipfacts claims are the ones it tests: pyproject.toml's requires-python and classifiers, the nox
matrix (noxfile.py) and the versions .ci/setup accepts (.ci/find-python) say the same; and .ci/find-python picks
a supported interpreter, tried here on made-up interpreters (shell scripts that print a version)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli: the same parser, a test dependency on 3.10 (pyproject.toml)
    import tomli as tomllib

FIND = REPO / ".ci" / "find-python"
BASH = shutil.which("bash")


def project() -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def nox_pythons() -> list[str]:
    """PYTHONS in noxfile.py, read without importing it (importing looks for interpreters and edits PATH)."""
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PYTHONS" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError("noxfile.py has no PYTHONS")


def test_claimed_pythons_are_the_tested_ones() -> None:
    tested = nox_pythons()
    assert tested == ["3.10", "3.11", "3.12", "3.13"]
    assert project()["requires-python"] == f">={tested[0]}"
    classifiers = [c.rsplit(" :: ", 1)[1] for c in project()["classifiers"]
                   if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert classifiers == tested
    supported = re.search(r"^SUPPORTED=\((.*)\)$", FIND.read_text(encoding="utf-8"), re.M)
    assert supported is not None and sorted(supported.group(1).split(), key=lambda v: int(v.split(".")[1])) == tested
    ruff = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert ruff["ruff"]["target-version"] == "py" + tested[0].replace(".", "")
    assert ruff["mypy"]["python_version"] == tested[0]


def fake_python(folder: Path, name: str, version: str) -> Path:
    """A made-up interpreter: answers find-python's version question with `version`."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def find(path: Path, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    environment = {"PATH": str(path), "HOME": str(home), "PYENV_ROOT": str(home / ".pyenv"), **env}
    return subprocess.run([BASH, str(FIND)], capture_output=True, text=True, env=environment, timeout=60)


@pytest.mark.skipif(BASH is None or os.name != "posix", reason="a bash script, run on POSIX")
def test_find_python_prefers_a_supported_system_python3(tmp_path: Path) -> None:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", "3.13")  # Debian 13
    fake_python(bin_, "python3.12", "3.12")
    result = find(bin_, tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == str(bin_ / "python3"), result.stderr


@pytest.mark.skipif(BASH is None or os.name != "posix", reason="a bash script, run on POSIX")
def test_find_python_passes_over_an_unsupported_python3(tmp_path: Path) -> None:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", "3.14")
    fake_python(bin_, "python3.11", "3.11")
    fake_python(bin_, "python3.10", "3.10")
    result = find(bin_, tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == str(bin_ / "python3.11"), result.stderr
    # nothing on PATH: pyenv's versions, newest supported first; a shim that does not run is passed over
    for version in ("3.10.13", "3.12.1"):
        folder = tmp_path / ".pyenv" / "versions" / version / "bin"
        folder.mkdir(parents=True)
        fake_python(folder, f"python{version[:4]}", version[:4])
    (tmp_path / "shims").mkdir()
    (tmp_path / "shims" / "python3.13").write_text("#!/bin/sh\nexit 127\n", encoding="utf-8")
    (tmp_path / "shims" / "python3.13").chmod(0o755)
    result = find(tmp_path / "shims", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / ".pyenv" / "versions" / "3.12.1" / "bin" / "python3.12")


@pytest.mark.skipif(BASH is None or os.name != "posix", reason="a bash script, run on POSIX")
def test_find_python_says_what_to_install_when_nothing_fits(tmp_path: Path) -> None:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", "3.14")
    result = find(bin_, tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert "3.13, 3.12, 3.11, 3.10" in result.stderr and "python3 is 3.14" in result.stderr
    assert "PYTHON=python3.N bash .ci/setup" in result.stderr


@pytest.mark.skipif(BASH is None or os.name != "posix", reason="a bash script, run on POSIX")
def test_find_python_takes_PYTHON_only_when_supported(tmp_path: Path) -> None:  # noqa: N802
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake_python(bin_, "python3", "3.11")
    chosen = fake_python(bin_, "python3.12", "3.12")
    result = find(bin_, tmp_path, PYTHON="python3.12")
    assert result.returncode == 0 and result.stdout.strip() == str(chosen), result.stderr
    old = fake_python(bin_, "python3.9", "3.9")
    result = find(bin_, tmp_path, PYTHON=str(old))
    assert result.returncode == 1 and result.stdout == "" and "is Python 3.9" in result.stderr
