"""`nnzoo sweep`: runs equal to the same runs made one by one, an interrupted sweep resumed
to the same table, bad input refused before anything starts, the table's statistics."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnzoo import registry, sweeps
from nnzoo.cli import main
from nnzoo.runs import Run

SWEEP = ["perceptron", "--smoke", "--seeds", "0-2"]  # about a second of work per run


def only_sweep(out: Path) -> Path:
    (directory,) = (out / "perceptron").glob("sweep-*")
    return directory


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A sweep over 3 seeds with 2 jobs, and the same 3 runs made one by one."""
    out = tmp_path_factory.mktemp("sweep")
    assert main(["sweep", *SWEEP, "--jobs", "2", "--quiet", "--out", str(out / "swept")]) == 0
    exp = registry.get("perceptron")
    alone = {seed: Run.create(exp, exp.make_config(smoke=True), out / "alone", seed=seed,
                              device="cpu", smoke=True, quiet=True).execute()
             for seed in (0, 1, 2)}
    return only_sweep(out / "swept"), alone


def test_a_sweep_gives_the_numbers_of_its_runs_made_one_by_one(reference, capsys):
    directory, alone = reference
    table = json.loads((directory / "sweep.json").read_text())
    (combo,) = table["combinations"]
    assert [p["seed"] for p in combo["seeds"]] == [0, 1, 2] and table["unfinished"] == []
    for seed, single in alone.items():
        run_dir = directory / f"s{seed}"
        swept = json.loads((run_dir / "summary.json").read_text())
        assert swept["seed"] == seed and swept["metrics"] == single["metrics"]
        assert swept["status"] == single["status"] and swept["headline"] == single["headline"]
        config = json.loads((run_dir / "config.json").read_text())
        assert config["experiment"] == "perceptron" and config["smoke"] is True
        assert "SMOKE OK  perceptron" in (run_dir / "log.txt").read_text()  # the verdict kept
    assert combo["smoke_ok"] == 3 and combo["passed"] == 0  # smoke runs: not judged
    assert sweeps.pass_rate_text(table) == "3/3 SMOKE OK at seeds 0-2"
    epochs = [alone[s]["metrics"]["epochs"] for s in (0, 1, 2)]
    assert combo["metrics"]["epochs"]["min"] == min(epochs) and table["metric"] == "epochs"
    assert (directory / "sweep.png").stat().st_size > 0


def sweep_processes(directory: Path) -> list[int]:
    """The processes whose command line names `directory` (the runs of that sweep)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(directory).encode() in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def wait_for(condition, timeout=120.0):
    end = time.time() + timeout
    while not condition():
        assert time.time() < end, "timed out"
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the runs' processes in /proc")
def test_a_killed_run_and_an_interrupted_sweep_resume_to_the_same_table(reference, tmp_path):
    out = tmp_path / "runs"
    env = {**os.environ, "PYTHONPATH": str(Path(sweeps.__file__).parents[1])}
    parent = subprocess.Popen([sys.executable, "-m", "nnzoo", "sweep", *SWEEP, "--jobs", "1",
                               "--out", str(out)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    wait_for(lambda: list(out.glob("perceptron/sweep-*/s0/config.json")))
    directory = only_sweep(out)
    for pid in sweep_processes(directory / "s0"):
        os.kill(pid, signal.SIGKILL)  # a run dies mid-way: the sweep goes on without it
    wait_for(lambda: (directory / "s1" / "summary.json").exists()
             and (directory / "s2").exists())
    parent.send_signal(signal.SIGINT)  # then the sweep is interrupted, as s2 starts (a run
    # needs more than a second to import torch: s2 cannot have finished on a loaded machine)
    stdout, stderr = parent.communicate(timeout=120)
    assert parent.returncode == 130, stderr
    assert f"nnzoo sweep --resume {directory}" in stderr and "Traceback" not in stderr
    assert sweep_processes(directory) == []  # no run is left behind
    assert not (directory / "sweep.json").exists()
    finished = [r for r in ("s0", "s1", "s2") if (directory / r / "summary.json").exists()]
    assert "s1" in finished and len(finished) < 3  # the resume has work to do

    assert main(["sweep", "--resume", str(directory), "--quiet"]) == 0
    resumed = json.loads((directory / "sweep.json").read_text())
    expected = json.loads((reference[0] / "sweep.json").read_text())
    assert resumed["combinations"] == expected["combinations"]


class _StartedRun:
    """Stands in for a run's process: records what the sweep does to it."""

    def __init__(self):
        self.signals, self.waited, self.returncode = [], False, None

    def poll(self):
        return None

    def send_signal(self, signum):
        self.signals.append(signum)

    def wait(self, timeout=None):
        self.waited = True
        return 130


def test_a_stop_while_a_run_starts_still_stops_that_run(tmp_path, monkeypatch):
    # the handler can run inside Popen after the fork (when another thread took the signal):
    # the run just started must be recorded, then interrupted and waited for
    from nnzoo.cli import sweep as cli_sweep

    started = []

    def launch(run_dir, task):
        cli_sweep._interrupt(signal.SIGINT, None)  # Ctrl-C arrives mid-launch
        started.append(_StartedRun())
        return started[-1]

    monkeypatch.setattr(cli_sweep, "_launch", launch)
    plan = {"combinations": [{"values": {}}]}
    todo = [{"combo": 0, "folder": "s0", "seed": 0}, {"combo": 0, "folder": "s1", "seed": 1}]
    with pytest.raises(KeyboardInterrupt):
        cli_sweep._pool(plan, tmp_path, todo, 2, {}, lambda r, code: None)
    assert len(started) == 1  # nothing more starts after the stop
    assert started[0].signals == [signal.SIGINT] and started[0].waited


def test_resuming_checks_the_plan_and_keeps_finished_runs(reference, capsys):
    directory = reference[0]
    before = (directory / "s0" / "summary.json").read_text()
    assert main(["sweep", *SWEEP, "--resume", str(directory), "--quiet"]) == 0  # nothing to do
    assert (directory / "s0" / "summary.json").read_text() == before
    assert "0/3" not in capsys.readouterr().out
    assert main(["sweep", "perceptron", "--smoke", "--seeds", "0-4", "--resume",
                 str(directory)]) == 2
    assert "is another sweep (its seeds: [0, 1, 2] there, [0, 1, 2, 3, 4] here)" in \
        capsys.readouterr().err
    assert main(["sweep", "--resume", str(directory), "--seeds", "0-1"]) == 2
    assert "drop --seeds" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--seeds", "5-2"], "expected --seeds ranges to go up (e.g. 2-5), got '5-2'"),
    (["--seeds", "x"], "expected --seeds to be a range or list of seeds such as 0-9"),
    (["--seeds", ""], "expected --seeds to be a range or list of seeds"),
    (["--seeds", "-3"], "expected --seeds to be a range or list of seeds"),
    (["--seeds", "0-2,1"], "names seed 1 twice"),
    (["--lr", "0.1,-1"], "expected --lr to be a number > 0, got -1"),
    (["--lr", "0.1,,1"], "expected --lr to be a number > 0, got ''"),
    (["--lr", "1,1.0"], "names 1.0 twice"),
    (["--task", "and,xr"], "(did you mean xor"),
    (["--hidden", "2"], "has no option --hidden"),
    (["--seed", "2"], "has no option --seed (did you mean --seeds"),
    (["--jobs", "0"], "expected --jobs to be an integer >= 1, got 0"),
    (["--device", "gpu"], "expected --device to be one of auto, cpu"),
])
def test_bad_input_is_one_line_exit_2_before_anything_starts(args, message, runs_dir, capsys):
    assert main(["sweep", "perceptron", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not runs_dir.exists()


def test_every_combination_is_checked_by_the_configs_own_checks(runs_dir, capsys):
    # --dropout 0 is in range for the option, refused by the config's cross-field check
    assert main(["sweep", "dropout", "--dropout", "0.5,0", "--seeds", "0-9"]) == 2
    assert "expected --dropout above 0" in capsys.readouterr().err
    assert not runs_dir.exists()


def test_seeds_and_the_plan():
    assert sweeps.parse_seeds("0-3,7, 9") == [0, 1, 2, 3, 7, 9]
    assert sweeps.seeds_text([0, 1, 2, 3]) == "0-3" and sweeps.seeds_text([0, 3]) == "0,3"
    plan = sweeps.make_plan(registry.get("perceptron"),
                            {"task": ["and", "xor"], "lr": [0.5], "shuffle": [True]}, [4, 5],
                            smoke=True, device="cpu")
    assert [r["folder"] for r in plan["runs"]] == ["task=and-s4", "task=and-s5",
                                                   "task=xor-s4", "task=xor-s5"]
    assert plan["combinations"][1] == {"label": "--task xor",
                                       "values": {"task": "xor", "lr": 0.5, "shuffle": True}}


def fake_run(directory: Path, status: str, **metrics):
    directory.mkdir(parents=True)
    (directory / "summary.json").write_text(json.dumps({"status": status, "metrics": metrics}))


def test_the_tables_statistics_by_hand(tmp_path):
    plan = {"experiment": "x", "seeds": [0, 1, 2], "smoke": False, "grid": {"lr": [1.0, 2.0]},
            "combinations": [{"label": "--lr 1.0", "values": {"lr": 1.0}},
                             {"label": "--lr 2.0", "values": {"lr": 2.0}}],
            "runs": [{"folder": f"lr={lr}-s{s}", "combo": k, "seed": s}
                     for k, lr in enumerate((1.0, 2.0)) for s in (0, 1, 2)]}
    fake_run(tmp_path / "lr=1.0-s0", "PASS", task="and", accuracy=0.5, solved=True, w=[1, 2])
    fake_run(tmp_path / "lr=1.0-s1", "FAIL", task="and", accuracy=1.0, solved=False, w=[1, 2])
    fake_run(tmp_path / "lr=1.0-s2", "PASS", task="and", accuracy=0.9, solved=True, w=[1, 2])
    fake_run(tmp_path / "lr=2.0-s0", "DIVERGED")  # no metrics; s1 and s2 never finished
    table = sweeps.summarise(tmp_path, plan)
    one, two = table["combinations"]
    assert table["metric"] == "accuracy"  # the first numeric metric; flags and texts are not
    assert (one["passed"], one["finished"], one["pass_rate"]) == (2, 3, pytest.approx(2 / 3))
    # mean (0.5 + 1 + 0.9) / 3 = 0.8; sample variance ((-0.3)^2 + 0.2^2 + 0.1^2) / 2 = 0.07
    assert one["metrics"] == {"accuracy": {"n": 3, "mean": pytest.approx(0.8),
                                           "std": pytest.approx(0.07 ** 0.5), "min": 0.5,
                                           "max": 1.0}}
    assert [p["value"] for p in one["seeds"]] == [0.5, 1.0, 0.9]
    assert (two["passed"], two["finished"], two["pass_rate"], two["metrics"]) == (0, 1, 0.0, {})
    assert table["unfinished"] == ["lr=2.0-s1", "lr=2.0-s2"]
    assert sweeps.pass_rate_text(table) == \
        "2/4 PASS over 2 option combinations x seeds 0-2 (2 unfinished)"
    assert sweeps.spread([3.0])["std"] is None  # one value has no sample spread


def test_a_count_is_drawn_on_whole_number_ticks(tmp_path):
    from nnzoo.viz.sweep import seeds_figure

    plan = {"experiment": "x", "seeds": [0, 1, 2], "smoke": False, "grid": {},
            "combinations": [{"label": "defaults", "values": {}}],
            "runs": [{"folder": f"s{s}", "combo": 0, "seed": s} for s in (0, 1, 2)]}
    for s, epochs in enumerate((9, 10, 10)):
        fake_run(tmp_path / f"s{s}", "PASS", epochs=epochs)
    table = sweeps.summarise(tmp_path, plan)
    ticks = seeds_figure(table, sweeps.verdicts(table)).axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
    for s in range(3):  # all alike (5 gates of 5 at every seed): still whole numbers
        fake_run(tmp_path / "alike" / f"s{s}", "PASS", gates=5)
    alike = sweeps.summarise(tmp_path / "alike", plan)
    ticks = seeds_figure(alike, sweeps.verdicts(alike)).axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
    for s, x in enumerate((0.9, 1.0, 1.0)):  # a fraction keeps its decimal ticks
        (tmp_path / f"s{s}" / "summary.json").write_text(json.dumps(
            {"status": "PASS", "metrics": {"accuracy": x}}))
    table = sweeps.summarise(tmp_path, plan)
    ticks = seeds_figure(table, sweeps.verdicts(table)).axes[0].get_yticks()
    assert not all(float(t).is_integer() for t in ticks), ticks


def test_the_report_shows_the_latest_sweeps_pass_rate_beside_the_verdict(reference, capsys):
    directory, _ = reference
    root = directory.parent.parent
    assert main(["run", "perceptron", "--smoke", "--quiet", "--out", str(root)]) == 0
    assert main(["report", str(root)]) == 0
    page = (root / "index.html").read_text()
    table = json.loads((directory / "sweep.json").read_text())
    card = page[page.index('id="perceptron"'):page.index("<h2>Sweeps</h2>")]
    assert f"latest sweep (smoke):</b> {sweeps.pass_rate_text(table)}" in card
    assert f'id="sweep-perceptron/{directory.name}"' in page
    assert f"perceptron/{directory.name}/sweep.png" in page
