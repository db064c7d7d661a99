#!/usr/bin/env bash
# Data-parallel scaling on one machine (docs/PERFORMANCE.md): `har-bench --scaling` as 1 process × 2 threads and as
# 2 processes × 1 thread (ranks started by the launch contract, MASTER_ADDR=127.0.0.1), the same global batch (128),
# alternating per round so both see the same machine load; then one process × 1 thread at the per-worker batches
# 128/N of the paper model (scripts/data_parallel_model.py reads those lines). Prints har-bench's JSON lines.
# Usage: scripts/bench_data_parallel.sh [HAR_BENCH] [ROUNDS] [SHAPES] [SAMPLES] [EPOCHS] [PER-WORKER BATCHES, e.g. "128 32 8 2"]
set -euo pipefail
bench=${1:-.build/release/har-bench}
rounds=${2:-2}
shapes=${3:-uci,dsads}
samples=${4:-512}
epochs=${5:-2}
batches=${6:-128 32 8 2}
common=(--models sa --samples "$samples" --epochs "$epochs" --scaling)

alone() { "$bench" "${common[@]}" --datasets "$1" --batch "$2" --threads "$3"; }

two_ranks() {
    local port=$((20000 + RANDOM % 20000))
    local job=(env MASTER_ADDR=127.0.0.1 MASTER_PORT=$port WORLD_SIZE=2 HARLAB_DIST_TIMEOUT=900)
    "${job[@]}" RANK=1 LOCAL_RANK=1 "$bench" "${common[@]}" --datasets "$1" --batch 128 --threads 1 &
    local peer=$!
    "${job[@]}" RANK=0 LOCAL_RANK=0 "$bench" "${common[@]}" --datasets "$1" --batch 128 --threads 1
    wait "$peer"
}

for shape in ${shapes//,/ }; do
    for round in $(seq 1 "$rounds"); do
        if (( round % 2 == 1 )); then alone "$shape" 128 2; two_ranks "$shape"; else two_ranks "$shape"; alone "$shape" 128 2; fi
    done
    for batch in $batches; do alone "$shape" "$batch" 1; done
done
