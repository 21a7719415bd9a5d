"""mnist-linear: NetLin, one linear unit per class on the raw pixels, already classifies more
than 9 in 10 MNIST digits."""

from __future__ import annotations

from nnzoo.experiments.cnn._shared import REAL_DATA, MnistLinearConfig
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run


@experiment(
    "mnist-linear", kind="supervised", config=MnistLinearConfig, seconds=3, parallel=True,
    claim="NetLin, one linear unit per class on the raw pixels (softmax, cross-entropy), "
          "already classifies more than 9 in 10 MNIST digits",
    expects="test accuracy >= 91% on MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1},
)
def run(cfg: MnistLinearConfig, run: Run) -> Result:
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import NetLin
    from nnzoo.training.classifiers import train_classifier
    from nnzoo.viz.images import classifier_figures

    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    c = train_classifier(lambda shape, k: NetLin(shape, k), images, run, epochs=cfg.epochs,
                         batch_size=cfg.batch_size, lr=cfg.lr)
    # z = W x + b: row k of W, as a picture, is what class k looks for
    W = c.model.input_weights().detach().cpu()  # (K, C*H*W)
    pictures = W.view(len(W), *images.X.shape[1:])  # (K, C, H, W)
    for name, fig in classifier_figures(c, pictures, "weights of each class's unit (red +, "
                                        "blue -)", per_class=True).items():
        run.save_figure(fig, name)
    return Result(c.test_acc >= 0.91, f"{c.test_acc:.2%} test accuracy on {images.data.name} "
                  f"({len(images.y_test):,} test images)",
                  {"test_acc": c.test_acc, "errors": c.errors})
