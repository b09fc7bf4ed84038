"""Checks that PyTorch reads the safetensors file Kiln writes, value for value.

runtime/src/test/resources/reference/kiln_saved.safetensors was written by Kiln
(SafeTensorsReferenceTest, which also asserts that Kiln still writes exactly these bytes). This
script loads it with safetensors.torch.load_file, loads it into TinyNet with
load_state_dict(strict=True), and compares the bits of every value with the values the Java test
saved (listed below as float32 bit patterns, so -0.0, subnormals and the largest float are exact).
It exits with status 1 on any difference.

Run from the repository root (an optional argument checks another file instead):
    /tmp/anchorvenv/bin/python tools/reference/check_kiln_saved.py [FILE]
"""
import pathlib
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

from record_safetensors import TinyNet

FILE = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/reference/kiln_saved.safetensors"

# The values of SafeTensorsReferenceTest.knownParameters(), as float32 bits.
EXPECTED_BITS = {
    "hidden.weight": ((3, 4), [
        0x3dcccccd,  # 0.1
        0x80000000,  # -0.0
        0x3f800000,  # 1.0
        0xc0200000,  # -2.5
        0x000116c2,  # 1.0E-40 (subnormal)
        0x7f7fffff,  # 3.4028235E38 (largest float)
        0x80800000,  # -1.17549435E-38 (smallest normal, negated)
        0x3eaaaaab,  # 0.33333334
        0x47f12065,  # 123456.79
        0xb3d6bf95,  # -1.0E-7
        0x00000001,  # 1.4E-45 (smallest subnormal)
        0x40400000,  # 3.0
    ]),
    "hidden.bias": ((3,), [
        0x3f000000,  # 0.5
        0xbe800000,  # -0.25
        0x40e00000,  # 7.0
    ]),
    "out.weight": ((2, 3), [
        0x3fc00000,  # 1.5
        0xc0700000,  # -3.75
        0x3e4ccccd,  # 0.2
        0xbe99999a,  # -0.3
        0x40000000,  # 2.0
        0x501502f9,  # 1.0E10
    ]),
    "out.bias": ((2,), [
        0x00000000,  # 0.0
        0xbf800000,  # -1.0
    ]),
}
EXPECTED_METADATA = {"format": "pt", "kiln.model": "TinyNet"}


def expected_tensor(shape, bits):
    as_int32 = [b - (1 << 32) if b >= 1 << 31 else b for b in bits]
    return torch.tensor(as_int32, dtype=torch.int32).view(torch.float32).reshape(shape)


def main():
    file = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else FILE
    failures = []
    state = load_file(str(file))
    with safe_open(str(file), framework="pt") as f:
        metadata = f.metadata()
    print(f"read {file.name}: {len(state)} tensors, metadata {metadata}")
    if metadata != EXPECTED_METADATA:
        failures.append(f"metadata {metadata} != {EXPECTED_METADATA}")

    model = TinyNet()
    model.load_state_dict(state, strict=True)
    print("load_state_dict(strict=True) into TinyNet: ok")

    loaded = model.state_dict()
    for name, (shape, bits) in EXPECTED_BITS.items():
        actual = loaded[name]
        expected = expected_tensor(shape, bits)
        if actual.dtype != torch.float32 or tuple(actual.shape) != shape:
            failures.append(f"{name}: {actual.dtype} {tuple(actual.shape)}, expected torch.float32 {shape}")
            continue
        differing = (actual.view(torch.int32) != expected.view(torch.int32)).sum().item()
        print(f"{name:14s} {str(tuple(actual.shape)):8s} {actual.dtype}  bit-identical: {differing == 0}")
        if differing:
            failures.append(f"{name}: {differing} values differ in their bits: {actual.flatten().tolist()} vs {expected.flatten().tolist()}")

    x = torch.tensor([[1.0, 0.0, -1.0, 0.5]])
    with torch.no_grad():
        hidden = torch.relu(model.hidden(x))
    print(f"relu(hidden(x)) for x = {x.flatten().tolist()}: {hidden.flatten().tolist()}")

    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("OK: PyTorch reads Kiln's safetensors file with every value bit-identical")


if __name__ == "__main__":
    main()
