"""The house's rules, checked from the source: one experiment per file, seeds only from the
run, nothing imports experiments, only experiments and training loops name a run, no family
imports another's, one default per hyper-parameter, files under 400 lines, imports that make
no circle (the Python face and the launcher never reach the command line)."""

import ast
import dataclasses
import importlib
import inspect
import pathlib
import re

import pytest

from nnzoo import registry

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "nnzoo"
EXPERIMENTS = SRC / "experiments"


def python_files(*folders):
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


@pytest.mark.parametrize("path", python_files(SRC), ids=lambda p: str(p.relative_to(SRC)))
def test_no_source_file_is_over_400_lines(path):
    n = len(path.read_text().splitlines())
    assert n <= 400, f"{path.name} has {n} lines: split it by what its parts do"


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_nothing_outside_the_experiments_imports_from_them():
    outside = [p for p in python_files(SRC, ROOT / "tests", ROOT / "benchmarks")
               if EXPERIMENTS not in p.parents and p.name != "registry.py"]
    offenders = [f"{p.relative_to(ROOT)} imports {m}" for p in outside
                 for m in imported_modules(p) if m.startswith("nnzoo.experiments")]
    assert not offenders, "move the helper into the library: " + "; ".join(offenders)


BELOW_TRAINING = ("nn", "models", "rl", "data", "viz")  # the floors under nnzoo.training
RUN_MODULES = ("nnzoo.training", "nnzoo.runs", "nnzoo.train")


def names_a_run(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in RUN_MODULES)


def test_only_the_experiments_and_the_training_loops_name_a_run():
    # models, agents, data, equations and pictures take numbers and generators, not a run:
    # the loops that take one live in nnzoo.training, one floor up
    paths = python_files(*(SRC / floor for floor in BELOW_TRAINING))
    offenders = [f"{p.relative_to(ROOT)} imports {m}" for p in paths
                 for m in imported_modules(p) if names_a_run(m)]
    offenders += [f"{p.relative_to(ROOT)} imports {a.name} from nnzoo" for p in paths
                  for node in ast.walk(ast.parse(p.read_text()))
                  if isinstance(node, ast.ImportFrom) and node.module == "nnzoo"
                  for a in node.names if names_a_run(f"nnzoo.{a.name}")]
    assert not offenders, "move the loop into nnzoo.training: " + "; ".join(offenders)


def test_only_the_data_floor_reads_weights_files():
    # a VGG-19 of the user's (--weights) is opened by nnzoo.data.weights; models map state
    # dicts, they never torch.load a file (WordVectors' own text format is the one exception
    # left: see models/embeddings/vectors.py)
    paths = python_files(*(SRC / floor for floor in BELOW_TRAINING if floor != "data"))
    offenders = [f"{p.relative_to(ROOT)}:{node.lineno}" for p in paths
                 for node in ast.walk(ast.parse(p.read_text()))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                 and node.func.attr == "load" and getattr(node.func.value, "id", "") == "torch"]
    assert not offenders, "read the file in nnzoo.data: " + ", ".join(offenders)


def test_no_experiment_family_imports_another_familys_modules():
    offenders = [f"{p.relative_to(ROOT)} imports {m}"
                 for family in EXPERIMENTS.iterdir() if family.is_dir()
                 for p in python_files(family) for m in imported_modules(p)
                 if m.startswith("nnzoo.experiments.")
                 and not m.startswith(f"nnzoo.experiments.{family.name}")]
    assert not offenders, "what two families share belongs in the library: " + \
        "; ".join(offenders)


SEEDING = re.compile(r"manual_seed\(|np\.random\.seed\(|random\.seed\(|default_rng\(|"
                     r"seed_everything\(|fork_rng\(")


def test_experiments_take_their_randomness_from_the_run():
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in python_files(EXPERIMENTS)
                 for i, line in enumerate(p.read_text().splitlines(), 1) if SEEDING.search(line)]
    assert not offenders, "ask the run for a stream (run.rng(name)): " + ", ".join(offenders)


def test_the_library_never_seeds_the_global_generators():
    # only the run seeds them, once; nnzoo.random builds streams of its own
    allowed = {SRC / "runs.py", SRC / "random.py"}
    pattern = re.compile(r"torch\.manual_seed\(|np\.random\.seed\(|random\.seed\(|"
                         r"torch\.cuda\.manual_seed")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in python_files(SRC) if p not in allowed
                 and EXPERIMENTS not in p.parents
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not offenders, "take a stream as `rng` instead: " + ", ".join(offenders)


def test_one_experiment_per_module_and_families_are_packages():
    experiments = registry.load_all()
    modules = {}
    for exp in experiments.values():
        modules.setdefault(exp.fn.__module__, []).append(exp.name)
    assert all(len(names) == 1 for names in modules.values()), modules
    for module, (name,) in modules.items():
        parts = module.split(".")
        assert parts[:2] == ["nnzoo", "experiments"] and len(parts) == 4, \
            f"{name} lives in {module}, not in experiments/<family>/<experiment>.py"
        assert parts[2] == experiments[name].family
    for path in EXPERIMENTS.iterdir():
        if path.suffix == ".py" and path.name != "__init__.py":
            pytest.fail(f"{path.name}: experiments live in family packages")


def test_a_family_shares_its_helpers_in_one_module_named_shared():
    # one name for what a family's experiments share (their options, the common part of their
    # stories): experiments/<family>/_shared.py; anything reusable beyond that is library
    helpers = [p.relative_to(EXPERIMENTS) for p in EXPERIMENTS.glob("*/_*.py")
               if p.name not in ("__init__.py", "_shared.py")]
    assert not helpers, f"name the family's helper module _shared.py: {helpers}"


def test_trial_tables_sit_in_the_notes_at_the_end_not_in_the_opening_docstring():
    # the opening docstring tells the experiment; what was measured on the way (a table of
    # seeds, trials) goes into the "# ---- Notes" comments at the end of the file
    table = re.compile(r"^\s*(seed|seeds|trial)\s{2,}\S", re.IGNORECASE)
    offenders = [str(p.relative_to(ROOT)) for p in python_files(EXPERIMENTS)
                 if any(table.match(line) for line in
                        (ast.get_docstring(ast.parse(p.read_text())) or "").splitlines())]
    assert not offenders, "move the table to the notes at the end: " + ", ".join(offenders)


def test_every_family_orders_only_its_own_experiments():
    experiments = registry.load_all()
    for fam in registry.FAMILIES.values():
        mine = [e.name for e in experiments.values() if e.family == fam.name]
        assert mine, f"family {fam.name} has no experiments"
        unknown = set(fam.order) - set(mine)
        assert not unknown, f"{fam.name}'s order names {unknown}, which it does not have"
        assert fam.title and fam.about
    positions = [f.position for f in registry.FAMILIES.values()]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def built_classes(module):
    """The classes that a module builds through registry.build(cls, cfg, ...)."""
    tree = ast.parse(inspect.getsource(module))
    where = {a.asname or a.name: node.module for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module for a in node.names}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "build"
                and node.args and isinstance(node.args[0], ast.Name)):
            name = node.args[0].id
            yield getattr(importlib.import_module(where[name]), name)


CASES = [(exp.name, cls) for exp in registry.load_all().values()
         for cls in built_classes(importlib.import_module(exp.fn.__module__))]


@pytest.mark.parametrize("name, cls", CASES, ids=[f"{n}-{c.__name__}" for n, c in CASES])
def test_a_config_field_and_the_parameter_it_sets_share_one_default(name, cls):
    config = registry.get(name).config
    differ = getattr(config, "not_the_default", {})  # field -> why this experiment differs
    params = inspect.signature(cls).parameters
    for f in dataclasses.fields(config):
        if f.name in params and f.name not in differ:
            assert f.default == params[f.name].default, \
                f"{name}: --{f.name} defaults to {f.default!r}, {cls.__name__}'s " \
                f"{f.name} to {params[f.name].default!r}: keep one default"


def test_experiments_look_inside_models_through_their_methods():
    # hidden(x), input_weights(), layer_weights(): not net.layers[0] or hasattr probes
    pattern = re.compile(r"\.layers\[|\.convs\[|\.policy\[|hasattr\(")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in python_files(EXPERIMENTS)
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not offenders, "ask the model through a method: " + ", ".join(offenders)


# --------------------------------------------------------------------------- the import graph
def module_of(path):
    """nnzoo.cli.args for src/nnzoo/cli/args.py, nnzoo.cli for its __init__.py."""
    parts = ("nnzoo", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    """{module: the nnzoo modules it imports}, from every import statement: at the top, in
    functions and under TYPE_CHECKING alike (a layout picture of the imports shows them
    all). `from nnzoo import x` is the module nnzoo.x when there is one, else the package
    face; `from . import x` is resolved the same way."""
    modules = {module_of(p): p for p in python_files(SRC)}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level else ""
                module = ".".join(p for p in (base, node.module or "") if p)
                targets |= {f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module
                            for a in node.names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def circles(graph):
    """The groups of modules that import one another, round a circle (Tarjan's strongly
    connected components of more than one module)."""
    index, low, stack, found = {}, {}, [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = {stack.pop()}
            while v not in group:
                group.add(stack.pop())
            if len(group) > 1:
                found.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for w in graph[todo.pop()] - seen:
            seen.add(w)
            todo.append(w)
    return seen


def test_the_imports_make_no_circle():
    found = circles(import_graph())
    assert not found, "imports point down the floors; these modules import one another: " + \
        "; ".join(" <-> ".join(sorted(group)) for group in found)


@pytest.mark.parametrize("module", ["nnzoo.api", "nnzoo.launch"])
def test_the_python_face_and_the_launcher_never_reach_the_command_line(module):
    graph = import_graph()
    line = sorted(m for m in reachable(graph, module) if m.split(".")[:2] == ["nnzoo", "cli"])
    assert not line, f"{module} reaches {', '.join(line)}: the command line calls down, " \
        "never the other way round"


def test_parts_know_nothing_of_the_run_but_what_they_are_given():
    graph = import_graph()
    assert "nnzoo.runs" not in reachable(graph, "nnzoo.parts")
    source = (SRC / "parts.py").read_text()
    assert not re.search(r"run\._\w", source), "Parts read a run's private fields"
