"""`nnzoo serve` through starlette's test client: the catalogue and its search box, the
form's schema and its checks (the CLI's own), runs started, followed to the end, stopped and
resumed, the code beside its claim; and a real `nnzoo serve` stopped by Ctrl-C or SIGTERM.
What the server refuses is in test_serve_edges.py. (The `served` fixture: conftest.py.)"""

import html
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")  # the serve extra (the dev extra has it)

import nnzoo  # noqa: E402
from nnzoo import registry  # noqa: E402
from nnzoo.errors import UserError  # noqa: E402
from nnzoo.serve.app import TOKEN_HEADER  # noqa: E402
from nnzoo.serve.forms import FORM_ERROR  # noqa: E402


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
        assert schema["path"] == (opt.path and {"kind": opt.path.kind,
                                                "names": list(opt.path.names)})
    assert {o["name"] for o in got["common"]} == {"seed", "device", "smoke"}  # no path
    assert got["smoke"] == exp.smoke
    page = client.get(f"/e/{name}").text
    for opt in exp.options:
        assert f'data-error-for="{opt.name}"' in page and opt.flag in page
        # an option naming a file has an upload button; the others have none
        assert (f'type="file" data-for="f-{opt.name}"' in page) == (opt.path is not None)


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


def start_serve(tmp_path, *args):
    proc = subprocess.Popen([sys.executable, "-m", "nnzoo", "serve", "--port", "0", "--runs",
                             str(tmp_path / "runs"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("nnzoo serve: open http://"), (line, proc.stderr.read())
    return proc, line.split()[3]


def get(url, **kw):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, **kw), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.mark.parametrize("presses", [1, 2])  # a second Ctrl-C hurries it: still stops runs
def test_ctrl_c_stops_the_runs_started_says_how_to_resume_them_and_exits_130(tmp_path, presses):
    proc, address = start_serve(tmp_path)
    try:
        token = re.search(r'name="nnzoo-token" content="([^"]+)"', get(address)[1]).group(1)
        body = json.dumps({"options": {"runs": "15"}, "common": {"smoke": True}}).encode()
        status, job = get(address + "api/experiments/xor-backprop/runs", data=body,
                          headers={TOKEN_HEADER: token, "Content-Type": "application/json"})
        assert status == 202, job
        rel = wait_for(lambda: json.loads(get(f"{address}api/jobs/{json.loads(job)['id']}")[1]
                                          )["run"], "the run's folder")
        for _ in range(presses):
            proc.send_signal(signal.SIGINT)
            time.sleep(0.05)  # two signals at once are one
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    folder = tmp_path / "runs" / rel
    assert f"stopped {rel}; continue with: nnzoo run --resume {folder}" in err
    assert "Traceback" not in err + out and not (folder / "summary.json").exists()


def test_sigterm_stops_it_cleanly_with_143_and_a_printed_address_answers(tmp_path):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.2", 0))
        except OSError:
            pytest.skip("127.0.0.2 is not this machine's here")
    proc, address = start_serve(tmp_path, "--host", "127.0.0.2")
    try:
        assert address.startswith("http://127.0.0.2:")
        assert get(address)[0] == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143 and "SIGTERM" in err and "Traceback" not in err, err


FAKE_DOM = """
const [sections, query] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const node = (extra) => ({hidden: false, dataset: {}, textContent: "", value: "",
  addEventListener(type, f) { this.on = f; }, ...extra});
const fams = sections.map(([fam, cards]) => node({cards: cards.map(([name, search]) =>
  node({name, dataset: {search}})), querySelector(sel) {
    return this.cards.find((c) => !c.hidden) || null; }}));
const byId = {search: node(), "search-count": node(), "search-none": node({hidden: true})};
globalThis.document = {body: {dataset: {page: "catalogue"}},
  querySelector: (sel) => ({content: "token"}), getElementById: (id) => byId[id],
  querySelectorAll: (sel) => sel === ".card.exp" ? fams.flatMap((f) => f.cards)
    : sel === "section.family" ? fams : []};
require(process.argv[1]);
byId.search.value = query;
byId.search.on();
console.log(JSON.stringify({shown: fams.flatMap((f) => f.cards.filter((c) => !c.hidden)
  .map((c) => c.name)), families: fams.map((f) => !f.hidden),
  count: byId["search-count"].textContent, none: !byId["search-none"].hidden}));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="node runs the page's script here")
def test_the_catalogues_search_box_keeps_the_experiments_with_every_word_typed(served):
    client, _ = served
    page = client.get("/").text
    sections = [(fam, [(n, html.unescape(t)) for n, t in re.findall(
                    r'data-experiment="([^"]+)" data-search="([^"]*)"', part)])
                for fam, part in re.findall(r'<section class="family" data-family="([^"]+)">'
                                            r"(.*?)</section>", page, re.S)]
    assert [name for _, cards in sections for name, _ in cards] == list(registry.load_all())
    script = Path(nnzoo.__file__).parent / "serve" / "static" / "app.js"
    shown = {}
    for query in ("", "Boltzmann", "reinforcement  CARTPOLE", "xor spirals", "zzz"):
        words = query.lower().split()
        want = shown[query] = [n for _, cards in sections for n, text in cards
                               if all(w in text for w in words)]
        out = subprocess.run(["node", "-e", FAKE_DOM, str(script)], text=True, timeout=60,
                             input=json.dumps([sections, query]), capture_output=True)
        assert out.returncode == 0, out.stderr
        got = json.loads(out.stdout)
        assert got["shown"] == want and got["none"] == (not want), query
        assert got["families"] == [any(n in want for n, _ in cards) for _, cards in sections]
        assert got["count"] == (f"{len(want)} of {len(registry.load_all())}" if words else "")
    assert 0 < len(shown["Boltzmann"]) < len(shown[""]) == len(registry.load_all())
    assert "dqn" in shown["reinforcement  CARTPOLE"] and shown["zzz"] == []


FAKE_FORM = """
const [kind, answer] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const node = (extra) => ({dataset: {}, textContent: "", value: "", options: [],
  addEventListener(type, f) { this.on = f; }, appendChild(c) { this.options.push(c); },
  setAttribute(k, v) { this[k] = v; }, ...extra});
const field = node({dataset: {key: "text"}}), box = node(), list = node();
const file = node({dataset: {for: "f-text", kind}, files: [{name: "my notes.txt"}]});
const form = node({querySelectorAll: (sel) => sel.startsWith("input[type") ? [file] : []});
const byId = {"run-form": form, "run-status": node(), "f-text": field, uploads: list};
const sent = [];
globalThis.CSS = {escape: (s) => s};
globalThis.fetch = async (url, opts) => { sent.push({url, headers: opts.headers});
  if (!answer) throw new TypeError("Failed to fetch");
  return {ok: answer.status < 300, statusText: "", json: async () => answer.body}; };
globalThis.document = {body: {dataset: {page: "experiment"}},
  querySelector: (sel) => sel.startsWith("meta") ? {content: "token"} : box,
  getElementById: (id) => byId[id], createElement: (tag) => node({tag})};
require(process.argv[1]);
file.on();
setTimeout(() => console.log(JSON.stringify({sent, value: field.value, error: box.textContent,
  listed: list.options.map((o) => o.value)})), 50);
"""


@pytest.mark.skipif(not shutil.which("node"), reason="node runs the page's script here")
def test_the_upload_button_sends_the_file_with_the_token_and_names_it_in_its_field(served):
    client, _ = served
    script = Path(nnzoo.__file__).parent / "serve" / "static" / "app.js"

    def press(kind, answer):
        out = subprocess.run(["node", "-e", FAKE_FORM, str(script)], text=True, timeout=60,
                             input=json.dumps([kind, answer]), capture_output=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    # the server's own answer to the same upload, as the button sends it
    sent = press("file", {"status": 201, "body": {}})["sent"]
    assert sent[0]["url"] == "/api/uploads?name=my%20notes.txt"
    assert sent[0]["headers"][TOKEN_HEADER] == "token"
    answer = client.post(sent[0]["url"], content=b"some notes")
    got = press("file", {"status": answer.status_code, "body": answer.json()})
    assert got["value"] == "uploads/my_notes.txt" and got["listed"] == ["uploads/my_notes.txt"]
    assert got["error"] == ""
    assert press("dir", {"status": 201, "body": answer.json()})["value"] == "uploads"
    refused = client.post(sent[0]["url"], content=b"")
    got = press("file", {"status": refused.status_code, "body": refused.json()})
    assert got["value"] == "" and got["error"] == refused.json()["error"]
    hung_up = press("file", None)  # the server answered 413 and closed the connection
    assert hung_up["value"] == "" and "failed (Failed to fetch)" in hung_up["error"]
