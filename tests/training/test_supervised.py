import pytest
import torch

from nnzoo import registry
from nnzoo.nn import nll
from nnzoo.runs import Run
from nnzoo.training.supervised import Data, accuracy, evaluate, fit, predict


def blobs(n=120, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    X = torch.randn(n, 2, generator=g) * 0.4 + torch.tensor([[0, 2.0], [2.0, 0], [-2.0, 0]])[y]
    return X, y


def test_accuracy_for_class_scores_and_sigmoid_outputs():
    assert accuracy(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 1])) == 0.5
    assert accuracy(torch.tensor([[0.7], [0.2], [0.5]]), torch.tensor([1.0, 0.0, 0.0])) == \
        pytest.approx(2 / 3)


def test_full_batch_equals_hand_written_loop():
    X, y = blobs()
    torch.manual_seed(0)
    a = torch.nn.Linear(2, 3)
    b = torch.nn.Linear(2, 3)
    b.load_state_dict(a.state_dict())
    fit(a, torch.optim.SGD(a.parameters(), lr=0.5), nll, Data(X, y), epochs=20)
    opt = torch.optim.SGD(b.parameters(), lr=0.5)
    for _ in range(20):
        opt.zero_grad()
        nll(b(X), y).backward()
        opt.step()
    torch.testing.assert_close(a.weight, b.weight)


def test_minibatches_learn_and_stop_when_asked():
    X, y = blobs()
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    h = fit(net, torch.optim.Adam(net.parameters(), lr=0.05), nll,
            Data(X, y, X_val=X[:30], y_val=y[:30]), epochs=200, batch_size=16,
            rng=torch.Generator().manual_seed(0), stop_when=lambda s: s["train_acc"] == 1.0)
    assert h.stopped_early and h.last()["train_acc"] == 1.0 and "val_acc" in h.last()
    assert h.epochs[-1] < 200


def test_evaluation_in_chunks_equals_one_batch():
    X, y = blobs(n=101)
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    assert evaluate(net, nll, X, y, batch_size=7) == pytest.approx(evaluate(net, nll, X, y))
    torch.testing.assert_close(predict(net, X, 10), net(X))


def test_checkpointed_fit_resumes_to_the_same_weights(tmp_path, monkeypatch):
    exp = registry.get("xor-backprop")  # any experiment: the run only gives folder and logs
    X, y = blobs()

    def train(run):
        torch.manual_seed(1)
        net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
        # a per-batch schedule: resuming must also restore where the schedule was
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.3, total_steps=30 * 4)
        fit(net, opt, nll, Data(X, y), epochs=30, batch_size=32, run=run, checkpoint_every=10,
            rng=torch.Generator().manual_seed(5), scheduler=sched)
        return net

    def make_run(name):
        run = Run.create(exp, exp.make_config(), tmp_path / name, seed=0, device="cpu")
        run._started = 0.0
        return run

    whole = train(make_run("a"))
    run = make_run("b")
    real = Run.checkpoint
    calls = {"n": 0}

    def die_after_second(self):
        real(self)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die_after_second)
    with pytest.raises(KeyboardInterrupt):
        train(run)
    monkeypatch.setattr(Run, "checkpoint", real)
    run = Run.reopen(run.dir)
    run._started = 0.0
    run._restore()
    assert [s["epoch"] for s in run.ledger.saved["parts"]["fit"]] == list(range(1, 21))
    resumed = train(run)
    for p, q in zip(whole.parameters(), resumed.parameters()):
        torch.testing.assert_close(p, q)


def test_accuracy_of_all_correct_is_exactly_one():
    # the twin spirals stop at accuracy == 1.0; 194 patterns must give exactly 1.0
    y = torch.ones(194)
    assert accuracy(torch.full((194, 1), 0.9), y) == 1.0
    assert accuracy(torch.eye(194)[:, :10].roll(0), torch.zeros(194, dtype=torch.long)) < 1


def test_shuffling_without_a_generator_is_refused():
    X, y = blobs()
    net = torch.nn.Linear(2, 3)
    with pytest.raises(ValueError, match="needs an rng"):
        fit(net, torch.optim.SGD(net.parameters(), lr=0.1), nll, Data(X, y), epochs=1,
            batch_size=16)


def test_hill_climbing_solves_an_easy_problem():
    from nnzoo.models.mlp import MLP
    from nnzoo.random import stream
    from nnzoo.training.supervised import hill_climb

    # one step unit, AND: from most random starts local search finds zero errors quickly
    # (from some it wanders off on the plateau of one error: the crawl weight-space-search shows)
    X = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    t = torch.tensor([[0.0], [0], [0], [1]])
    solved = 0
    for seed in range(20):
        g = stream(seed, "hill climbing").torch
        net = MLP([2, 1], activation="step", output="step").init_normal_(0.5, g)
        n = hill_climb(net, X, t, budget=5000, sigma=0.5, rng=g)
        assert n is None or (n <= 5000 and (net(X) == t).all())
        solved += n is not None
    assert solved >= 14


def test_fit_to_convergence_reaches_least_squares_and_ridge():
    from nnzoo.training.supervised import fit_to_convergence

    # a linear model z = w x + b: L-BFGS must land on the normal equations' solution, and with
    # lambda/2 w^2 (weight only, not the bias) on the ridge solution
    g = torch.Generator().manual_seed(0)
    X = torch.randn(30, 3, generator=g, dtype=torch.float64)
    t = X @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64) + 0.3 \
        + 0.1 * torch.randn(30, 1, generator=g, dtype=torch.float64)
    A = torch.cat([X, torch.ones(30, 1, dtype=torch.float64)], dim=1)  # (B, 4) with a bias
    for lam in (0.0, 2.0):
        model = torch.nn.Linear(3, 1).double()
        fit_to_convergence(model, X, t, lam=lam)
        P = lam * torch.diag(torch.tensor([1.0, 1, 1, 0], dtype=torch.float64))
        w = torch.linalg.solve(A.T @ A + P, A.T @ t)  # min 1/2 |A w - t|^2 + lambda/2 |W|^2
        got = torch.cat([model.weight.detach().ravel(), model.bias.detach()])
        torch.testing.assert_close(got, w.ravel(), atol=1e-7, rtol=0)


def test_fit_to_convergence_stops_at_a_non_finite_error():
    from nnzoo.errors import Diverged
    from nnzoo.training.supervised import fit_to_convergence

    X = torch.linspace(-1, 1, 5, dtype=torch.float64)[:, None]  # (5, 1)
    t = X.clone()
    t[2] = float("nan")
    model = torch.nn.Linear(1, 1).double()
    with pytest.raises(Diverged) as e:
        fit_to_convergence(model, X, t)
    assert e.value.step == 0 and e.value.last_finite is None  # the first evaluation
    t[2] = 0.0
    E = fit_to_convergence(model, X, t)  # the same points, finite: fits z = x exactly
    assert E < 1e-12


def test_predict_joins_the_fields_of_a_named_tuple_output_batch_by_batch():
    from typing import NamedTuple

    class Out(NamedTuple):
        double: torch.Tensor
        total: torch.Tensor

    class Two(torch.nn.Module):
        def forward(self, x):
            return Out(2 * x, x.sum(-1))

    X = torch.arange(12.0).view(6, 2)
    out = predict(Two(), X, batch_size=4)  # batches of 4 and 2
    assert isinstance(out, Out)
    assert torch.equal(out.double, 2 * X) and torch.equal(out.total, X.sum(-1))
