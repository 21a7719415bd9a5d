"""Neural texture synthesis and style transfer (Gatys, Ecker & Bethge 2015, 2016).

    from nnzoo.models.style import VGG19, StyleCost, PixelOptimizer, gram
    net = VGG19(); net.load_state_dict(vgg19_state(torch.load(path, weights_only=True)))
    cost = StyleCost(net, style, {"conv1_1": 0.2, ...}, content, "conv4_2", alpha, beta)
    opt = PixelOptimizer(cost.terms, noise)
    for _ in range(steps): opt.step()

`vgg` holds the networks and their weights, `cost` the Gram matrices and the costs,
`optimise` the pixel optimisation (the course's 7 steps), `novelty` whether a synthesised
texture copies its source.
"""

from nnzoo.models.style.cost import (
                                     StyleCost,
                                     content_loss,
                                     feature_matrix,
                                     gram,
                                     gram_distance,
                                     style_loss,
)
from nnzoo.models.style.novelty import copy_score, crops, nearest_crop_distances
from nnzoo.models.style.optimise import LR, Canvas, PixelOptimizer
from nnzoo.models.style.vgg import (
                                     CONVS,
                                     VGG19,
                                     RandomFeatures,
                                     expected_shapes,
                                     vgg19_state,
)

__all__ = ["CONVS", "LR", "VGG19", "Canvas", "PixelOptimizer", "RandomFeatures", "StyleCost",
           "content_loss", "copy_score", "crops", "expected_shapes", "feature_matrix", "gram",
           "gram_distance", "nearest_crop_distances", "style_loss",
           "vgg19_state"]
