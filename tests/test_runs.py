import json

import pytest

from nnzoo import registry
from nnzoo.cli import main
from nnzoo.errors import Diverged, UserError
from nnzoo.runs import Run

XOR_SMALL = {"runs": 4, "epochs": 400}


def xor_run(runs_dir, **kw):
    exp = registry.get("xor-backprop")
    return Run.create(exp, exp.make_config(XOR_SMALL), runs_dir, seed=7, device="cpu", **kw)


def test_run_folder_layout(runs_dir):
    run = xor_run(runs_dir)
    summary = run.execute()
    names = {p.name for p in run.dir.iterdir()}
    assert {"config.json", "metrics.jsonl", "summary.json", "figures", "checkpoints",
            "log.txt"} <= names
    assert summary["figures"] == ["decision.png", "hinton.png", "loss.png"]
    for key in ("claim", "expects", "status", "metrics", "wall_time_s", "versions", "device"):
        assert key in summary
    import torch

    assert summary["versions"]["torch"] == torch.__version__
    lines = (run.dir / "metrics.jsonl").read_text().splitlines()
    assert all("step" in json.loads(line) and "loss" in json.loads(line) for line in lines)
    assert not list((run.dir / "checkpoints").glob(".*tmp*"))  # no temp file left behind


def test_a_new_run_folder_has_every_file_the_readme_lists(runs_dir):
    """Even a run without a training loop (hopfield-recall) or one stopped before it printed
    has its metrics.jsonl and log.txt (empty), checkpoints/ and figures/."""
    exp = registry.get("hopfield-recall")
    run = Run.create(exp, exp.make_config(), runs_dir, seed=0, device="cpu")
    assert {p.name for p in run.dir.iterdir()} == {"config.json", "metrics.jsonl", "log.txt",
                                                   "figures", "checkpoints", "run.lock"}
    assert (run.dir / "metrics.jsonl").read_text() == (run.dir / "log.txt").read_text() == ""
    run.execute()
    assert not (run.dir / "run.lock").exists() and (run.dir / "summary.json").exists()


def test_saved_weights_are_replaced_atomically_and_load_with_weights_only(runs_dir):
    import torch

    run = xor_run(runs_dir)
    run.save_weights("best", {"step": 1, "q": {"w": torch.zeros(2)}})
    path = run.save_weights("best", {"step": 2, "q": {"w": torch.ones(2)}})
    assert path == run.dir / "checkpoints" / "best.pt"
    state = torch.load(path, weights_only=True)
    assert state["step"] == 2 and torch.equal(state["q"]["w"], torch.ones(2))
    assert not list((run.dir / "checkpoints").glob(".*tmp*"))


def test_resume_after_interruption_equals_uninterrupted_run(runs_dir, monkeypatch):
    whole = xor_run(runs_dir / "a").execute()

    calls = {"n": 0}
    real_checkpoint = Run.checkpoint

    def checkpoint_then_die(self):
        real_checkpoint(self)
        calls["n"] += 1
        if calls["n"] == 2:
            self.log_metrics(999, loss=123.0)  # logged after the checkpoint: must vanish
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", checkpoint_then_die)
    run = xor_run(runs_dir / "b")
    with pytest.raises(KeyboardInterrupt):
        run.execute()
    monkeypatch.setattr(Run, "checkpoint", real_checkpoint)
    assert not (run.dir / "summary.json").exists()

    resumed = Run.reopen(run.dir).execute()
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert resumed["headline"] == whole["headline"]
    a = (runs_dir / "a").glob("xor-backprop/*/metrics.jsonl")
    assert (run.dir / "metrics.jsonl").read_text() == next(a).read_text()


def test_cli_resume_of_an_interrupted_run(runs_dir, monkeypatch, capsys):
    real_checkpoint = Run.checkpoint

    def die(self):
        real_checkpoint(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die)
    assert main(["run", "xor-backprop", "--runs", "3", "--epochs", "200", "--quiet"]) == 130
    err = capsys.readouterr().err
    assert "interrupted; continue with: nnzoo run --resume" in err
    run_dir = err.strip().split("--resume ")[1]
    monkeypatch.setattr(Run, "checkpoint", real_checkpoint)
    assert main(["run", "--resume", run_dir]) in (0, 1)
    out = capsys.readouterr().out
    assert out.startswith("resuming xor-backprop") and "runs reached" in out


def test_divergence_guard_stops_and_keeps_last_good_checkpoint(runs_dir, monkeypatch, capsys):
    from nnzoo.nn import LOSSES

    real = LOSSES["cross-entropy"]
    real_checkpoint = Run.checkpoint
    broken = {"on": False}

    def checkpoint(self):
        real_checkpoint(self)
        broken["on"] = True  # after the first run is saved, the loss goes bad

    monkeypatch.setattr(Run, "checkpoint", checkpoint)
    monkeypatch.setitem(LOSSES, "cross-entropy",
                        lambda z, t: real(z, t) * (float("nan") if broken["on"] else 1.0))
    assert main(["run", "xor-backprop", "--runs", "3", "--epochs", "200", "--quiet"]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "the loss became non-finite at step 0 (last finite loss" in err
    assert "lower the learning rate" in err and "last good checkpoint is" in err
    run_dir = next(runs_dir.glob("xor-backprop/*"))
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "DIVERGED"
    assert "DIVERGED: the loss became non-finite" in (run_dir / "log.txt").read_text()
    import torch

    kept = torch.load(run_dir / "checkpoints" / "last.pt", weights_only=True)
    assert len(kept["parts"]["parts"]) == 1
    with pytest.raises(UserError, match="the run is finished"):  # its verdict is DIVERGED
        Run.reopen(run_dir)


def test_guard_reports_step_and_last_finite_loss(runs_dir):
    run = xor_run(runs_dir)
    run.check_loss(1.0, 0)
    run.check_loss(0.5, 1)
    with pytest.raises(Diverged) as e:
        run.check_loss(float("inf"), 2)
    assert e.value.step == 2 and e.value.last_finite == 0.5


def test_seeds_make_runs_repeatable(runs_dir):
    a, b = xor_run(runs_dir / "a").execute(), xor_run(runs_dir / "b").execute()
    assert a["metrics"] == b["metrics"]


def test_unknown_device_is_a_user_error(runs_dir):
    import torch

    from nnzoo.errors import UserError
    from nnzoo.runs import resolve_device

    assert resolve_device("cpu") == torch.device("cpu")
    if not torch.cuda.is_available():
        with pytest.raises(UserError, match="no CUDA GPU"):
            resolve_device("cuda")
