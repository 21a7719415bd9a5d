"""run.parts, the one resume mechanism: skipping finished parts, nested parts, kept objects."""

import pytest
import torch

from nnzoo import registry
from nnzoo.runs import Run


@pytest.fixture
def run(runs_dir):
    exp = registry.get("perceptron")  # any experiment: the run gives folder and checkpoints
    r = Run.create(exp, exp.make_config(), runs_dir, seed=0, device="cpu")
    r._started = 0.0
    return r


def again(run):
    r = Run.reopen(run.dir)
    r._started = 0.0
    r._restore()
    return r


def test_finished_parts_are_skipped_and_their_results_restored(run):
    parts = run.parts(5, label="runs")
    for i in parts:
        parts.done({"i": i, "w": torch.full((2,), float(i))})
        if i == 2:
            break
    resumed = again(run).parts(5, label="runs")
    assert [r["i"] for r in resumed.results] == [0, 1, 2]
    assert next(iter(resumed)) == 3


def test_resumed_parts_yield_only_what_is_left(run):
    parts = run.parts(4, label="runs")
    for i in parts:
        parts.done(i)
        if i == 1:
            break
    resumed = again(run).parts(4, label="runs")
    seen = []
    for i in resumed:
        seen.append(i)
        resumed.done(i)
    assert seen == [2, 3] and resumed.results == [0, 1, 2, 3]


def test_kept_objects_come_back_with_their_state(run):
    net, gen = torch.nn.Linear(2, 2), torch.Generator().manual_seed(3)
    parts = run.parts(3, keep={"net": net, "gen": gen})
    for i in parts:
        with torch.no_grad():
            net.weight += 1
        torch.rand(1, generator=gen)
        parts.done()
        if i == 0:
            break
    w, g = net.weight.detach().clone(), gen.get_state()
    net2, gen2 = torch.nn.Linear(2, 2), torch.Generator()
    again(run).parts(3, keep={"net": net2, "gen": gen2})
    assert torch.equal(net2.weight, w) and torch.equal(gen2.get_state(), g)


def test_inner_parts_are_saved_with_their_part_and_forgotten_when_it_is_done(run):
    outer = run.parts(2, label="runs")
    for i in outer:
        inner = run.parts(3, label="epochs")
        for j in inner:
            inner.done(j)
            if i == 1 and j == 1:
                break
        if i == 1:
            break
        outer.done(i)
    resumed = again(run)
    assert set(resumed.ledger.saved["parts"]) == {"runs", "runs/1/epochs"}
    outer = resumed.parts(2, label="runs")
    for i in outer:
        inner = resumed.parts(3, label="epochs")
        assert inner.results == [0, 1]
        for j in inner:
            inner.done(j)
        outer.done(i)
    assert set(resumed.ledger.parts) == {"runs"}
    assert set(again(resumed).ledger.saved["parts"]) == {"runs"}


def test_until_stops_early_and_a_resumed_run_stays_stopped(run):
    parts = run.parts(10, until=lambda results: results[-1] >= 2)
    assert [parts.done(i) or i for i in parts] == [0, 1, 2]
    assert list(again(run).parts(10, until=lambda results: results[-1] >= 2)) == []


def test_two_loops_with_one_label_are_refused(run):
    run.parts(2, label="runs")
    with pytest.raises(ValueError, match="labelled 'runs'"):
        run.parts(2, label="runs")


def test_a_part_left_without_done_is_an_error(run):
    with pytest.raises(RuntimeError, match="without done"):
        for _ in run.parts(2):
            pass
