"""mnist-cnn: NetConv, two convolution layers with weight sharing and max pooling, makes fewer
test errors than the zoo's fully connected networks (NetLin, NetFull), trained in the same run
by their own experiments' defaults (fashion-cnn tells the same story on clothes)."""

from __future__ import annotations

from nnzoo.experiments.cnn._configs import (
    REAL_DATA,
    MnistCnnConfig,
    MnistLinearConfig,
    MnistMlpConfig,
)
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run


@experiment(
    "mnist-cnn", kind="supervised", config=MnistCnnConfig, seconds=33, parallel=True,
    claim="NetConv, two convolution layers with weight sharing and max pooling, makes fewer "
          "test errors than the zoo's fully connected networks (NetLin and NetFull, trained "
          "in the same run by mnist-linear's and mnist-mlp's defaults): at most 1 in 100 "
          "after two epochs",
    expects="NetConv's test errors < NetLin's and < NetFull's, and <= 1% of MNIST's 10,000 "
            "test images (accuracy >= 99%)", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def run(cfg: MnistCnnConfig, run: Run) -> Result:
    from nnzoo.classify import train_fully_connected

    c = classify_images(cfg, run)
    # the references: the fully connected networks of mnist-linear and mnist-mlp, as trained
    # by those experiments' defaults
    fc = {name: train_fully_connected(name, config(), c.images, run).errors
          for name, config in (("netlin", MnistLinearConfig), ("netfull", MnistMlpConfig))}
    n = len(c.images.y_test)
    passed = c.errors <= 0.01 * n and all(c.errors < e for e in fc.values())
    return Result(passed, f"{c.errors} test errors in {n:,} ({c.test_acc:.2%} accuracy on "
                          f"{c.images.data.name}); NetFull {fc['netfull']}, NetLin "
                          f"{fc['netlin']}",
                  {"test_acc": c.test_acc, "errors": c.errors,
                   **{f"{name}_errors": e for name, e in fc.items()}})


def classify_images(cfg: MnistCnnConfig, run: Run):
    """Train the CNN that --model names on cfg.data and draw its pictures:
    -> nnzoo.classify.Classified."""
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
    return c
