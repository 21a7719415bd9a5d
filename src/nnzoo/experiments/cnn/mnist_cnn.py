"""mnist-cnn: NetConv, two convolution layers with weight sharing and max pooling, makes fewer
test errors than the zoo's fully connected networks (NetLin, NetFull), trained in the same run
by their own experiments' defaults (fashion-cnn tells the same story on clothes)."""

from __future__ import annotations

from nnzoo.experiments.cnn._shared import (
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
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import build_cnn
    from nnzoo.registry import build
    from nnzoo.training.classifiers import train_cnn, train_fully_connected

    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    c = train_cnn(lambda s, k: build(build_cnn, cfg, in_shape=s, classes=k), images, run,
                  epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    # the references: the fully connected networks of mnist-linear and mnist-mlp, as trained
    # by those experiments' defaults
    lin, mlp = MnistLinearConfig(), MnistMlpConfig()
    fc = {"netlin": train_fully_connected("netlin", images, run, epochs=lin.epochs,
                                          batch_size=lin.batch_size, lr=lin.lr).errors,
          "netfull": train_fully_connected("netfull", images, run, epochs=mlp.epochs,
                                           batch_size=mlp.batch_size, lr=mlp.lr,
                                           hidden=mlp.hidden, activation=mlp.activation).errors}
    n = len(c.images.y_test)
    passed = c.errors <= 0.01 * n and all(c.errors < e for e in fc.values())
    return Result(passed, f"{c.errors} test errors in {n:,} ({c.test_acc:.2%} accuracy on "
                          f"{c.images.data.name}); NetFull {fc['netfull']}, NetLin "
                          f"{fc['netlin']}",
                  {"test_acc": c.test_acc, "errors": c.errors,
                   **{f"{name}_errors": e for name, e in fc.items()}})

