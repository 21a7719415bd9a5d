"""mnist-mlp: NetFull, one fully connected hidden layer between pixels and classes, makes at
most a third of the test errors of NetLin (mnist-linear's one linear unit per class), both
trained in the same run, NetLin by mnist-linear's defaults."""

from __future__ import annotations

from nnzoo.experiments.cnn._shared import REAL_DATA, MnistLinearConfig, MnistMlpConfig
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run


@experiment(
    "mnist-mlp", kind="supervised", config=MnistMlpConfig, seconds=9, parallel=True,
    claim="NetFull, one fully connected hidden layer (tanh) between pixels and classes, "
          "makes at most a third of the test errors of NetLin (one linear unit per class, "
          "trained in the same run by mnist-linear's defaults)",
    expects="NetFull's test errors <= NetLin's / 3, and NetFull's test accuracy >= 97% on "
            "MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1, "hidden": 32},
)
def run(cfg: MnistMlpConfig, run: Run) -> Result:
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import NetFull
    from nnzoo.registry import build
    from nnzoo.training.classifiers import train_classifier, train_fully_connected
    from nnzoo.viz.images import classifier_figures

    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    # the reference, as mnist-linear trains it
    lin = MnistLinearConfig()
    netlin = train_fully_connected("netlin", images, run, epochs=lin.epochs,
                                   batch_size=lin.batch_size, lr=lin.lr)
    # named as mnist-cnn names its reference NetFull: at the defaults the two are the same run
    c = train_classifier(lambda shape, k: build(NetFull, cfg, in_shape=shape, classes=k),
                         images, run, epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr,
                         name="netfull")
    # h = tanh(W_1 x + b_1): the incoming weights of a hidden unit, as a picture
    W1 = c.model.input_weights().detach().cpu()[:32]  # (32, C*H*W)
    pictures = W1.view(len(W1), *images.X.shape[1:])  # (32, C, H, W)
    for name, fig in classifier_figures(c, pictures, f"incoming weights of {len(W1)} hidden "
                                        "units (red +, blue -)").items():
        run.save_figure(fig, name)
    # the hidden layer's gain: NetFull's test errors against NetLin's
    passed = c.errors <= netlin.errors / 3 and c.test_acc >= 0.97
    return Result(passed, f"{c.errors} test errors against NetLin's {netlin.errors} "
                          f"({netlin.errors / max(c.errors, 1):.1f} times fewer); "
                          f"{c.test_acc:.2%} test accuracy on {images.data.name} "
                          f"({len(images.y_test):,} test images)",
                  {"test_acc": c.test_acc, "errors": c.errors, "netlin_errors": netlin.errors,
                   "netlin_test_acc": netlin.test_acc})

