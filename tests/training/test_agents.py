import torch

from nnzoo.training.agents import SOLVED_MEAN, solved_at
from nnzoo.training.supervised import torch_threads


def test_solved_at_is_the_step_where_the_mean_of_100_episodes_first_reaches_475():
    # 99 episodes of 500 and then 400: the mean of the first 100 is 499.0
    history = [{"step": 10 * (i + 1), "return": 500.0 if i < 99 else 400.0} for i in range(100)]
    assert solved_at(history) == 1000
    assert solved_at(history[:99]) is None  # fewer than 100 episodes: not yet
    # mean 474.99... over the first 100, 475 once the first of them leaves the window
    low = [{"step": i + 1, "return": 475.0 - (1.0 if i == 0 else 0.0)} for i in range(101)]
    assert solved_at(low) == 101 and SOLVED_MEAN == 475.0
    assert solved_at(low, threshold=474.99) == 100


def test_torch_threads_puts_the_old_setting_back():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_torch_threads_never_exceeds_an_enclosing_block():
    # a sweep runs each run inside torch_threads(cores // jobs); a run asking for more gets that
    before = torch.get_num_threads()
    with torch_threads(1):
        with torch_threads(4):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 1
    with torch_threads(2):
        with torch_threads(1):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
    assert torch.get_num_threads() == before
