import numpy as np
import pytest
import torch

from nnzoo.random import as_stream, stream


def test_a_stream_is_a_function_of_seed_and_name():
    a, b = stream(0, "init", 3), stream(0, "init", 3)
    assert a.numpy.random() == b.numpy.random()
    assert torch.equal(torch.rand(4, generator=a.torch), torch.rand(4, generator=b.torch))
    others = [stream(0, "init", 4), stream(1, "init", 3), stream(0, "data", 3), stream(0, "init")]
    firsts = {s.numpy.random() for s in others} | {stream(0, "init", 3).numpy.random()}
    assert len(firsts) == 5


def test_streams_do_not_depend_on_each_other_or_on_the_global_generators():
    first = stream(0, "x").numpy.random(3)
    np.random.seed(123)
    torch.manual_seed(123)
    stream(0, "y").numpy.random(1000)  # drawing from another stream changes nothing
    np.testing.assert_array_equal(stream(0, "x").numpy.random(3), first)
    state = torch.get_rng_state()
    torch.rand(3, generator=stream(0, "x").torch)
    assert torch.equal(torch.get_rng_state(), state)


def test_names_and_indices_are_told_apart():
    assert stream(0, 7).numpy.random() != stream(0, "\x07").numpy.random()
    assert stream(0, "ab").numpy.random() != stream(0, "a", "b").numpy.random()
    assert stream(0, "a").child("b").numpy.random() == stream(0, "a", "b").numpy.random()


def test_a_stream_goes_on_exactly_after_its_state_is_loaded():
    s = stream(2, "agent")
    s.numpy.random(5), torch.rand(5, generator=s.torch)
    saved = s.state_dict()
    x, y = s.numpy.random(3), torch.rand(3, generator=s.torch)
    s.load_state_dict(saved)
    np.testing.assert_array_equal(s.numpy.random(3), x)
    assert torch.equal(torch.rand(3, generator=s.torch), y)


def test_as_stream_takes_streams_ints_and_none():
    s = stream(0, "a")
    assert as_stream(s) is s
    assert as_stream(5).numpy.random() == stream(5).numpy.random()
    assert as_stream(None).numpy.random() != as_stream(None).numpy.random()
    with pytest.raises(ValueError):
        stream(-1)
    with pytest.raises(TypeError):
        stream(0, 1.5)
