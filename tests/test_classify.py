"""Image classifiers as the CNN experiments train them: standardised images, Adam under a
one-cycle schedule."""

import pytest
import torch

from nnzoo.classify import adam_one_cycle, load_images


def test_images_are_standardised_with_the_training_images_statistics():
    images = load_images("digits")
    assert images.X.shape[1:] == (1, 8, 8) and len(images.X) == len(images.y)
    assert abs(images.X.mean().item()) < 1e-5 and images.X.std().item() == pytest.approx(1)
    raw = images.data.tensors()[2]  # the test images in [0, 1]
    mean, std = images.data.tensors()[0].mean(), images.data.tensors()[0].std()
    torch.testing.assert_close(images.X_test, (raw - mean) / std)


def test_one_cycle_peaks_at_lr_after_a_quarter_of_the_mini_batches_then_anneals():
    model = torch.nn.Linear(3, 2)
    opt, sched = adam_one_cycle(model, lr=0.01, epochs=2, batch_size=10, n_train=95)
    steps = 2 * 10  # ceil(95 / 10) mini-batches per epoch
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert max(lrs) == pytest.approx(0.01) and lrs.index(max(lrs)) == round(0.25 * steps) - 1
    assert lrs[0] < 0.01 / 10 and lrs[-1] < 0.01 / 1000
