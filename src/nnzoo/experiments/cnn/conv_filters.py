"""conv-filters: first-layer units of a CNN trained on MNIST detect local strokes and edges;
units of deeper layers see larger parts of the digit and respond more to one class."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.cnn._shared import REAL_DATA, ImageClassifierConfig
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class ConvFiltersConfig(ImageClassifierConfig):
    channels1: PositiveInt = 16
    """Feature maps of the first convolution layer (5x5 kernels)."""
    channels2: PositiveInt = 32
    """Feature maps of the second convolution layer."""
    channels3: PositiveInt = 64
    """Feature maps of the third convolution layer."""
    epochs: PositiveInt = 1
    """Passes through the training images."""
    units: PositiveInt = 16
    """Units shown (and measured) per layer: the most active ones (16: with 8, the mean
    purity was too noisy to order the layers at one seed in three)."""
    top: PositiveInt = 9
    """Test images shown per unit: those with the strongest response anywhere."""


@experiment(
    "conv-filters", kind="supervised", config=ConvFiltersConfig, seconds=36, parallel=True,
    claim="first-layer units of a CNN trained on MNIST detect local strokes and edges; units "
          "of deeper layers see larger parts of the digit and respond more to one class",
    expects="the top-9 test images of a unit share a class more often the deeper the unit: "
            "mean class purity rises from layer 1 to layer 2 to layer 3",
    data=REAL_DATA,
    smoke={"data": "digits", "channels1": 4, "channels2": 4, "channels3": 4, "units": 2,
           "top": 3},
)
def run(cfg: ConvFiltersConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import NetConv
    from nnzoo.models.cnn_units import top_images
    from nnzoo.training.classifiers import train_classifier

    channels = (cfg.channels1, cfg.channels2, cfg.channels3)
    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    c = train_classifier(lambda s, k: NetConv(s, channels, 5, 128, k), images, run,
                         epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    model, Xt, classes = c.model.eval(), images.X_test, len(images.data.classes)
    run.log(f"test accuracy {c.test_acc:.2%}")
    purity, picks = [], []
    for layer in range(3):
        with torch.no_grad():
            maps = torch.cat([model.hidden(Xt[i:i + 1000])[layer]
                              for i in range(0, len(Xt), 1000)])  # (N, C, h, w)
        units = maps.flatten(2).amax(2).mean(0).argsort(descending=True)[:cfg.units]
        top, positions = top_images(maps[:, units], cfg.top)  # (U, top) each
        labels = torch.as_tensor(images.data.y_test)[top.cpu()]  # (U, top)
        # a unit's class purity: the share of its top images that are of their commonest class
        share = [np.bincount(row, minlength=classes).max() / cfg.top for row in labels.numpy()]
        purity.append(float(np.mean(share)))
        picks.append((units, top, positions))
        run.log(f"layer {layer + 1}: mean class purity of the top-{cfg.top} images "
                f"{purity[-1]:.2f} ({cfg.units} most active units)")
    run.save_figure(_filters_figure(model, Xt, picks, purity), "filters")
    rising = purity[0] < purity[1] < purity[2]
    return Result(rising, "class purity of the top images by layer: "
                  + " < ".join(f"{p:.2f}" for p in purity) if rising else
                  "class purity does not rise with depth: " + ", ".join(f"{p:.2f}"
                                                                        for p in purity),
                  {"test_acc": c.test_acc, "purity_layer1": purity[0],
                   "purity_layer2": purity[1], "purity_layer3": purity[2]})


def _filters_figure(model, Xt, picks, purity):
    """The course's "Convolutional Filters" picture: first-layer kernels; for each layer,
    rows of units, each with the input patches that excite it most."""
    import numpy as np
    from matplotlib.figure import Figure

    from nnzoo.models.cnn_units import receptive_patch

    kernels = model.input_weights().detach().cpu()[:, 0].numpy()  # (C_1, 5, 5)
    units, top = picks[0][1].shape
    fig = Figure(figsize=(1.0 * top * 3 + 1, 1.0 * (units + 1.5)), layout="constrained")
    grid = fig.add_gridspec(units + 1, 3)
    kernel_row = grid[0, :].subgridspec(1, len(kernels))
    for k, kern in enumerate(kernels):
        ax = fig.add_subplot(kernel_row[0, k])
        m = float(abs(kern).max())
        ax.imshow(kern, cmap="RdBu_r", vmin=-m, vmax=m)
        ax.set_axis_off()
        if k == len(kernels) // 2:
            ax.set_title("first-layer kernels (red +, blue -)", fontsize=10)
    for layer, (unit_ids, images, positions) in enumerate(picks):
        for u in range(units):
            row = grid[u + 1, layer].subgridspec(1, top)
            for t in range(top):
                patch = receptive_patch(model.hidden, Xt[images[u, t]], layer,
                                        int(unit_ids[u]), int(positions[u, t]))
                ax = fig.add_subplot(row[0, t])
                ax.imshow(np.asarray(patch[0].detach().cpu()), cmap="gray_r")
                ax.set_axis_off()
                if u == 0 and t == top // 2:
                    ax.set_title(f"layer {layer + 1}: class purity {purity[layer]:.2f}",
                                 fontsize=10)
    fig.suptitle("what units respond to: for each layer, its most active units (one per row) "
                 "and the input patches that excite each most")
    return fig
