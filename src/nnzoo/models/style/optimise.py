"""Optimising an image's pixels against a cost, as the course's texture synthesis does:

1. pretrain a CNN on ImageNet (VGG-19)                     -> the network given to StyleCost
2. pass the texture through it; compute its maps F^l_ik    -> StyleCost.__init__
3. compute the Gram matrices G^l_ij = sum_k F_ik F_jk      -> StyleCost.__init__ (once)
4. feed the (initially random) image into the CNN          -> PixelOptimizer.step
5. compute the L2 distance between the Gram matrices       -> PixelOptimizer.step
6. backpropagate to get the gradient on the image's pixels -> PixelOptimizer.step
7. update the image and go to step 5                       -> PixelOptimizer.step

Style transfer is the same loop with the content term added to the cost. One step is one
forward and one backward pass: L-BFGS (Gatys et al.'s choice) runs one iteration per step
without a line search (lr is its step length), Adam one update.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

LR = {"lbfgs": 1.0, "adam": 0.02}  # each optimiser's step size when none is given


class Canvas(nn.Module):
    """The image being optimised, x (1, 3, H, W). Its only parameter is x itself, or, with
    grey=True, one grey channel (1, 1, H, W) that the three colours repeat: a grey picture
    stays grey (the network's colour filters would otherwise paint colour noise into it)."""

    def __init__(self, x0: torch.Tensor, grey: bool = False):
        super().__init__()
        x0 = x0.detach().reshape(1, *x0.shape[-3:]).clone(memory_format=torch.contiguous_format)
        self.x = nn.Parameter(x0.mean(dim=1, keepdim=True) if grey else x0)  # (1, 1 or 3, H, W)

    def forward(self) -> torch.Tensor:
        """x (1, 3, H, W), the grey channel repeated where the canvas is grey."""
        return self.x.expand(1, 3, *self.x.shape[-2:])  # (1, 3, H, W)

    def image(self) -> torch.Tensor:
        """The image (3, H, W) as it stands, detached."""
        return self().detach()[0].clone()


class PixelOptimizer:
    """Steps 4-7 of the course, one `step()` at a time, on the pixels of a Canvas.

    cost: image (1, 3, H, W) -> {"total": E, ...other terms} (e.g. StyleCost.terms).
    optimizer: "lbfgs" or "adam"; lr: its step size (None: LR[optimizer]);
    history: how many past steps L-BFGS remembers; grey: optimise one grey channel (Canvas).
    """

    def __init__(self, cost: Callable[[torch.Tensor], dict[str, torch.Tensor]],
                 x0: torch.Tensor, optimizer: str = "lbfgs", lr: float | None = None,
                 history: int = 100, grey: bool = False):
        self.cost, self.canvas = cost, Canvas(x0, grey)
        lr = LR[optimizer] if lr is None else lr
        if optimizer == "lbfgs":
            # one iteration a step, never stopping early on a small change or gradient
            self.optimizer = torch.optim.LBFGS([self.canvas.x], lr=lr, max_iter=1,
                                               history_size=history, tolerance_grad=0,
                                               tolerance_change=0)
        elif optimizer == "adam":
            self.optimizer = torch.optim.Adam([self.canvas.x], lr=lr)
        else:
            raise ValueError(f"optimizer must be 'lbfgs' or 'adam', got {optimizer!r}")

    def step(self) -> dict[str, float]:
        """One step; the cost's terms at the image as it was before the step."""
        terms: dict[str, float] = {}

        def closure() -> torch.Tensor:
            self.optimizer.zero_grad()
            E = self.cost(self.canvas())  # 4-5: forward pass, the distance to the targets
            E["total"].backward()  # 6: the gradient on the image's pixels
            terms.update({k: float(v.detach()) for k, v in E.items()})
            return E["total"]

        self.optimizer.step(closure)  # 7: update the image (then back to 5)
        return terms

    def image(self) -> torch.Tensor:
        return self.canvas.image()

    def state_dict(self) -> dict:
        return {"canvas": self.canvas.state_dict(), "optimizer": self.optimizer.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.canvas.load_state_dict(state["canvas"])
        self.optimizer.load_state_dict(state["optimizer"])
