"""The energy-based learners against their equations: Hebbian weights and the update rule by
hand, the Hopfield energy at every flip, Gibbs sampling against exp(-E/T)/Z by enumeration,
the Boltzmann learning rule's and CD-k's statistics against the exact log-likelihood
gradient, one CD-1 step by hand, CD-3's and persistent CD's v_k against T^k by enumeration
(readable `step` and fused loop), free energy and pseudo-likelihood by enumeration.

Statistical tests use independent chains (one sample each) at a fixed seed. For the
distributions, Pearson's chi-square statistic over the enumerated states is chi-square
distributed when the sampler is right; we require its p-value above 0.001 (a right sampler
fails with probability 0.001 at a random seed; at this fixed seed it passes or fails for
good) and show that the same test rejects samples of the wrong temperature. For gradients,
each entry is a mean over n independent chains of a quantity in [-1, 1] (std <= 1/sqrt(n)):
with n = 20,000, a tolerance of 0.02 is 2.8 standard deviations of the worst case and about
5 of the typical entry.
"""

import math

import pytest
import torch
from scipy.stats import chisquare

from nnzoo.models.energy import RBM, BoltzmannMachine, Hopfield, all_states

CHAINS = 20_000


def counts_of(samples: torch.Tensor) -> torch.Tensor:
    """How often each state (as numbered by all_states) occurs among the rows of samples."""
    n = samples.shape[1]
    index = (samples.long() * 2 ** torch.arange(n - 1, -1, -1)).sum(1)
    return torch.bincount(index, minlength=2**n).double()


def chi_square_p(samples: torch.Tensor, p: torch.Tensor) -> float:
    return chisquare(counts_of(samples).numpy(), (p * len(samples)).numpy()).pvalue


# --------------------------------------------------------------------------- Hopfield
def test_hebbian_weights_by_hand():
    # xi^1 = (1, -1, 1), xi^2 = (1, 1, -1): w_ij = 1/3 (xi_i^1 xi_j^1 + xi_i^2 xi_j^2), w_ii = 0
    net = Hopfield(3).fit([[1, -1, 1], [1, 1, -1]])
    by_hand = torch.tensor([[0, 0, 0], [0, 0, -2], [0, -2, 0]], dtype=torch.float64) / 3
    assert torch.equal(net.W_, by_hand)
    assert torch.equal(net.b_, torch.zeros(3, dtype=torch.float64))
    # E(x) = -(1/2 sum x_i w_ij x_j + sum b_i x_i): for (1, 1, 1) = -(1/2)(2 (-2/3)) = 2/3
    assert net.energy([1.0, 1, 1]).item() == pytest.approx(2 / 3)
    assert net.energy([1.0, -1, 1]).item() == pytest.approx(-2 / 3)


def test_the_update_rule_keeps_a_unit_whose_input_is_zero():
    net = Hopfield(3, order="sequential").fit([[1, 1, 1]])
    net.W_ = torch.tensor([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=torch.float64)
    net.b_ = torch.tensor([0, 0, 0], dtype=torch.float64)
    # unit 0: s = w_01 x_1 = -1 < 0 -> -1; unit 1: s = x_0 = -1 -> -1; unit 2: s = 0: kept
    r = net.recall(torch.tensor([[1.0, -1, 1], [1.0, -1, -1]]), max_sweeps=5)
    assert r.final.tolist() == [[-1, -1, 1], [-1, -1, -1]]
    assert r.converged.all() and len(r.states) == 3  # one sweep changes, the next does not


def test_the_energy_never_increases_and_falls_at_every_flip():
    gen = torch.Generator().manual_seed(0)
    net = Hopfield(30, rng=1).fit(torch.ones(1, 30))
    W = torch.randn(30, 30, generator=gen, dtype=torch.float64)
    net.W_ = (W + W.T).fill_diagonal_(0)  # any symmetric weights, zero diagonal
    net.b_ = torch.randn(30, generator=gen, dtype=torch.float64)
    x = torch.randint(0, 2, (20, 30), generator=gen).double() * 2 - 1
    r = net.recall(x, max_sweeps=50)
    dE = r.energies.diff(dim=0)  # (U, B)
    assert r.flipped.sum() > 100 and r.converged.all()
    assert (dE[r.flipped] < 0).all()  # every flip lowers E
    assert (dE[~r.flipped] == 0).all()  # E(x) recomputed from an unchanged state
    # the drop of a flip is 2 |sum_j w_ij x_j + b_i|, never 0
    assert dE[r.flipped].max() < -1e-9


def test_stored_patterns_are_fixed_points_and_attract_corrupted_ones():
    gen = torch.Generator().manual_seed(3)
    xi = torch.randint(0, 2, (3, 100), generator=gen).double() * 2 - 1  # P/N = 0.03
    net = Hopfield(100, rng=0).fit(xi)
    assert torch.equal(net.recall(xi).final, xi)
    noisy = xi.clone()
    noisy[:, :20] *= -1  # 20% of the bits flipped
    assert torch.equal(net.recall(noisy).final, xi)


# --------------------------------------------------------------------------- Boltzmann machine
def tiny_machine(seed=0, n_visible=3, n_hidden=2, scale=1.0, chains=CHAINS):
    bm = BoltzmannMachine(n_visible, n_hidden, chains=chains, rng=seed).initialize()
    gen = torch.Generator().manual_seed(seed)
    W = torch.triu(scale * torch.randn(bm.n, bm.n, generator=gen, dtype=torch.float64), 1)
    bm.W_, bm.b_ = W + W.T, scale * torch.randn(bm.n, generator=gen, dtype=torch.float64)
    return bm


def test_energy_is_the_sum_over_pairs_i_below_j():
    bm = tiny_machine()
    x = torch.tensor([1.0, 0, 1, 1, 0], dtype=torch.float64)
    by_hand = -(sum(x[i] * bm.W_[i, j] * x[j] for i in range(5) for j in range(i + 1, 5))
                + (bm.b_ * x).sum())
    assert bm.energy(x).item() == pytest.approx(by_hand.item())


@pytest.mark.parametrize("T", [1.0, 2.5])
def test_gibbs_sampling_visits_states_with_probability_exp_minus_E_over_T(T):
    bm = tiny_machine(seed=1)
    samples = bm.sample(CHAINS, sweeps=30, T=T)  # one sample from each independent chain
    _, p = bm.distribution(T)
    assert chi_square_p(samples, p) > 1e-3
    _, p_wrong = bm.distribution(2 * T)  # the test can tell a wrong temperature
    assert chi_square_p(samples, p_wrong) < 1e-6


def test_annealing_ends_in_low_energy_states():
    bm = tiny_machine(seed=2, n_visible=6, n_hidden=4, scale=2.0, chains=2000)
    from nnzoo.models.energy.boltzmann import annealing_schedule

    cold = bm.sample(2000, T=annealing_schedule(10.0, 0.05, 60), sweeps=60)
    hot = bm.sample(2000, T=10.0, sweeps=60)
    x, _ = bm.distribution()
    E_min = bm.energy(x).min()
    assert bm.energy(cold).mean() < E_min + 0.5 < bm.energy(hot).mean()


def exact_bm_gradient(bm, V):
    """<x x^T>_clamped - <x x^T>_free and the same for <x>, by enumeration."""
    x, p = bm.distribution()
    h = all_states(bm.n_hidden)
    pos_xx, pos_x = 0, 0
    for v in V:
        xv = torch.cat([v.expand(len(h), -1), h], 1)  # (2^n_h, n)
        q = torch.softmax(-bm.energy(xv), 0)  # p(h | v)
        pos_xx = pos_xx + (xv.T * q) @ xv / len(V)
        pos_x = pos_x + q @ xv / len(V)
    dW = pos_xx - (x.T * p) @ x
    return dW.fill_diagonal_(0), pos_x - p @ x


def test_the_learning_rule_estimates_the_exact_log_likelihood_gradient():
    bm = tiny_machine(seed=3, scale=0.7)
    bm.sweeps = 30
    V = torch.tensor([[1.0, 1, 1], [1, 1, 0], [1, 1, 1]], dtype=torch.float64)
    dW, db = bm.gradient(V)
    dW_exact, db_exact = exact_bm_gradient(bm, V)
    assert (dW - dW_exact).abs().max() < 0.02 and (db - db_exact).abs().max() < 0.02
    assert dW_exact.abs().max() > 0.2 and db_exact.abs().max() > 0.2  # not trivially small


def test_fit_lowers_the_kl_divergence_to_the_data():
    V = torch.tensor([[1.0, 1, 0], [0, 0, 1]], dtype=torch.float64)
    bm = BoltzmannMachine(3, 1, lr=0.2, epochs=600, chains=100, rng=0)

    def kl():
        v, p = bm.visible_distribution()
        return sum(0.5 * math.log(0.5 / p[int(4 * a + 2 * b + c)].item()) for a, b, c in V.int())

    bm.initialize()
    before = kl()
    bm.fit(V)
    assert kl() < 0.1 < 1.0 < before


# --------------------------------------------------------------------------- RBM
def tiny_rbm(seed=0, n_visible=4, n_hidden=3, scale=1.0, **kw):
    rbm = RBM(n_visible, n_hidden, rng=seed, **kw).initialize(dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    rbm.W_ = scale * torch.randn(n_visible, n_hidden, generator=gen, dtype=torch.float64)
    rbm.b_ = scale * torch.randn(n_visible, generator=gen, dtype=torch.float64)
    rbm.c_ = scale * torch.randn(n_hidden, generator=gen, dtype=torch.float64)
    return rbm


def rbm_joint(rbm):
    """Every (v, h) as rows of (2^(D+H), D + H) and exp(-E(v, h)) / Z."""
    D = rbm.n_visible
    x = all_states(D + rbm.n_hidden)
    return x, torch.softmax(-rbm.energy(x[:, :D], x[:, D:]), 0)


def test_rbm_energy_by_hand():
    rbm = tiny_rbm(n_visible=2, n_hidden=1)
    rbm.W_, rbm.b_, rbm.c_ = (torch.tensor([[0.5], [-1.0]], dtype=torch.float64),
                              torch.tensor([0.2, 0.3], dtype=torch.float64),
                              torch.tensor([-0.4], dtype=torch.float64))
    v, h = torch.tensor([[1.0, 1.0]], dtype=torch.float64), torch.tensor([[1.0]],
                                                                         dtype=torch.float64)
    # E = -(0.2 + 0.3 - 0.4 + 0.5 - 1.0) = 0.4
    assert rbm.energy(v, h).item() == pytest.approx(0.4)


def test_alternating_gibbs_sampling_visits_v_h_with_probability_exp_minus_E_over_Z():
    rbm = tiny_rbm(seed=1)
    v0 = torch.randint(0, 2, (CHAINS, 4), generator=torch.Generator().manual_seed(1)).double()
    v, h = rbm.gibbs(v0, steps=30)
    x, p = rbm_joint(rbm)
    assert chi_square_p(torch.cat([v, h], 1), p) > 1e-3
    rbm.W_ *= 1.5  # the test can tell another machine's distribution
    assert chi_square_p(torch.cat([v, h], 1), rbm_joint(rbm)[1]) < 1e-6


def test_free_energy_and_pseudo_likelihood_by_enumeration():
    rbm = tiny_rbm(seed=2)
    x, p = rbm_joint(rbm)
    v_all = all_states(4)
    # F(v) = -log sum_h e^{-E(v, h)}
    F_enum = -torch.logsumexp(-rbm.energy(x[:, :4], x[:, 4:]).reshape(16, 8), 1)
    assert torch.allclose(rbm.free_energy(v_all), F_enum)
    p_v = p.reshape(16, 8).sum(1)
    # p(v_i | v_-i) = p(v) / (p(v) + p(v with v_i flipped))
    pl = torch.zeros(16, dtype=torch.float64)
    for i in range(4):
        flipped = (torch.arange(16) ^ (1 << (3 - i)))
        pl += torch.log(p_v / (p_v + p_v[flipped]))
    assert torch.allclose(rbm.pseudo_likelihood(v_all), pl)
    assert torch.allclose(rbm.pseudo_likelihood(v_all, chunk=12), pl)  # in chunks of one


def exact_rbm_gradient(rbm, V):
    x, p = rbm_joint(rbm)
    v, h = x[:, :4], x[:, 4:]
    p0 = rbm.hidden_probs(V)
    return (V.T @ p0 / len(V) - (v.T * p) @ h, V.mean(0) - p @ v, p0.mean(0) - p @ h)


def test_cd_with_large_k_approaches_the_exact_log_likelihood_gradient():
    rbm = tiny_rbm(seed=3, scale=1.5)
    V = torch.tensor([[1.0, 0, 1, 0], [0, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1]],
                     dtype=torch.float64)
    exact = exact_rbm_gradient(rbm, V)
    batch = V.repeat(CHAINS // 4, 1)
    errors = {}
    for k in (1, 50):
        rbm.k = k
        errors[k] = max((g - e).abs().max().item() for g, e in zip(rbm.gradient(batch), exact))
    assert errors[50] < 0.02 < 0.05 < errors[1]  # CD-1 is biased; CD-50 is not, nearly


@pytest.mark.parametrize("path", ["step", "partial_fit"])
@pytest.mark.parametrize("persistent", [False, True])
def test_one_cd1_step_by_hand(path, persistent):
    """The course's update (`step`) and the fused one that `partial_fit` makes, alike."""
    rbm = RBM(2, 1, lr=0.1, k=1, persistent=persistent, batch_size=1, rng=0)
    rbm.initialize(dtype=torch.float64)
    rbm.W_ = torch.tensor([[0.5], [-1.0]], dtype=torch.float64)
    rbm.b_ = torch.tensor([20.0, -20.0], dtype=torch.float64)  # v_1 = (1, 0), but for 2e-9
    rbm.c_ = torch.tensor([0.2], dtype=torch.float64)
    v0 = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    if path == "step":
        assert rbm.step(v0).tolist() == [[1.0, 0.0]]
    else:
        rbm.partial_fit(v0)  # one row: one mini-batch
    p0, p1 = 1 / (1 + math.exp(0.3)), 1 / (1 + math.exp(-0.7))  # sigma(0.2 + 0.5 - 1), sigma(0.7)
    if persistent:
        assert rbm.chains_.tolist() == [[1.0, 0.0]]
    # W <- W + eta (v0^T p(h | v0) - v1^T p(h | v1))
    assert rbm.W_[:, 0].tolist() == pytest.approx([0.5 + 0.1 * (p0 - p1), -1.0 + 0.1 * p0])
    assert rbm.b_.tolist() == pytest.approx([20.0, -20.0 + 0.1])
    assert rbm.c_.tolist() == pytest.approx([0.2 + 0.1 * (p0 - p1)])


@pytest.mark.parametrize("persistent", [False, True])
def test_an_epoch_updates_once_from_every_mini_batch(persistent):
    # b = -20 keeps every v^k at 0 (but for 2e-9), so each mini-batch adds eta <v^0> to b:
    # 25 equal rows in batches of 10, 10 and 5 add it three times
    rbm = RBM(3, 2, lr=0.1, batch_size=10, persistent=persistent, rng=0)
    rbm.initialize(dtype=torch.float64)
    rbm.b_ = torch.full((3,), -20.0, dtype=torch.float64)
    x = torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)
    rbm.partial_fit(x.repeat(25, 1))
    assert rbm.b_.tolist() == pytest.approx((-20 + 3 * 0.1 * x).tolist())


def test_persistent_cd_keeps_its_chains_between_updates():
    rbm = tiny_rbm(seed=4, persistent=True, batch_size=4)
    V = torch.ones(4, 4, dtype=torch.float64)
    vk = rbm.step(V)
    assert torch.equal(rbm.chains_, vk)
    rbm.k = 50
    assert not torch.equal(rbm.gradient(V)[3], V)
    with pytest.raises(ValueError, match="4 chains"):
        rbm.step(torch.ones(5, 4, dtype=torch.float64))


def test_training_resumes_from_its_state_dict_to_the_same_weights():
    X = torch.randint(0, 2, (50, 6), generator=torch.Generator().manual_seed(0)).float()
    a = RBM(6, 4, rng=7).partial_fit(X)
    state = a.state_dict()
    a.partial_fit(X)
    b = RBM(6, 4, rng=99)
    b.load_state_dict(state)
    b.partial_fit(X)
    assert torch.equal(a.W_, b.W_) and torch.equal(a.c_, b.c_) and b.n_epochs_ == 2


def test_an_rbm_learns_to_put_its_probability_on_the_data():
    V = torch.tensor([[1.0, 1, 0, 0], [0, 0, 1, 1]], dtype=torch.float64).repeat(50, 1)
    rbm = RBM(4, 2, lr=0.1, epochs=200, rng=0).fit(V)
    F = rbm.free_energy(all_states(4))
    p = torch.softmax(-F, 0)  # p(v) = e^{-F(v)} / Z
    assert p[0b1100] + p[0b0011] > 0.8


def test_a_recall_replays_its_flips_to_every_intermediate_state():
    net = Hopfield(8, rng=0).fit(torch.tensor([[1.0, -1, 1, -1, 1, -1, 1, -1]]))
    r = net.recall(torch.tensor([[1.0, 1, 1, 1, 1, 1, 1, 1]]))
    assert torch.equal(r.state_after(0), r.states[0])
    assert torch.equal(r.state_after(8), r.states[1])
    assert torch.equal(r.state_after(len(r.units)), r.final)
    for t in range(9):  # E of the replayed state is the energy recorded after update t
        assert net.energy(r.state_after(t)).item() == r.energies[t, 0].item()


# CD-k with k > 1 and persistent CD on a machine where k and the chain's start matter
def bimodal_rbm(**kw):
    """A 3-2 RBM with two modes, v = 111 (h_1 on) and v = 000 (h_2 on), weights of +-2: its
    chain takes tens of steps to forget where it started, so the distribution of v_k depends
    on k and on the chain's start (the biases of +-20 above fix v_k whatever came before)."""
    rbm = RBM(3, 2, rng=5, **kw).initialize(dtype=torch.float64)
    rbm.W_ = torch.tensor([[2.0, -2.0]] * 3, dtype=torch.float64)
    rbm.b_ = torch.zeros(3, dtype=torch.float64)
    rbm.c_ = torch.tensor([-3.0, 3.0], dtype=torch.float64)
    return rbm


def transition(rbm):
    """T[v, v'] = sum_h p(h | v) p(v' | h), over every visible state (2^D, 2^D): v_k of a chain
    started at v is distributed as row v of T^k."""
    v, h = all_states(rbm.n_visible), all_states(rbm.n_hidden)

    def given(x, p):  # (S_x, S_p) prod_i p_i^x_i (1 - p_i)^(1 - x_i)
        return torch.prod(torch.where(x.bool()[None], p[:, None], 1 - p[:, None]), -1)

    return given(h, rbm.hidden_probs(v)) @ given(v, rbm.visible_probs(h))


def expected_cd_gradient(rbm, v0, pi):
    """<v^0 p(h | v^0)^T> - sum_v pi(v) v p(h | v)^T: the mean of CD's dW when v_k ~ pi."""
    v = all_states(rbm.n_visible)
    return v0.T @ rbm.hidden_probs(v0) / len(v0) - (v.T * pi) @ rbm.hidden_probs(v)


@pytest.mark.parametrize("path", ["step", "fused"])
@pytest.mark.parametrize("persistent", [False, True])
def test_cd3_and_persistent_cd_sample_v_k_from_the_chain_k_steps_on(path, persistent):
    """Two updates from the data v^0 = 111, every chain of persistent CD starting at 000: CD-3
    samples v_k from row 111 of T^3 both times; persistent CD-3 from row 000 of T^3 and then of
    T^6 (its chains go on). Checked by chi-square on v_k of the second update and on the mean
    update over both, with the readable `step` and the fused loop of `partial_fit`."""
    lr = 1e-3  # two small updates: the machine, and so T, hardly changes in between
    rbm = bimodal_rbm(k=3, persistent=persistent, batch_size=CHAINS, lr=lr)
    rbm.chains_.zero_()  # the chains' start, 000
    W0 = rbm.W_.clone()
    v0 = torch.ones(CHAINS, 3, dtype=torch.float64)
    T = transition(rbm)
    Tk = {k: torch.linalg.matrix_power(T, k) for k in (1, 2, 3, 6)}
    start = 0 if persistent else 7  # the row of T^k: the chains' start, or the data
    pi1 = Tk[3][start]  # v_k of the first update
    pi2 = Tk[6][start] if persistent else pi1  # and of the second
    expected = (expected_cd_gradient(rbm, v0, pi1) + expected_cd_gradient(rbm, v0, pi2)) / 2
    # what a broken update would sample (first, second): k = 1; persistent chains restarted
    # at the data, or at their first start (not carried over)
    wrong = ([(Tk[1][0], Tk[2][0]), (Tk[3][7], Tk[3][7]), (Tk[3][0], Tk[3][0])] if persistent
             else [(Tk[1][7], Tk[1][7])])
    if path == "step":
        rbm.step(v0)
        vk = rbm.step(v0)
    else:  # both mini-batches in one call of the fused loop
        A, _ = rbm._updates(torch.cat([v0, v0]), torch.arange(2 * CHAINS), CHAINS)
        vk = A[CHAINS:, :3]
    assert chi_square_p(vk, pi2) > 1e-3
    for _, second in wrong:  # the test can tell them
        assert chi_square_p(vk, second) < 1e-6
    if persistent:
        assert torch.equal(rbm.chains_, vk)
    # the mean of the two updates: eta times the mean of the two expected gradients
    dW = (rbm.W_ - W0) / (2 * lr)
    assert (dW - expected).abs().max() < 0.02
    for first, second in wrong:  # twice the tolerance from each broken update's mean
        broken = (expected_cd_gradient(rbm, v0, first) + expected_cd_gradient(rbm, v0, second)) / 2
        assert (broken - expected).abs().max() > 0.04


def test_an_epoch_is_the_readable_step_on_each_mini_batch_unless_fused():
    X = torch.randint(0, 2, (25, 4), generator=torch.Generator().manual_seed(1)).double()
    a, b = tiny_rbm(seed=5, batch_size=10), tiny_rbm(seed=5, batch_size=10)
    a.partial_fit(X)
    order = torch.randperm(25, generator=b._generator(X.device))  # partial_fit's draw
    for i in range(0, 25, 10):  # batches of 10, 10 and 5
        b.step(X[order[i:i + 10]])
    assert torch.equal(a.W_, b.W_) and torch.equal(a.b_, b.b_) and torch.equal(a.c_, b.c_)
    c = tiny_rbm(seed=5, batch_size=10, fused=True).partial_fit(X)
    assert not torch.equal(a.W_, c.W_)  # the fused loop draws its noise otherwise


@pytest.mark.parametrize("persistent", [False, True])
def test_the_fused_loop_makes_the_readable_steps_updates_in_distribution(persistent):
    """One mini-batch of CHAINS rows v^0 = 1011 (persistent CD's chains at 0000): the update
    of `step` (the default) and of the fused loop (fused=True) each match CD-1's expected
    gradient, computed exactly, within about 4 standard errors, and each other."""
    lr = 1e-3
    v0 = torch.tensor([[1.0, 0, 1, 1]], dtype=torch.float64).repeat(CHAINS, 1)
    before = tiny_rbm(seed=3, persistent=persistent, batch_size=CHAINS, lr=lr)
    pi = transition(before)[0 if persistent else 0b1011]  # v_1: one step from the start
    expected = expected_cd_gradient(before, v0, pi)
    updates = {}
    for fused in (False, True):
        rbm = tiny_rbm(seed=3, persistent=persistent, batch_size=CHAINS, lr=lr, fused=fused)
        rbm.partial_fit(v0)
        updates[fused] = ((rbm.W_ - before.W_) / lr, (rbm.b_ - before.b_) / lr)
        assert (updates[fused][0] - expected).abs().max() < 0.03
    for readable, fused in zip(updates[False], updates[True]):
        assert (readable - fused).abs().max() < 0.04
