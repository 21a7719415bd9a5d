"""The notebooks/: made from their sources, naming only experiments and options that exist,
and running top to bottom in a Jupyter kernel at smoke settings."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnzoo import registry

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COMMON = {o.name for o in registry.options_of(registry.RunOptions)}


def family_of(path):
    """The notebook's family; skips it when that family is not (yet) in the registry."""
    registry.load_all()
    if path.stem not in registry.FAMILIES:
        pytest.skip(f"no family {path.stem!r} in this registry")
    return path.stem


def code_of(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def nnzoo_calls(code):
    """Every call nnzoo.NAME(...) in `code`: (NAME, its first argument, its keywords)."""
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "nnzoo"):
            first = ast.literal_eval(node.args[0]) if node.args else None
            yield node.func.attr, first, {k.arg: k.value for k in node.keywords}


def test_the_notebooks_are_made_from_their_sources():
    sources = sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py"))
    assert sources == [p.stem for p in NOTEBOOKS]
    pytest.importorskip("jupytext")
    out = subprocess.run([sys.executable, str(ROOT / "notebooks" / "build.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_names_only_experiments_and_options_that_exist(path):
    family = family_of(path)
    runs = 0
    for function, name, keywords in nnzoo_calls(code_of(path)):
        if function == "catalogue":
            assert name in (None, family), f"{path.name}: nnzoo.catalogue({name!r})"
            continue
        assert function in ("run", "show"), f"{path.name}: nnzoo.{function} is not checked here"
        exp = registry.get(name)  # a UserError names a missing experiment
        assert exp.family == family, f"{path.name} runs {name}, of the family {exp.family}"
        if function == "run":
            runs += 1
            assert ast.unparse(keywords.pop("smoke")) == "SMOKE", \
                f"{path.name}: nnzoo.run({name!r}) must take smoke=SMOKE (the tests' switch)"
            assert ast.unparse(keywords.pop("out")) == "OUT", \
                f"{path.name}: nnzoo.run({name!r}) must take out=OUT (not into notebooks/)"
            values = {k: ast.literal_eval(v) for k, v in keywords.items() if k not in COMMON}
            exp.make_config(values)  # a UserError names a missing option or a bad value
    assert runs >= 2, f"{path.name} runs {runs} experiment(s)"


@pytest.mark.notebook
@pytest.mark.check  # a Jupyter kernel per notebook: 110 s in all
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_runs_top_to_bottom_at_smoke_settings(path, tmp_path, monkeypatch):
    """Each notebook in a fresh kernel with NNZOO_SMOKE=1, its runs under tmp_path: about
    10-60 s each on a 2-core CPU (a kernel's start and torch's import included)."""
    family_of(path)
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    monkeypatch.setenv("NNZOO_SMOKE", "1")
    monkeypatch.setenv("NNZOO_RUNS", str(tmp_path / "runs"))
    (tmp_path / "notebooks").mkdir()  # the kernel's folder, as when opened from notebooks/
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))  # this checkout
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path /
                                                                          "notebooks")}})
    client.execute()  # a cell that raises fails the test with its traceback
    ran = list(tmp_path.glob("runs/*/*/summary.json"))
    assert len(ran) == sum(f == "run" for f, _, _ in nnzoo_calls(code_of(path)))
    assert not list((tmp_path / "notebooks").iterdir())  # nothing written beside it
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if "text/html" in o.get("data", {}) and "data:image/png;base64," in o["data"]
             ["text/html"]]
    assert shown, "no run's result displayed itself with its figures"
    said = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "TqdmWarning" not in said and "IProgress" not in said, said[:500]
