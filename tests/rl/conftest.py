import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread():
    """The agents' networks are small: one thread is fastest, and several spin on a busy CPU."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
