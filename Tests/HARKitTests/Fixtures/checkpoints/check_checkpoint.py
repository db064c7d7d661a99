"""Checks that PyTorch reads a harlab checkpoint with a plain `torch.load` (weights_only, the 2.6+ default).

Usage: ~/peer/bin/python check_checkpoint.py [CHECKPOINT]   (default: sa_w4_format1.pt beside this script)

sa_w4_format1.pt was written by harlab's Checkpoint.write (CheckpointTests' `sa width=4` model on 20×5 windows,
3 classes, after one AdamW step); CheckpointTests.testCommittedFormat1CheckpointStillLoads reads it back, so a
change of the file layout that breaks old checkpoints fails a test.
"""
import json
import pathlib
import sys

import torch

path = sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).with_name("sa_w4_format1.pt")
state = torch.load(path)
weights = [k for k in state if not k.startswith(("optimizer.", "harlab."))]
meta = json.loads(bytes(state["harlab.meta"].tolist()).decode())
print(f"{len(state)} entries; {len(weights)} weights, first {weights[:3]}")
print("body.0.weight", tuple(state["body.0.weight"].shape), state["body.0.weight"].dtype)
print("optimizer entries", sum(k.startswith("optimizer.") for k in state))
print("model", meta["modelName"], meta["modelOptions"], "input", meta["input"], "epoch", meta["epoch"])
print("classes", meta["dataset"]["classNames"], "channels", meta["dataset"]["channelNames"])
assert state["body.0.weight"].shape == (4, 1, 3, 1)
assert meta["format"] == 1
