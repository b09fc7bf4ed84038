"""Checks that PyTorch reads a generated Kiln CNN's weight file and computes the same outputs.

Loads processor/src/test/resources/reference/kiln_conv_valid_max.safetensors (saved by
ConvValidMaxModel in WeightFileInteropTest) with safetensors.torch.load_file into the equivalent
torch.nn model (strictly: the same names and shapes), runs it on conv_valid_max.ref's input and
compares with the outputs Kiln recorded. Kiln takes images channels last (N, H, W, C), so the torch
model permutes its input to NCHW; after that it is plain nn.Conv2d, nn.MaxPool2d, nn.Flatten and
nn.Linear: Kiln's file holds fc.weight in nn.Flatten's (C, H, W) column order.

    /tmp/anchorvenv/bin/python tools/reference/check_kiln_cnn.py   # with torch 2.13 and safetensors
"""
import pathlib
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_kiln_model import REF, compare, read_ref  # noqa: E402


class ConvValidMax(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3)
        self.pool1 = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(3 * 3 * 16, 5)

    def forward(self, x_nhwc):
        h = self.pool1(torch.relu(self.conv1(x_nhwc.permute(0, 3, 1, 2))))
        return self.fc(torch.nn.Flatten()(h))


model = ConvValidMax()
model.load_state_dict(load_file(str(REF / "kiln_conv_valid_max.safetensors")), strict=True)
x = read_ref(REF / "conv_valid_max.ref")["input"]
compare(model, x, REF / "kiln_conv_valid_max_output.ref", "CNN")
print("OK: torch.nn loads Kiln's CNN file and gives Kiln's outputs")
