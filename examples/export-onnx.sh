#!/usr/bin/env bash
# export-onnx.sh — trains a small spatial attention network on the synthetic data, exports it to ONNX, and shows
# what the exported file says about itself (its metadata) and what it predicts when ONNX Runtime runs it: no harlab
# and no PyTorch on that side.
#
# Needs a built `har` (HAR, default .build/release/har: `swift build -c release --product har`) and a Python with
# onnxruntime and numpy (PYTHON, default .build/python-tools/bin/python, which scripts/test.sh installs).
# Usage: examples/export-onnx.sh [FILE.onnx]   (default: sa.onnx in the current folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
har="${HAR:-$root/.build/release/har}"
python="${PYTHON:-$root/.build/python-tools/bin/python}"
file="${1:-sa.onnx}"

"$har" -c "load synthetic; set seed 0; model sa width=16 depth=2; train 3; eval; export onnx $file"

"$python" - "$file" <<'PY'
import json
import sys

import numpy as np
import onnxruntime as ort

session = ort.InferenceSession(sys.argv[1])
meta = session.get_modelmeta().custom_metadata_map
print(f"\n{sys.argv[1]}: input {session.get_inputs()[0].name} {session.get_inputs()[0].shape}, "
      f"output {session.get_outputs()[0].name} {session.get_outputs()[0].shape}")
for key in sorted(meta):
    print(f"  {key}: {meta[key]}")
classes = json.loads(meta["class_names"])
length, channels = int(meta["window_length"]), len(json.loads(meta["channel_names"]))
# Raw sensor values around the dataset's channel means (the z-score is the graph's first operation).
mean, std = np.array(json.loads(meta["zscore_mean"])), np.array(json.loads(meta["zscore_std"]))
noise = np.random.default_rng(0).standard_normal((4, 1, length, channels))
windows = (mean + std * noise if meta["zscore"] != "none" else noise).astype(np.float32)
logits = session.run(None, {"windows": windows})[0]
print("predictions for 4 windows:", [classes[i] for i in logits.argmax(axis=1)])
PY
