"""Records the forward outputs, loss and gradients of small convolutional networks from PyTorch.

Each case matches a @Network in processor/src/test/resources/networks/dev/kiln/test/ (the class
named in CASES). The Java test (PyTorchReferenceTest) loads the recorded parameters into the Kiln
model and compares everything else: the outputs, the loss, the gradient of every parameter and the
gradient with respect to the input.

Layouts. Kiln's images are channels last: the recorded input and its gradient are (B, H, W, C).
PyTorch computes in NCHW, so the model permutes the input, and flattens as nn.Flatten does, in
(C, H, W) order: Kiln computes in (H, W, C) order inside, but its parameters and weight files give
the Dense weight after a Flatten in PyTorch's column order, so the recorded fc.weight loads as is.
Conv weights are nn.Conv2d's own (out, in, kh, kw), unchanged.

Padding. SAME follows TensorFlow: along an axis, total = max((ceil(in / s) - 1) * s + k - in, 0),
total // 2 before and the rest after. For stride 1 that is PyTorch's padding='same', which the
script uses; for stride 2 PyTorch has no 'same', so the script pads explicitly with F.pad. Max
pooling pads with -inf (the padding never wins); average pooling divides each window's sum by the
number of real input elements in it (TensorFlow's SAME; PyTorch's count_include_pad=False).

Precision. The parameters and inputs are drawn as float32 values, and PyTorch computes with them
in float64, so the recorded outputs and gradients are those of the float32 values without a
rounding error of their own: the test measures Kiln's float32 rounding alone. (A convolution's
weight gradient sums hundreds of products that partly cancel; two float32 computations that sum
in different orders differ by about 1e-5 relative on such elements.)

    /tmp/anchorvenv/bin/python tools/reference/record_conv.py   # torch 2.13 (../shared/anchors/setup.sh)
"""
import math
import pathlib
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from record_dense import act, write  # noqa: E402  (the same activations and file format)

OUT = pathlib.Path(__file__).resolve().parents[2] / "processor/src/test/resources/reference"


def same_pads(size, k, s):
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


# Layers: ("conv", name, filters, (kh, kw), stride, padding, activation, slope, bias)
#         ("max" | "avg", name, (ph, pw), stride, padding)
#         ("flatten", name)
#         ("dense", name, units, activation, slope, bias)
CASES = {
    # name: (Kiln class, input (H, W, C), layers, loss, batch, integer inputs)
    "conv_valid_max": ("ConvValidMax", (9, 9, 1), [
        ("conv", "conv1", 16, (3, 3), 1, "valid", "relu", None, True),
        ("max", "pool1", (2, 2), 2, "valid"),
        ("flatten", "flat"),
        ("dense", "fc", 5, "linear", None, True),
    ], "sparse_softmax_cross_entropy", 4, False),
    "conv_same_avg": ("ConvSameAvg", (7, 7, 3), [
        ("conv", "conv1", 8, (3, 3), 1, "same", "tanh", None, True),
        ("avg", "pool1", (2, 2), 2, "same"),
        ("conv", "conv2", 20, (2, 3), 2, "valid", "leaky_relu", 0.2, False),
        ("flatten", "flat"),
        ("dense", "fc", 4, "softmax", None, True),
    ], "softmax_cross_entropy", 3, False),
    "conv_stride_same": ("ConvStrideSame", (8, 9, 3), [
        ("conv", "conv1", 32, (3, 3), 2, "same", "relu", None, True),
        ("max", "pool1", (3, 3), 1, "same"),
        ("flatten", "flat"),
        ("dense", "fc", 3, "sigmoid", None, True),
    ], "binary_cross_entropy", 3, False),
    "pool_first": ("PoolFirst", (9, 9, 8), [
        ("max", "pool1", (3, 3), 2, "valid"),
        ("conv", "conv1", 8, (2, 2), 1, "valid", "sigmoid", None, True),
        ("avg", "pool2", (2, 2), 1, "valid"),
        ("flatten", "flat"),
        ("dense", "fc", 2, "linear", None, True),
    ], "mse", 3, True),
}


def leaf(t):
    """A float32 draw as a float64 tensor that records its gradient."""
    return t.to(torch.float32).to(torch.float64).requires_grad_()


def make_params(spec, g):
    """Random parameters in PyTorch's layouts, scaled so activations stay in a useful range."""
    (h, w, c), layers = spec[1], spec[2]
    params = {}
    shape = (h, w, c)
    image = None  # the (H, W, C) shape a Flatten just flattened
    for layer in layers:
        kind, name = layer[0], layer[1]
        if kind == "conv":
            _, _, filters, (kh, kw), s, padding, _, _, bias = layer
            fan_in = shape[2] * kh * kw
            params[name + ".weight"] = leaf(torch.randn(filters, shape[2], kh, kw, generator=g) * (1.0 / fan_in ** 0.5))
            if bias:
                params[name + ".bias"] = leaf(torch.randn(filters, generator=g) * 0.3)
            shape = out_shape(shape, (kh, kw), s, padding, filters)
        elif kind in ("max", "avg"):
            _, _, pool, s, padding = layer
            shape = out_shape(shape, pool, s, padding, shape[2])
        elif kind == "flatten":
            image = shape
            shape = (shape[0] * shape[1] * shape[2],)
        else:
            _, _, units, _, _, bias = layer
            weight = torch.randn(units, shape[0], generator=g) * (1.0 / shape[0] ** 0.5)
            if image is not None:
                # drawn with the columns in (H, W, C) order, as these networks were first recorded, and
                # stored in nn.Flatten's (C, H, W) order: the same function, in PyTorch's layout
                weight = weight.reshape(units, *image).permute(0, 3, 1, 2).reshape(units, -1)
                image = None
            params[name + ".weight"] = leaf(weight)
            if bias:
                params[name + ".bias"] = leaf(torch.randn(units, generator=g) * 0.3)
            shape = (units,)
    return params, shape


def out_shape(shape, window, s, padding, channels):
    h, w = shape[0], shape[1]
    if padding == "same":
        return (math.ceil(h / s), math.ceil(w / s), channels)
    return ((h - window[0]) // s + 1, (w - window[1]) // s + 1, channels)


def forward(layers, params, x_nhwc):
    """The network on an NHWC input; returns the output and the last layer's logits."""
    h = x_nhwc.permute(0, 3, 1, 2)  # NCHW for PyTorch
    logits = None
    for i, layer in enumerate(layers):
        kind, name = layer[0], layer[1]
        last = i == len(layers) - 1
        if kind == "conv":
            _, _, _, (kh, kw), s, padding, activation, slope, bias = layer
            b = params.get(name + ".bias")
            if padding == "same" and s == 1:
                z = F.conv2d(h, params[name + ".weight"], b, stride=1, padding="same")
            elif padding == "same":
                top, bottom = same_pads(h.shape[2], kh, s)
                left, right = same_pads(h.shape[3], kw, s)
                z = F.conv2d(F.pad(h, (left, right, top, bottom)), params[name + ".weight"], b, stride=s)
            else:
                z = F.conv2d(h, params[name + ".weight"], b, stride=s)
            h = act(activation, z, slope if slope is not None else 0.01)
        elif kind == "max":
            _, _, (ph, pw), s, padding = layer
            if padding == "same":
                top, bottom = same_pads(h.shape[2], ph, s)
                left, right = same_pads(h.shape[3], pw, s)
                h = F.pad(h, (left, right, top, bottom), value=float("-inf"))
            h = F.max_pool2d(h, (ph, pw), stride=s)
        elif kind == "avg":
            _, _, (ph, pw), s, padding = layer
            if padding == "same":
                top, bottom = same_pads(h.shape[2], ph, s)
                left, right = same_pads(h.shape[3], pw, s)
                pads = (left, right, top, bottom)
                sums = F.avg_pool2d(F.pad(h, pads), (ph, pw), stride=s, divisor_override=1)
                counts = F.avg_pool2d(F.pad(torch.ones_like(h[:1, :1]), pads), (ph, pw), stride=s, divisor_override=1)
                h = sums / counts
            else:
                h = F.avg_pool2d(h, (ph, pw), stride=s)
        elif kind == "flatten":
            h = h.reshape(h.shape[0], -1)  # nn.Flatten of NCHW: (C, H, W) order
        else:
            _, _, _, activation, slope, bias = layer
            z = h @ params[name + ".weight"].T
            if bias:
                z = z + params[name + ".bias"]
            if last:
                logits = z
            h = act(activation, z, slope if slope is not None else 0.01)
    return h, logits if logits is not None else h


def record(name, spec, seed):
    cls, (ih, iw, ic), layers, loss_name, batch, integers = spec
    g = torch.Generator().manual_seed(seed)
    params, out = make_params(spec, g)
    if integers:
        x = leaf(torch.randint(0, 4, (batch, ih, iw, ic), generator=g).float())
    else:
        x = leaf(torch.randn(batch, ih, iw, ic, generator=g))
    classes = out[0]
    if loss_name == "sparse_softmax_cross_entropy":
        target = torch.randint(0, classes, (batch,), generator=g)
    elif loss_name == "softmax_cross_entropy":
        target = torch.softmax(torch.randn(batch, classes, generator=g) * 2, dim=1).to(torch.float32).to(torch.float64)
    elif loss_name == "binary_cross_entropy":
        target = (torch.rand(batch, classes, generator=g) > 0.5).double()
        target[0, 0] = 0.25
    else:
        target = torch.rand(batch, classes, generator=g).double()

    output, logits = forward(layers, params, x)
    if loss_name in ("sparse_softmax_cross_entropy", "softmax_cross_entropy"):
        loss = F.cross_entropy(logits, target)
    elif loss_name == "binary_cross_entropy":
        loss = F.binary_cross_entropy_with_logits(logits, target)
    else:
        loss = F.mse_loss(output, target)
    loss.backward()

    with open(OUT / (name + ".ref"), "w") as f:
        f.write("# %s (Kiln's %s): recorded by tools/reference/record_conv.py with torch %s, seed %d, computed in float64\n"
                % (name, cls, torch.__version__, seed))
        f.write("# input (B, H, W, C) = %s; loss %s\n" % ((batch, ih, iw, ic), loss_name))
        for key, value in params.items():
            write(f, key, value)
        write(f, "input", x)
        write(f, "target", target.float())
        write(f, "output", output)
        write(f, "loss", loss)
        for key, value in params.items():
            write(f, "grad." + key, value.grad)
        write(f, "grad.input", x.grad)
    if name == "conv_valid_max":
        # the same weights as a PyTorch state_dict file: the Kiln model must load it and give `output`
        from safetensors.torch import save_file
        save_file({k: v.detach().to(torch.float32).contiguous() for k, v in params.items()}, str(OUT / "conv_valid_max.safetensors"))
    print("wrote", name, "loss", float(loss.detach()))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for seed, (name, spec) in enumerate(CASES.items()):
        record(name, spec, 2000 + seed)
