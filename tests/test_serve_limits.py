"""`ipfacts serve` hardened: a Host allow-list whatever the bind address, exact Origin matching, bounded
bodies, headers and half-open connections. Over a copy of the shipped base; the hostile requests are made
up for the test."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_serve import R101, copy_base, form_of, reviews_of
from test_serve_cli import start, stop

from ipfacts.cli.serve import allowed_hosts
from ipfacts.web import create_app


@pytest.fixture
def unreviewed(tmp_path: Path) -> Path:
    return copy_base(tmp_path, reviews=False)


def test_a_wildcard_bind_still_answers_only_to_its_allowed_names() -> None:
    hosts = allowed_hosts("0.0.0.0", [])
    assert "*" not in hosts and "0.0.0.0" not in hosts
    assert {"127.0.0.1", "localhost", "[::1]"} <= set(hosts)
    assert "ipfacts.lan" in allowed_hosts("0.0.0.0", ["ipfacts.lan"])
    assert "192.168.1.5" in allowed_hosts("192.168.1.5", [])


def test_dns_rebinding_through_a_wildcard_bind_records_nothing(unreviewed: Path) -> None:
    """Host: attacker.example:PORT with a matching Origin (a page that rebinds its name to this machine)."""
    app = create_app(unreviewed, hosts=allowed_hosts("0.0.0.0", []))
    with TestClient(app, base_url="http://attacker.example:8765", follow_redirects=False) as c:
        page = c.get(f"/findings/{R101}")
        assert page.status_code == 400 and "csrf" not in page.text
        answer = c.post(f"/findings/{R101}", data={"status": "explained", "note": "x", "reviewer": "x"},
                        headers={"origin": "http://attacker.example:8765"})
        assert answer.status_code == 400
    assert not (unreviewed / "facts" / "reviews.yaml").exists()
    with TestClient(app, base_url="http://[::1]:8765") as c:  # an IPv6 loopback Host with its port is fine
        assert c.get("/").status_code == 200


@pytest.mark.parametrize(("origin", "accepted"), [
    ("https://127.0.0.1:8765", False),  # another scheme
    ("http://127.0.0.1:9999", False),  # another port
    ("http://127.0.0.1", False),  # port 80
    ("http://localhost:8765", False),  # another host name
    ("http://127.0.0.1:8765/x", False),
    ("http://127.0.0.1:8765", True),
    ("HTTP://127.0.0.1:8765", True),
])
def test_the_origin_must_match_scheme_host_and_port(unreviewed: Path, origin: str, accepted: bool) -> None:
    with TestClient(create_app(unreviewed), base_url="http://127.0.0.1:8765", follow_redirects=False) as c:
        fields = form_of(c.get(f"/findings/{R101}").text)
        answer = c.post(f"/findings/{R101}", headers={"origin": origin},
                        data={**fields, "status": "explained", "note": "from " + origin, "reviewer": "Li"})
    assert (answer.status_code == 303) is accepted, answer.text
    assert (R101 in reviews_of(unreviewed)) is accepted


def _raw(url: str) -> socket.socket:
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def test_a_chunked_body_of_100_mb_is_refused_early_and_large_headers_too(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "x", reviews=False)
    proc, url = start(root, tmp_path / "cache")
    try:
        host = urllib.parse.urlsplit(url).netloc
        sock = _raw(url)
        sock.sendall(f"POST /findings/{R101} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        sent = [0]
        chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"

        def send() -> None:
            try:
                while sent[0] < 100 * 2**20:
                    sock.sendall(chunk)
                    sent[0] += 0x10000
                sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server closed the connection: what we want

        sender = threading.Thread(target=send)
        sender.start()
        answer = _read_all(sock)
        sender.join(120)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent[0] < 100 * 2**20  # refused before the whole body was sent
        with _raw(url) as big:  # whole headers past 16 KiB: ours refuses them (431), or uvicorn's parser if the
            # bytes came in pieces it saw before the end (400) — which, is up to how the loopback splits them
            big.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {'b' * 100_000}\r\n\r\n".encode())
            assert _read_all(big)[:12] in (b"HTTP/1.1 431", b"HTTP/1.1 400")
        with _raw(url) as big:  # a header still arriving past 16 KiB: uvicorn's parser refuses it
            big.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {'b' * 100_000}".encode())
            assert _read_all(big).startswith(b"HTTP/1.1 400")
    finally:
        stop(proc)
    assert not (root / "facts" / "reviews.yaml").exists()


def test_half_open_connections_are_closed(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "x", reviews=False)
    proc, url = start(root, tmp_path / "cache", "--timeout", "1")
    try:
        host = urllib.parse.urlsplit(url).netloc
        socks = [_raw(url) for _ in range(60)]
        for n, sock in enumerate(socks):
            if n % 2:
                sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n".encode())  # headers never finished
        for sock in socks:
            sock.settimeout(60)
            assert sock.recv(1) == b""  # closed by the server (it would block until the timeout otherwise)
            sock.close()
        ok = _raw(url)
        ok.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert _read_all(ok).startswith(b"HTTP/1.1 200")
        ok.close()
    finally:
        stop(proc)


def test_an_edit_copied_in_with_cp_p_is_seen(tmp_path: Path) -> None:
    """Same size, the old mtime kept (`cp -p` of an edited copy): the ctime still moved."""
    import os
    import shutil
    import subprocess

    from ipfacts.web.live import Live

    root = copy_base(tmp_path)
    path = root / "facts" / "ningbo-2024.yaml"
    hour_ago = path.stat().st_mtime_ns - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))  # not racy: an old file, compared by its stat alone
    edited = tmp_path / "ningbo-2024.yaml"
    edited.write_text(path.read_text(encoding="utf-8").replace("value: 93.38%", "value: 93.36%", 1),
                      encoding="utf-8")
    os.utime(edited, ns=(hour_ago, hour_ago))
    live = Live(root)
    first = live.state()
    assert live.state() is first
    if shutil.which("cp"):
        subprocess.run(["cp", "-p", str(edited), str(path)], check=True)
    else:  # pragma: no cover - the same: contents, then the old times
        shutil.copy2(edited, path)
    assert path.stat().st_mtime_ns == hour_ago and path.stat().st_size == edited.stat().st_size
    second = live.state()
    assert second is not first
    assert R101 in {f.fingerprint for f in second.report.findings}


def test_a_body_that_does_not_arrive_in_time_is_refused() -> None:
    import asyncio

    from ipfacts.web.guards import BodyLimit

    reached: list[bool] = []
    sent: list[dict[str, object]] = []

    async def app(scope: object, receive: object, send: object) -> None:
        reached.append(True)

    async def receive() -> dict[str, object]:
        await asyncio.sleep(3600)  # a client that sends its headers, then nothing
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "headers": [(b"host", b"127.0.0.1")]}
    asyncio.run(BodyLimit(app, seconds=0.2)(scope, receive, send))  # type: ignore[arg-type]
    assert not reached and sent[0]["status"] == 408


def test_headers_over_16_kib_are_refused_with_431_by_the_guard(unreviewed: Path) -> None:
    """The guard itself, with no network between (whether uvicorn's parser sees the end of a large head first
    is up to the loopback): whole headers over 16 KiB get 431, and the app never sees the request."""
    client = TestClient(create_app(unreviewed), base_url="http://127.0.0.1")
    answer = client.get("/", headers={"X-Big": "b" * (16 * 1024)})
    assert answer.status_code == 431 and "Headers too large" in answer.text
    assert client.get("/", headers={"X-Small": "b" * 1024}).status_code == 200
