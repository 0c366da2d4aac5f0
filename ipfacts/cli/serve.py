"""`serve`: the review pages on a local web server (see docs/serve.md)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from pathlib import Path

import typer

from ipfacts.cli import app, settings
from ipfacts.cli.common import ROOT, fail

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
HEADER_SECONDS = 10.0  # a request's headers must arrive within this (half-open connections are closed)
KEEP_ALIVE_SECONDS = 5  # an idle connection between requests
LIMIT_CONCURRENCY = 64  # connections and requests at once; more are answered 503
MAX_HEADER_BYTES = 16 * 1024  # a request's headers still arriving (the app refuses larger complete ones)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def allowed_hosts(host: str, extra: list[str]) -> list[str]:
    """The names a request's Host header may carry: the loopback names, the --host address unless it is a
    wildcard (0.0.0.0 is no name a browser should reach us by), and every --allow-host. Never "any"."""
    from ipfacts.web.guards import host_name

    bad = [name for name in extra if host_name(name) is None]
    if bad:
        fail(f"--allow-host {bad[0]!r} is not a host name or address")
    return ["127.0.0.1", "localhost", "[::1]", *([] if _wildcard(host) else [host]), *extra]


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
    allow_host: list[str] = typer.Option(
        [], "--allow-host", help="Another name this server answers to (the Host header), besides 127.0.0.1, "
                                 "localhost, [::1] and --host: e.g. the machine's name or address when serving "
                                 "others. Repeatable."),
    timeout: float = typer.Option(HEADER_SECONDS, "--timeout", min=0.1, max=600,
                                  help="Seconds a connection may take to send a request's headers; a body gets "
                                       "30 seconds. Slower connections are closed."),
) -> None:
    """Review findings in a browser: the findings list, a page per finding, verdict forms (Ctrl-C stops)."""
    import uvicorn

    from ipfacts.web import create_app
    from ipfacts.web.protocol import with_deadline

    if not root.is_dir():
        fail(f"{root}: no such directory (--root is the fact base, holding facts/)")
    wildcard = _wildcard(host)
    hosts = allowed_hosts(host, allow_host)
    if not _loopback(host):
        sys.stderr.write(f"ipfacts: warning: serving on {host}, not on loopback: anyone who can reach this machine "
                         "can read the fact base and record verdicts\n")
        if wildcard and not allow_host:
            sys.stderr.write("ipfacts: only requests to 127.0.0.1, localhost or [::1] are answered: name the "
                             "machine's address or name with --allow-host for others to reach it\n")
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    if wildcard:  # the address to open here: one the server answers to
        shown = "[::1]" if ":" in host else "127.0.0.1"
    web = create_app(root, hosts=hosts)
    config = uvicorn.Config(web, log_level="warning" if not settings.verbose else "info", access_log=settings.verbose,
                            lifespan="off", server_header=False, date_header=False, timeout_graceful_shutdown=5,
                            http=with_deadline(timeout), limit_concurrency=LIMIT_CONCURRENCY,
                            timeout_keep_alive=KEEP_ALIVE_SECONDS, h11_max_incomplete_event_size=MAX_HEADER_BYTES,
                            backlog=LIMIT_CONCURRENCY)
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
