"""What the Python face returns: a run's result, an experiment's options, the catalogue.
Each is plain data that also displays itself in a notebook (`_repr_html_`), and none
imports torch."""

from __future__ import annotations

import base64
import html
import json
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from nnzoo import registry
from nnzoo.errors import UserError

BADGE = {"PASS": "#2a7d2a", "FAIL": "#b22", "DIVERGED": "#c60", "smoke": "#777",
         "SMOKE OK": "#777", "SMOKE ERROR": "#c60"}  # as report.py


def wrap(text: str, indent: int, width: int = 100) -> str:
    return textwrap.fill(text, width, initial_indent=" " * indent,
                         subsequent_indent=" " * indent)


def family_and_kind(exp: registry.Experiment) -> str:
    """"Neurons and perceptrons (supervised learning)"; a family named for its kind of
    learning says it once: "Reinforcement learning"."""
    title = registry.FAMILIES[exp.family].title
    kind = f"{exp.kind} learning"
    return title if title.lower() == kind else f"{title} ({kind})"


def _badge(text: str) -> str:
    return (f'<span style="background:{BADGE.get(text, "#555")};color:#fff;font-weight:bold;'
            f'padding:.1rem .5rem;border-radius:4px;margin-left:.4rem">{html.escape(text)}</span>')


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(str(r[c]))}</td>"
                                    for c in columns) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


@dataclass(frozen=True)
class Figure:
    """One figure of a run: figures/<name>.png, shown as the image in a notebook."""

    path: Path

    @property
    def png(self) -> bytes:
        return self.path.read_bytes()

    def _repr_png_(self) -> bytes:
        return self.png

    def html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.path.stem)}" '
                f'style="max-width:100%;max-height:420px">')


class RunResult:
    """A finished run, read from its folder: what `nnzoo.run`, `resume` and `load_run`
    return. `verdict` is PASS, FAIL or DIVERGED (a smoke run, not judged: SMOKE OK or SMOKE
    ERROR); `rows` is metrics.jsonl, one dict a line."""

    def __init__(self, run_dir: str | Path):
        self.dir = Path(run_dir)
        try:
            self.summary: dict[str, Any] = json.loads((self.dir / "summary.json").read_text())
        except FileNotFoundError:
            raise UserError(f"{self.dir} holds no finished run (no summary.json); give the "
                            f"folder of a run, or continue it: nnzoo.resume({str(self.dir)!r})"
                            ) from None
        except (OSError, ValueError) as e:
            raise UserError(f"cannot read {self.dir / 'summary.json'} ({e})") from None
        config = self.dir / "config.json"
        self.config: dict[str, Any] = json.loads(config.read_text())["config"] \
            if config.exists() else {}

    experiment = property(lambda self: self.summary["experiment"])
    verdict = property(lambda self: self.summary["status"])
    passed = property(lambda self: bool(self.summary["passed"]))
    headline = property(lambda self: self.summary["headline"])
    metrics = property(lambda self: self.summary["metrics"])
    claim = property(lambda self: self.summary["claim"])
    expects = property(lambda self: self.summary["expects"])
    smoke = property(lambda self: bool(self.summary["smoke"]))
    seed = property(lambda self: self.summary["seed"])

    @cached_property
    def figures(self) -> dict[str, Figure]:
        """name -> Figure, e.g. result.figures["spirals"] (figures/spirals.png)."""
        return {Path(f).stem: Figure(self.dir / "figures" / f) for f in self.summary["figures"]}

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The metrics log, one dict per logged step."""
        path = self.dir / "metrics.jsonl"
        lines = path.read_text().splitlines() if path.exists() else []
        return [json.loads(line) for line in lines if line.strip()]

    def __repr__(self) -> str:
        smoke = " (smoke)" if self.smoke and not self.verdict.startswith("SMOKE") else ""
        return (f"<{self.verdict}{smoke} {self.experiment}: {self.headline} | {self.dir} | "
                f"figures: {', '.join(self.figures) or 'none'}>")

    def _repr_html_(self) -> str:
        s = self.summary
        smoke = " <i>a quick check; the claim is for the default settings</i>" \
            if self.smoke else ""
        figures = "".join(f"<figure style='display:inline-block;margin:.3rem'>{f.html()}"
                          f"<figcaption>{html.escape(name)}</figcaption></figure>"
                          for name, f in self.figures.items())
        return (f"<div><b style='font-family:monospace;font-size:1.1em'>"
                f"{html.escape(self.experiment)}</b>{_badge(self.verdict)}{smoke}"
                f"<div><b>claim:</b> {html.escape(self.claim)}</div>"
                f"<div><b>expected:</b> {html.escape(self.expects)}</div>"
                f"<div><b>measured:</b> {html.escape(self.headline)}</div>"
                f"<div>{figures}</div><div style='color:#666;font-size:.9em'>"
                f"{s['wall_time_s']:.1f} s on {html.escape(str(s['device']))}, seed {self.seed};"
                f" folder <code>{html.escape(str(self.dir))}</code></div></div>")


class ExperimentView:
    """`nnzoo.show(name)`: the claim, and each option in Python spelling with its type,
    default and help (`options`: one dict each); what smoke=True sets."""

    def __init__(self, exp: registry.Experiment):
        self.experiment = exp
        self.options = [{"option": o.name, "type": o.type_name, "default": o.default,
                         "help": o.help} for o in exp.options]

    def _head(self) -> list[str]:
        e = self.experiment
        return [f"{e.name} — {family_and_kind(e)}",
                f"claim: {e.claim}", f"expects: {e.expects}", f"data: {e.data}"]

    def __repr__(self) -> str:
        lines = [*self._head(), "", f"nnzoo.run({self.experiment.name!r}, **options), options:"]
        for o in self.options:
            lines += [f"  {o['option']}={o['default']!r}   ({o['type']})", wrap(o["help"], 6)]
        if not self.options:
            lines.append("  (none: this experiment has nothing to choose)")
        if self.experiment.smoke:
            lines.append(f"smoke=True sets: {self.experiment.smoke}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<div>{html.escape(line)}</div>" for line in self._head())
        rows = [{**o, "default": repr(o["default"])} for o in self.options]
        smoke = (f"<div>smoke=True sets: <code>{html.escape(str(self.experiment.smoke))}</code>"
                 f"</div>" if self.experiment.smoke else "")
        return head + _table(rows, ["option", "type", "default", "help"]) + smoke


class Catalogue(list):
    """`nnzoo.catalogue()`: a list of dicts, one per experiment, shown as a table."""

    def _repr_html_(self) -> str:
        return _table(self, ["name", "family", "kind", "claim", "seconds"])
