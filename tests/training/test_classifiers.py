"""Image classifiers as the CNN experiments train them: standardised images, Adam under a
one-cycle schedule."""

import numpy as np
import pytest
import torch

from nnzoo.data.imageset import load_images
from nnzoo.training.classifiers import adam_one_cycle, class_accuracy, confused_pairs


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


# rows: true class, columns: predicted; 0 and 2 are taken for each other 3 + 4 = 7 times,
# 1 and 2 only one way (5 + 0), 0 and 1 once each way (1 + 1)
CONFUSION = np.array([[10, 1, 3],
                      [1, 20, 5],
                      [4, 0, 6]])


def test_confused_pairs_add_both_directions_most_first():
    assert confused_pairs(CONFUSION) == [(0, 2, 7), (1, 2, 5), (0, 1, 2)]


def test_confused_pairs_keep_the_order_of_ties_and_count_never_confused_ones():
    cm = np.diag([5, 5, 5, 5])
    cm[3, 0] = cm[1, 2] = 2
    assert confused_pairs(cm) == [(0, 3, 2), (1, 2, 2), (0, 1, 0), (0, 2, 0), (1, 3, 0),
                                  (2, 3, 0)]


def test_class_accuracy_is_the_diagonal_over_each_true_class():
    np.testing.assert_allclose(class_accuracy(CONFUSION), [10 / 14, 20 / 26, 6 / 10])


def test_mnist_cnns_training_options_share_train_classifiers_defaults():
    # gan-digits judges with "mnist-cnn at its defaults" by calling train_classifier bare
    import dataclasses
    import inspect

    from nnzoo import registry
    from nnzoo.training.classifiers import train_classifier

    fields = {f.name: f.default for f in dataclasses.fields(registry.get("mnist-cnn").config)}
    params = inspect.signature(train_classifier).parameters
    for name in ("epochs", "batch_size", "lr"):
        assert fields[name] == params[name].default, name
