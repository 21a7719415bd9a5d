"""Seconds per optimisation step of style transfer at 256 x 256: nnzoo's StyleCost and
PixelOptimizer against a plain loop written the usual way (the PyTorch neural-style
tutorial's: the VGG layers copied into an nn.Sequential with loss modules inserted after
the layers they watch, the style targets' Gram matrices stored in them as constants, the
network cut after the last loss module). Same weights, layers, cost, pooling and L-BFGS.

    PYTHONPATH=src python benchmarks/style_step.py [--size 256] [--steps 5]

Uses the fetched VGG-19 weights (`nnzoo data fetch vgg19`); prints the CPU figures, and the
GPU's when CUDA is available.
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from nnzoo.data import load
from nnzoo.models.style import VGG19, PixelOptimizer, StyleCost, vgg19_state


# --------------------------------------------------------------------------- the reference
class ContentLoss(nn.Module):
    def __init__(self, target):
        super().__init__()
        self.target, self.loss = target.detach(), None

    def forward(self, x):
        self.loss = 0.5 * ((x - self.target) ** 2).sum()
        return x


def gram_matrix(x):
    _, N, H, W = x.shape
    F = x.view(N, H * W)
    return torch.mm(F, F.t())


class StyleLoss(nn.Module):
    def __init__(self, target_maps, w):
        super().__init__()
        _, N, H, W = target_maps.shape
        self.A, self.w, self.loss = gram_matrix(target_maps).detach(), w, None
        self.norm = 4 * N**2 * (H * W) ** 2

    def forward(self, x):
        self.loss = self.w * ((gram_matrix(x) - self.A) ** 2).sum() / self.norm
        return x


def reference_model(net: VGG19, style, content, style_layers, content_layer):
    """The tutorial's way: walk the layers, append them to a Sequential, insert a loss
    module after each watched layer (targets computed by the model built so far)."""
    model, style_losses, content_losses = nn.Sequential(net.rgb), [], []
    last = max(net.layers.index(n) for n in [*style_layers, content_layer])
    for name in net.layers[:last + 1]:
        if name.endswith("_1") and name != "conv1_1":
            model.append(nn.AvgPool2d(2))
        model.append(net.convs[name])
        model.append(nn.ReLU())
        if name == content_layer:
            content_losses.append(ContentLoss(model(content)))
            model.append(content_losses[-1])
        if name in style_layers:
            style_losses.append(StyleLoss(model(style), 1 / len(style_layers)))
            model.append(style_losses[-1])
    return model, style_losses, content_losses


def reference_steps(net, style, content, x0, alpha, beta, steps):
    with torch.no_grad():
        model, style_losses, content_losses = reference_model(
            net, style, content, VGG19.style_layers, VGG19.content_layer)
    x = x0.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([x], max_iter=1, history_size=100, tolerance_grad=0,
                                  tolerance_change=0)
    losses = []

    def closure():
        optimizer.zero_grad()
        model(x)
        loss = alpha * sum(c.loss for c in content_losses) + \
            beta * sum(s.loss for s in style_losses)
        loss.backward()
        losses.append(loss.item())
        return loss

    return lambda: optimizer.step(closure), losses


# --------------------------------------------------------------------------- ours
def our_steps(net, style, content, x0, alpha, beta, steps):
    w = 1 / len(net.style_layers)
    cost = StyleCost(net, style, {layer: w for layer in net.style_layers}, content,
                     net.content_layer, alpha=alpha, beta=beta)
    pixels, losses = PixelOptimizer(cost.terms, x0), []
    return lambda: losses.append(pixels.step()["total"]), losses


def seconds_per_step(make, net, device, size, steps):
    g = torch.Generator().manual_seed(0)
    style, content, x0 = (torch.rand(1, 3, size, size, generator=g).to(device) for _ in range(3))
    step, losses = make(net, style, content, x0, 1.0, 3e6, steps)
    step()  # warm-up (and the first loss)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    sync()
    t, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    sync()
    return ((time.perf_counter() - t) / steps, (time.process_time() - cpu) / steps), losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    devices = [torch.device("cpu")] + ([torch.device("cuda")] if torch.cuda.is_available() else [])
    for device in devices:
        net = VGG19()
        net.load_state_dict(vgg19_state(load("vgg19", fetch=False)))
        net = net.requires_grad_(False).eval().to(device)
        ours, our_losses = seconds_per_step(our_steps, net, device, args.size, args.steps)
        ref, ref_losses = seconds_per_step(reference_steps, net, device, args.size, args.steps)
        agree = abs(our_losses[0] - ref_losses[0]) <= 1e-4 * abs(ref_losses[0])
        print(f"{device.type} {args.size}x{args.size}, {torch.get_num_threads()} threads, "
              f"first E_total {our_losses[0]:.6g} vs {ref_losses[0]:.6g} "
              f"({'the same' if agree else 'DIFFERENT'}):")
        for what, k in (("wall", 0), ("CPU", 1)):
            print(f"  {what:4s} s/step: nnzoo {ours[k]:.3f}, reference loop {ref[k]:.3f}, "
                  f"ratio nnzoo/reference {ours[k] / ref[k]:.2f}")


if __name__ == "__main__":
    main()
