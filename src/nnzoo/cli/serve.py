"""`nnzoo serve`: the zoo in the browser (nnzoo.serve), started on uvicorn.

Starting it imports no torch: runs are `nnzoo run` processes of their own."""

from __future__ import annotations

import ipaddress
import socket
import sys

from nnzoo.cli.args import HELP, Flag, parse_tokens
from nnzoo.errors import UserError

INSTALL = "`nnzoo serve` needs its extra: pip install 'nnzoo[serve]' (starlette and uvicorn)"
USAGE = """usage: nnzoo serve [--runs DIR] [--port N] [--host H] [--jobs N]
  a local web application: the catalogue, a form for every experiment, runs followed live,
  runs compared, the code beside its claim
  --runs DIR   the runs folder it shows and where runs go (default runs)
  --port N     the port (default 8765; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1: this machine only)
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


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: list[str]) -> int:
    flags = {**HELP, "--runs": Flag("runs"), "--port": Flag("port", parse=_int("--port", 0, 65535)),
             "--host": Flag("host"), "--jobs": Flag("jobs", parse=_int("--jobs", 1))}
    _, opts = parse_tokens(args, flags, "serve", 0)
    if opts.get("help"):
        print(USAGE)
        return 0
    try:
        import uvicorn

        from nnzoo.serve.app import create_app
    except ImportError:
        raise UserError(INSTALL) from None
    host, port = opts.get("host", "127.0.0.1"), opts.get("port", 8765)
    app = create_app(opts.get("runs", "runs"), jobs=opts.get("jobs", 1),
                     hosts=None if loopback(host) else ["*"])
    try:
        sock = socket.create_server((host.strip("[]"), port),
                                    family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as e:
        raise UserError(f"cannot listen on {host}:{port} ({e.strerror}); choose another "
                        "--port (0 picks a free one)") from None
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    address = f"http://{shown}:{sock.getsockname()[1]}/"
    if not loopback(host):
        print(f"warning: --host {host} lets anyone who can reach this machine on that address "
              "see your runs, and anyone who opens the pages start runs on it", file=sys.stderr)
    server = app.state.server
    print(f"nnzoo serve: open {address}  (runs folder {server.runs}; {server.jobs.limit} run(s)"
          " at once; Ctrl-C stops)", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=1, lifespan="on")
    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):  # live views end now, not at the grace timeout
            server.stopping = True
            super().handle_exit(sig, frame)

    Server(config).run(sockets=[sock])
    stopped = [j for j in server.jobs.jobs.values() if j.stop_asked and j.run]
    for job in stopped:
        print(f"stopped {job.run}; continue with: nnzoo run --resume "
              f"{server.runs / job.run}", file=sys.stderr)
    return 0
