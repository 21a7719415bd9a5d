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
            " main(['list', '--markdown']); main(['list', '--long']); main(['show', 'dqn']);"
            " heavy = {'torch', 'numpy', 'matplotlib'} & set(sys.modules);"
            " assert not heavy, heavy")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_list_is_one_line_per_experiment_and_long_adds_kind_and_expectation(capsys,
                                                                            monkeypatch):
    from nnzoo import registry

    monkeypatch.setenv("COLUMNS", "90")
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    exps = registry.load_all()
    assert "Neurons and perceptrons (--family neuron)" in lines and "--only" not in out
    rows = [line for line in lines if line.startswith("  ")]
    assert [r.split()[0] for r in rows] == list(exps)  # one line each, in the course's order
    assert all(len(r) <= 90 for r in rows) and any(r.endswith("…") for r in rows)
    claims = {r.split()[0]: r.index(exps[r.split()[0]].claim[:10]) for r in rows}
    assert len(set(claims.values())) == 1  # the claims start in one column, long names too
    assert "expects:" not in out and "--long" in lines[-1]
    assert main(["list", "--long", "--family", "neuron"]) == 0
    out = capsys.readouterr().out
    assert "supervised learning; takes about 5 s" in out and "expects:" in out
    assert out.startswith("Neurons and perceptrons (--family neuron)\n")


def test_show_lists_options_with_type_default_and_help(capsys):
    assert main(["show", "xor-backprop"]) == 0
    out = capsys.readouterr().out
    assert "--loss {sse|cross-entropy}   (default cross-entropy)" in out
    assert "--momentum NUMBER >= 0 AND < 1   (default 0.95)" in out
    assert "Momentum alpha in delta_w" in out
    assert main(["run", "perceptron", "--help"]) == 0
    assert "--shuffle/--no-shuffle" in capsys.readouterr().out
    out = main_output(["show", "dqn"], capsys)
    assert out.startswith("dqn — Reinforcement learning\n")  # the kind is the title: once
    assert main_output(["show", "perceptron"], capsys).startswith(
        "perceptron — Neurons and perceptrons (supervised learning)\n")
    assert "--eval-every 300 --compare\n" in out and "True" not in out.split("--smoke sets")[1]
    common = out.split("common options:\n")[1].splitlines()[:6]
    assert common[-1].startswith("  --resume RUN_DIR ")
    starts = {len(line) - len(line[2:].split("  ", 1)[1].lstrip()) for line in common}
    assert len(starts) == 1, common  # every help text in one column, --resume's too


@pytest.mark.parametrize("args, message", [
    (["run", "perceptrn"], "no experiment called 'perceptrn' (did you mean perceptron"),
    (["run", "dqn-cartpol"], "(did you mean dqn, dqn-acrobot, dqn-mountaincar?)"),
    (["run", "cartpole"], "(did you mean dqn, "),
    (["show", "xor-backprp"], "(did you mean xor-backprop"),
    (["run", "perceptron", "--max-epoch", "3"], "has no option --max-epoch (did you mean "
                                                "--max-epochs"),
    (["run", "perceptron", "--lr", "fast"], "expected --lr to be a number > 0, got 'fast'"),
    (["run", "perceptron", "--lr", "-1"], "expected --lr to be a number > 0, got -1"),
    (["run", "perceptron", "--task", "xr"], "(did you mean xor"),
    (["run", "perceptron", "--seed", "-3"], "expected --seed to be an integer >= 0"),
    (["run", "perceptron", "--device", "gpu"], "expected --device to be one of auto, cpu"),
    (["run", "perceptron", "--lr"], "--lr needs a value"),
    (["run", "--resume", "no/such/run"], "cannot resume no/such/run: there is no such folder"),
    (["run", "--resume", "."], "cannot resume .: it has no config.json"),
    (["sweep", "--resume", "no/such/sweep"], "cannot resume no/such/sweep: there is no such "
                                             "folder"),
    (["sweep", "--resume", "."], "cannot resume .: it has no plan.json"),
    # where runs go, seeds and numbers: refused before any folder (no traceback)
    (["run", "perceptron", "--out", "afile"], "--out afile: is a file, not a folder"),
    (["run", "perceptron", "--out", "afile/runs"], "--out afile/runs: is inside afile, a file"),
    (["run", "perceptron", "--out", ""], "expected --out to name a folder, got ''"),
    (["run", "perceptron", "--out", "/proc/nope"], "cannot make the folder /proc/nope/"),
    (["sweep", "perceptron", "--out", "afile"], "--out afile: is a file, not a folder"),
    (["sweep", "perceptron", "--out", "/proc/nope"], "cannot make the folder /proc/nope/"),
    (["tour", "--out", "afile"], "--out afile: is a file, not a folder"),
    (["report", ""], "expected `nnzoo report` to name a runs folder, got ''"),
    (["run", "perceptron", "--seed", str(2**64)], "expected --seed to be an integer >= 0 and "
                                                  "<= 4294967295, got 18446744073709551616"),
    (["run", "perceptron", "--lr", "inf"], "expected --lr to be a finite number > 0, got inf"),
    (["run", "perceptron", "--lr", "1e999"], "to be a finite number > 0, got 1e999"),
    (["run", "perceptron", "--lr", "nan"], "to be a finite number > 0, got nan"),
    (["run", "perceptron", "--lr", "-inf"], "to be a finite number > 0, got -inf"),
    (["sweep", "perceptron", "--seeds", "0-99999999999"], "seeds from 0 to 4294967295"),
    (["sweep", "perceptron", "--seeds", "0-999999"], "names more than 10,000 seeds"),
    (["sweep", "perceptron", "--seeds", "0-4294967296"], "seeds from 0 to 4294967295"),
    (["sweep", "perceptron", "--seeds", "0-99", "--lr", ",".join(map(str, range(1, 200)))],
     "the sweep would make 19,900 runs"),
    (["rn"], "no command 'rn' (did you mean run?)"),
    (["tour", "--only", "nueron"], "no family called 'nueron' (did you mean neuron"),
    (["data", "path", "mnsit"], "no data set called 'mnsit' (did you mean mnist"),
    (["data", "fetch", "fashion"], "(did you mean fashion-mnist?)"),
    (["data", "fech", "mnist"], "no command `nnzoo data fech` (did you mean fetch?)"),
    (["data", "fetch"], "`nnzoo data fetch` needs a data set name"),
    # path options: checked before any run folder exists
    (["run", "texture-synthesis", "--texture", "brik"], "(did you mean brick?) nor an image"),
    (["run", "style-transfer", "--weights", "no/such.pth"], "--weights no/such.pth: there is "
                                                            "no such file"),
    (["run", "word2vec", "--text", "no/such.txt"], "--text no/such.txt: there is no such file"),
    (["run", "word-arithmetic", "--vectors", "no/v.txt"], "--vectors no/v.txt: there is no "),
    # and what they hold: read as the run will read them, still before any folder
    (["run", "style-transfer", "--content", "bad.png"], "--content bad.png: cannot read it as "
                                                        "an image ("),
    (["run", "texture-synthesis", "--texture", "empty"], "--texture empty: neither one of"),
    (["run", "style-transfer", "--weights", "bad.pth"], "--weights bad.pth is not a state dict"),
    (["run", "mnist-cnn", "--data-dir", "empty"], "empty lacks IDX files"),
    (["run", "mnist-cnn", "--data", "cifar10", "--data-dir", "empty"], "lacks CIFAR-10's"),
    (["run", "mnist-mlp", "--data", "digits", "--data-dir", "empty"], "digits is embedded"),
    (["run", "word2vec", "--text", "latin1.txt"], "--text latin1.txt: not UTF-8 text (byte 3 "
                                                  "is 0xe9)"),
    (["run", "word2vec", "--text", "blank.txt"], "--text blank.txt: holds no words"),
    (["run", "word2vec", "--text", "/dev/null"], "--text /dev/null: not a regular file"),
    (["run", "word2vec", "--text", "empty"], "--text empty: not a file but a folder"),
    # a value with a line break or a control character: shown escaped, still one line
    (["run", "word2vec", "--text", "no\nsuch\x1efile"], "--text no\\nsuch\\x1efile: there "),
    (["run", "word-arithmetic", "--vectors", "latin1.txt"], "--vectors latin1.txt: not word "
                                                            "vectors in the word2vec text"),
    (["data", "fetch", "cifar10"], "cifar10 cannot be fetched by nnzoo"),
])
def test_user_errors_are_one_line_exit_2_no_traceback(args, message, tmp_path):
    (tmp_path / "afile").write_text("a file, not a folder")
    (tmp_path / "bad.png").write_text("not a picture")
    (tmp_path / "bad.pth").write_text("not torch's")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "blank.txt").write_text(" \n-- \n")
    (tmp_path / "empty").mkdir()
    out = nnzoo(*args, cwd=tmp_path)
    assert out.returncode == 2, out
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "runs").exists() or "resume" in args[1:]


def test_a_new_run_stopped_by_a_data_error_before_its_work_leaves_no_folder(runs_dir, capsys,
                                                                           monkeypatch):
    """What only the run can find out (a data set that cannot be fetched now): one line, exit
    2, and no folder that `nnzoo serve` would list as unfinished."""
    import dataclasses

    from nnzoo import registry
    from nnzoo.errors import DataError

    def unfetchable(cfg, run):
        run.log("fetching mnist ...")
        raise DataError("could not fetch mnist (no network)")

    exp = registry.get("perceptron")
    monkeypatch.setitem(registry.EXPERIMENTS, "perceptron", dataclasses.replace(exp,
                                                                               fn=unfetchable))
    assert main(["run", "perceptron", "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == "nnzoo: error: could not fetch mnist (no network)"
    assert not list(runs_dir.glob("perceptron/*"))


def test_unreadable_resume_folder(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    out = nnzoo("run", "--resume", str(tmp_path))
    assert out.returncode == 2 and "config.json is unreadable" in out.stderr
    assert "Traceback" not in out.stderr


def test_corrupt_checkpoint_is_refused_without_running_it(runs_dir, capsys):
    assert main(["run", "xor-backprop", "--smoke", "--quiet"]) == 0
    run_dir = next(runs_dir.glob("xor-backprop/*"))
    (run_dir / "checkpoints" / "last.pt").write_bytes(b"\x80\x04cos\nsystem\n.")
    (run_dir / "summary.json").unlink()  # unfinished: resumable but for its checkpoint
    assert main(["run", "--resume", str(run_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"nnzoo: error: cannot resume from {run_dir}/checkpoints/last.pt: the "
                   "checkpoint is unreadable (damaged, or not nnzoo's); delete it to restart "
                   "this run from the beginning")


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


def test_tour_skips_an_hours_long_experiment_unless_smoke(runs_dir, capsys, monkeypatch):
    import dataclasses

    from nnzoo import registry

    neuron = [name for name, e in registry.load_all().items() if e.family == "neuron"]
    for name in neuron:  # as pong-reinforce: registered with tour=False
        monkeypatch.setitem(registry.EXPERIMENTS, name,
                            dataclasses.replace(registry.EXPERIMENTS[name], tour=False))
    assert main(["tour", "--only", "neuron", "--quiet", "--out", str(runs_dir)]) == 0
    out = capsys.readouterr().out
    assert out.count("SKIPPED") == len(neuron) == 3
    assert f"hours long; run it with `nnzoo run {neuron[0]}`" in out
    assert "0/0 experiments PASS (3 skipped" in out
    assert not list(runs_dir.glob("*/*/summary.json"))  # nothing ran
    assert "skipped by `nnzoo tour`" in main_output(["show", neuron[0]], capsys)

    assert main(["tour", "--only", "neuron", "--smoke", "--quiet", "--out", str(runs_dir)]) == 0
    assert "SKIPPED" not in capsys.readouterr().out  # a smoke tour runs them all
    assert len(list(runs_dir.glob("*/*/summary.json"))) == 3


def test_pong_reinforce_is_left_out_of_the_tour(capsys):
    from nnzoo import registry

    assert [n for n, e in registry.load_all().items() if not e.tour] == ["pong-reinforce"]
    text = main_output(["show", "pong-reinforce"], capsys)
    assert "skipped by `nnzoo tour`" in text and "needs a GPU and many hours" in text


def main_output(args, capsys):
    assert main(args) == 0
    return capsys.readouterr().out


def test_resume_refuses_new_options(runs_dir, capsys):
    assert main(["run", "perceptron", "--smoke", "--quiet"]) == 0
    run_dir = next(runs_dir.glob("perceptron/*"))
    assert main(["run", "--resume", str(run_dir), "--seed", "4"]) == 2
    assert "drop --seed" in capsys.readouterr().err


def test_resume_refuses_a_finished_run_and_says_how_to_run_it_again(runs_dir, capsys):
    assert main(["run", "perceptron", "--smoke", "--quiet", "--seed", "2", "--lr", "0.5",
                 "--shuffle"]) == 0
    run_dir = next(runs_dir.glob("perceptron/*"))
    before = (run_dir / "summary.json").read_text()
    assert main(["run", "--resume", str(run_dir)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"nnzoo: error: cannot resume {run_dir}: the run is finished (it has a summary.json); "
        "run it again in a new folder with `nnzoo run perceptron --seed 2 --smoke --lr 0.5 "
        "--shuffle`")
    assert (run_dir / "summary.json").read_text() == before  # not run again
    assert len(list(runs_dir.glob("perceptron/*"))) == 1


def test_a_run_folder_has_one_owner_at_a_time(runs_dir, capsys):
    from nnzoo.folders import LOCK

    assert main(["run", "xor-backprop", "--smoke", "--quiet"]) == 0
    run_dir = next(runs_dir.glob("xor-backprop/*"))
    assert not (run_dir / LOCK).exists()  # released at the end
    (run_dir / "summary.json").unlink()  # as if stopped: resumable
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (run_dir / LOCK).write_text(f"{owner.pid}\n")  # a live process owns it
        assert main(["run", "--resume", str(run_dir), "--quiet"]) == 2
        assert capsys.readouterr().err.strip() == (
            f"nnzoo: error: {run_dir} is in use by process {owner.pid} (its {LOCK}); wait for "
            "that run to end, or stop it first")
        assert not (run_dir / "summary.json").exists()
    finally:
        owner.kill()
        owner.wait()
    # its process gone, the lock is stale: taken over, and released at the end
    assert main(["run", "--resume", str(run_dir), "--quiet"]) == 0
    assert (run_dir / "summary.json").exists() and not (run_dir / LOCK).exists()


def test_two_resumes_of_one_folder_cannot_both_run(runs_dir):
    """The second of two real processes on one folder gets one line and exit 2."""
    from nnzoo.runs import Run

    exp = __import__("nnzoo.registry", fromlist=["get"]).get("xor-backprop")
    run = Run.create(exp, exp.make_config({"runs": 2, "epochs": 100}), runs_dir, seed=0,
                     device="cpu", quiet=True)
    out = nnzoo("run", "--resume", str(run.dir), "--quiet")  # this process holds it
    assert out.returncode == 2 and "is in use by process" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    run.execute()  # the owner runs it; the lock goes with the end of the run
    assert not (run.dir / "run.lock").exists()


def test_a_smoke_run_is_not_judged_and_quiet_prints_the_verdict_only(runs_dir, capsys):
    import nnzoo

    # one epoch cannot separate the points: judged, this would FAIL
    assert main(["run", "perceptron", "--smoke", "--quiet", "--max-epochs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SMOKE OK  perceptron: ") and "running" not in out
    assert "FAIL" not in out
    run_dir = next(runs_dir.glob("perceptron/*"))
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "SMOKE OK"
    assert nnzoo.load_run(run_dir).verdict == "SMOKE OK"
    assert main(["run", "perceptron", "--max-epochs", "1", "--quiet"]) == 1  # judged: FAIL
    assert capsys.readouterr().out.startswith("FAIL  perceptron")


def test_readme_catalogue_matches_registry():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = readme.split("<!-- catalogue:start -->\n")[1].split("\n<!-- catalogue:end -->")[0]
    assert block == catalogue_markdown(), "README catalogue is stale: paste `nnzoo list --markdown`"


# --------------------------------------------------------------------------- nnzoo data
@pytest.fixture
def fake_mnist_cache(tmp_path, monkeypatch):
    """NNZOO_DATA with a small cache folder written as `fetch` writes one, named mnist."""
    import numpy as np

    from nnzoo.data import cache

    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    arrays = {"x_train": np.zeros((2, 28, 28), np.uint8), "y_train": np.zeros(2, np.uint8),
              "x_test": np.ones((1, 28, 28), np.uint8), "y_test": np.ones(1, np.uint8)}
    with cache.scratch("mnist") as tmp:
        return cache.write_cached("mnist", arrays, {"classes": list("0123456789")}, tmp)


def test_data_list_is_light_and_shows_what_is_cached(tmp_path):
    code = ("import sys; from nnzoo.cli import main; main(['data', 'list']);"
            " heavy = {'torch', 'sklearn', 'matplotlib'} & set(sys.modules);"
            " assert not heavy, heavy")
    env = {**__import__("os").environ, "NNZOO_DATA": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert f"cache: {tmp_path}" in out.stdout
    for name, status in [("mnist", "missing"), ("fashion-mnist", "missing"),
                         ("digits", "embedded"), ("cifar10", "own files")]:
        assert any(line.startswith(f"  {name:<14} {status}") for line in out.stdout.splitlines())
    assert "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416" in out.stdout


def test_data_path_verify_and_list_of_a_cached_set(fake_mnist_cache, capsys):
    assert main(["data", "path", "mnist"]) == 0
    assert capsys.readouterr().out.strip() == str(fake_mnist_cache)
    assert main(["data", "list"]) == 0
    assert "  mnist          present" in capsys.readouterr().out
    assert main(["data", "verify"]) == 0
    assert capsys.readouterr().out.split() == ["ok", "mnist", "ok", "digits", "(embedded:",
                                               "nothing", "to", "verify)"]
    assert main(["data", "fetch", "mnist"]) == 0  # there already: nothing downloaded
    assert "already in the cache" in capsys.readouterr().out


def test_data_verify_reports_a_changed_file_and_exits_2(fake_mnist_cache):
    with open(fake_mnist_cache / "y_test.npy", "ab") as f:
        f.write(b"\0")
    out = nnzoo("data", "verify", "mnist")
    assert out.returncode == 2
    assert out.stdout.startswith("FAILED mnist") and "y_test.npy does not match" in out.stdout
    assert out.stderr.strip() == ("nnzoo: error: mnist failed verification; fetch again with "
                                  "`nnzoo data fetch mnist --force`")


def test_data_path_and_verify_of_a_missing_set(tmp_path, monkeypatch):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path))
    for cmd in ("path", "verify"):
        out = nnzoo("data", cmd, "fashion-mnist")
        assert out.returncode == 2 and out.stderr.strip() == (
            "nnzoo: error: fashion-mnist is not in the cache; fetch it with "
            "`nnzoo data fetch fashion-mnist`")
