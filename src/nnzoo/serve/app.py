"""The web application of `nnzoo serve`: pages, a JSON API, and the live view's events.

Nothing here imports torch: runs are `nnzoo run` processes (nnzoo.serve.jobs). Every request
that changes something (start, stop, resume) is a POST carrying the server's random token
in the X-Nnzoo-Token header, which only the server's own pages know (another site's page
cannot read them, nor set that header); the Host header must name one of the names the
server answers to (no DNS rebinding). Files are served only from inside the runs folder, and
a run started from a page reads only files in it (uploaded to its uploads folder) or the
registered samples. Bodies have a size limit and every answer its security headers
(nnzoo.serve.guard). A request the server cannot take gets a 4xx with one line.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nnzoo import registry, sweeps
from nnzoo.errors import UserError, nearest
from nnzoo.serve import code, files, forms, pages
from nnzoo.serve.guard import Guard, is_api
from nnzoo.serve.jobs import Jobs

STATIC = Path(__file__).parent / "static"
TOKEN_HEADER = "X-Nnzoo-Token"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
MAX_BODY = 64 * 1024  # bytes of a request's body (a form, a resume)
MAX_UPLOAD = 256 * 1024 * 1024  # bytes of an uploaded file
MAX_DEPTH = 8  # levels of a request's JSON
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
UPLOAD_PATH = "/api/uploads"


def body_limit(path: str) -> int:
    return MAX_UPLOAD if path == UPLOAD_PATH else MAX_BODY


class Server:
    """What the handlers share: the runs folder, the job queue and the token."""

    def __init__(self, runs: Path, jobs: int = 1, token: str | None = None):
        self.runs = Path(runs).resolve()
        if self.runs.exists() and not self.runs.is_dir():
            raise UserError(f"the runs folder {runs} is a file; give a folder (made if "
                            "missing), e.g. --runs runs")
        self.jobs = Jobs(self.runs, jobs)
        self.token = token or secrets.token_urlsafe(32)
        self.stopping = False
        self.stopped: list | None = None  # the jobs interrupted when the server stopped
        self.experiments = registry.load_all()

    # ---- what the pages and the API show
    def catalogue(self) -> list[dict[str, Any]]:
        latest: dict[str, dict[str, Any]] = {}
        for row in self.runs_list():  # newest first; only the runs the routes serve
            if row["status"] not in ("running", "unfinished"):
                latest.setdefault(row["experiment"], row)
        swept = sweeps.latest_sweeps(self.runs) if self.runs.is_dir() else {}
        families = []
        for fam, exps in registry.by_family().items():
            family = registry.FAMILIES[fam]
            rows = []
            for exp in exps:
                row = {"name": exp.name, "kind": exp.kind, "claim": exp.claim,
                       "expects": exp.expects, "data": exp.data, "latest": None, "sweep": None}
                if exp.name in latest:
                    run = latest[exp.name]
                    row["latest"] = {k: run[k] for k in ("run", "status", "smoke", "headline")}
                if exp.name in swept and self.servable(swept[exp.name]):
                    table = files.read_json(swept[exp.name] / sweeps.TABLE)
                    if isinstance(table, dict):
                        row["sweep"] = sweeps.pass_rate_text(table)
                rows.append(row)
            families.append({"name": fam, "title": family.title, "about": family.about,
                             "experiments": rows})
        return families

    def servable(self, path: Path) -> bool:
        """Whether the routes would serve the folder `path` (not a link out of the runs)."""
        try:
            files.inside(self.runs, path.relative_to(self.runs).as_posix(), want="dir")
        except (files.Refused, ValueError):
            return False
        return True

    def experiment(self, name: str) -> registry.Experiment:
        if name not in self.experiments:
            raise files.Refused(f"no experiment called {name!r}{nearest(name, self.experiments)};"
                                " the catalogue is at /")
        return self.experiments[name]

    def runs_list(self, experiment: str | None = None, status: str | None = None
                  ) -> list[dict[str, Any]]:
        rows = files.list_runs(self.runs) if self.runs.is_dir() else []
        running = self.jobs.running_runs()
        for row in rows:
            if row["run"] in running:
                row["status"] = "running"
            elif row["status"] is None:
                row["status"] = "unfinished"
        return [r for r in rows if (not experiment or r["experiment"] == experiment)
                and (not status or r["status"] == status)]

    def job_state(self, rel: str) -> Callable[[], dict[str, Any] | None]:
        def state() -> dict[str, Any] | None:
            job = self.jobs.for_run(rel)
            return None if job is None else job.public()
        return state


# --------------------------------------------------------------------------- helpers
Handler = Callable[[Request], Awaitable[Response]]


def changes(handler: Handler) -> Handler:
    """A handler that changes something: it needs the server's token."""
    @functools.wraps(handler)
    async def checked(request: Request) -> Response:
        server: Server = request.app.state.server
        given = request.headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode(), server.token.encode()):
            return JSONResponse({"error": f"missing or wrong {TOKEN_HEADER} header: reload the "
                                          "page served by nnzoo serve"}, 403)
        return await handler(request)
    return checked


def depth(data: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (strings skipped)."""
    bare = JSON_STRING.sub(b"", data)
    return max(itertools.accumulate(1 if c in b"[{" else -1 for c in bare if c in b"[]{}"),
               default=0)


async def body(request: Request) -> Any:
    """The request's JSON (its size was checked by the Guard as it came in), refused before
    parsing if it nests deeper than any form (the parser would recurse past its limit)."""
    data = await request.body()
    if depth(data) > MAX_DEPTH:
        raise UserError(f"the JSON body nests deeper than {MAX_DEPTH} levels; a form nests two")
    try:
        return json.loads(data or b"{}")
    except ValueError:
        raise UserError("expected a JSON body") from None


def server_of(request: Request) -> Server:
    return request.app.state.server


# --------------------------------------------------------------------------- pages
async def catalogue_page(request: Request) -> Response:
    s = server_of(request)
    return HTMLResponse(pages.catalogue(s.catalogue(), s.token))


async def experiment_page(request: Request) -> Response:
    s = server_of(request)
    exp = s.experiment(request.path_params["name"])
    runs = s.runs_list(exp.name)[:10]
    return HTMLResponse(pages.experiment(exp, forms.schema(exp), runs,
                                         files.list_uploads(s.runs), s.token))


async def code_page(request: Request) -> Response:
    s = server_of(request)
    exp = s.experiment(request.path_params["name"])
    path = Path(exp.fn.__code__.co_filename).resolve()
    rel = path.relative_to(code.PACKAGE).as_posix()
    return HTMLResponse(pages.code(exp, rel, code.highlight(path.read_text(), code.links(path)),
                                   code.links(path), s.token))


async def source_page(request: Request) -> Response:
    rel = request.path_params["path"]
    path = code.source_path(rel)
    return HTMLResponse(pages.source(rel, code.highlight(path.read_text(), code.links(path)),
                                     server_of(request).token))


async def runs_page(request: Request) -> Response:
    s = server_of(request)
    exp, status = request.query_params.get("experiment"), request.query_params.get("status")
    return HTMLResponse(pages.runs(s.runs_list(exp, status), list(s.experiments), exp, status,
                                   [j.public() for j in s.jobs.jobs.values() if j.active],
                                   s.token))


async def run_page(request: Request) -> Response:
    s = server_of(request)
    rel = request.path_params["path"]
    folder = files.run_folder(s.runs, rel)
    return HTMLResponse(pages.run(rel, files.read_json(folder / "config.json") or {}, s.token))


async def compare_page(request: Request) -> Response:
    s = server_of(request)
    chosen = request.query_params.getlist("run")
    for rel in chosen:
        files.run_folder(s.runs, rel)
    return HTMLResponse(pages.compare(chosen, s.token))


async def run_file(request: Request) -> Response:
    return FileResponse(files.inside(server_of(request).runs, request.path_params["path"],
                                     want="file"))


# --------------------------------------------------------------------------- the API
async def api_catalogue(request: Request) -> Response:
    return JSONResponse(server_of(request).catalogue())


async def api_experiment(request: Request) -> Response:
    exp = server_of(request).experiment(request.path_params["name"])
    return JSONResponse({**forms.schema(exp), "family": exp.family, "kind": exp.kind,
                         "claim": exp.claim, "expects": exp.expects})


@changes
async def api_start(request: Request) -> Response:
    s = server_of(request)
    exp = s.experiment(request.path_params["name"])
    args, errors = forms.check_form(exp, await body(request), s.runs)
    if errors:
        return JSONResponse({"errors": errors}, 422)
    return JSONResponse(s.jobs.submit(exp.name, args).public(), 202)


@changes
async def api_resume(request: Request) -> Response:
    s = server_of(request)
    data = await body(request)
    rel = data.get("run") if isinstance(data, dict) else None
    if not isinstance(rel, str):
        raise UserError('expected a JSON body {"run": "EXPERIMENT/FOLDER"}')
    folder = files.run_folder(s.runs, rel)
    rel = folder.relative_to(s.runs).as_posix()  # one name per folder
    if rel in s.jobs.running_runs():
        raise UserError(f"{rel} is running already")
    if (folder / "summary.json").exists():
        raise UserError(f"{rel} has finished; start a new run instead")
    exp = files.read_json(folder / "config.json") or {}
    return JSONResponse(s.jobs.submit(str(exp.get("experiment")), ["--resume", str(folder)],
                                      run=rel).public(), 202)


async def api_jobs(request: Request) -> Response:
    return JSONResponse([j.public() for j in server_of(request).jobs.jobs.values()])


async def api_job(request: Request) -> Response:
    return JSONResponse(server_of(request).jobs.get(request.path_params["id"]).public())


@changes
async def api_stop(request: Request) -> Response:
    return JSONResponse(server_of(request).jobs.stop(request.path_params["id"]).public())


@changes
async def api_upload(request: Request) -> Response:
    """A file for the runs' path options: the raw body, named by ?name=; -> its path."""
    s = server_of(request)
    name = request.query_params.get("name", "")
    if not name:
        raise UserError(f"name the file: POST {UPLOAD_PATH}?name=FILE with the file as body")
    path = await files.save_upload(s.runs, name, request.stream())
    return JSONResponse({"path": path.relative_to(s.runs).as_posix(),
                         "bytes": path.stat().st_size}, 201)


async def api_uploads(request: Request) -> Response:
    return JSONResponse(files.list_uploads(server_of(request).runs))


async def api_runs(request: Request) -> Response:
    q = request.query_params
    return JSONResponse(server_of(request).runs_list(q.get("experiment"), q.get("status")))


async def api_metrics(request: Request) -> Response:
    folder = files.run_folder(server_of(request).runs, request.path_params["path"])
    _, lines = files.Tail(folder / "metrics.jsonl").read()
    rows = []
    for line in lines:
        with contextlib.suppress(ValueError):
            rows.append(json.loads(line))
    return JSONResponse(rows)


async def api_events(request: Request) -> Response:
    s = server_of(request)
    folder = files.run_folder(s.runs, request.path_params["path"])
    rel = folder.relative_to(s.runs).as_posix()  # one name per folder
    return StreamingResponse(
        files.follow(folder, rel, s.job_state(rel), lambda: s.stopping),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# --------------------------------------------------------------------------- errors
async def user_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status", 400)
    if is_api(request.url.path):
        return JSONResponse({"error": str(exc)}, status)
    return PlainTextResponse(str(exc) + "\n", status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_api(request.url.path):
        return JSONResponse({"error": exc.detail}, exc.status_code)
    return PlainTextResponse(f"{exc.detail}\n", exc.status_code)


def create_app(runs: str | Path = "runs", *, jobs: int = 1, token: str | None = None,
               hosts: list[str] | None = None) -> Starlette:
    """The application serving the runs folder `runs`; `jobs` runs at once; `hosts` the
    names the Host header may give (default: this machine's loopback names; never all)."""
    if hosts is not None and (not hosts or any("*" in h for h in hosts)):
        raise UserError(f"expected host names without '*', got {hosts}: the Host check "
                        "stays on (name each host the pages are opened by)")
    server = Server(Path(runs), jobs, token)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        server.stopping = True
        server.stopped = server.jobs.shutdown()

    routes = [
        Route("/", catalogue_page), Route("/e/{name}", experiment_page),
        Route("/code/{name}", code_page), Route("/source/{path:path}", source_page),
        Route("/runs", runs_page), Route("/r/{path:path}", run_page),
        Route("/compare", compare_page), Route("/files/{path:path}", run_file),
        Route("/api/experiments", api_catalogue),
        Route("/api/experiments/{name}", api_experiment),
        Route("/api/experiments/{name}/runs", api_start, methods=["POST"]),
        Route("/api/resume", api_resume, methods=["POST"]),
        Route("/api/jobs", api_jobs), Route("/api/jobs/{id:int}", api_job),
        Route("/api/jobs/{id:int}/stop", api_stop, methods=["POST"]),
        Route(UPLOAD_PATH, api_upload, methods=["POST"]), Route(UPLOAD_PATH, api_uploads),
        Route("/api/runs", api_runs), Route("/api/metrics/{path:path}", api_metrics),
        Route("/api/events/{path:path}", api_events),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(Guard, limit=body_limit),
                                Middleware(TrustedHostMiddleware,
                                           allowed_hosts=hosts or LOCAL_HOSTS)],
                    exception_handlers={UserError: user_error, HTTPException: http_error})
    app.state.server = server
    return app
