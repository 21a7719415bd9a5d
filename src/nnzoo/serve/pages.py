"""The HTML of `nnzoo serve`'s pages, made on the server from the registry and the run
folders; static/app.js makes them live (the form, the events, the charts)."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

from nnzoo import registry
from nnzoo._version import __version__
from nnzoo.cli.catalogue import takes
from nnzoo.serve.forms import COMMON_KEY, FORM_ERROR

e = html.escape


def layout(title: str, page: str, body: str, token: str, data: dict[str, Any] | None = None
           ) -> str:
    data_attr = f" data-page-data='{e(json.dumps(data))}'" if data is not None else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} · nnzoo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="nnzoo-token" content="{e(token)}">
<link rel="stylesheet" href="/static/uPlot.min.css"><link rel="stylesheet" href="/static/app.css">
</head><body data-page="{page}"{data_attr}>
<nav><a class="home" href="/">nnzoo</a> <a href="/">catalogue</a> <a href="/runs">runs</a>
<span class="meta">nnzoo {e(__version__)}</span></nav>
<main>{body}</main>
<script src="/static/uPlot.iife.min.js"></script><script src="/static/app.js"></script>
</body></html>"""


def badge(status: str | None, smoke: bool = False) -> str:
    if not status:
        return ""
    tag = '<span class="badge smoke">smoke</span>' if smoke and \
        not status.startswith("SMOKE") else ""  # SMOKE OK says it already
    return f'<span class="badge {e(status.replace(" ", "-"))}">{e(status)}</span>{tag}'


def catalogue(families: list[dict[str, Any]], token: str) -> str:
    parts = ["<h1>The neural-network zoo, runnable</h1>",
             '<p class="meta">Pick an experiment, change a setting, run it and watch it learn;'
             " every run is an ordinary <code>nnzoo run</code>.</p>",
             '<p><input type="search" id="search" placeholder="search: words of a name, a '
             'claim or a family" aria-label="search the catalogue" size="40"> '
             '<span id="search-count" class="meta"></span></p>']
    for fam in families:
        parts.append(f'<section class="family" data-family="{e(fam["name"])}">'
                     f'<h2 id="{e(fam["name"])}">{e(fam["title"])}</h2>')
        if fam["about"]:
            parts.append(f'<p class="about">{e(fam["about"])}</p>')
        for x in fam["experiments"]:
            words = " ".join([x["name"], x["kind"], x["claim"], x["expects"], x["data"],
                              fam["name"], fam["title"]]).lower()
            latest = x["latest"]
            verdict = (f'<a href="/r/{quote(latest["run"])}">latest run</a> '
                       f'{badge(latest["status"] or "unfinished", bool(latest["smoke"]))} '
                       f'{e(latest["headline"] or "")}') if latest else \
                '<span class="meta">not run yet</span>'
            sweep = f'<div><b>sweep:</b> {e(x["sweep"])}</div>' if x["sweep"] else ""
            parts.append(f"""<div class="card exp" data-experiment="{e(x['name'])}" \
data-search="{e(words)}">
<h3><a href="/e/{e(x['name'])}">{e(x['name'])}</a> <span class="meta">{e(x['kind'])}
learning · data: {e(x['data'])}</span></h3>
<div><b>claim:</b> {e(x['claim'])}</div><div><b>expected:</b> {e(x['expects'])}</div>
<div class="verdict">{verdict}</div>{sweep}</div>""")
        parts.append("</section>")
    parts.append('<p id="search-none" class="meta" hidden>No experiment has all these words.'
                 "</p>")
    return layout("catalogue", "catalogue", "".join(parts), token)


def _field(opt: dict[str, Any], group: str) -> str:
    key = (COMMON_KEY if group == "common" else "") + opt["name"]
    ident = "f-" + key.replace(".", "-")
    attrs = f'id="{ident}" name="{e(opt["name"])}" data-group="{group}" data-key="{e(key)}"'
    default = opt["default"]
    if opt["type"] == "bool":
        control = (f'<input type="checkbox" {attrs} data-default="{str(default).lower()}"'
                   f'{" checked" if default else ""}>')
    elif opt["choices"]:
        items = "".join(f'<option{" selected" if c == default else ""}>{e(c)}</option>'
                        for c in opt["choices"])
        control = f'<select {attrs} data-default="{e(str(default))}">{items}</select>'
    else:
        listed = ' list="uploads"' if opt.get("path") else ""
        control = (f'<input type="text" {attrs} data-default="{e(str(default))}" '
                   f'value="{e(str(default))}" spellcheck="false"{listed}>')
    upload = note = ""
    if opt.get("path"):  # a file the run reads: from a page, one uploaded to the runs folder
        kind = opt["path"]["kind"]
        upload = (f' <label class="upload">upload a file <input type="file" data-for="{ident}"'
                  f' data-kind="{e(kind)}"></label>')
        note = " From this page: " + ("a folder in the runs folder, e.g. uploads (where the "
                                      "button puts files)." if kind == "dir" else
                                      "a file in the runs folder, e.g. uploads/NAME once "
                                      "uploaded.")
    shown = "none" if default == "" else ("on" if default else "off") \
        if isinstance(default, bool) else default
    return f"""<div class="field" data-key="{e(key)}"><label for="{ident}">{e(opt['flag'])}</label>
{control} <span class="type">{e(opt['type_name'])} (default {e(str(shown))})</span>{upload}
<div class="help">{e(opt['help'])}{e(note)}</div><div class="error" data-error-for="{e(key)}">\
</div></div>"""


def experiment(exp: registry.Experiment, schema: dict[str, Any], runs: list[dict[str, Any]],
               uploads: list[dict[str, Any]], token: str) -> str:
    fam = registry.FAMILIES[exp.family]
    smoke = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in exp.smoke.items())
    fields = "".join(_field(o, "options") for o in schema["options"]) or \
        '<p class="meta">(no options: this experiment has nothing to choose)</p>'
    common = "".join(_field(o, "common") for o in schema["common"])
    notes = f"<div><b>note:</b> {e(exp.notes)}</div>" if exp.notes else ""
    body = f"""<h1>{e(exp.name)}</h1>
<p class="meta"><a href="/#{e(exp.family)}">{e(fam.title)}</a> · {e(exp.kind)} learning ·
data: {e(exp.data)} · takes {e(takes(exp))} (default run, 2-core CPU) ·
<a href="/code/{e(exp.name)}">read the code</a></p>
<div class="card"><div><b>claim:</b> {e(exp.claim)}</div>
<div><b>expected:</b> {e(exp.expects)}</div>{notes}</div>
<form id="run-form" data-experiment="{e(exp.name)}" novalidate>
<h2>Options</h2>{fields}
<h2>Common options</h2>{common}
<p class="meta">--smoke sets: {e(smoke or "nothing")} (for the options left at their
defaults); runs go to the server's runs folder.</p>
<div class="error" data-error-for="{FORM_ERROR}"></div>
<button type="submit" id="run-button">Run</button> <span id="run-status"></span>
</form><datalist id="uploads">{"".join(f'<option value="{e(u["path"])}">' for u in uploads)}
</datalist>
<h2>Latest runs of {e(exp.name)}</h2>{_runs_table(runs, select=False)}"""
    return layout(exp.name, "experiment", body, token)


def _runs_table(rows: list[dict[str, Any]], select: bool = True) -> str:
    if not rows:
        return '<p class="meta">No runs yet.</p>'
    out = ['<table class="runs"><tr>' + ("<th></th>" if select else "")
           + "<th>run</th><th>experiment</th><th>seed</th><th>result</th><th>measured</th>"
           "<th>seconds</th><th></th></tr>"]
    for r in rows:
        pick = (f'<td><input type="checkbox" class="pick" value="{e(r["run"])}"></td>'
                if select else "")
        action = ""
        if r["status"] == "unfinished":
            action = f'<button class="resume" data-run="{e(r["run"])}">Resume</button>'
        secs = "" if r["wall_time_s"] is None else f"{r['wall_time_s']:.1f}"
        out.append(f'<tr data-status="{e(r["status"])}">{pick}'
                   f'<td><a href="/r/{quote(r["run"])}">{e(r["run"])}</a></td>'
                   f'<td>{e(str(r["experiment"]))}</td><td>{e(str(r["seed"]))}</td>'
                   f'<td>{badge(r["status"], r["smoke"])}</td><td>{e(r["headline"] or "")}</td>'
                   f"<td>{secs}</td><td>{action}</td></tr>")
    return "".join(out) + "</table>"


STATUSES = ("PASS", "FAIL", "DIVERGED", "SMOKE OK", "running", "unfinished")


def runs(rows: list[dict[str, Any]], names: list[str], chosen: str | None,
         status: str | None, jobs: list[dict[str, Any]], token: str) -> str:
    def options(values, current):
        return '<option value="">all</option>' + "".join(
            f'<option{" selected" if v == current else ""}>{e(v)}</option>' for v in values)
    queue = "".join(
        f'<tr><td>{j["id"]}</td><td>{e(j["experiment"])}</td><td>{e(j["state"])}</td>'
        f'<td>{f"""<a href="/r/{quote(j["run"])}">{e(j["run"])}</a>""" if j["run"] else ""}'
        f'</td><td><button class="stop" data-job="{j["id"]}">Stop</button></td></tr>'
        for j in jobs)
    queue = (f'<h2>Queued and running</h2><table class="jobs"><tr><th>job</th><th>experiment'
             f'</th><th>state</th><th>run</th><th></th></tr>{queue}</table>') if queue else ""
    body = f"""<h1>Runs</h1>{queue}
<form class="filters" method="get" action="/runs">
experiment <select name="experiment">{options(names, chosen)}</select>
result <select name="status">{options(STATUSES, status)}</select>
<button type="submit">Filter</button></form>
<p><button id="compare-button">Compare selected</button>
<span class="meta">(tick two or more runs: their metric curves on one chart)</span></p>
{_runs_table(rows)}"""
    return layout("runs", "runs", body, token)


def run(rel: str, config: dict[str, Any], token: str) -> str:
    values = config.get("config", {})
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(json.dumps(v))}</td></tr>"
                   for k, v in values.items())
    name = str(config.get("experiment", ""))
    body = f"""<h1><a href="/e/{e(name)}">{e(name)}</a> <span id="status" class="badge running">
waiting</span></h1>
<p class="meta">run folder <code>{e(rel)}</code> · seed {e(str(config.get("seed")))}
{" · smoke" if config.get("smoke") else ""} · <a href="/code/{e(name)}">read the code</a>
<button id="stop-button" hidden>Stop</button>
<button id="resume-button" hidden data-run="{e(rel)}">Resume</button></p>
<div id="verdict" class="card" hidden></div>
<h2>Metrics</h2><div id="charts"></div>
<p id="no-metrics" class="meta" hidden>none: this run logged no metrics (an experiment without
a training loop measures its result once, at the end: see the verdict and the figures)</p>
<h2>Figures</h2><div id="figures" class="figs"><span class="meta">none yet</span></div>
<h2>Log</h2><pre id="log"></pre>
<details><summary>config</summary><table>{rows}</table></details>"""
    return layout(f"{name} run", "run", body, token, {"run": rel})


def compare(chosen: list[str], token: str) -> str:
    items = "".join(f'<li><a href="/r/{quote(r)}">{e(r)}</a></li>' for r in chosen)
    body = f"""<h1>Compare runs</h1><ul>{items}</ul>
<p class="meta">{"" if len(chosen) > 1 else "Pick two or more runs on "}
<a href="/runs">the runs page</a>.</p><div id="charts"></div>"""
    return layout("compare", "compare", body, token, {"runs": chosen})


def code(exp: registry.Experiment, rel: str, highlighted: str, links: dict[str, str],
         token: str) -> str:
    calls = "".join(f'<li><a href="{e(url)}"><code>{e(name)}</code></a></li>'
                    for name, url in sorted(links.items()))
    body = f"""<div class="codepage"><aside><h1><a href="/e/{e(exp.name)}">{e(exp.name)}</a></h1>
<div><b>claim:</b> {e(exp.claim)}</div><div><b>expected:</b> {e(exp.expects)}</div>
<h2>From the library</h2><ul class="calls">{calls}</ul></aside>
<section><p class="meta"><code>src/nnzoo/{e(rel)}</code></p>
<pre class="code">{highlighted}</pre></section></div>"""
    return layout(f"{exp.name}: the code", "code", body, token)


def source(rel: str, highlighted: str, token: str) -> str:
    body = f"""<p class="meta"><code>src/nnzoo/{e(rel)}</code></p>
<pre class="code">{highlighted}</pre>"""
    return layout(rel, "source", body, token)
