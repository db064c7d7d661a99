#!/usr/bin/env python3
"""Checks and runs ONNX files harlab exported, with the ONNX checker and ONNX Runtime only (no harlab, no PyTorch).

Usage: run_onnx_models.py MANIFEST.json RESULTS.json

MANIFEST: {"cases": [{"name": str, "file": str, "input": str, "shape": [N, 1, T, C]}]}, where "input" is a file of
N·1·T·C float32 values (little-endian, row-major). RESULTS gets, per case name: "checker" ("ok" or the checker's
message), "logits" (the N×K outputs of one batch-N run), "first" (the outputs of a batch-1 run of the first window,
which exercises the dynamic batch axis), "opset", "ir_version", "ops" (operator types, sorted), "input" (name and
dims, a dynamic axis by its name), "output" (name) and "metadata" (the metadata properties). One process runs every
case, so the test suite pays the interpreter's start once.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def dims(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def run_case(case):
    model = onnx.load(case["file"])
    try:
        onnx.checker.check_model(model, full_check=True)
        checker = "ok"
    except Exception as error:  # the checker's message is the result
        checker = str(error)
    windows = np.fromfile(case["input"], dtype="<f4").reshape(case["shape"])
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(case["file"], options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    logits = session.run(None, {name: windows})[0]
    first = session.run(None, {name: windows[:1]})[0]
    return {
        "checker": checker,
        "logits": logits.astype(float).tolist(),
        "first": first.astype(float).tolist(),
        "opset": max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
        "ir_version": model.ir_version,
        "ops": sorted({node.op_type for node in model.graph.node}),
        "input": {"name": model.graph.input[0].name, "dims": dims(model.graph.input[0])},
        "output": model.graph.output[0].name,
        "metadata": {p.key: p.value for p in model.metadata_props},
    }


def main():
    manifest_path, results_path = sys.argv[1], sys.argv[2]
    with open(manifest_path) as f:
        manifest = json.load(f)
    results = {case["name"]: run_case(case) for case in manifest["cases"]}
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
