"""What a CNN's units respond to: top images and receptive patches, on known answers."""

import torch

from nnzoo.models.cnn_units import receptive_patch, top_images


def test_top_images_picks_each_units_strongest_images_and_positions():
    maps = torch.zeros(5, 2, 3, 3)  # (N, C, h, w)
    maps[3, 0, 1, 2] = 9.0  # unit 0: image 3 first (at row 1, col 2), then image 1
    maps[1, 0, 0, 0] = 4.0
    maps[0, 1, 2, 2] = 7.0  # unit 1: image 0 first, then image 4
    maps[4, 1, 2, 1] = 1.0
    images, positions = top_images(maps, top=2)
    assert images.tolist() == [[3, 1], [0, 4]]
    assert positions.tolist() == [[1 * 3 + 2, 0], [8, 7]]


def test_receptive_patch_of_a_3x3_convolution_unit():
    conv = torch.nn.Conv2d(1, 2, 3, bias=False)
    torch.nn.init.ones_(conv.weight)
    image = torch.arange(36.0).view(1, 6, 6)
    # unit 1 at (2, 1) of the 4x4 output sees input rows 2..4 and columns 1..3
    patch = receptive_patch(lambda x: [conv(x)], image, 0, 1, 2 * 4 + 1)
    torch.testing.assert_close(patch, image[:, 2:5, 1:4])
