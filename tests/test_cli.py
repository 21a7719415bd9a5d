import json
import subprocess
import sys

import pytest

from nnzoo.cli import catalogue_markdown, main


def nnzoo(*args, cwd=None):
    """Run the real command in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "nnzoo", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_list_show_and_help_do_not_import_torch():
    code = ("import sys; from nnzoo.cli import main; main(['list']);"
            " main(['show', 'xor-backprop']); main(['run', 'perceptron', '--help']);"
            " main(['list', '--markdown']);"
            " heavy = {'torch', 'numpy', 'matplotlib'} & set(sys.modules);"
            " assert not heavy, heavy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_list_groups_by_family_with_kind_claim_and_expectation(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Neurons and perceptrons" in out
    for name in ("logic-gates", "perceptron", "xor-backprop"):
        assert name in out
    assert "supervised learning" in out and "expects:" in out


def test_show_lists_options_with_type_default_and_help(capsys):
    assert main(["show", "xor-backprop"]) == 0
    out = capsys.readouterr().out
    assert "--loss {sse|cross-entropy}   (default cross-entropy)" in out
    assert "--momentum NUMBER >= 0 AND < 1   (default 0.95)" in out
    assert "Momentum alpha in delta_w" in out
    assert main(["run", "perceptron", "--help"]) == 0
    assert "--shuffle/--no-shuffle" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["run", "perceptrn"], "no experiment called 'perceptrn' (did you mean perceptron"),
    (["show", "xor-backprp"], "(did you mean xor-backprop"),
    (["run", "perceptron", "--max-epoch", "3"], "has no option --max-epoch (did you mean "
                                                "--max-epochs"),
    (["run", "perceptron", "--lr", "fast"], "expected --lr to be a number > 0, got 'fast'"),
    (["run", "perceptron", "--lr", "-1"], "expected --lr to be a number > 0, got -1"),
    (["run", "perceptron", "--task", "xr"], "(did you mean xor"),
    (["run", "perceptron", "--seed", "-3"], "expected --seed to be an integer >= 0"),
    (["run", "perceptron", "--device", "gpu"], "expected --device to be one of auto, cpu"),
    (["run", "perceptron", "--lr"], "--lr needs a value"),
    (["run", "--resume", "no/such/run"], "cannot resume no/such/run: it has no config.json"),
    (["rn"], "no command 'rn' (did you mean run?)"),
    (["tour", "--only", "nueron"], "no family called 'nueron' (did you mean neuron?)"),
])
def test_user_errors_are_one_line_exit_2_no_traceback(args, message, tmp_path):
    out = nnzoo(*args, cwd=tmp_path)
    assert out.returncode == 2, out
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "runs").exists() or "resume" in args[1:]


def test_unreadable_resume_folder(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    out = nnzoo("run", "--resume", str(tmp_path))
    assert out.returncode == 2 and "config.json is unreadable" in out.stderr
    assert "Traceback" not in out.stderr


def test_corrupt_checkpoint_is_refused_without_running_it(runs_dir, capsys):
    assert main(["run", "xor-backprop", "--smoke", "--quiet"]) == 0
    run_dir = next(runs_dir.glob("xor-backprop/*"))
    (run_dir / "checkpoints" / "last.pt").write_bytes(b"\x80\x04cos\nsystem\n.")
    assert main(["run", "--resume", str(run_dir)]) == 2
    assert "checkpoint is unreadable" in capsys.readouterr().err


def test_run_prints_verdict_and_writes_run_folder(runs_dir, capsys):
    assert main(["run", "perceptron", "--task", "and", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "PASS  perceptron: converged after" in out
    (run_dir,) = runs_dir.glob("perceptron/*-s3")
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "PASS" and summary["seed"] == 3
    assert json.loads((run_dir / "config.json").read_text())["config"]["task"] == "and"
    assert "converged after" in (run_dir / "log.txt").read_text()


def test_fail_exits_1(runs_dir, capsys):
    # one epoch is too few for the perceptron to separate 100 points: the claim fails
    assert main(["run", "perceptron", "--max-epochs", "1", "--quiet"]) == 1
    assert "FAIL  perceptron" in capsys.readouterr().out


def test_resume_refuses_new_options(runs_dir, capsys):
    assert main(["run", "perceptron", "--smoke", "--quiet"]) == 0
    run_dir = next(runs_dir.glob("perceptron/*"))
    assert main(["run", "--resume", str(run_dir), "--seed", "4"]) == 2
    assert "drop --seed" in capsys.readouterr().err


def test_readme_catalogue_matches_registry():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = readme.split("<!-- catalogue:start -->\n")[1].split("\n<!-- catalogue:end -->")[0]
    assert block == catalogue_markdown(), "README catalogue is stale: paste `nnzoo list --markdown`"
