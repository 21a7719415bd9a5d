"""Neural texture synthesis and style transfer: the pixels of an image optimised until its
features in a pretrained network (VGG-19) have the Gram matrices of a texture, and, for style
transfer, the feature maps of a photograph too.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("style", "Texture synthesis and style transfer", position=9,
       about="A network trained to recognise objects describes a texture by the correlations "
             "between its feature maps (their Gram matrices); optimising an image's pixels "
             "from noise until its Gram matrices match a texture's synthesises a new sample "
             "of that texture, and adding a term that keeps the feature maps of a photograph "
             "paints the photograph in the style of another picture.",
       order=("texture-synthesis", "style-transfer"))
