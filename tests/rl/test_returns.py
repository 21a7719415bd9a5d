import math

import pytest
import torch

from nnzoo.rl.returns import (
    average_reward,
    discounted_return,
    discounted_returns,
    finite_horizon_return,
    n_step_returns,
)

REWARDS = [1.0, 0.0, 2.0, -1.0]


def test_the_three_models_of_optimality_by_hand():
    assert finite_horizon_return(REWARDS, 2) == 1.0
    assert finite_horizon_return(REWARDS, 3) == 3.0
    # 1 + 0.5*0 + 0.25*2 + 0.125*(-1)
    assert discounted_return(REWARDS, 0.5) == pytest.approx(1.375)
    assert average_reward(REWARDS) == pytest.approx(0.5)
    assert average_reward(REWARDS, 3) == pytest.approx(1.0)


def test_a_fast_nickel_against_a_slow_dime():
    nickel, dime = [5.0, 0, 0, 0], [0, 0, 0, 10.0]
    # gamma^3 * 10 > 5 exactly when gamma > 0.5^(1/3)
    g = 0.5 ** (1 / 3)
    assert discounted_return(dime, g + 0.01) > discounted_return(nickel, g + 0.01)
    assert discounted_return(dime, g - 0.01) < discounted_return(nickel, g - 0.01)
    assert finite_horizon_return(nickel, 3) > finite_horizon_return(dime, 3)
    assert average_reward(nickel) < average_reward(dime)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        discounted_return(REWARDS, 1.5)
    with pytest.raises(ValueError):
        average_reward(REWARDS, 0)


def test_discounted_returns_from_every_step_equal_the_sum():
    r = torch.tensor(REWARDS, dtype=torch.float64)
    G = discounted_returns(r, 0.9)
    for t in range(len(r)):
        assert G[t].item() == pytest.approx(discounted_return(REWARDS[t:], 0.9))


def test_discounted_returns_reset_at_each_point_by_hand():
    # Pong: a point (r != 0) ends a game; the sum restarts after it
    r = torch.tensor([0.0, 0.0, 1.0, 0.0, -1.0])
    G = discounted_returns(r, 0.5, reset=True)
    torch.testing.assert_close(G, torch.tensor([0.25, 0.5, 1.0, -0.5, -1.0]))
    # without the reset, the point lost at the end reaches back past the point won
    torch.testing.assert_close(discounted_returns(r, 0.5),
                               torch.tensor([0.1875, 0.375, 0.75, -0.5, -1.0]))


def test_n_step_returns_by_hand():
    # two envs, n = 3; env 1's episode ends after its second step
    r = torch.tensor([[1.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    done = torch.tensor([[0.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    V = torch.tensor([10.0, 20.0])
    Q = n_step_returns(r, done, V, gamma=0.5)
    # env 0: Q_0 = 1 + .5*2 + .25*4 + .125*10
    assert Q[0, 0].item() == pytest.approx(1 + 1 + 1 + 1.25)
    assert Q[2, 0].item() == pytest.approx(4 + 5)
    # env 1: the episode ends at step 1, so Q_0 = 1 + .5*3 and Q_2 starts a new one: 5 + .5*20
    assert Q[0, 1].item() == pytest.approx(2.5)
    assert Q[1, 1].item() == pytest.approx(3.0)
    assert Q[2, 1].item() == pytest.approx(15.0)
    assert not math.isnan(Q.sum().item())
