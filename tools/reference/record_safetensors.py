"""Records a safetensors file written by PyTorch, for Kiln's weight-file tests.

Builds TinyNet, Linear(4, 3) -> Linear(3, 2) with state_dict keys hidden.weight, hidden.bias,
out.weight and out.bias (the names and (out, in) shapes of Kiln's Parameters), saves its seeded
initial weights with safetensors.torch.save_file, and writes the same values as a .ref file
(the format of dev.kiln.runtime.testing.ReferenceFile). The Java test loads the .safetensors file
into Parameters and compares every value with the .ref file exactly.

Run from the repository root:
    /tmp/anchorvenv/bin/python tools/reference/record_safetensors.py
"""
import pathlib

import numpy as np
import safetensors
import torch
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/reference"


class TinyNet(torch.nn.Module):
    """The torch twin of the Kiln test model: hidden (4 -> 3), out (3 -> 2)."""

    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(4, 3)
        self.out = torch.nn.Linear(3, 2)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


def shortest(value):
    """The shortest decimal that parses back to the same float32 (Java's Float.parseFloat agrees)."""
    return np.format_float_scientific(np.float32(value), unique=True, trim="-")


def write_ref(path, tensors, header):
    with open(path, "w") as f:
        for line in header:
            f.write("# " + line + "\n")
        for name, t in tensors.items():
            f.write("tensor " + name + " " + " ".join(str(d) for d in t.shape) + "\n")
            f.write(" ".join(shortest(v) for v in t.detach().numpy().reshape(-1)) + "\n")


def main():
    torch.manual_seed(0)
    model = TinyNet()
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(state, str(OUT / "torch_saved.safetensors"), metadata={"format": "pt"})
    write_ref(OUT / "torch_saved.ref", state, [
        "recorded by tools/reference/record_safetensors.py",
        f"torch {torch.__version__}, safetensors {safetensors.__version__}, numpy {np.__version__}",
        "TinyNet: hidden Linear(4, 3), out Linear(3, 2), torch.manual_seed(0) initial weights;",
        "the same values as torch_saved.safetensors, saved with safetensors.torch.save_file",
    ])
    for name, t in state.items():
        print(f"{name} {tuple(t.shape)} {t.dtype}")
    print("wrote", OUT / "torch_saved.safetensors", "and", OUT / "torch_saved.ref")


if __name__ == "__main__":
    main()
