"""Writes the anchors' W3 CNN weights (w3_cnn.pt, saved by shared/anchors/py/export_models.py) as a
safetensors file that Kiln's W3 benchmark loads: $ANCHOR_MODELS/w3_cnn_kiln.safetensors.

The state_dict goes in unchanged: names and layouts are PyTorch's (conv.weight (32, 1, 3, 3),
fc1.weight (128, 5408) ...), and Kiln reads a Dense weight after a Flatten in nn.Flatten's (C, H, W)
column order. KilnW3 checks the outputs against w3_probs64.bin at setup.

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
save_file({name: tensor.contiguous() for name, tensor in state.items()}, target)
print("wrote", target, {name: tuple(tensor.shape) for name, tensor in state.items()})
