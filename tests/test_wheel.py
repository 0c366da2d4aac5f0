"""The wheel as a user gets it: built from this checkout, installed in a fresh virtual environment
outside it, and run on a copy of the shipped fact base — a Markdown and a PDF brief included, so the
templates (package data) really ship.

Fast and offline: the wheel is built without build isolation (hatchling is in the test extra), the
fresh environment has no pip of its own, and its dependencies are this environment's site-packages,
reached through a .pth file (a directory named in a .pth is searched after the environment's own
site-packages, and .pth files inside it are not run: the checkout's editable install stays out).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv with only the ipfacts wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(work / "dist"), str(REPO)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheel = next((work / "dist").glob("ipfacts-*.whl"))
    env = work / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return env / "bin"


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shipped")
    for folder in ("facts", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "ipfacts"), *args], cwd=cwd, capture_output=True, text=True)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import ipfacts; print(ipfacts.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert Path(where).resolve().is_relative_to(installed.parent.resolve())
    assert not Path(where).resolve().is_relative_to(REPO)
    templates = Path(where).parent / "templates"
    assert {"brief.md.j2", "brief.html.j2", "findings.html.j2"} <= {p.name for p in templates.iterdir()}
    assert not any(p.is_symlink() for p in templates.iterdir())  # the files themselves, not the checkout's links


def test_the_installed_wheel_checks_and_writes_briefs(installed: Path, shipped_copy: Path, tmp_path: Path) -> None:
    checked = run(installed, "check", "--root", str(shipped_copy), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    markdown = run(installed, "report", "--city", "宁波", "--root", str(shipped_copy), "-o", "x.md", cwd=tmp_path)
    assert markdown.returncode == 0, markdown.stderr
    assert (tmp_path / "x.md").read_text(encoding="utf-8").startswith("# 宁波知识产权对比简报")
    pdf = run(installed, "report", "--city", "绍兴", "--root", str(shipped_copy), "-o", "x.pdf", cwd=tmp_path)
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    own = tmp_path / "mine.md.j2"  # a base's own template still works
    own.write_text("{{ brief.city }} brief\n", encoding="utf-8")
    custom = run(installed, "report", "--city", "宁波", "--root", str(shipped_copy), "--template", str(own),
                 "-o", "y.md", cwd=tmp_path)
    assert custom.returncode == 0, custom.stderr
    assert (tmp_path / "y.md").read_text(encoding="utf-8") == "宁波 brief\n"


def test_the_installed_wheel_makes_a_new_base_with_the_shipped_vocabulary(installed: Path, tmp_path: Path) -> None:
    made = run(installed, "init", "new", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "new" / "facts" / "metrics.yaml").read_bytes() == (REPO / "facts" / "metrics.yaml").read_bytes()
    checked = run(installed, "check", "--root", "new", cwd=tmp_path)
    assert checked.returncode == 0 and "0 facts" in checked.stdout, checked.stdout + checked.stderr
