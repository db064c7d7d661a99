#!/usr/bin/env bash
# The block cache against libtorch's own CPU allocator (docs/PERFORMANCE.md, "The block cache for large buffers"):
# `sa` on the DSADS shape, 1 thread, float32 and bfloat16 autocast, the two allocators in alternating processes.
#
#   scripts/bench_allocator.sh [HAR_BENCH] [ROUNDS]     (defaults: .build/release/har-bench, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-.build/release/har-bench}
rounds=${2:-2}
for round in $(seq 1 "$rounds"); do
    for allocator in system caching; do
        for precision in "" --bf16; do
            HARLAB_CPU_ALLOCATOR=$allocator "$bench" --models sa --datasets dsads --threads 1 --samples 128 --epochs 1 \
                --reps 5 $precision | grep '^{' | sed "s/^/$round $allocator ${precision:-fp32} /"
        done
    done
done
