"""Writes the anchors' W3 CNN weights (w3_cnn.pt, saved by shared/anchors/py/export_models.py) as a
safetensors file that Kiln's W3 benchmark loads: $ANCHOR_MODELS/w3_cnn_kiln.safetensors.

The names and layouts are PyTorch's (conv.weight (32, 1, 3, 3), fc1.weight (128, 5408) ...) with one
change: the anchors' CNN flattens its NCHW activations in (C, H, W) order, Kiln (as Keras) in
(H, W, C) order, so fc1.weight's input columns are permuted from (32, 13, 13) to (13, 13, 32). Both
models then compute the same function; KilnW3 checks this against w3_probs64.bin at setup.

Usage: export_w3_weights.py   (uses $ANCHOR_MODELS, default /tmp/anchors_models)"""
import os
import sys

import torch
from safetensors.torch import save_file

models = os.environ.get("ANCHOR_MODELS", "/tmp/anchors_models")
source = os.path.join(models, "w3_cnn.pt")
target = os.path.join(models, "w3_cnn_kiln.safetensors")
if not os.path.exists(source):
    sys.exit(f"export_w3_weights.py: no {source}; run shared/anchors/py/export_models.py first")
state = torch.load(source, map_location="cpu")
fc1 = state["fc1.weight"]
channels, height, width = 32, 13, 13
assert fc1.shape == (128, channels * height * width), fc1.shape
state["fc1.weight"] = fc1.reshape(128, channels, height, width).permute(0, 2, 3, 1).reshape(128, -1)
save_file({name: tensor.contiguous() for name, tensor in state.items()}, target)
print("wrote", target, {name: tuple(tensor.shape) for name, tensor in state.items()})
