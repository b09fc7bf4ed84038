"""Records the forward outputs, loss and gradients of small dense networks from PyTorch.

Each case matches a @Network declared in processor/src/test/java/dev/kiln/processor/ReferenceNetworks.java.
The Java test loads the recorded parameters into the Kiln model and compares everything else.

    python tools/reference/record_dense.py   # with torch 2.13 (../shared/anchors/setup.sh builds a venv)
"""
import pathlib

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[2] / "processor/src/test/resources/reference"


def act(name, z, slope=0.01):
    return {
        "linear": lambda: z,
        "relu": lambda: torch.relu(z),
        "leaky_relu": lambda: F.leaky_relu(z, slope),
        "sigmoid": lambda: torch.sigmoid(z),
        "tanh": lambda: torch.tanh(z),
        "softmax": lambda: torch.softmax(z, dim=1),
    }[name]()


CASES = {
    # name: (input size, [(layer, units, activation, slope, bias)], loss, batch)
    "dense_sparse": (12, [("fc1", 16, "tanh", None, True), ("fc2", 8, "leaky_relu", 0.01, True), ("fc3", 5, "linear", None, True)],
                     "sparse_softmax_cross_entropy", 6),
    "dense_bce": (7, [("fc1", 9, "relu", None, True), ("fc2", 6, "sigmoid", None, True), ("fc3", 3, "sigmoid", None, True)],
                  "binary_cross_entropy", 5),
    "dense_mse": (5, [("fc1", 6, "leaky_relu", 0.2, True), ("fc2", 4, "tanh", None, True), ("fc3", 3, "softmax", None, True)],
                  "mse", 4),
    "dense_cce": (6, [("fc1", 10, "sigmoid", None, True), ("fc2", 7, "relu", None, False), ("fc3", 4, "softmax", None, True)],
                  "softmax_cross_entropy", 3),
}


def write(f, name, t):
    t = t.detach().to(torch.float32).contiguous()
    f.write("tensor %s %s\n" % (name, " ".join(str(d) for d in t.shape)))
    flat = t.reshape(-1).tolist()
    for i in range(0, len(flat), 8):
        f.write(" ".join("%.9e" % v for v in flat[i:i + 8]) + "\n")


def record(name, spec, seed):
    size, layers, loss_name, batch = spec
    g = torch.Generator().manual_seed(seed)
    params = {}
    fan_in = size
    for layer, units, _, _, bias in layers:
        params[layer + ".weight"] = (torch.randn(units, fan_in, generator=g) * (1.5 / fan_in ** 0.5)).requires_grad_()
        if bias:
            params[layer + ".bias"] = (torch.randn(units, generator=g) * 0.3).requires_grad_()
        fan_in = units
    x = torch.randn(batch, size, generator=g).requires_grad_()
    classes = layers[-1][1]
    if loss_name == "sparse_softmax_cross_entropy":
        target = torch.randint(0, classes, (batch,), generator=g)
    elif loss_name == "softmax_cross_entropy":
        target = torch.softmax(torch.randn(batch, classes, generator=g) * 2, dim=1)
    elif loss_name == "binary_cross_entropy":
        target = (torch.rand(batch, classes, generator=g) > 0.5).float()
        target[0, 0] = 0.25  # a soft target too
    else:
        target = torch.rand(batch, classes, generator=g)

    h = x
    for i, (layer, _, activation, slope, bias) in enumerate(layers):
        z = h @ params[layer + ".weight"].T
        if bias:
            z = z + params[layer + ".bias"]
        last = i == len(layers) - 1
        if last:
            logits = z
        h = act(activation, z, slope if slope is not None else 0.01)
    output = h

    if loss_name == "sparse_softmax_cross_entropy":
        loss = F.cross_entropy(logits, target)
    elif loss_name == "softmax_cross_entropy":
        loss = F.cross_entropy(logits, target)
    elif loss_name == "binary_cross_entropy":
        loss = F.binary_cross_entropy_with_logits(logits, target)
    else:
        loss = F.mse_loss(output, target)
    loss.backward()

    with open(OUT / (name + ".ref"), "w") as f:
        f.write("# %s: recorded by tools/reference/record_dense.py with torch %s, seed %d\n" % (name, torch.__version__, seed))
        f.write("# layers: %s; loss %s\n" % (layers, loss_name))
        for key, value in params.items():
            write(f, key, value)
        write(f, "input", x)
        write(f, "target", target.float())
        write(f, "output", output)
        write(f, "loss", loss)
        for key, value in params.items():
            write(f, "grad." + key, value.grad)
        write(f, "grad.input", x.grad)
    if name == "dense_sparse":
        # the same weights as a PyTorch state_dict file: the Kiln model must load it and give `output`
        from safetensors.torch import save_file
        save_file({k: v.detach().contiguous() for k, v in params.items()}, str(OUT / "dense_sparse.safetensors"))
    print("wrote", name, "loss", float(loss.detach()))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_default_dtype(torch.float32)
    for seed, (name, spec) in enumerate(CASES.items()):
        record(name, spec, 1000 + seed)
