"""Layers written from the course's equations: dropout and batch normalization, and the
whole-training-set statistics for batch normalization after training."""

from __future__ import annotations

import torch
from torch import Tensor, nn


class Dropout(nn.Module):
    """Each unit is dropped (set to 0) with probability p while training; the survivors
    are scaled by 1/(1 - p) so that every unit's expected value is unchanged, and at
    evaluation the layer passes everything through.

    `kept` is the mask the last training pass drew, (B, H) booleans: row b is the thinned
    network that pattern b went through (None before the first training pass; a pass in
    evaluation mode, or with p = 0, keeps every unit and leaves it as it was)."""

    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"expected 0 <= p < 1, got {p}")
        self.p = p
        self.kept: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.rand_like(x) >= self.p  # (B, H) which units survive
        self.kept = keep
        return x * keep / (1.0 - self.p)


class BatchNorm(nn.Module):
    """Batch normalization of each unit k over a mini-batch:

        x^_k = (x_k - Mean[x_k]) / sqrt(Var[x_k] + eps)
        y_k  = beta_k + gamma_k x^_k

    beta and gamma are trained by backprop. For evaluation the course offers two choices of
    Mean and Var: running averages of the mini-batch statistics (the variance unbiased),
    updated during training as running <- (1 - momentum) running + momentum batch, as
    nn.BatchNorm1d does (the default); or, after training, the statistics of the entire
    training set: `whole_set_statistics_(net, X_train)` sets them.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: Tensor) -> Tensor:  # x: (B, H)
        if self.training:
            mean = x.mean(dim=0)  # (H,)
            var = x.var(dim=0, unbiased=False)  # (H,)
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * n / max(n - 1, 1), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)  # (B, H)
        return self.beta + self.gamma * x_hat


NORMS = (BatchNorm, nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


@torch.no_grad()
def whole_set_statistics_(net: nn.Module, X: Tensor, batch_size: int = 4096) -> nn.Module:
    """After training, the course's other choice for batch normalization: set every
    BatchNorm's (or nn.BatchNorm1d/2d/3d's) Mean and Var to the statistics of its inputs
    over the entire training set X (on the network's device), as if X were one mini-batch
    (Var divided by the number of values, as in training). Each layer's inputs depend on
    the normalization before it, so the layers are set in the order the network calls
    them, each after a pass of X (in evaluation mode, `batch_size` rows at a time)
    through the layers before it, already set. The network's training/evaluation mode is
    left as it was."""
    order: list[nn.Module] = []  # the norms in the order forward() calls them

    def called(m, inputs):
        if all(m is not seen for seen in order):
            order.append(m)

    was_training = net.training
    net.eval()
    hooks = [m.register_forward_pre_hook(called) for m in net.modules() if isinstance(m, NORMS)]
    net(X[:1])
    for h in hooks:
        h.remove()
    for norm in order:
        stats = [0, 0.0, 0.0]  # count, mean, sum of squared deviations (float64)

        def accumulate(m, inputs, stats=stats):
            # merge this batch's (n, mean, M2) per feature into the running totals (Chan et
            # al.'s pairwise update, stable in float64)
            x = inputs[0].double().transpose(0, 1).flatten(1)  # (H, values per feature)
            n, mean = x.shape[1], x.mean(dim=1)  # (H,)
            m2 = ((x - mean[:, None]) ** 2).sum(dim=1)  # (H,)
            total = stats[0] + n
            delta = mean - stats[1]
            stats[1] = stats[1] + delta * n / total
            stats[2] = stats[2] + m2 + delta**2 * stats[0] * n / total
            stats[0] = total

        hook = norm.register_forward_pre_hook(accumulate)
        for i in range(0, len(X), batch_size):
            net(X[i:i + batch_size])
        hook.remove()
        n, mean, m2 = stats
        norm.running_mean.copy_(mean)
        norm.running_var.copy_(m2 / n)
    net.train(was_training)
    return net
