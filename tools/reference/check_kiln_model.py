"""Checks that PyTorch reads a generated Kiln model's weight file and computes the same outputs.

Loads processor/src/test/resources/reference/kiln_dense_sparse.safetensors (saved by DenseSparseModel
in WeightFileInteropTest) with safetensors.torch.load_file into the equivalent torch.nn model, runs
it on dense_sparse.ref's input and compares with the outputs Kiln recorded: one tensor per kernel kind
and lane count (scalar, lanes4, lanes8, lanes16), each the exact bits WeightFileInteropTest pins.

    python tools/reference/check_kiln_model.py   # with torch 2.13 and safetensors
"""
import pathlib
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

REF = pathlib.Path(__file__).resolve().parents[2] / "processor/src/test/resources/reference"


def read_ref(path):
    tensors, name, shape, values = {}, None, None, []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("tensor "):
            if name:
                tensors[name] = torch.tensor(values).reshape(shape)
            parts = line.split()
            name, shape, values = parts[1], [int(d) for d in parts[2:]], []
        else:
            values.extend(float(v) for v in line.split())
    tensors[name] = torch.tensor(values).reshape(shape)
    return tensors


class DenseSparse(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(12, 16)
        self.fc2 = torch.nn.Linear(16, 8)
        self.fc3 = torch.nn.Linear(8, 5)

    def forward(self, x):
        return self.fc3(F.leaky_relu(self.fc2(torch.tanh(self.fc1(x))), 0.01))


model = DenseSparse()
model.load_state_dict(load_file(str(REF / "kiln_dense_sparse.safetensors")), strict=True)
x = read_ref(REF / "dense_sparse.ref")["input"]


def compare(model, x, recorded, what):
    """Checks the torch model's outputs against every kernel kind's outputs Kiln recorded."""
    with torch.no_grad():
        actual = model(x)
    for kind, expected in read_ref(recorded).items():
        diff = (actual - expected).abs().max().item()
        print("%s, %s: max |torch - kiln| over %d outputs: %.3g" % (what, kind, actual.numel(), diff))
        if diff > 1e-5:
            sys.exit("FAILED: PyTorch's outputs differ from Kiln's " + kind + " outputs")


if __name__ == "__main__":
    compare(model, x, REF / "kiln_dense_sparse_output.ref", "dense")
    print("OK: torch.nn loads Kiln's file and gives Kiln's outputs")
