"""mnist-cnn: NetConv, two convolution layers with weight sharing and max pooling, beats every
fully connected network (fashion-cnn tells the same story on clothes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.experiments.cnn._configs import REAL_DATA, ImageClassifierConfig
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class MnistCnnConfig(ImageClassifierConfig):
    model: Literal["netconv", "lenet5"] = "netconv"
    """netconv: two 5x5 convolution layers (with batch norm), max pooling, a fully connected
    layer; lenet5: LeCun's LeNet-5 (tanh, average pooling, no batch norm)."""
    channels1: PositiveInt = 16
    """NetConv: feature maps of the first convolution layer."""
    channels2: PositiveInt = 32
    """NetConv: feature maps of the second convolution layer."""
    kernel: PositiveInt = 5
    """NetConv: kernel size M = N (odd; padding (M-1)/2 keeps the image size)."""
    hidden: PositiveInt = 128
    """NetConv: units of the fully connected layer."""
    batch_norm: bool = True
    """NetConv: batch-normalise each convolution layer's output."""


@experiment(
    "mnist-cnn", kind="supervised", config=MnistCnnConfig,
    claim="NetConv, two convolution layers with weight sharing and max pooling, beats every "
          "fully connected network: about 1 error in 150 after two epochs",
    expects="test accuracy >= 99% on MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def run(cfg: MnistCnnConfig, run: Run) -> Result:
    return classify_images(cfg, run, target=0.99)


def classify_images(cfg: MnistCnnConfig, run: Run, target: float) -> Result:
    """Train the CNN that --model names on cfg.data; PASS when its test accuracy >= target."""
    import torch

    from nnzoo.classify import load_images, train_classifier
    from nnzoo.models.cnn import build_cnn
    from nnzoo.registry import build
    from nnzoo.viz.images import classifier_figures

    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    c = train_classifier(lambda shape, k: build(build_cnn, cfg, in_shape=shape, classes=k),
                         images, run, epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    model = c.model.eval()
    kernels = model.input_weights().detach().cpu()  # (C_1, C, M, N)
    with torch.no_grad():  # one test image through the convolution layers
        maps = model.hidden(images.X_test[:1])  # [(1, C_1, H/2, W/2), ...]
    stages = [("input", images.X_test[0])] + [(f"layer {k}", m[0])
                                              for k, m in enumerate(maps, 1)]
    size = "x".join(map(str, kernels.shape[2:]))
    for name, fig in classifier_figures(c, kernels, f"first-layer kernels, {size} (red +, "
                                        "blue -)", stages=stages).items():
        run.save_figure(fig, name)
    return Result(c.test_acc >= target, f"{c.test_acc:.2%} test accuracy on "
                  f"{images.data.name} ({len(images.y_test):,} test images)",
                  {"test_acc": c.test_acc, "errors": c.errors})
