"""The Python face (nnzoo.run, resume, experiments, show, load_run): the CLI's code path, its
run folder and its messages, results that display themselves."""

import json
import subprocess
import sys
import types

import pytest

import nnzoo
from nnzoo import registry
from nnzoo.cli import main
from nnzoo.errors import UserError


def test_import_nnzoo_does_not_import_torch():
    code = ("import sys, nnzoo; nnzoo.experiments(); repr(nnzoo.show('twin-spirals'));"
            " heavy = {'torch', 'numpy', 'matplotlib'} & set(sys.modules);"
            " assert not heavy, heavy; assert callable(nnzoo.experiments)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def folder(run_dir):
    """A run folder's files and contents, less what differs between two runs of one setting
    (times, the folder's name)."""
    files = sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*") if p.is_file())
    summary = json.loads((run_dir / "summary.json").read_text())
    for key in ("wall_time_s", "finished"):
        summary.pop(key)
    log = [line for line in (run_dir / "log.txt").read_text().splitlines()
           if "wall time" not in line and "run folder" not in line]
    return {"files": files, "config": json.loads((run_dir / "config.json").read_text()),
            "metrics": (run_dir / "metrics.jsonl").read_text(), "summary": summary, "log": log}


def test_run_makes_the_run_folder_the_cli_makes(tmp_path, capsys):
    assert main(["run", "xor-backprop", "--smoke", "--quiet", "--lr", "0.4",
                 "--out", str(tmp_path / "cli")]) == 0
    result = nnzoo.run("xor-backprop", smoke=True, quiet=True, lr=0.4, out=tmp_path / "py")
    (cli_dir,) = (tmp_path / "cli" / "xor-backprop").iterdir()
    assert result.dir.parent == tmp_path / "py" / "xor-backprop"
    assert folder(result.dir) == folder(cli_dir)
    assert "checkpoints/last.pt" in folder(cli_dir)["files"]
    assert result.config["lr"] == 0.4 and result.smoke and result.seed == 0


@pytest.mark.parametrize("args, name, values", [
    (["perceptron", "--lr", "-1"], "perceptron", {"lr": -1}),
    (["perceptron", "--max-epoch", "3"], "perceptron", {"max_epoch": 3}),
    (["perceptron", "--task", "xr"], "perceptron", {"task": "xr"}),
    (["perceptron", "--seed", "-3"], "perceptron", {"seed": -3}),
    (["perceptron", "--device", "gpu"], "perceptron", {"device": "gpu"}),
    (["perceptrn"], "perceptrn", {}),
])
def test_a_bad_option_is_a_value_error_with_the_cli_line(args, name, values, runs_dir, capsys):
    assert main(["run", *args]) == 2
    line = capsys.readouterr().err.strip()
    with pytest.raises(ValueError) as raised:
        nnzoo.run(name, **values)
    assert isinstance(raised.value, UserError)
    assert line == f"nnzoo: error: {raised.value}"
    assert not runs_dir.exists()  # nothing made


def test_load_run_reads_back_what_run_returned(runs_dir):
    result = nnzoo.run("perceptron", task="and", smoke=True, quiet=True)
    loaded = nnzoo.load_run(result.dir)
    assert (loaded.verdict, loaded.headline, loaded.metrics) == \
        (result.verdict, result.headline, result.metrics)
    assert loaded.verdict == "PASS" and loaded.passed and "converged after" in loaded.headline
    assert loaded.rows == result.rows and loaded.rows[0]["step"] == 1  # metrics.jsonl
    assert list(loaded.figures) == ["perceptron"]
    assert loaded.figures["perceptron"]._repr_png_().startswith(b"\x89PNG")
    page = loaded._repr_html_()
    assert "data:image/png;base64," in page and ">PASS</span>" in page and "smoke" in page
    assert loaded.claim in page and loaded.headline in page
    assert "PASS (smoke) perceptron" in repr(loaded)


def test_load_run_of_a_folder_without_a_finished_run(tmp_path):
    with pytest.raises(ValueError, match="holds no finished run"):
        nnzoo.load_run(tmp_path)


def test_resume_continues_an_interrupted_run_to_the_same_numbers(runs_dir, monkeypatch):
    from nnzoo.runs import Run

    whole = nnzoo.run("xor-backprop", smoke=True, quiet=True)
    real = Run.checkpoint

    def interrupted(self):
        real(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", interrupted)
    with pytest.raises(KeyboardInterrupt):
        nnzoo.run("xor-backprop", smoke=True, quiet=True)
    monkeypatch.setattr(Run, "checkpoint", real)
    stopped = max((runs_dir / "xor-backprop").iterdir())
    assert stopped != whole.dir and not (stopped / "summary.json").exists()
    resumed = nnzoo.resume(stopped, quiet=True)
    assert resumed.summary["resumed"] and resumed.metrics == whole.metrics
    assert resumed.rows == whole.rows


def test_experiments_is_the_catalogue_as_data():
    rows = nnzoo.experiments()
    assert [r["name"] for r in rows] == list(registry.load_all())
    neuron = nnzoo.experiments("neuron")
    assert {r["family"] for r in neuron} == {"neuron"} and len(neuron) == 3
    assert {"claim", "expects", "kind", "seconds"} <= set(neuron[0])
    assert "<table>" in rows._repr_html_()
    with pytest.raises(ValueError, match="no family called 'nueron'"):
        nnzoo.experiments("nueron")


def test_show_lists_the_options_in_python_spelling():
    shown = nnzoo.show("perceptron")
    names = [o["option"] for o in shown.options]
    assert names == [o.name for o in registry.get("perceptron").options]
    assert "max_epochs=100" in repr(shown) and "smoke=True sets" in repr(shown)
    assert "<td style='text-align:left'>max_epochs</td>" in shown._repr_html_()


def test_progress_bars_show_in_a_notebook_unless_quiet(monkeypatch):
    from nnzoo.runs import show_progress

    kernel = types.SimpleNamespace(config={"IPKernelApp": {}})
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: kernel))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert show_progress(quiet=False) and not show_progress(quiet=True)
    kernel.config = {}  # IPython in a terminal, output to a file: no bar
    assert not show_progress(quiet=False)
