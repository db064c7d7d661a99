#!/usr/bin/env python3
"""Batch-1 latency of an ONNX file in ONNX Runtime (CPU), as `har-bench --vs-onnx` compares it with harlab's.

Usage: onnx_latency.py FILE.onnx [--reps N] [--threads T]

Feeds one random window [1, 1, T, C] (the file's own input shape), 3 warm-up calls then N timed ones, and prints one
JSON line: {"tool": "onnxruntime-VERSION", "latency_p50_ms": …, "latency_mean_ms": …, "reps": N, "threads": T}.
"""
import argparse
import json
import time

import numpy as np
import onnxruntime as ort


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.file, options, providers=["CPUExecutionProvider"])
    model_input = session.get_inputs()[0]
    shape = [1] + [int(d) for d in model_input.shape[1:]]
    window = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    feed = {model_input.name: window}
    for _ in range(3):
        session.run(None, feed)
    samples = []
    for _ in range(max(1, args.reps)):
        start = time.perf_counter_ns()
        session.run(None, feed)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    print(json.dumps({"tool": f"onnxruntime-{ort.__version__}", "latency_p50_ms": float(np.median(samples)),
                      "latency_mean_ms": float(np.mean(samples)), "reps": len(samples), "threads": args.threads}))


if __name__ == "__main__":
    main()
