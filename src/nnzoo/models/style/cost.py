"""The costs of texture synthesis and style transfer, in the course's symbols.

F^l_ik: the response of filter i at position k in layer l, a matrix N_l x M_l (N_l filters,
M_l = H_l W_l positions). The Gram matrix of layer l:

    G^l_ij = sum_k F^l_ik F^l_jk

The cost of style transfer (Gatys, Ecker & Bethge 2016), as the course writes it:

    E_total = alpha E_content + beta E_style
            = alpha/2 sum_ik (F^l_ik(x) - F^l_ik(x_c))^2
              + beta/4 sum_l w_l / (N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2

with x the synthetic image, x_c the content image, G^l and A^l the Gram matrices of the one
image and the other (the course's summary names them the other way round; the square does
not care) and w_l the weight of layer l. The texture loss of texture synthesis (Gatys et al.
2015) is E_style alone, the style image being the texture.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch


def feature_matrix(F: torch.Tensor) -> torch.Tensor:
    """A layer's maps (1, N, H, W) or (N, H, W) -> F^l as a matrix (N, M), M = H W."""
    if F.dim() == 4:
        if F.shape[0] != 1:
            raise ValueError(f"one image at a time: got a batch of {F.shape[0]}")
        F = F[0]
    return F.reshape(F.shape[0], -1)  # (N, M)


def gram(F: torch.Tensor) -> torch.Tensor:
    """G^l_ij = sum_k F^l_ik F^l_jk of a layer's maps (1, N, H, W), (N, H, W) or (N, M)."""
    F = F if F.dim() == 2 else feature_matrix(F)  # (N, M)
    return F @ F.T  # (N, N)


def gram_distance(G: torch.Tensor, A: torch.Tensor, N: int, M: int) -> torch.Tensor:
    """1/(4 N^2 M^2) sum_ij (G_ij - A_ij)^2: one layer's term of E_style (without w_l)."""
    return ((G - A) ** 2).sum() / (4 * N**2 * M**2)


def style_loss(features: Mapping[str, torch.Tensor], targets: Mapping[str, torch.Tensor],
               weights: Mapping[str, float]) -> torch.Tensor:
    """E_style = 1/4 sum_l w_l / (N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2 over the layers of
    `weights`, G^l from `features` (the synthetic image's maps), A^l = `targets[l]`; this is
    the texture loss of texture synthesis."""
    total = 0.0
    for layer, w in weights.items():
        F = feature_matrix(features[layer])  # (N_l, M_l)
        N, M = F.shape
        total = total + w * gram_distance(gram(F), targets[layer], N, M)
    return total


def content_loss(F: torch.Tensor, P: torch.Tensor) -> torch.Tensor:
    """E_content = 1/2 sum_ik (F^l_ik(x) - F^l_ik(x_c))^2, P = F^l(x_c)."""
    return 0.5 * ((F - P) ** 2).sum()


class StyleCost:
    """E_total = alpha E_content + beta E_style for one content image and one style image.

    `network` has `features(x, layers) -> {layer: maps}` (VGG19 or RandomFeatures). The
    targets, F^l(x_c) and the style image's Gram matrices A^l, are computed once, here.
    `style_weights` {layer: w_l}; `content_layer` the layer l of E_content (None: no content
    term, i.e. texture synthesis).
    """

    def __init__(self, network, style_image: torch.Tensor, style_weights: Mapping[str, float],
                 content_image: torch.Tensor | None = None, content_layer: str | None = None,
                 alpha: float = 1.0, beta: float = 1.0):
        if (content_image is None) != (content_layer is None):
            raise ValueError("give both content_image and content_layer, or neither")
        self.network, self.alpha, self.beta = network, alpha, beta
        self.style_weights = dict(style_weights)
        self.content_layer = content_layer
        self.layers = list(self.style_weights) + \
            ([content_layer] if content_layer and content_layer not in self.style_weights else [])
        with torch.no_grad():
            S = network.features(style_image, self.style_weights)
            self.A = {layer: gram(S[layer]) for layer in self.style_weights}  # (N_l, N_l)
            self.P = None if content_image is None else \
                network.features(content_image, [content_layer])[content_layer]  # (1, N, H, W)

    def terms(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """{"content": E_content, "style": E_style, "total": E_total} of image x (1, 3, H, W),
        from one forward pass through the network."""
        F = self.network.features(x, self.layers)
        E_style = style_loss(F, self.A, self.style_weights)
        E_content = content_loss(F[self.content_layer], self.P) if self.P is not None \
            else torch.zeros((), device=x.device)
        return {"content": E_content, "style": E_style,
                "total": self.alpha * E_content + self.beta * E_style}

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.terms(x)["total"]
