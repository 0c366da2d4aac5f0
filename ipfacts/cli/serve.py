"""`serve`: the review pages on a local web server (see docs/serve.md)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from pathlib import Path

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, fail

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is a clear message, not a server log."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        fail(f"cannot serve on {host!r}: {exc.strerror or exc}")
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            fail(f"port {port} on {host} is in use (another `ipfacts serve`?): stop it, or choose another with --port")
        if exc.errno == errno.EACCES:
            fail(f"not allowed to listen on port {port} of {host}: choose a port above 1023 with --port")
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    sock.set_inheritable(True)
    return sock


@app.command()
def serve(
    root: Path = ROOT,
    host: str = typer.Option(DEFAULT_HOST, "--host", help="The address to listen on. Anything but loopback lets "
                                                          "other machines read the base and record verdicts."),
    port: int = typer.Option(DEFAULT_PORT, "--port", "-p", min=0, max=65535,
                             help="The port (0: any free one; the address is printed)."),
) -> None:
    """Review findings in a browser: the findings list, a page per finding, verdict forms (Ctrl-C stops)."""
    import uvicorn

    from ipfacts.cli import settings
    from ipfacts.web import create_app

    if not root.is_dir():
        fail(f"{root}: no such directory (--root is the fact base, holding facts/)")
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]", host]
    if not _loopback(host):
        sys.stderr.write(f"ipfacts: warning: serving on {host}, not on loopback: anyone who can reach this machine "
                         "can read the fact base and record verdicts\n")
        if host in ("0.0.0.0", "::", ""):
            hosts = ["*"]  # reached under any of the machine's names
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    web = create_app(root, hosts=hosts)
    config = uvicorn.Config(web, log_level="warning" if not settings.verbose else "info", access_log=settings.verbose,
                            lifespan="off", server_header=False, date_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        web.state.pages.live.state()  # the first check now, so the first page is quick
        typer.echo(f"ipfacts serve: http://{shown}:{bound}/  (fact base {root.resolve()}; Ctrl-C stops)")
        sys.stdout.flush()
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C before the server took over the signal, or after it stopped
        pass
    finally:
        sock.close()
    if not settings.quiet:
        typer.echo("ipfacts serve: stopped")
