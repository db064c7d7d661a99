#!/usr/bin/env python3
"""PyTorch's batch-1 inference latency for every model `har-bench --latency-rounds` compares, as a long-lived
process so that harlab's and PyTorch's measurements can alternate round by round without paying an interpreter
start (and `import torch`) per measurement.

The models are scripts/peer_models.py's (the reference's own `sa`, `cnn`, `lstm`; every other model layer for layer
as harlab builds it), in evaluation mode under `torch.inference_mode()`, fed standard-normal [1, 1, T, C] windows;
each request is one model on one dataset shape, built once (seed 0) and kept for the later rounds.

Protocol: one request per stdin line, `MODEL DATASET REPS`; one JSON answer per line on stdout:
  {"tool": "pytorch-2.15.0", "model": …, "dataset": …, "threads": 1, "latency_p50_ms": …, "cpu_p50_ms": …, …}
after 3 warm-up calls, timing each of REPS calls on its own (p50 by linear interpolation, as harlab's percentile),
in wall time and in this process's CPU time (`cpu_p50_ms`: what a call costs even while other processes take the
cores; on one thread the steadier figure on a shared machine).
  ~/peer/bin/python scripts/peer_latency.py --threads 1      # then type: sa dsads 50
`--threads 0` leaves PyTorch's own default (what a user of the reference gets).
"""
import argparse, json, sys, time

import torch

import peer_models  # scripts/ is on sys.path when this file runs from there


def percentile(sorted_values, q):
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads; 0 keeps PyTorch's default")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    models = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        model, dataset, reps = parts[0], parts[1], int(parts[2])
        T, C, classes = peer_models.peer_pytorch.SHAPES[dataset]
        if (model, dataset) not in models:
            torch.manual_seed(0)
            models[(model, dataset)] = (peer_models.build(model, T, C, classes).eval(), torch.randn(1, 1, T, C))
        net, one = models[(model, dataset)]
        samples, cpu = [], []
        with torch.inference_mode():
            for _ in range(3):
                net(one)
            for _ in range(max(1, reps)):
                start, start_cpu = time.perf_counter(), time.process_time()
                net(one)
                samples.append((time.perf_counter() - start) * 1e3)
                cpu.append((time.process_time() - start_cpu) * 1e3)
        samples.sort()
        cpu.sort()
        print(json.dumps({"tool": "pytorch-" + torch.__version__, "model": model, "dataset": dataset,
                          "threads": torch.get_num_threads(), "latency_p50_ms": round(percentile(samples, 0.5), 4),
                          "cpu_p50_ms": round(percentile(cpu, 0.5), 4),
                          "latency_mean_ms": round(sum(samples) / len(samples), 4)}), flush=True)


if __name__ == "__main__":
    main()
