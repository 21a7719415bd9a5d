"""What `nnzoo serve` costs: its start, the live view's latency, and pages following a run.

    python benchmarks/serve_latency.py [--lines 40] [--seconds 20] [--pages 10]

1. start: from spawning `nnzoo serve --port 0` to the first answer of its catalogue page
   (goal < 1 s; it imports no torch), and the server's CPU time by then;
2. latency: a run folder's metrics.jsonl gets a line every 0.25 s, each stamped with the
   time it is written; a live view's event stream reports when each arrives (goal < 1 s);
3. pages: the server's CPU time per second while 0, 1 and `--pages` live views follow one
   run that writes 10 metrics lines and 2 log lines a second.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RUN = "perceptron/bench-s0"


def cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of process `pid` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(runs: Path) -> tuple[subprocess.Popen, int, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "nnzoo", "serve", "--port", "0", "--runs",
                             str(runs)], stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline().split()[3].rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/")
    assert conn.getresponse().status == 200
    return proc, port, time.perf_counter() - t0


def follow(port: int, arrivals: list, stop: threading.Event) -> None:
    """A live view: read the run's event stream, noting each metrics line's arrival."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/api/events/{RUN}")
    response = conn.getresponse()
    event = None
    while not stop.is_set():
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "metrics":
            now = time.time()
            arrivals += [(row["written"], now) for row in json.loads(line[6:])]
    conn.close()


def write_lines(folder: Path, n: int, every: float, log_every: int = 0) -> None:
    for i in range(n):
        with open(folder / "metrics.jsonl", "a") as f:
            f.write(json.dumps({"step": i, "loss": 1 / (i + 1), "written": time.time()}) + "\n")
        if log_every and i % log_every == 0:
            with open(folder / "log.txt", "a") as f:
                f.write(f"step {i}\n")
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        folder = runs / RUN
        (folder / "figures").mkdir(parents=True)
        (folder / "config.json").write_text('{"experiment": "perceptron", "seed": 0}')
        proc, port, started = start_server(runs)
        print(f"start: first page after {started:.2f} s wall; server CPU "
              f"{cpu_seconds(proc.pid):.2f} s (goal < 1 s)")
        try:
            arrivals: list = []
            stop = threading.Event()
            threading.Thread(target=follow, args=(port, arrivals, stop), daemon=True).start()
            time.sleep(1)
            write_lines(folder, args.lines, 0.25)
            time.sleep(1)
            stop.set()
            lags = [got - written for written, got in arrivals if written > 0]
            print(f"latency: {len(lags)} lines, median {statistics.median(lags) * 1000:.0f} ms,"
                  f" max {max(lags) * 1000:.0f} ms from written to received (goal < 1 s)")
            for pages in (0, 1, args.pages):
                stop = threading.Event()
                for _ in range(pages):
                    threading.Thread(target=follow, args=(port, [], stop), daemon=True).start()
                time.sleep(1)
                cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
                write_lines(folder, int(args.seconds * 10), 0.1, log_every=5)
                cpu = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - t0)
                stop.set()
                print(f"pages: {pages:2d} following one run: server CPU {cpu * 100:.1f}% of "
                      "one core")
                time.sleep(1)
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
