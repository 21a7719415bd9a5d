"""`nnzoo serve`: the zoo in the browser (nnzoo.serve), started on uvicorn.

Starting it imports no torch: runs are `nnzoo run` processes of their own."""

from __future__ import annotations

import ipaddress
import re
import signal
import socket
import sys

from nnzoo.cli.args import HELP, Flag, parse_tokens
from nnzoo.errors import UserError

HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")  # a host name: no pattern, no port
INSTALL = "`nnzoo serve` needs its extra: pip install 'nnzoo[serve]' (starlette and uvicorn)"
USAGE = """usage: nnzoo serve [--runs DIR] [--port N] [--host H] [--allow-host NAMES] [--jobs N]
  a local web application: the catalogue, a form for every experiment, runs followed live,
  runs compared, the code beside its claim
  --runs DIR   the runs folder it shows and where runs go (default runs); files uploaded
               from a page (for the options that name a file) go to DIR/uploads
  --port N     the port (default 8765; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1: this machine only); another
               lets anyone who reaches it start runs and read their results
  --allow-host NAMES  other names the pages may be opened by (comma-separated), e.g.
               this machine's name on the network; the Host header must name one of them
  --jobs N     how many runs train at once (default 1; the others wait in a queue)"""


def _int(flag: str, lo: int, hi: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < lo or (hi is not None and value > hi):
            raise UserError(f"expected {flag} to be an integer >= {lo}"
                            f"{'' if hi is None else f' and <= {hi}'}, got {text!r}")
        return value
    return parse


def _folder(text: str) -> str:
    if not text.strip():
        raise UserError("--runs is empty; give a folder, e.g. --runs runs")
    return text


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def wildcard(host: str) -> bool:
    """0.0.0.0 or ::, every address of this machine (its loopback too)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def host_names(text: str) -> list[str]:
    """The names of --allow-host (comma-separated) as a Host header writes them (an IPv6
    address in brackets): no pattern, no port, nothing empty."""
    names = []
    for name in (n.strip() for n in text.split(",")):
        try:
            ip = ipaddress.ip_address(name.strip("[]"))
            names.append(f"[{ip}]" if ip.version == 6 else str(ip))
        except ValueError:
            if not HOST_NAME.fullmatch(name):
                raise UserError(f"expected --allow-host to be host names or addresses separated "
                                f"by commas (no '*': the Host check stays on; no port), got "
                                f"{text!r}") from None
            names.append(name)
    return names


def allowed_hosts(host: str, extra: list[str], local: list[str]) -> list[str]:
    """What the Host header may name: the host listened on (as the printed address writes
    it), this machine's loopback names `local` if it is among the addresses, and `extra`."""
    plain = host.strip("[]")
    names = [f"[{plain}]" if ":" in plain else plain]
    if loopback(host) or wildcard(host):
        names += local
    return list(dict.fromkeys(n.lower() for n in names + extra))


def cmd_serve(args: list[str]) -> int:
    flags = {**HELP, "--runs": Flag("runs", parse=_folder),
             "--port": Flag("port", parse=_int("--port", 0, 65535)), "--host": Flag("host"),
             "--jobs": Flag("jobs", parse=_int("--jobs", 1)),
             "--allow-host": Flag("allow", parse=host_names)}
    _, opts = parse_tokens(args, flags, "serve", 0)
    if opts.get("help"):
        print(USAGE)
        return 0
    try:
        import uvicorn

        from nnzoo.serve.app import LOCAL_HOSTS, create_app
    except ImportError:
        raise UserError(INSTALL) from None
    host, port = opts.get("host", "127.0.0.1"), opts.get("port", 8765)
    if not host.strip("[]"):
        raise UserError("--host is empty; give an address, e.g. --host 127.0.0.1")
    hosts = allowed_hosts(host, opts.get("allow", []), LOCAL_HOSTS)
    app = create_app(opts.get("runs", "runs"), jobs=opts.get("jobs", 1), hosts=hosts)
    try:
        sock = socket.create_server((host.strip("[]"), port),
                                    family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except (OSError, OverflowError) as e:
        why = getattr(e, "strerror", None) or str(e)
        raise UserError(f"cannot listen on {host}:{port} ({why}); choose another --host or "
                        "--port (0 picks a free one)") from None
    port = sock.getsockname()[1]
    address = f"http://{hosts[0]}:{port}/"
    if not loopback(host):
        print(f"warning: --host {host}: anyone who can reach this machine on port {port} can "
              f"start runs and read every result in the runs folder; the pages answer to "
              f"{', '.join(hosts)} (add names with --allow-host)", file=sys.stderr)
    server = app.state.server
    print(f"nnzoo serve: open {address}  (runs folder {server.runs}; {server.jobs.limit} run(s)"
          " at once; Ctrl-C stops)", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=1, lifespan="on")
    signals: list[int] = []

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):  # live views end now, not at the grace timeout
            server.stopping = True  # and the signal is not raised again once stopped
            if not signals and server.jobs.running_runs():
                print("stopping: the runs started here save their checkpoints...",
                      file=sys.stderr, flush=True)
            signals.append(sig)
            # a second Ctrl-C changes nothing (uvicorn's would skip the application's shutdown
            # and leave the runs going): the runs get at most Jobs.shutdown's wait to stop
            self.should_exit = True

    Server(config).run(sockets=[sock])
    if server.stopped is None:  # the application's shutdown did not run: stop the runs here
        server.stopped = server.jobs.shutdown()
    for job in server.stopped:  # as `nnzoo run` says it when interrupted
        print(f"stopped {job.run}; continue with: nnzoo run --resume {server.runs / job.run}"
              if job.run else f"stopped job {job.id} ({job.experiment}) before it made its "
              "run folder", file=sys.stderr)
    if not signals:
        return 0
    sig = signals[0]
    print(f"nnzoo serve: stopped ({signal.Signals(sig).name}); "
          f"{len(server.stopped) or 'no'} run(s) interrupted", file=sys.stderr)
    return 128 + sig
