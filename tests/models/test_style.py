"""nnzoo.models.style: the Gram matrix and the style cost against hand computations, VGG-19's
weights in their layouts (right, wrong, not a state dict), the network's layers."""

import pickle

import pytest
import torch
import torch.nn.functional as nnf

from nnzoo.data.weights import read_state_file
from nnzoo.errors import UserError
from nnzoo.models.style import (
    CONVS,
    VGG19,
    PixelOptimizer,
    RandomFeatures,
    StyleCost,
    content_loss,
    copy_score,
    expected_shapes,
    gram,
    nearest_crop_distances,
    style_loss,
    vgg19_state,
)
from nnzoo.models.style.vgg import SEQUENTIAL_INDEX, TORCHVISION_INDEX


def read_vgg19(path):
    """A VGG-19 file of the user's as the style experiments read one: nnzoo.data opens it,
    the model maps it."""
    return vgg19_state(read_state_file(path, "--weights"), f"the weights in {path}")


def test_gram_matrix_by_hand():
    # F (N = 2 filters, M = 3 positions); G_ij = sum_k F_ik F_jk
    F = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]])
    G = torch.tensor([[1 + 4 + 9, 0 + 2 - 3], [0 + 2 - 3, 0 + 1 + 1]])
    assert torch.equal(gram(F), G)
    maps = F.reshape(1, 2, 1, 3)  # (1, N, H, W): the same positions as a 1 x 3 map
    assert torch.equal(gram(maps), G)


class Identity:
    """A 'network' whose layer "a" is the image itself and "b" its 2x2 average pooling."""

    layers = ("a", "b")

    def features(self, x, layers):
        maps = {"a": x, "b": nnf.avg_pool2d(x, 2)}
        return {name: maps[name] for name in layers}


def test_the_style_cost_as_the_course_writes_it():
    # a worked example: one 2x2 image of N = 3 channels; A from the style image, G from x
    x = torch.tensor([[[1.0, 0.0], [2.0, 1.0]], [[0.0, 1.0], [1.0, 1.0]],
                      [[3.0, 0.0], [0.0, 0.0]]])[None]  # (1, 3, 2, 2)
    style, content = torch.ones(1, 3, 2, 2), torch.zeros(1, 3, 2, 2)
    # layer a: N = 3, M = 4; G = F F^T with F the rows of x; A = all 4s
    G = torch.tensor([[6.0, 3.0, 3.0], [3.0, 3.0, 0.0], [3.0, 0.0, 9.0]])
    style_a = ((G - 4) ** 2).sum() / (4 * 3**2 * 4**2)  # (4+1+1+1+1+16+1+16+25) / 576
    assert style_a == pytest.approx(66 / 576)
    # layer b: one position (M = 1) holding the channel means m; G = m m^T, A = 1
    m = torch.tensor([1.0, 0.75, 0.75])
    style_b = ((torch.outer(m, m) - 1) ** 2).sum() / (4 * 3**2 * 1**2)
    # E_content = 1/2 sum_ik (F_ik(x) - F_ik(x_c))^2 at layer a, x_c = 0: half the sum of x^2
    E_content = 0.5 * (x**2).sum()
    assert E_content == pytest.approx(9.0)  # (6 + 3 + 9) / 2
    w = {"a": 0.25, "b": 0.75}
    E_style = w["a"] * style_a + w["b"] * style_b
    cost = StyleCost(Identity(), style, w, content, "a", alpha=2.0, beta=10.0)
    terms = cost.terms(x)
    assert terms["content"].item() == pytest.approx(E_content.item())
    assert terms["style"].item() == pytest.approx(E_style.item(), rel=1e-6)
    assert terms["total"].item() == pytest.approx(2 * 9.0 + 10 * E_style.item(), rel=1e-6)
    assert style_loss({"a": x}, {"a": 4 * torch.ones(3, 3)}, {"a": 1.0}).item() == \
        pytest.approx(66 / 576)
    assert content_loss(x, content).item() == pytest.approx(9.0)


def test_without_a_content_image_the_cost_is_the_texture_loss():
    x = torch.rand(1, 3, 4, 4, generator=torch.Generator().manual_seed(0))
    cost = StyleCost(Identity(), torch.ones(1, 3, 4, 4), {"a": 1.0})
    terms = cost.terms(x)
    assert terms["content"].item() == 0 and terms["total"].item() == terms["style"].item()
    with pytest.raises(ValueError, match="both"):
        StyleCost(Identity(), x, {"a": 1.0}, content_image=x)


def test_the_gradient_of_the_cost_on_the_pixels_in_float64():
    net = Identity()
    style, content = (torch.rand(1, 2, 4, 4, dtype=torch.float64,
                                 generator=torch.Generator().manual_seed(k)) for k in (1, 2))
    cost = StyleCost(net, style, {"a": 0.5, "b": 0.5}, content, "b", alpha=0.3, beta=7.0)
    x = torch.rand(1, 2, 4, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(cost, (x,))


# --------------------------------------------------------------------------- the network
def test_vgg19_layers_stop_at_the_deepest_asked():
    net = VGG19().requires_grad_(False)
    assert len(net.layers) == 16 and net.layers[-1] == "conv5_4"
    x = torch.rand(1, 3, 32, 32)
    F = net.features(x, ["conv1_1", "conv3_1"])
    assert set(F) == {"conv1_1", "conv3_1"} and F["conv3_1"].shape == (1, 256, 8, 8)
    # conv1_1 = ReLU(conv1_1(rgb(x))); conv2_1 sees the 2x2 average of conv1_2
    h = torch.relu(net.convs["conv1_1"](net.rgb(x)))
    assert torch.allclose(F["conv1_1"], h)
    h2 = torch.relu(net.convs["conv1_2"](h))
    F2 = net.features(x, ["conv2_1"])["conv2_1"]
    assert torch.allclose(F2, torch.relu(net.convs["conv2_1"](nnf.avg_pool2d(h2, 2))), atol=1e-6)
    with pytest.raises(UserError, match="conv9_9"):
        net.features(x, ["conv9_9"])


def test_random_features_are_seeded_by_their_generator():
    a, b = (RandomFeatures(rng=torch.Generator().manual_seed(3)) for _ in range(2))
    assert torch.equal(a.convs["k5"].weight, b.convs["k5"].weight)
    F = a.features(torch.rand(1, 3, 16, 16), a.layers)
    assert [f.shape for f in F.values()] == [(1, 64, 16, 16)] * 4


def test_a_pixel_optimiser_restored_from_its_state_takes_the_same_steps():
    cost = StyleCost(Identity(), torch.ones(1, 3, 4, 4), {"a": 1.0, "b": 1.0})
    x0 = torch.rand(1, 3, 4, 4, generator=torch.Generator().manual_seed(0))
    for optimizer in ("lbfgs", "adam"):
        one = PixelOptimizer(cost.terms, x0, optimizer)
        for _ in range(3):
            one.step()
        two = PixelOptimizer(cost.terms, torch.zeros_like(x0), optimizer)
        two.load_state_dict(pickle.loads(pickle.dumps(one.state_dict())))
        assert [one.step() for _ in range(2)] == [two.step() for _ in range(2)]
        assert one.step()["total"] < PixelOptimizer(cost.terms, x0, optimizer).step()["total"]


def test_a_grey_canvas_stays_grey_where_three_colours_do_not():
    # random filters mix the colours unequally, so a grey target still pulls the colours apart
    net = RandomFeatures(sizes=(3,), filters=8, rng=torch.Generator().manual_seed(0))
    g = torch.Generator().manual_seed(1)
    grey_style = torch.rand(1, 1, 12, 12, generator=g).expand(1, 3, 12, 12)
    cost = StyleCost(net, grey_style, {"k3": 1.0})
    x0 = torch.rand(1, 1, 12, 12, generator=g).expand(1, 3, 12, 12)  # grey noise
    for grey in (False, True):
        pixels = PixelOptimizer(cost.terms, x0, grey=grey)
        first = pixels.step()["total"]
        for _ in range(5):
            last = pixels.step()["total"]
        image = pixels.image()  # (3, H, W)
        spread = (image - image[:1]).abs().max().item()  # the largest colour of a pixel
        assert last < first and image.shape == (3, 12, 12)
        assert (spread == 0) if grey else (spread > 1e-3), (grey, spread)
    assert list(pixels.canvas.x.shape) == [1, 1, 12, 12]


# --------------------------------------------------------------------------- copies
def test_nearest_crop_distances_against_a_search_by_hand():
    g = torch.Generator().manual_seed(0)
    x, source = torch.rand(3, 6, 6, generator=g), torch.rand(3, 5, 7, generator=g)
    d = nearest_crop_distances(x, source, 3, stride=3)  # crops of x at (0,0) (0,3) (3,0) (3,3)
    expected = [min(((x[:, i:i + 3, j:j + 3] - source[:, p:p + 3, q:q + 3]) ** 2).mean().sqrt()
                    for p in range(3) for q in range(5))
                for i in (0, 3) for j in (0, 3)]
    assert torch.allclose(d, torch.stack(expected), atol=1e-5)


def test_a_copy_scores_zero_and_a_new_picture_does_not():
    g = torch.Generator().manual_seed(0)
    source = torch.rand(3, 40, 40, generator=g) * 0.5 + 0.2  # (3, H, W)
    assert copy_score(source, source, 8) < 1e-3
    # a shifted copy: every crop clear of the seam is a crop of the source
    shifted = torch.roll(source, (7, 5), dims=(1, 2))
    d = nearest_crop_distances(shifted, source, 8)
    assert d.min() < 1e-3 and d.max() > 0.1 and copy_score(shifted, source, 8) < 1e-3
    # a part copied into noise: the crops inside it score zero, the rest do not
    noise = torch.rand(3, 40, 40, generator=g)
    patched = noise.clone()
    patched[:, 8:24, 8:24] = source[:, 20:36, 4:20]
    assert copy_score(patched, source, 8) < 1e-3
    # noise, or the source turned upside down, is far from every crop of the source
    assert copy_score(noise, source, 8) > 1
    assert copy_score(source.flip(1), source, 8) > 0.5
    # the score reads in the source's standard deviations: the same on a brighter copy
    assert copy_score(noise * 2, source * 2, 8) == pytest.approx(copy_score(noise, source, 8),
                                                                  rel=1e-4)
    with pytest.raises(ValueError, match="do not fit"):
        nearest_crop_distances(noise, source, 48)


# --------------------------------------------------------------------------- weights
def tiny_state(layout):
    """A state dict with VGG-19's keys and shapes in `layout`, each tensor one number
    (its conv's position) broadcast: a few bytes on disk."""
    names = {"torchvision": [f"features.{i}" for i in TORCHVISION_INDEX],
             "sequential": [f"{i}" for i in SEQUENTIAL_INDEX]}[layout]
    state = {}
    for k, (name, (_, c_in, c_out)) in enumerate(zip(names, CONVS)):
        state[f"{name}.weight"] = torch.full((1,), float(k)).expand(c_out, c_in, 3, 3)
        state[f"{name}.bias"] = torch.full((1,), float(k)).expand(c_out)
    if layout == "sequential":
        state["0.weight"] = torch.eye(3).flip(0).reshape(3, 3, 1, 1) * 255
        state["0.bias"] = -torch.tensor([103.939, 116.779, 123.68])
    else:
        state["classifier.0.weight"] = torch.zeros(1).expand(4096, 25088)
    return state


@pytest.mark.parametrize("layout", ["torchvision", "sequential"])
def test_weights_in_either_layout_map_onto_vgg19(layout, tmp_path):
    path = tmp_path / "vgg.pth"
    torch.save(tiny_state(layout), path)
    state = read_vgg19(path)
    assert {k: tuple(v.shape) for k, v in state.items()} == expected_shapes()
    assert state["convs.conv2_1.weight"].unique().tolist() == [2.0]  # the third conv
    assert state["convs.conv5_4.bias"].unique().tolist() == [15.0]
    net = VGG19()
    net.load_state_dict(state)
    white = torch.ones(1, 3, 1, 1)
    rgb = net.rgb(white).flatten()
    if layout == "torchvision":  # (1 - mean) / std
        assert torch.allclose(rgb, (1 - torch.tensor([0.485, 0.456, 0.406]))
                              / torch.tensor([0.229, 0.224, 0.225]))
    else:  # BGR 0..255 minus the mean
        assert torch.allclose(rgb, 255 - torch.tensor([103.939, 116.779, 123.68]))
    assert vgg19_state(net.state_dict()).keys() == expected_shapes().keys()  # ours, too


def test_a_wrong_shape_or_a_missing_key_is_one_clear_error(tmp_path):
    state = tiny_state("torchvision")
    state["features.2.weight"] = torch.zeros(1).expand(64, 3, 3, 3)
    del state["features.34.bias"]
    torch.save(state, tmp_path / "bad.pth")
    with pytest.raises(UserError) as e:
        read_vgg19(tmp_path / "bad.pth")
    message = str(e.value)
    assert "torchvision layout" in message and "missing features.34.bias" in message
    assert "features.2.weight is (64, 3, 3, 3), expected (64, 64, 3, 3)" in message


def test_a_file_that_is_not_a_state_dict_is_refused(tmp_path):
    torch.save([torch.zeros(3)], tmp_path / "list.pth")
    with pytest.raises(UserError, match="not a state dict .* but a list"):
        read_vgg19(tmp_path / "list.pth")
    (tmp_path / "text.pth").write_text("hello")
    with pytest.raises(UserError, match="not a state dict that torch.load"):
        read_vgg19(tmp_path / "text.pth")
    # a pickle that would run code when unpickled: weights_only refuses it, nothing runs
    (tmp_path / "evil.pth").write_bytes(pickle.dumps(Evil()))
    with pytest.raises(UserError, match="not a state dict that torch.load"):
        read_vgg19(tmp_path / "evil.pth")
    with pytest.raises(UserError, match="no such file"):
        read_vgg19(tmp_path / "absent.pth")


class Evil:
    def __reduce__(self):
        return (exec, ("raise SystemExit('the unpickler ran code')",))


def test_vgg19_has_the_16_convolutions_of_the_paper():
    net = VGG19()
    assert list(net.convs)[-1] == "conv5_4" and len(net.convs) == 16
    # the 16 convolutions of VGG-19 hold 20,024,384 weights and biases (+ the 1x1 rgb: 12)
    assert sum(p.numel() for p in net.convs.parameters()) == 20_024_384
    out = net.features(torch.randn(1, 3, 32, 32), ("conv1_1", "conv3_2"))
    assert out["conv1_1"].shape == (1, 64, 32, 32) and out["conv1_1"].min() >= 0
    assert out["conv3_2"].shape == (1, 256, 8, 8)
