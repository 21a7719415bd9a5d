"""Running registered experiments in tests: a whole run, and a run killed after one of its
checkpoints and resumed from its folder."""

from nnzoo import registry
from nnzoo.runs import Run


def execute(name, runs_dir, smoke=False, **values):
    """Run `name` at seed 0 on the CPU with `values`; -> (the Run, its summary)."""
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values, smoke=smoke), runs_dir, seed=0, device="cpu",
                     smoke=smoke)
    return run, run.execute()


def interrupted_then_resumed(name, runs_dir, monkeypatch, kill_at, smoke=False, **values):
    """Run `name` until its checkpoint number `kill_at`, 'kill' it there, resume it from its
    folder; -> (the resumed Run, its summary), or None when the run ended before that
    checkpoint."""
    real, calls = Run.checkpoint, {"n": 0}

    def die_after_checkpoint(self):
        real(self)
        calls["n"] += 1
        if calls["n"] == kill_at:
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die_after_checkpoint)
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values, smoke=smoke), runs_dir, seed=0, device="cpu",
                     smoke=smoke)
    try:
        run.execute()
        return None
    except KeyboardInterrupt:
        pass
    finally:
        monkeypatch.setattr(Run, "checkpoint", real)
    resumed = Run.reopen(run.dir)
    return resumed, resumed.execute()


