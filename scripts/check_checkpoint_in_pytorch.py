#!/usr/bin/env python3
"""Loads a harlab checkpoint (`save model FILE`) with PyTorch's own `torch.load`, rebuilds the model it describes from
the independently written PyTorch definitions in scripts/har_models_torch.py, loads its weights with
`load_state_dict(strict=True)` and prints the evaluation-mode logits of the given windows as JSON.

  /usr/bin/python3 scripts/check_checkpoint_in_pytorch.py MODEL.pt WINDOWS.json

WINDOWS.json: {"windows": [[...T×C values...], ...]} (row-major, time major). The weights are used in float64 (the
float32 values widened exactly), so a caller computing in float64 too compares without float32 rounding.
Output (stdout): {"model", "options", "input", "weights" (entries loaded), "ignored" (harlab's own entries),
"logits" ([[K values] per window])}. Used by Tests/HARKitTests/CheckpointPyTorchTests.swift.
"""
import json, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from har_models_torch import HARNet  # noqa: E402


def main():
    path, windows_path = sys.argv[1], sys.argv[2]
    entries = torch.load(path, map_location="cpu")
    meta = json.loads(bytes(entries["harlab.meta"].tolist()).decode("utf-8"))
    shape = meta["input"]
    T, C, K = shape["time"], shape["channels"], shape["classes"]
    options = {key: int(value) if float(value).is_integer() and key != "dropout" else float(value)
               for key, value in meta.get("modelOptions", {}).items()}
    net = HARNet(meta["modelName"], T, C, K, **options).double()
    weights = {name: tensor for name, tensor in entries.items() if not name.startswith(("harlab.", "optimizer."))}
    net.load_state_dict(weights, strict=True)
    net.eval()
    with open(windows_path) as f:
        windows = json.load(f)["windows"]
    x = torch.tensor(windows, dtype=torch.float64).reshape(len(windows), 1, T, C)
    with torch.no_grad():
        logits = net(x)
    json.dump({"model": meta["modelName"], "options": options, "input": [T, C, K], "weights": sorted(weights),
               "ignored": sorted(set(entries) - set(weights)), "logits": logits.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
