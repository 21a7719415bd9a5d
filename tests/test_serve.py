"""`nnzoo serve` through starlette's test client: the catalogue, the form's schema and its
checks (the CLI's own), runs started, followed to the end, stopped and resumed, the token,
and paths that try to leave the runs folder."""

import json
import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("starlette")  # the serve extra (the dev extra has it)

from starlette.testclient import TestClient  # noqa: E402

from nnzoo import registry  # noqa: E402
from nnzoo.errors import UserError  # noqa: E402
from nnzoo.serve.app import TOKEN_HEADER, create_app  # noqa: E402
from nnzoo.serve.forms import FORM_ERROR  # noqa: E402


@pytest.fixture
def served(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    app = create_app(runs, jobs=1, hosts=["testserver"])
    with TestClient(app) as client:
        client.headers[TOKEN_HEADER] = app.state.server.token
        yield client, app.state.server
    app.state.server.jobs.shutdown(wait=20)


def events(client, rel):
    """The live view's events of run `rel`, read to its `end`: [(event, data)]."""
    out, event = [], None
    with client.stream("GET", f"/api/events/{rel}") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                out.append((event, json.loads(line[6:])))
                if event == "end":
                    break
    return out


def wait_for(predicate, what, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def test_the_catalogue_lists_every_experiment_by_family(served):
    client, _ = served
    families = client.get("/api/experiments").json()
    listed = [x["name"] for fam in families for x in fam["experiments"]]
    assert listed == list(registry.load_all())
    assert [f["name"] for f in families] == list(registry.by_family())
    page = client.get("/").text
    for exp in registry.load_all().values():
        assert f'href="/e/{exp.name}"' in page


@pytest.mark.parametrize("name", list(registry.load_all()))
def test_the_form_schema_is_the_registrys_options(served, name):
    client, _ = served
    exp = registry.get(name)
    got = client.get(f"/api/experiments/{name}").json()
    assert [o["name"] for o in got["options"]] == [o.name for o in exp.options]
    for schema, opt in zip(got["options"], exp.options):
        assert schema["default"] == opt.default and schema["help"] == opt.help
        assert schema["type"] == {bool: "bool", int: "int", float: "float", str: "str"}[opt.type]
        assert schema["choices"] == (list(opt.choices) if opt.choices else None)
        assert schema["type_name"] == opt.type_name
        assert (schema["range"] is None) == (opt.range is None)
    assert {o["name"] for o in got["common"]} == {"seed", "device", "smoke"}
    assert got["smoke"] == exp.smoke
    page = client.get(f"/e/{name}").text
    for opt in exp.options:
        assert f'data-error-for="{opt.name}"' in page and opt.flag in page


def test_a_form_is_checked_by_the_clis_validators_field_by_field(served):
    client, server = served
    exp = registry.get("perceptron")
    r = client.post("/api/experiments/perceptron/runs",
                    json={"options": {"lr": "-1", "max_epochs": "x", "nope": "1"},
                          "common": {"seed": "-3", "device": "tpu"}})
    assert r.status_code == 422
    errors = r.json()["errors"]
    lr = next(o for o in exp.options if o.name == "lr")
    with pytest.raises(UserError) as cli:
        lr.parse("-1", "perceptron")
    assert errors["lr"] == str(cli.value)  # the very words of `nnzoo run perceptron --lr -1`
    assert "--max-epochs" in errors["max_epochs"] and "'x'" in errors["max_epochs"]
    assert "no option --nope" in errors["nope"]
    assert "--seed" in errors["common.seed"] and "tpu" in errors["common.device"]
    assert all("\n" not in m for m in errors.values())
    assert server.jobs.jobs == {}  # nothing started


def test_a_cross_field_check_of_the_config_is_a_form_error(served):
    client, _ = served
    r = client.post("/api/experiments/momentum/runs", json={"options": {"eta": "1", "a": "3"}})
    assert r.status_code == 422, r.text
    assert set(r.json()["errors"]) == {FORM_ERROR}


def test_the_form_makes_the_same_arguments_as_the_command_line(served, tmp_path):
    from nnzoo.serve.forms import check_form

    args, errors = check_form(registry.get("xor-backprop"),
                              {"options": {"loss": "sse", "momentum": "0"},
                               "common": {"seed": 3, "smoke": True}}, tmp_path)
    assert errors == {}
    assert args == ["xor-backprop", "--out", str(tmp_path), "--seed", "3", "--device", "auto",
                    "--smoke", "--loss", "sse", "--momentum", "0"]


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


def test_a_smoke_run_is_followed_to_its_verdict_and_figure(served, tmp_path):
    client, server = served
    r = client.post("/api/experiments/perceptron/runs", json={"common": {"smoke": True}})
    assert r.status_code == 202, r.text
    job = r.json()
    rel = wait_for(lambda: client.get(f"/api/jobs/{job['id']}").json()["run"], "the folder")
    got = events(client, rel)
    kinds = [k for k, _ in got]
    assert kinds[0] == "hello" and kinds[-2:] == ["summary", "end"]
    rows = [row for k, data in got if k == "metrics" for row in data]
    lines = (server.runs / rel / "metrics.jsonl").read_text().splitlines()
    assert rows == [json.loads(line) for line in lines] and rows
    summary = dict(got)["summary"]
    assert summary["status"] == "SMOKE OK" and summary["smoke"]  # a smoke run: not judged
    assert dict(got)["end"]["status"] == summary["status"]
    log = [line for k, data in got if k == "log" for line in data]
    assert log == (server.runs / rel / "log.txt").read_text().splitlines()
    figures = [data for k, data in got if k == "figure"]
    assert {f["name"] for f in figures} == set(summary["figures"])
    png = client.get(figures[0]["url"])
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "finished"
    assert client.get("/api/runs", params={"status": summary["status"]}).json()[0]["run"] == rel
    assert client.get(f"/api/metrics/{rel}").json() == rows  # what the compare chart draws
    assert rel in client.get("/runs", params={"experiment": "perceptron"}).text
    assert rel not in client.get("/runs", params={"experiment": "xor-backprop"}).text
    assert client.get("/compare", params=[("run", rel), ("run", rel)]).status_code == 200
    card = client.get("/").text.split('data-experiment="perceptron"')[1].split("</div></div>")[0]
    assert f'href="/r/{rel}"' in card and 'class="badge SMOKE-OK">SMOKE OK</span>' in card
    assert 'class="badge smoke"' not in card  # said once
    page = client.get(f"/r/{rel}").text  # a run without metrics would say so there
    assert '<p id="no-metrics" class="meta" hidden>none: this run logged no metrics' in page
    # the very run folder `nnzoo run` makes from the same arguments
    cli = subprocess.run([sys.executable, "-m", "nnzoo", "run", "perceptron", "--smoke",
                          "--quiet", "--out", str(tmp_path / "cli")], capture_output=True,
                         text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    (cli_dir,) = (tmp_path / "cli" / "perceptron").iterdir()
    for name in ("config.json", "metrics.jsonl"):
        ours, theirs = (server.runs / rel / name).read_text(), (cli_dir / name).read_text()
        assert ours.replace(str(server.runs), "") == theirs.replace(str(tmp_path / "cli"), "")
    assert sorted(p.name for p in (cli_dir / "figures").iterdir()) == summary["figures"]


def test_queued_runs_wait_for_a_slot_and_a_stopped_run_resumes_to_its_end(served):
    client, server = served
    start = client.post("/api/experiments/xor-backprop/runs",
                        json={"options": {"runs": "15"}, "common": {"smoke": True}}).json()
    queued = client.post("/api/experiments/perceptron/runs", json={"common": {"smoke": True}})
    assert queued.json()["state"] == "queued"  # --jobs 1: it waits for the first
    cancelled = client.post(f"/api/jobs/{queued.json()['id']}/stop").json()
    assert cancelled["state"] == "cancelled"
    rel = wait_for(lambda: client.get(f"/api/jobs/{start['id']}").json()["run"], "the folder")
    folder = server.runs / rel
    wait_for(lambda: (folder / "checkpoints" / "last.pt").exists(), "a checkpoint")
    assert client.post(f"/api/jobs/{start['id']}/stop").json()["state"] == "running"
    assert dict(events(client, rel))["end"] == {"status": "stopped"}
    stopped = client.get(f"/api/jobs/{start['id']}").json()
    assert stopped["state"] == "stopped" and stopped["returncode"] == 130
    assert not (folder / "summary.json").exists()
    assert client.get("/api/runs", params={"status": "unfinished"}).json()[0]["run"] == rel
    assert client.get("/api/jobs").json()[1]["state"] == "cancelled"  # never started
    resumed = client.post("/api/resume", json={"run": rel})
    assert resumed.status_code == 202, resumed.text
    assert resumed.json()["args"] == ["--resume", str(folder)]
    got = dict(events(client, rel))
    assert got["summary"]["resumed"] and got["end"]["status"] == got["summary"]["status"]
    job = client.get(f"/api/jobs/{resumed.json()['id']}").json()
    assert job["state"] == "finished"
    again = client.post("/api/resume", json={"run": rel})
    assert again.status_code == 400 and "finished" in again.json()["error"]


def test_read_the_code_links_the_library_names_an_experiment_imports(served):
    client, _ = served
    page = client.get("/code/momentum").text
    assert "experiments/backprop/momentum.py" in page and registry.get("momentum").claim in page
    assert 'class="lib" href="/source/nn/optim.py#L' in page  # Momentum, from the library
    href = page.split('class="lib" href="/source/nn/optim.py#L')[1].split('"')[0]
    source = client.get("/source/nn/optim.py").text
    assert f'id="L{href}"' in source and 'class="kw">class</span>' in source
    assert client.get("/source/../errors.py").status_code == 404
    assert client.get("/source/serve/static/app.js").status_code == 404  # only .py


def test_the_server_starts_without_torch_and_serves_the_catalogue(tmp_path):
    code = ("import sys; from starlette.testclient import TestClient;"
            "from nnzoo.serve.app import create_app;"
            f"app = create_app({str(tmp_path)!r}, hosts=['testserver']);"
            "c = TestClient(app); assert c.get('/').status_code == 200;"
            "assert c.get('/e/mnist-cnn').status_code == 200;"
            "heavy = {'torch', 'numpy', 'matplotlib'} & set(sys.modules); assert not heavy, heavy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_serve_without_its_extra_says_how_to_install_it():
    code = ("import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None;"
            "from nnzoo.cli import main; sys.exit(main(['serve', '--port', '0']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "pip install 'nnzoo[serve]'" in out.stderr


def test_only_loopback_addresses_count_as_this_machine_only():
    from nnzoo.cli.serve import loopback

    assert all(loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(loopback(h) for h in ("0.0.0.0", "192.168.1.5", "::", "example.org"))
