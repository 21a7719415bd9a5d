"""`nnzoo serve`'s edges, what it refuses and what it sends with every answer: the token,
the Host check (whatever --host), requests malformed, too large or too deep, paths that try
to leave the runs folder (in the routes, in the run lists, and in a run's own options given
from a page: only uploads and registered names), the uploads themselves, and the headers
against framing and sniffing with a Content-Security-Policy that fits the pages."""

import ast
import contextlib
import json
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")  # the serve extra (the dev extra has it)

from starlette.testclient import TestClient  # noqa: E402

import nnzoo  # noqa: E402
from nnzoo import registry  # noqa: E402
from nnzoo.errors import UserError  # noqa: E402
from nnzoo.serve import files  # noqa: E402
from nnzoo.serve.app import TOKEN_HEADER, create_app  # noqa: E402
from nnzoo.serve.forms import FORM_ERROR  # noqa: E402


def test_changing_anything_needs_the_servers_token(served):
    client, server = served
    for token in (None, "", "wrong" + server.token):
        headers = {TOKEN_HEADER: token} if token is not None else {}
        client.headers.pop(TOKEN_HEADER)
        for url, body in (("/api/experiments/perceptron/runs", {"common": {"smoke": True}}),
                          ("/api/resume", {"run": "x"}), ("/api/jobs/1/stop", {})):
            r = client.post(url, json=body, headers=headers)
            assert r.status_code == 403 and TOKEN_HEADER in r.json()["error"]
        client.headers[TOKEN_HEADER] = server.token
    assert server.jobs.jobs == {}
    assert server.token in client.get("/").text  # the server's own pages carry it


def test_another_host_name_is_refused(served):
    client, _ = served
    r = client.get("/", headers={"host": "attacker.example"})
    assert r.status_code == 400


def test_malformed_requests_get_one_line_and_the_server_goes_on(served):
    client, _ = served
    cases = [("post", "/api/experiments/perceptron/runs", b"{not json", 400),
             ("post", "/api/experiments/perceptron/runs", b"[1, 2]", 400),
             ("post", "/api/experiments/perceptron/runs", b'{"options": 3}', 400),
             ("post", "/api/experiments/no-such/runs", b"{}", 404),
             ("post", "/api/resume", b'{"run": 3}', 400),
             ("get", "/api/jobs/999", None, 404), ("get", "/e/no-such", None, 404),
             ("get", "/r/nothing/here", None, 404), ("get", "/no/such/page", None, 404),
             ("get", "/api/experiments/perceptron/runs", None, 405)]
    for method, url, content, status in cases:
        r = client.request(method, url, content=content)
        assert r.status_code == status, (url, r.text)
        assert "Traceback" not in r.text and r.text.strip().count("\n") == 0, r.text
    assert client.get("/").status_code == 200


def test_files_are_served_only_from_inside_the_runs_folder(served, tmp_path):
    client, server = served
    (tmp_path / "secret.txt").write_text("secret")
    run = server.runs / "perceptron" / "r1"
    run.mkdir(parents=True)
    (run / "config.json").write_text('{"experiment": "perceptron"}')
    (run / "ok.txt").write_text("fine")
    os.symlink(tmp_path / "secret.txt", run / "link.txt")
    os.symlink(tmp_path, server.runs / "outside")
    assert client.get("/files/perceptron/r1/ok.txt").text == "fine"
    for path in ("perceptron/r1/link.txt", "outside/secret.txt", "%2E%2E/secret.txt",
                 "perceptron/%2E%2E/%2E%2E/secret.txt", "..%2Fsecret.txt",
                 f"{'%2F'.join(str(tmp_path / 'secret.txt').split('/'))}",
                 "/" + str(tmp_path / "secret.txt")):
        for prefix in ("/files/", "/api/events/", "/api/metrics/", "/r/"):
            r = client.get(prefix + path)
            assert r.status_code in (403, 404), (prefix + path, r.status_code)
            assert "secret" != r.text
    r = client.post("/api/resume", json={"run": "../" + tmp_path.name})
    assert r.status_code == 403
    r = client.post("/api/resume", json={"run": str(run)})
    assert r.status_code == 403
    assert client.get("/source/..%2F..%2Fsecret.txt").status_code == 404
    assert server.jobs.jobs == {}


def test_only_loopback_addresses_count_as_this_machine_only():
    from nnzoo.cli.serve import loopback

    assert all(loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(loopback(h) for h in ("0.0.0.0", "192.168.1.5", "::", "example.org"))


def path_options():
    return [(exp.name, o) for exp in registry.load_all().values() for o in exp.options
            if o.path is not None]


def checked_in_post_init():
    """(config class name, field) of every path check a config makes: check_file(self.X, ...)
    and check_pictures(X=...) in the experiments' source."""
    found = set()
    for path in (Path(nnzoo.__file__).parent / "experiments").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "check_file" and isinstance(node.args[0], ast.Attribute):
                    found.add(node.args[0].attr)
                elif name == "check_pictures":
                    found |= {k.arg for k in node.keywords}
    return found


def test_every_option_that_names_a_file_is_marked_as_a_path():
    marked = {o.name for _, o in path_options()}
    assert checked_in_post_init() <= marked  # each option a config checks as a file
    assert {"text", "content", "style", "texture", "data_dir", "weights", "vectors"} <= marked
    for exp in registry.load_all().values():
        for o in exp.options:
            if o.type is str and not o.choices and re.search(r"\b(file|folder|path)", o.help):
                assert o.path is not None, (exp.name, o.flag, o.help)


def free_text_options():
    return [(exp.name, o) for exp in registry.load_all().values() for o in exp.options
            if o.type is str and not o.choices]


@pytest.mark.parametrize("name,opt", free_text_options(), ids=lambda x: getattr(x, "flag", x))
def test_a_page_makes_a_run_read_no_file_outside_the_runs_folder(served, tmp_path, name, opt):
    client, server = served
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "words.txt").write_text("private words\n")
    (server.runs / "uploads").mkdir()
    os.symlink(secret / "words.txt", server.runs / "uploads" / "link.txt")
    os.symlink(secret, server.runs / "uploads" / "linkdir")
    target = secret if opt.path and opt.path.kind == "dir" else secret / "words.txt"
    outside = (str(target), f"../{target.relative_to(tmp_path)}", "uploads/link.txt",
               "uploads/linkdir", f"uploads/../../{target.relative_to(tmp_path)}")
    for value in outside + ("~/" + target.name, "file://" + str(target), "uploads/typo"):
        r = client.post(f"/api/experiments/{name}/runs", json={"options": {opt.name: value}})
        assert r.status_code == 422, (value, r.text)
        if opt.path is not None:  # refused for where it leads, whatever else it is
            message = r.json()["errors"][opt.name]
            assert "only with `nnzoo run` on the command line" in message, r.text
            assert ("from this page" in message) == (value in outside), message
            assert ("there is no such" in message) == (value not in outside), message
    assert server.jobs.jobs == {}
    if opt.path is None:
        return
    from nnzoo.serve.forms import check_form

    upload = client.post("/api/uploads?name=words.txt", content=b"some words\n").json()
    given = "uploads" if opt.path.kind == "dir" else upload["path"]
    args, errors = check_form(registry.get(name), {"options": {opt.name: given}}, server.runs)
    assert errors == {} or set(errors) == {FORM_ERROR}, errors  # its place is right
    if not errors:
        assert args[args.index(opt.flag) + 1] == str(server.runs / given)
    for sample in opt.path.names[:2]:  # a registered name is no path
        args, errors = check_form(registry.get(name), {"options": {opt.name: sample}},
                                  server.runs)
        assert errors == {} and args[args.index(opt.flag) + 1] == sample


def test_uploads_need_the_token_are_size_limited_safely_named_and_overwrite_nothing(
        served, monkeypatch):
    client, server = served
    import nnzoo.serve.app as app_module

    post = client.post
    assert post("/api/uploads?name=a.txt", content=b"x", headers={TOKEN_HEADER: ""}
                ).status_code == 403
    first = post("/api/uploads?name=../../my%20notes.txt", content=b"one")
    assert first.status_code == 201 and first.json()["path"] == "uploads/my_notes.txt"
    second = post("/api/uploads?name=my%20notes.txt", content=b"two").json()
    assert second["path"] == "uploads/my_notes-1.txt"
    assert (server.runs / "uploads" / "my_notes.txt").read_bytes() == b"one"
    for name, content, status in (("..", b"x", 400), ("", b"x", 400), ("e.txt", b"", 400)):
        r = post(f"/api/uploads?name={name}", content=content)
        assert r.status_code == status and "\n" not in r.json()["error"], (name, r.text)
    monkeypatch.setattr(app_module, "MAX_UPLOAD", 1000)
    assert post("/api/uploads?name=big.txt", content=b"x" * 1001).status_code == 413
    chunks = (b"x" * 100 for _ in range(11))  # no Content-Length: refused as it streams
    assert post("/api/uploads?name=big.txt", content=chunks).status_code == 413
    monkeypatch.setattr(app_module, "MAX_UPLOAD", 10**6)
    monkeypatch.setattr(files, "MAX_UPLOADS", 1000)  # the folder's total: 6 bytes held
    full = post("/api/uploads?name=fill.txt", content=b"x" * 995)
    assert full.status_code == 413 and "delete the files" in full.json()["error"]
    assert post("/api/uploads?name=fits.txt", content=b"x" * 994).status_code == 201
    (server.runs / "uploads" / "fits.txt").unlink()
    assert sorted(p.name for p in (server.runs / "uploads").iterdir()) == \
        ["my_notes-1.txt", "my_notes.txt"]  # nothing half-written left
    assert [u["path"] for u in client.get("/api/uploads").json()] == \
        ["uploads/my_notes-1.txt", "uploads/my_notes.txt"]
    assert 'list="uploads"' in client.get("/e/word2vec").text
    assert "uploads/my_notes.txt" in client.get("/e/word2vec").text
    # an uploaded config.json makes no run folder (a run resumed from it would read anything)
    post("/api/uploads?name=config.json", content=b'{"experiment": "word2vec"}')
    assert client.get("/r/uploads").status_code == 404
    assert client.post("/api/resume", json={"run": "uploads"}).status_code == 404
    assert server.jobs.jobs == {} and client.get("/api/runs").json() == []


def test_run_lists_show_only_the_run_folders_that_the_routes_serve(served, tmp_path):
    client, server = served
    elsewhere = tmp_path / "elsewhere" / "perceptron" / "r0"
    for folder in (server.runs / "perceptron" / "r1", elsewhere):
        folder.mkdir(parents=True)
        (folder / "config.json").write_text('{"experiment": "perceptron", "seed": 0}')
        (folder / "summary.json").write_text('{"status": "PASS", "headline": "hidden"}')
    os.symlink(elsewhere, server.runs / "perceptron" / "linked")
    os.symlink(tmp_path / "elsewhere", server.runs / "outside")
    (tmp_path / "sweep").mkdir()  # a sweep's table, linked from elsewhere
    (tmp_path / "sweep" / "sweep.json").write_text(json.dumps(
        {"combinations": [{"passed": 1, "finished": 1}], "seeds": [7], "unfinished": []}))
    os.symlink(tmp_path / "sweep", server.runs / "perceptron" / "sweep-linked")
    assert "at seeds 7" not in client.get("/").text
    rows = client.get("/api/runs").json()
    assert [r["run"] for r in rows] == ["perceptron/r1"]
    for row in rows:
        assert client.get(f"/r/{row['run']}").status_code == 200
    for page in ("/runs", "/e/perceptron", "/"):
        text = client.get(page).text
        assert "perceptron/r1" in text and "linked" not in text and "outside" not in text
    assert client.get("/r/perceptron/linked").status_code == 403


URLS = ["/", "/e/perceptron", "/runs", "/code/perceptron", "/source/nn/optim.py", "/compare",
        "/api/experiments", "/static/app.js", "/no/such/page", "/api/jobs/9"]


def test_every_answer_forbids_framing_sniffing_and_referrers(served):
    client, server = served
    run = server.runs / "perceptron" / "r1"
    run.mkdir(parents=True)
    (run / "config.json").write_text('{"experiment": "perceptron"}')
    (run / "page.html").write_text("<script>alert(1)</script>")
    answers = [client.get(u) for u in URLS + ["/r/perceptron/r1"]]
    answers += [client.get("/", headers={"host": "attacker.example"}),
                client.post("/api/resume", content=b"{}", headers={"content-length": "999999"})]
    for r in answers:
        assert r.headers["x-frame-options"] == "DENY", r.url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        policy = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    page = client.get("/files/perceptron/r1/page.html")  # a run's files: a sandbox
    assert "sandbox" in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_the_pages_take_scripts_and_styles_from_the_server_alone(served):
    client, _ = served
    for url in URLS[:6] + [f"/e/{name}" for name in registry.load_all()]:
        page = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", page), url  # no inline
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", page, re.I), url
        for ref in re.findall(r"<(?:script|link|img)[^>]*(?:src|href)=\"([^\"]*)\"", page):
            assert ref.startswith("/") and not ref.startswith("//"), (url, ref)


def test_bodies_are_refused_before_they_are_read():
    import asyncio

    from nnzoo.serve.guard import Guard

    async def app(scope, receive, send):  # the handler: reads the whole body, then answers
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read"})

    def call(headers, chunks=40):
        pulled, sent = [], []

        async def receive():
            pulled.append(1)
            return {"type": "http.request", "body": b"x" * 4096, "more_body": len(pulled) < chunks}

        async def send(message):
            sent.append(message)
        scope = {"type": "http", "path": "/api/resume", "headers": headers}
        with contextlib.suppress(UserError):
            asyncio.run(Guard(app, limit=lambda path: 64 * 1024)(scope, receive, send))
        return len(pulled), sent[0]["status"] if sent else None

    assert call([(b"content-length", str(10 * 2**20).encode())]) == (0, 413)
    pulled, _ = call([])  # no length: stopped once past the limit, not at the end
    assert pulled == 64 // 4 + 1
    assert call([(b"content-length", b"4096")], chunks=1) == (1, 200)


def test_a_large_or_deep_body_is_one_line_and_the_server_goes_on(served):
    client, server = served
    nested = b'{"options": {"lr": ' + b"[" * 500 + b"]" * 500 + b"}}"
    for content, headers, status in ((b"[" * 5000, {}, 400), (nested, {}, 400),
                                     (b"{" * 100000, {}, 413),
                                     (b"{}", {"content-length": str(10 * 2**20)}, 413)):
        r = client.post("/api/experiments/perceptron/runs", content=content, headers=headers)
        assert r.status_code == status and r.text.count("\n") == 0, r.text
    assert client.get("/").status_code == 200 and server.jobs.jobs == {}


def test_the_host_check_stays_on_whatever_the_host(tmp_path, monkeypatch):
    import uvicorn

    from nnzoo.cli import main
    from nnzoo.cli.serve import allowed_hosts, host_names
    from nnzoo.serve.app import LOCAL_HOSTS

    assert allowed_hosts("127.0.0.2", [], LOCAL_HOSTS)[0] == "127.0.0.2"  # what it prints
    assert allowed_hosts("::", [], LOCAL_HOSTS)[:2] == ["[::]", "127.0.0.1"]
    hosts = allowed_hosts("192.168.1.5", host_names("box.lan,Other,fe80::1"), LOCAL_HOSTS)
    assert hosts == ["192.168.1.5", "box.lan", "other", "[fe80::1]"]
    client = TestClient(create_app(tmp_path, hosts=hosts))
    for host, status in (("192.168.1.5:8765", 200), ("box.lan", 200), ("[fe80::1]:80", 200),
                         ("localhost", 400),
                         ("attacker.example", 400), ("192.168.1.5.attacker.example", 400)):
        assert client.get("/", headers={"host": host}).status_code == status, host
    for bad in (["*"], ["*.example.org"], []):
        with pytest.raises(UserError):
            create_app(tmp_path, hosts=bad)
    (tmp_path / "afile").write_text("")

    def started(*args, **kwargs):
        raise AssertionError("the server started")
    monkeypatch.setattr(uvicorn.Server, "run", started)
    for args in (["--allow-host", "*"], ["--allow-host", "a,,b"], ["--allow-host", "box:80"],
                 ["--runs", ""],
                 ["--runs", str(tmp_path / "afile")], ["--host", ""]):
        assert main(["serve", "--port", "0", *args]) == 2, args
