"""The static HTML gallery of run folders: RUNS_DIR/index.html.

One card per experiment (its latest finished run): name, family, claim, PASS/FAIL,
key metrics, figures and config, and beside the verdict the PASS rate of the experiment's
latest sweep (`nnzoo sweep`); then a section with every sweep's table and figure. One
self-contained page with inline CSS and
relative image links: it works offline, from the file system, with no server.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any

from nnzoo import registry, sweeps
from nnzoo._version import __version__
from nnzoo.errors import UserError
from nnzoo.folders import atomic_write

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#666;font-size:.9rem}
.about{color:#333;max-width:60rem}
.card{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0;background:#fcfcfc}
.card h3{margin:0 0 .4rem 0;font-family:monospace;font-size:1.15rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:4px;color:#fff;font-weight:bold;
  font-size:.85rem;margin-left:.5rem;vertical-align:middle}
.PASS{background:#2a7d2a}.FAIL{background:#b22}.DIVERGED{background:#c60}.smoke{background:#777}
.SMOKE-OK{background:#777}.SMOKE-ERROR{background:#c60}
.headline{font-size:1.05rem;margin:.4rem 0}
table{border-collapse:collapse;font-size:.85rem;margin:.3rem 0}
td,th{border:1px solid #ddd;padding:.15rem .5rem;text-align:left;vertical-align:top}
.figs img{max-width:100%;max-height:420px;margin:.3rem .5rem .3rem 0;border:1px solid #eee}
details{margin-top:.4rem} summary{cursor:pointer;color:#444}
.sweep{font-size:.95rem;margin:.3rem 0}
"""


def latest_runs(runs_dir: Path) -> dict[str, Path]:
    """experiment name -> its newest run folder that has a summary.json."""
    latest: dict[str, Path] = {}
    for summary in sorted(runs_dir.glob("*/*/summary.json"),
                          key=lambda p: (p.stat().st_mtime, p.parent.name)):
        latest[summary.parent.parent.name] = summary.parent
    return latest


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list) and len(v) > 12:
        return html.escape(json.dumps(v[:12])[:-1] + f", ... ({len(v)} values)]")
    return html.escape(json.dumps(v) if not isinstance(v, str) else v)


def _table(d: dict[str, Any]) -> str:
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{_value(v)}</td></tr>"
                   for k, v in d.items())
    return f"<table>{rows}</table>" if rows else "<p class=meta>(none)</p>"


def card(run_dir: Path, root: Path, sweep: Path | None = None) -> str:
    s = json.loads((run_dir / "summary.json").read_text())
    cfg_path = run_dir / "config.json"
    cfg = json.loads(cfg_path.read_text()) if cfg_path.exists() else {}
    rel = run_dir.relative_to(root).as_posix()
    figs = "".join(f'<a href="{html.escape(rel)}/figures/{html.escape(f)}">'
                   f'<img src="{html.escape(rel)}/figures/{html.escape(f)}" alt="{html.escape(f)}">'
                   f"</a>" for f in s.get("figures", []))
    smoke = '<span class="badge smoke">smoke</span>' if s.get("smoke") and \
        not s["status"].startswith("SMOKE") else ""  # SMOKE OK says it already
    options = {**cfg.get("config", {}), "seed": s.get("seed"), "device": s.get("device")}
    return f"""
<div class="card" id="{html.escape(s['experiment'])}">
  <h3>{html.escape(s['experiment'])}<span class="badge {status_class(s['status'])}">
  {html.escape(s['status'])}</span>{smoke}</h3>
  <div><b>claim:</b> {html.escape(s['claim'])}</div>
  <div><b>expected:</b> {html.escape(s['expects'])}</div>
  <div class="headline"><b>measured:</b> {html.escape(s['headline'])}</div>
  {_sweep_line(sweep, root)}
  <div class="figs">{figs}</div>
  <details><summary>metrics</summary>{_table(s.get('metrics', {}))}</details>
  <details><summary>config</summary>{_table(options)}</details>
  <div class="meta">{s.get('wall_time_s', 0):.1f} s on {html.escape(str(s.get('device')))},
  finished {html.escape(str(s.get('finished')))}; folder <code>{html.escape(rel)}</code></div>
</div>"""


def status_class(status: str) -> str:
    """The CSS class of a verdict's badge: SMOKE-OK for SMOKE OK."""
    return html.escape(status.replace(" ", "-"))


def _sweep_line(sweep: Path | None, root: Path) -> str:
    """The latest sweep's PASS rate, for the card beside the single run's verdict."""
    if sweep is None:
        return ""
    table = json.loads((sweep / sweeps.TABLE).read_text())
    rel = sweep.relative_to(root).as_posix()
    smoke = " (smoke)" if table.get("smoke") else ""
    return (f'<div class="sweep"><b>latest sweep{smoke}:</b> '
            f'{html.escape(sweeps.pass_rate_text(table))} '
            f'(<a href="#sweep-{html.escape(rel)}">table</a>)</div>')


def _sweeps_section(root: Path) -> str:
    """Every sweep under `root`, newest first: its table per combination and its figure."""
    paths = sorted(root.glob(f"*/sweep-*/{sweeps.TABLE}"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    blocks = []
    for path in paths:
        table, rel = json.loads(path.read_text()), path.parent.relative_to(root).as_posix()
        rows = []
        for c in table["combinations"]:
            stats = "; ".join(f"{html.escape(name)} {_value(m['mean'])} ± "
                              f"{'-' if m['std'] is None else _value(m['std'])} "
                              f"[{_value(m['min'])}, {_value(m['max'])}]"
                              for name, m in c["metrics"].items())
            rows.append(f"<tr><td>{html.escape(c['label'])}</td>"
                        f"<td>{c['passed']}/{c['finished']}</td><td>{stats}</td></tr>")
        figure = (f'<div class="figs"><img src="{html.escape(rel)}/{sweeps.FIGURE}" '
                  f'alt="sweep figure"></div>' if (path.parent / sweeps.FIGURE).exists() else "")
        blocks.append(f"""
<div class="card" id="sweep-{html.escape(rel)}">
  <h3>{html.escape(table['experiment'])}: {html.escape(sweeps.pass_rate_text(table))}</h3>
  <table><tr><th>options</th><th>PASS</th><th>metrics: mean ± std (n - 1) [min, max]</th></tr>
  {''.join(rows)}</table>{figure}
  <div class="meta">made {html.escape(table.get('made', ''))}; folder
  <code>{html.escape(rel)}</code></div>
</div>""")
    return "<h2>Sweeps</h2>" + "".join(blocks) if blocks else ""


def write_report(runs_dir: str | Path = "runs") -> Path:
    """Write RUNS_DIR/index.html from the latest run of each experiment; return its path."""
    root = Path(runs_dir)
    if not root.is_dir():
        raise UserError(f"no runs folder {root}; run an experiment first "
                        f"(`nnzoo run perceptron`) or give the folder: `nnzoo report DIR`")
    latest = latest_runs(root)
    swept = sweeps.latest_sweeps(root)
    experiments = registry.load_all()
    order = {name: i for i, name in enumerate(experiments)}
    by_family: dict[str, list[Path]] = {}
    for name in sorted(latest, key=lambda n: order.get(n, len(order))):
        fam = experiments[name].family if name in experiments else "other"
        by_family.setdefault(fam, []).append(latest[name])
    statuses = [json.loads((d / "summary.json").read_text())["status"] for d in latest.values()]
    sections = []
    for fam, dirs in by_family.items():
        family = registry.FAMILIES.get(fam)
        title = family.title if family else "Other runs"
        about = f"<p class=\"about\">{html.escape(family.about)}</p>" if family and family.about \
            else ""
        sections.append(f"<h2>{html.escape(title)}</h2>{about}"
                        + "".join(card(d, root, swept.get(d.parent.name)) for d in dirs))
    sections.append(_sweeps_section(root))
    smokes = statuses.count("SMOKE OK")
    smoke_count = f", {smokes} SMOKE OK (not judged)" if smokes else ""
    body = "".join(sections) or "<p>No finished runs yet: try <code>nnzoo tour</code>.</p>"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nnzoo runs</title>
<style>{CSS}</style></head><body>
<h1>nnzoo — the neural-network zoo, runnable</h1>
<p class="meta">{len(latest)} experiments, {statuses.count('PASS')} PASS{smoke_count};
made {time.strftime('%Y-%m-%d %H:%M')} by nnzoo {__version__}
from <code>{html.escape(str(root))}</code> (latest run of each experiment).</p>
{body}
</body></html>
"""
    index = root / "index.html"
    atomic_write(index, lambda f: f.write(page))
    return index
