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
    code = ("import sys, nnzoo; nnzoo.catalogue(); repr(nnzoo.show('twin-spirals'));"
            " heavy = {'torch', 'numpy', 'matplotlib'} & set(sys.modules);"
            " assert not heavy, heavy; assert callable(nnzoo.catalogue)")
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


@pytest.mark.parametrize("args, name, values, python", [
    (["perceptron", "--lr", "-1"], "perceptron", {"lr": -1},
     "expected lr= to be a number > 0, got -1; see nnzoo.show('perceptron') for the options"),
    (["perceptron", "--max-epoch", "3"], "perceptron", {"max_epoch": 3},
     "nnzoo.run() got an unexpected keyword argument 'max_epoch' (did you mean max_epochs?); "
     "nnzoo.show('perceptron') lists the options"),
    (["perceptron", "--task", "xr"], "perceptron", {"task": "xr"},
     "expected task= to be one of and, or, nor, xor, separable, got 'xr' (did you mean xor, or?)"),
    (["perceptron", "--seed", "-3"], "perceptron", {"seed": -3},
     "expected seed= to be an integer >= 0 and <= 4294967295, got -3; see help(nnzoo.run) "
     "for the common options"),
    (["perceptron", "--device", "gpu"], "perceptron", {"device": "gpu"},
     "expected device= to be one of auto, cpu, cuda, mps, got 'gpu' (did you mean cpu?)"),
    (["perceptron", "--lr", "inf"], "perceptron", {"lr": float("inf")},
     "expected lr= to be a finite number > 0, got inf; see nnzoo.show('perceptron') for the "
     "options"),
    (["perceptron", "--out", ""], "perceptron", {"out": ""},
     "expected out= to name a folder, got ''; e.g. out='runs' (`.` for the current folder)"),
    (["perceptrn"], "perceptrn", {},
     "no experiment called 'perceptrn' (did you mean perceptron?); `nnzoo list` shows them all"),
])
def test_a_bad_option_is_told_in_the_callers_own_spelling(args, name, values, python, runs_dir,
                                                          capsys):
    """The same mistake: one line and exit 2 on the command line, a ValueError (UserError)
    in keywords from Python; nothing made either way."""
    assert main(["run", *args]) == 2
    assert capsys.readouterr().err.strip().startswith("nnzoo: error: ")
    with pytest.raises(ValueError) as raised:
        nnzoo.run(name, **values)
    assert isinstance(raised.value, UserError)
    assert str(raised.value) == python
    assert not runs_dir.exists()  # nothing made


@pytest.mark.parametrize("call, message", [
    (lambda: nnzoo.run(None), "nnzoo.run() takes an experiment's name as a str, got None"),
    (lambda: nnzoo.run(42), "nnzoo.run() takes an experiment's name as a str, got 42"),
    (lambda: nnzoo.run("perceptron", lr="0.1"),
     "expected lr= to be a number > 0, got '0.1' (a str); see nnzoo.show('perceptron')"),
    (lambda: nnzoo.run("perceptron", max_epochs=2.5), "expected max_epochs= to be an integer "
                                                      ">= 1, got 2.5 (a float)"),
    (lambda: nnzoo.run("perceptron", shuffle="yes"), "expected shuffle= to be a flag, got "
                                                     "'yes' (a str)"),
    (lambda: nnzoo.run("perceptron", lrr=0.1),
     "nnzoo.run() got an unexpected keyword argument 'lrr' (did you mean lr?)"),
    (lambda: nnzoo.run("perceptron", seed="1"), "expected seed= to be an integer"),
    (lambda: nnzoo.run("perceptron", out=None), "expected out= to be a text, got None"),
    (lambda: nnzoo.resume(None), "nnzoo.resume() takes a run folder as a str or Path, got None"),
    (lambda: nnzoo.load_run(3), "nnzoo.load_run() takes a run folder as a str or Path, got 3"),
])
def test_python_types_and_keywords_are_type_errors_in_python_words(call, message, runs_dir):
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, UserError)  # and one line, exit 2, for the CLI
    assert "--" not in str(raised.value) and "nnzoo run" not in str(raised.value)
    assert not runs_dir.exists()


def test_a_path_is_taken_for_out(runs_dir, tmp_path):
    result = nnzoo.run("perceptron", task="and", smoke=True, quiet=True, out=tmp_path / "p")
    assert result.dir.parent == tmp_path / "p" / "perceptron"
    (tmp_path / "f").write_text("")
    with pytest.raises(ValueError, match="out= .*f: is a file, not a folder"):
        nnzoo.run("perceptron", out=tmp_path / "f")


def test_load_run_reads_back_what_run_returned(runs_dir):
    result = nnzoo.run("perceptron", task="and", smoke=True, quiet=True)
    loaded = nnzoo.load_run(result.dir)
    assert (loaded.verdict, loaded.headline, loaded.metrics) == \
        (result.verdict, result.headline, result.metrics)
    assert loaded.verdict == "SMOKE OK" and loaded.passed and "converged after" in loaded.headline
    assert loaded.rows == result.rows and loaded.rows[0]["step"] == 1  # metrics.jsonl
    assert list(loaded.figures) == ["perceptron"]
    assert loaded.figures["perceptron"]._repr_png_().startswith(b"\x89PNG")
    page = loaded._repr_html_()
    assert "data:image/png;base64," in page and ">SMOKE OK</span>" in page and "quick" in page
    assert loaded.claim in page and loaded.headline in page
    assert repr(loaded).startswith("<SMOKE OK perceptron: converged after")


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


def test_catalogue_is_the_experiments_as_data():
    rows = nnzoo.catalogue()
    assert [r["name"] for r in rows] == list(registry.load_all())
    neuron = nnzoo.catalogue("neuron")
    assert {r["family"] for r in neuron} == {"neuron"} and len(neuron) == 3
    assert {"claim", "expects", "kind", "seconds"} <= set(neuron[0])
    assert "<table>" in rows._repr_html_()
    with pytest.raises(ValueError, match="no family called 'nueron'"):
        nnzoo.catalogue("nueron")
    # nnzoo.experiments is only the package of experiment modules, which the catalogue loaded
    assert hasattr(nnzoo.experiments, "__path__") and not callable(nnzoo.experiments)


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
