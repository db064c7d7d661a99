#!/usr/bin/env python3
"""Expected data-parallel efficiency on N workers, on paper, from measured per-step compute times.

Reads `har-bench --scaling` JSON lines on standard input and uses those of one process with one thread (ranks 1,
threads_per_rank 1): per dataset shape, the step time at the global batch B (128) and at smaller per-worker batches.
The model (docs/PERFORMANCE.md):

    T(N) = t_c(B/N) + 2(N-1)/N * S/BW + 2(N-1) * alpha      ring all-reduce of S gradient bytes, after the backward
    E(N) = t_c(B) / (N * T(N))                               speed-up over one worker, divided by N

t_c(b): one worker's step (forward, backward, optimizer) at per-worker batch b. "E linear" takes t_c(B)/N (a step
that shrinks with the batch, down to nothing); "E measured" takes the step measured at batch B/N, or where none was
measured t_c(b) = a + c*b, least squares through the measured batches (the optimizer step and per-operation costs, a, do not shrink with N: every worker updates every
weight). A worker is one process with one thread, as measured.
"""
import argparse
import json
import sys

LINKS = {"10 GbE": (10e9 / 8, 25e-6), "100 GbE": (100e9 / 8, 10e-6)}


def comm_seconds(n, size, bandwidth, latency):
    """Ring all-reduce of `size` bytes across `n` workers: reduce-scatter then all-gather, 2(n-1) messages each."""
    if n == 1:
        return 0.0
    return 2 * (n - 1) / n * size / bandwidth + 2 * (n - 1) * latency


def fit(points):
    """Least-squares a + c*b through (b, seconds) points."""
    n = len(points)
    mean_b = sum(b for b, _ in points) / n
    mean_t = sum(t for _, t in points) / n
    spread = sum((b - mean_b) ** 2 for b, _ in points)
    c = sum((b - mean_b) * (t - mean_t) for b, t in points) / spread if spread else 0.0
    return max(0.0, mean_t - c * mean_b), c


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=128, help="the fixed global batch")
    parser.add_argument("--workers", default="4,16,64", help="worker counts of the table")
    parser.add_argument("--compute-scale", type=float, default=1.0,
                        help="multiply every measured step time by this (e.g. 0.1: a machine 10x less loaded)")
    args = parser.parse_args()
    workers = [int(n) for n in args.workers.split(",")]
    steps, sizes = {}, {}
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        if row.get("bench") != "data parallel" or row.get("ranks") != 1 or row.get("threads_per_rank") != 1:
            continue
        steps.setdefault(row["dataset"], {}).setdefault(row["batch"], []).append(row["step_ms"] / 1000 * args.compute_scale)
        sizes[row["dataset"]] = row["gradient_bytes"]
    print("| shape | link | N | per-worker batch | t_c(128/N) ms | all-reduce ms | E linear | E measured |")
    print("|---|---|---|---|---|---|---|---|")
    notes = []
    for shape, by_batch in steps.items():
        if args.batch not in by_batch:
            continue
        points = [(b, sorted(ts)[len(ts) // 2]) for b, ts in sorted(by_batch.items())]
        a, c = fit(points) if len(points) > 1 else (0.0, points[0][1] / points[0][0])
        points_by_batch = dict(points)
        full = points_by_batch[args.batch]
        size = sizes[shape]
        notes.append(f"{shape}: gradients {size / 1e6:.2f} MB; t_c(b) = {a * 1000:.1f} ms + {c * 1000:.2f} ms × b "
                     f"(measured {', '.join(f'b={b}: {t * 1000:.0f} ms' for b, t in points)})")
        for link, (bandwidth, latency) in LINKS.items():
            for n in workers:
                comm = comm_seconds(n, size, bandwidth, latency)
                measured = points_by_batch.get(args.batch // n) if args.batch % n == 0 else None
                local = measured if measured is not None else a + c * args.batch / n
                label = f"{local * 1000:.0f}" + ("" if measured is not None else " (fit)")
                print(f"| {shape} | {link} | {n} | {args.batch / n:g} | {label} | {comm * 1000:.2f} | "
                      f"{full / (n * (full / n + comm)):.0%} | {full / (n * (local + comm)):.0%} |")
            speedups = [(full / (a + c * args.batch / n + comm_seconds(n, size, bandwidth, latency)), n)
                        for n in range(1, args.batch + 1)]
            best, at = max(speedups)
            half = next((n for s, n in speedups if s / n < 0.5), None)
            linear_half = next((n for n in range(1, args.batch + 1)
                                if full / (n * (full / n + comm_seconds(n, size, bandwidth, latency))) < 0.5), None)
            notes.append(f"{shape}, {link}, linear t_c (network alone): efficiency below 50% from N = "
                         f"{linear_half or f'none up to {args.batch}'}")
            notes.append(f"{shape}, {link}, fitted t_c: efficiency below 50% from N = {half}; speed-up peaks at "
                         f"{best:.1f}× at N = {at} (N ≤ B = {args.batch})")
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
