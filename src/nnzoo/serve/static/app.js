// nnzoo serve: the pages' behaviour. No build step, no framework; uPlot draws the charts.
"use strict";
const TOKEN = document.querySelector('meta[name="nnzoo-token"]').content;
const PAGE = document.body.dataset.page;
const DATA = JSON.parse(document.body.dataset.pageData || "{}");
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];

async function post(url, body) {
  const r = await fetch(url, {method: "POST", body: JSON.stringify(body || {}),
    headers: {"Content-Type": "application/json", "X-Nnzoo-Token": TOKEN}});
  let data = null;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  return {ok: r.ok, status: r.status, data};
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- charts: one per metric, one series per group of lines (run index, agent, label...)
const NONFINITE = new Set(["nan", "inf", "-inf"]);
const INDEX_KEYS = new Set(["step", "run"]);

class Charts {
  constructor(root) { this.root = root; this.reset(); }
  reset() {
    this.root.textContent = "";
    this.metrics = new Map();  // metric -> {series: Map(label -> Map(x -> y)), plot, div, n}
    this.pending = false;
  }
  add(rows, prefix) {
    for (const row of rows) {
      const group = Object.entries(row)
        .filter(([k, v]) => k === "run" || (typeof v === "string" && !NONFINITE.has(v)))
        .map(([k, v]) => `${k} ${v}`).join(", ");
      for (const [k, v] of Object.entries(row)) {
        if (INDEX_KEYS.has(k) || typeof v === "boolean") continue;
        if (typeof v !== "number" && !NONFINITE.has(v)) continue;
        const label = [prefix, group].filter(Boolean).join(": ") || k;
        const m = this.metric(k);
        if (!m.series.has(label)) m.series.set(label, new Map());
        m.series.get(label).set(row.step, typeof v === "number" ? v : null);
      }
    }
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.draw(); });
    }
  }
  metric(name) {
    if (!this.metrics.has(name)) {
      const div = el("div", {"class": "chart", "data-metric": name});
      this.root.appendChild(div);
      this.metrics.set(name, {series: new Map(), plot: null, div, n: 0});
    }
    return this.metrics.get(name);
  }
  draw() {
    for (const [name, m] of this.metrics) {
      const xs = [...new Set([...m.series.values()].flatMap((s) => [...s.keys()]))]
        .sort((a, b) => a - b);
      const data = [xs, ...[...m.series.values()].map((s) => xs.map((x) => s.has(x) ? s.get(x) : null))];
      if (m.plot && m.n === m.series.size) { m.plot.setData(data); continue; }
      if (m.plot) m.plot.destroy();
      const series = [{label: "step"}, ...[...m.series.keys()].map((label, i) => ({
        label, stroke: COLORS[i % COLORS.length], spanGaps: true, points: {show: false}}))];
      const width = Math.max(320, Math.min(this.root.clientWidth || 640, 900));
      m.plot = new uPlot({title: name, width, height: 220, scales: {x: {time: false}}, series},
        data, m.div);
      m.n = m.series.size;
    }
  }
}

// ---- the experiment page: the form, checked on the server, errors beside their fields
function experimentPage() {
  const form = document.getElementById("run-form");
  const status = document.getElementById("run-status");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelectorAll(".error").forEach((d) => { d.textContent = ""; });
    form.querySelectorAll(".field").forEach((d) => d.classList.remove("bad"));
    const body = {options: {}, common: {}};
    for (const input of form.querySelectorAll("[data-group]")) {
      const value = input.type === "checkbox" ? input.checked : input.value;
      const dflt = input.type === "checkbox" ? input.dataset.default === "true" : input.dataset.default;
      if (value !== dflt) body[input.dataset.group][input.name] = value;  // the rest: defaults
    }
    status.textContent = "checking...";
    const r = await post(`/api/experiments/${form.dataset.experiment}/runs`, body);
    if (r.status === 422) {
      status.textContent = "";
      for (const [key, message] of Object.entries(r.data.errors)) {
        const box = form.querySelector(`[data-error-for="${CSS.escape(key)}"]`)
          || form.querySelector('[data-error-for="_form"]');
        box.textContent = message;
        const field = form.querySelector(`.field[data-key="${CSS.escape(key)}"]`);
        if (field) field.classList.add("bad");
      }
      return;
    }
    if (!r.ok) { status.textContent = r.data.error; return; }
    watchJob(r.data.id, status);
  });
  form.querySelectorAll('input[type="file"][data-for]').forEach((input) =>
    input.addEventListener("change", () => upload(input)));
}

// a path option's file, uploaded to the runs folder's uploads; the field then names it
async function upload(input) {
  const field = document.getElementById(input.dataset.for);
  const file = input.files[0];
  const box = document.querySelector(`[data-error-for="${CSS.escape(field.dataset.key)}"]`);
  if (!file) return;
  box.textContent = `uploading ${file.name}...`;
  let r = null;
  try {
    r = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, {method: "POST",
      body: file, headers: {"Content-Type": "application/octet-stream", "X-Nnzoo-Token": TOKEN}});
  } catch (e) {  // e.g. the server refused a file too large before reading it, and hung up
    box.textContent = `the upload of ${file.name} failed (${e.message}); is it too large?`;
    return;
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  if (!r.ok) { box.textContent = data.error; return; }
  box.textContent = "";
  field.value = input.dataset.kind === "dir" ? data.path.split("/")[0] : data.path;
  const list = document.getElementById("uploads");
  if (list && ![...list.options].some((o) => o.value === data.path)) list.appendChild(el("option", {value: data.path}));
}

async function watchJob(id, status) {
  for (;;) {
    const job = await (await fetch(`/api/jobs/${id}`)).json();
    if (job.run) { location.href = `/r/${encodeURI(job.run)}`; return; }
    if (job.state === "queued") status.textContent = `job ${id} queued (--jobs runs at once)`;
    else if (job.state !== "running") {
      status.textContent = `job ${id} ${job.state}: ${job.output.slice(-3).join(" ")}`;
      return;
    } else status.textContent = `job ${id} starting...`;
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

// ---- the run page: its files followed live through server-sent events
function runPage() {
  const charts = new Charts(document.getElementById("charts"));
  const log = document.getElementById("log");
  const figures = document.getElementById("figures");
  const badge = document.getElementById("status");
  const stop = document.getElementById("stop-button");
  const resume = document.getElementById("resume-button");
  let job = null;
  const setStatus = (text) => {  // "SMOKE OK" has the class SMOKE-OK
    badge.textContent = text; badge.className = `badge ${text.replace(/ /g, "-")}`;
  };
  const events = new EventSource(`/api/events/${encodeURI(DATA.run)}`);
  events.addEventListener("hello", () => {
    charts.reset(); log.textContent = ""; figures.textContent = ""; setStatus("following");
  });
  events.addEventListener("reset", () => charts.reset());
  events.addEventListener("metrics", (ev) => charts.add(JSON.parse(ev.data)));
  events.addEventListener("log", (ev) => {
    log.textContent += JSON.parse(ev.data).join("\n") + "\n";
    log.scrollTop = log.scrollHeight;
  });
  events.addEventListener("figure", (ev) => {
    const f = JSON.parse(ev.data);
    let img = figures.querySelector(`img[data-name="${CSS.escape(f.name)}"]`);
    if (!img) {
      img = el("img", {"data-name": f.name, alt: f.name});
      const a = el("a", {href: f.url}); a.appendChild(img); figures.appendChild(a);
    }
    img.src = f.url;
  });
  events.addEventListener("state", (ev) => {
    job = JSON.parse(ev.data);
    if (!job) { setStatus("following"); return; }
    setStatus(job.state);
    stop.hidden = job.state !== "running";
  });
  events.addEventListener("summary", (ev) => {
    const s = JSON.parse(ev.data);
    setStatus(s.status);
    document.getElementById("no-metrics").hidden = charts.metrics.size > 0;
    const card = document.getElementById("verdict");
    card.hidden = false;
    card.textContent = "";
    card.appendChild(el("div", {"class": "headline"}, `${s.status}  ${s.headline}`));
    card.appendChild(el("div", {}, `expected: ${s.expects}`));
    card.appendChild(el("div", {"class": "meta"},
      `${s.wall_time_s.toFixed(1)} s on ${s.device}${s.smoke ? " (smoke: a quick check; the claim is for the default settings)" : ""}`));
  });
  events.addEventListener("end", (ev) => {
    events.close();
    const end = JSON.parse(ev.data);
    stop.hidden = true;
    if (end.status === "stopped" || end.status === "failed") {
      setStatus(end.status); resume.hidden = false;
      if (job && job.output.length) log.textContent += job.output.slice(-5).join("\n") + "\n";
    }
  });
  stop.addEventListener("click", async () => {
    if (job) await post(`/api/jobs/${job.id}/stop`);
  });
  resume.addEventListener("click", () => resumeRun(resume.dataset.run));
}

async function resumeRun(run) {
  const r = await post("/api/resume", {run});
  if (!r.ok) { alert(r.data.error); return; }
  watchJob(r.data.id, document.getElementById("run-status") || el("span"));
  location.href = `/r/${encodeURI(run)}`;
}

// ---- the runs page: filters, compare, stop and resume
function runsPage() {
  document.getElementById("compare-button").addEventListener("click", () => {
    const picked = [...document.querySelectorAll(".pick:checked")].map((c) => c.value);
    if (picked.length < 2) { alert("tick two or more runs to compare"); return; }
    location.href = "/compare?" + picked.map((r) => "run=" + encodeURIComponent(r)).join("&");
  });
  document.querySelectorAll("button.resume").forEach((b) =>
    b.addEventListener("click", () => resumeRun(b.dataset.run)));
  document.querySelectorAll("button.stop").forEach((b) =>
    b.addEventListener("click", async () => {
      await post(`/api/jobs/${b.dataset.job}/stop`); location.reload();
    }));
}

async function comparePage() {
  const charts = new Charts(document.getElementById("charts"));
  for (const run of DATA.runs) {
    const rows = await (await fetch(`/api/metrics/${encodeURI(run)}`)).json();
    charts.add(rows, run.split("/").slice(-2).join("/"));
  }
}

// ---- the catalogue: a search box; an experiment is shown when its card has every word typed
function cataloguePage() {
  const search = document.getElementById("search");
  const count = document.getElementById("search-count");
  const cards = [...document.querySelectorAll(".card.exp")];
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const card of cards) {
      const hit = words.every((w) => card.dataset.search.includes(w));
      card.hidden = !hit;
      shown += hit;
    }
    document.querySelectorAll("section.family").forEach((s) => {
      s.hidden = !s.querySelector(".card.exp:not([hidden])");
    });
    count.textContent = words.length ? `${shown} of ${cards.length}` : "";
    document.getElementById("search-none").hidden = shown > 0;
  };
  search.addEventListener("input", filter);
  if (search.value) filter();  // a value the browser restored
}

({catalogue: cataloguePage, experiment: experimentPage, run: runPage, runs: runsPage, compare: comparePage}[PAGE]
  || (() => {}))();
