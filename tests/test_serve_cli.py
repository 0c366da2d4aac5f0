"""`ipfacts serve` as a process: the address it prints, a port in use, a non-loopback host, Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ipfacts.cli import app

REPO = Path(__file__).resolve().parent.parent


def copy_base(root: Path, reviews: bool = True) -> Path:
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "seeds", root / "seeds")
    if not reviews:
        (root / "facts" / "reviews.yaml").unlink()
    return root


def verdicts_in_file(root: Path) -> dict[str, dict[str, Any]]:
    """facts/reviews.yaml as read by a person: each fingerprint's latest verdict (status, reviewer, note).
    Reads both the one-verdict entries and the entries that keep a `verdicts:` history."""
    path = root / "facts" / "reviews.yaml"
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    out: dict[str, dict[str, Any]] = {}
    for fingerprint, entry in data.items():
        history = entry.get("verdicts")
        out[str(fingerprint)] = history[-1] if history else entry
    return out


def env(cache: Path) -> dict[str, str]:
    return {**os.environ, "IPFACTS_CACHE_DIR": str(cache), "PYTHONUNBUFFERED": "1"}


def start(root: Path, cache: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`ipfacts serve --port 0` on ROOT: the process and the address it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "ipfacts", "serve", "--root", str(root), "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(cache))
    assert proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(60)
    if not lines or "http://" not in lines[0]:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        pytest.fail(f"ipfacts serve printed no address: {lines!r} {err}")
    address = lines[0].split("http://", 1)[1].split()[0]
    return proc, "http://" + address


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"ipfacts serve did not stop on Ctrl-C: {err}")
    return proc.returncode, out, err


def test_serve_prints_the_loopback_address_serves_pages_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "base")
    proc, url = start(root, tmp_path / "cache")
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=20) as page:
            body = page.read().decode("utf-8")
            assert page.status == 200 and "Findings" in body and "reviewed" in body
    finally:
        code, out, err = stop(proc)
    assert code in (0, 130), err
    assert "Traceback" not in err and "Traceback" not in out
    assert "stopped" in out


def test_a_port_in_use_is_a_clear_message_and_exit_2(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "base")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--root", str(root), "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert "Traceback" not in result.output


def test_a_host_other_than_loopback_warns(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "base")
    with socket.socket() as busy:  # the port is taken, so nothing is actually served to the network
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--root", str(root), "--host", "0.0.0.0", "--port", str(port)])
    assert "warning: serving on 0.0.0.0, not on loopback" in result.output
    assert result.exit_code == 2 and "is in use" in result.output


def test_a_missing_root_is_a_message_not_a_server(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--root", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such directory" in result.output
