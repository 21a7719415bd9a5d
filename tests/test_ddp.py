"""Data-parallel training (nnzoo.distributed, nnzoo.launch): two processes with gloo on this
CPU train to the weights of one process, `--nproc 2` writes one run folder and resumes,
and an experiment that cannot says so in one line.

Each launch starts Python processes that import torch (seconds each), so the launches are
few: one torchrun of a small network (the weights), one `nnzoo run mnist-cnn --nproc 2
--smoke`, and one interrupted and resumed `--nproc 2` run of mnist-linear."""

import json
import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from nnzoo.cli import main
from nnzoo.distributed import share
from nnzoo.launch import strip_nproc
from nnzoo.registry import get
from nnzoo.runs import Run

SRC = str(Path(__file__).resolve().parents[1] / "src")

# Trains a small network by nnzoo.training.supervised.fit; run under torchrun it trains
# data-parallel (fit sees the process group) and rank 0 saves what it got.
TRAIN = textwrap.dedent('''
    import sys
    import torch
    import torch.nn.functional as F
    from torch import nn
    from nnzoo.errors import UserError
    from nnzoo.training.supervised import Data, fit

    def train(dtype, optimizer):
        g = torch.Generator().manual_seed(0)
        X = torch.randn(50, 5, generator=g, dtype=dtype)  # (50, 5): batches of 7, last of 1
        y = torch.randint(0, 3, (50,), generator=g)
        model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).to(dtype)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(0.5 * torch.randn(p.shape, generator=g, dtype=dtype))
        opt = optimizer(model.parameters())
        decay = lambda: 1e-3 * sum((p ** 2).sum() for p in model.parameters())
        h = fit(model, opt, F.cross_entropy, Data(X, y), epochs=4, batch_size=7,
                regularizer=decay, rng=torch.Generator().manual_seed(1))
        return {"weights": {k: v.clone() for k, v in model.state_dict().items()},
                "loss": h.series("loss")}

    def sum_loss_refused():
        model = nn.Linear(5, 3)
        try:
            fit(model, torch.optim.SGD(model.parameters(), lr=0.1),
                lambda out, y: F.cross_entropy(out, y, reduction="sum"),
                Data(torch.zeros(8, 5), torch.zeros(8, dtype=torch.long)), epochs=1)
        except UserError as e:
            return str(e)
        return None

    def both():
        return {"float64": train(torch.float64, lambda p: torch.optim.SGD(p, lr=0.1,
                                                                          momentum=0.9)),
                "float32": train(torch.float32, lambda p: torch.optim.Adam(p, lr=0.01))}

    if __name__ == "__main__":
        from nnzoo.launch import start
        import torch.distributed as dist

        start()  # as `nnzoo run` does inside a launch: join the process group
        got = both()
        got["sum_loss"] = sum_loss_refused()
        got["world"] = dist.get_world_size()
        if dist.get_rank() == 0:
            torch.save(got, sys.argv[1])
''')


def _env():
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def torchrun(script: Path, *args: str, nproc: int = 2):
    """`torchrun --standalone --nproc-per-node N script ARGS` (torch.distributed.run)."""
    return subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone",
                           f"--nproc-per-node={nproc}", str(script), *args],
                          capture_output=True, text=True, timeout=600, env=_env())


def nnzoo(*args: str):
    return subprocess.run([sys.executable, "-m", "nnzoo", *args], capture_output=True,
                          text=True, timeout=600, env=_env())


def test_two_processes_train_to_the_weights_of_one(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(TRAIN)
    out = torchrun(script, str(tmp_path / "got.pt"))
    assert out.returncode == 0, out.stderr[-3000:]
    got = torch.load(tmp_path / "got.pt", weights_only=True)
    assert got["world"] == 2
    one = runpy.run_path(str(script))["both"]()  # the same training in this one process
    # float64: the same sums in another order agree to rounding; float32 (Adam, whose
    # update divides by sqrt(v)) after 32 steps to 1e-5
    for dtype, tol in (("float64", 1e-12), ("float32", 1e-5)):
        for name, w in one[dtype]["weights"].items():
            torch.testing.assert_close(got[dtype]["weights"][name], w, rtol=tol, atol=tol)
        assert got[dtype]["loss"] == pytest.approx(one[dtype]["loss"], rel=tol, abs=tol)
    assert "mean over the mini-batch's rows" in got["sum_loss"]


def test_share_weights_make_the_global_mean():
    values = torch.randn(9, dtype=torch.float64)
    for B in range(1, 10):
        for N in (1, 2, 3, 4):
            rows = torch.arange(B)
            shares = [share(rows, r, N) for r in range(N)]
            taken = sorted(int(i) for idx, w in shares if w > 0 for i in idx)
            assert taken == list(range(B))  # every row once
            mean = sum(w * values[idx].mean() for idx, w in shares) / N  # DDP's average
            assert float(mean) == pytest.approx(float(values[:B].mean()), abs=1e-12)


def test_nproc_smoke_of_a_cnn_writes_one_run_folder(tmp_path):
    out = nnzoo("run", "mnist-cnn", "--nproc", "2", "--smoke", "--quiet", "--out",
                str(tmp_path))
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.count("mnist-cnn: ") == 1  # rank 0's verdict only
    folders = list((tmp_path / "mnist-cnn").iterdir())
    assert len(folders) == 1 and list(tmp_path.iterdir()) == [tmp_path / "mnist-cnn"]
    run = folders[0]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "SMOKE OK" and summary["figures"]  # a smoke run: not judged
    lines = (run / "metrics.jsonl").read_text().splitlines()
    assert len(lines) == 1 + 5 + 8  # NetConv 1 epoch, NetLin 5, NetFull 8: written once
    assert (run / "checkpoints" / "last.pt").exists()


def test_interrupted_nproc_run_resumes_to_the_one_process_numbers(tmp_path, runs_dir):
    script = tmp_path / "interrupted.py"
    script.write_text(textwrap.dedent(f'''
        from nnzoo.cli import main
        from nnzoo.runs import Run

        real, calls = Run.checkpoint, [0]

        def die_after_second(self):  # on every rank: they checkpoint at the same points
            real(self)
            calls[0] += 1
            if calls[0] == 2:
                raise KeyboardInterrupt

        Run.checkpoint = die_after_second
        assert main(["run", "mnist-linear", "--smoke", "--epochs", "4", "--quiet",
                     "--out", {str(tmp_path / "ddp")!r}]) == 130
    '''))
    out = torchrun(script)
    assert out.returncode == 0, out.stderr[-3000:]
    (folder,) = (tmp_path / "ddp" / "mnist-linear").iterdir()
    assert len((folder / "metrics.jsonl").read_text().splitlines()) == 2
    assert not (folder / "summary.json").exists()
    resumed = nnzoo("run", "--resume", str(folder), "--nproc", "2", "--quiet")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    exp = get("mnist-linear")  # the same run in this one process
    one_run = Run.create(exp, exp.make_config({"epochs": 4}, smoke=True), runs_dir, seed=0,
                         device="cpu", smoke=True)
    one = one_run.execute()
    got = json.loads((folder / "summary.json").read_text())
    assert got["resumed"] and got["headline"] == one["headline"]
    lines = [json.loads(x) for x in (folder / "metrics.jsonl").read_text().splitlines()]
    ref = [json.loads(x) for x in (one_run.dir / "metrics.jsonl").read_text().splitlines()]
    assert [x["step"] for x in lines] == [1, 2, 3, 4]
    for a, b in zip(lines, ref, strict=True):
        assert a == pytest.approx(b, rel=1e-5)


def test_an_experiment_outside_fit_says_so_in_one_line(capsys):
    assert main(["run", "perceptron", "--nproc", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "perceptron cannot train data-parallel" in err
    assert "mnist-cnn" in err  # it names the experiments that can
    assert main(["run", "mnist-cnn", "--nproc", "0"]) == 2
    assert "--nproc takes a number of processes >= 1" in capsys.readouterr().err


def test_strip_nproc_leaves_the_rest_of_the_command():
    assert strip_nproc(["mnist-cnn", "--nproc", "2", "--smoke"]) == ["mnist-cnn", "--smoke"]
    assert strip_nproc(["--resume", "d", "--nproc=3"]) == ["--resume", "d"]
